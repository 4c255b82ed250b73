"""What a body publishes as open data: per-body catalog settings and per-dataset choices.

The data itself is never stored here; every download is generated from the live data."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core.models import BodyScopedModel

CONTRIBUTORS = "http://dcat-ap.de/def/contributors/"
LICENCES = "http://dcat-ap.de/def/licenses/"


class Licence(models.TextChoices):
    """The licences of the DCAT-AP.de licence vocabulary that suit public administrative data."""

    DL_BY = LICENCES + "dl-by-de/2.0", _("Datenlizenz Deutschland – Namensnennung – 2.0")
    DL_ZERO = LICENCES + "dl-zero-de/2.0", _("Datenlizenz Deutschland – Zero – 2.0")
    CC_BY = LICENCES + "cc-by/4.0", _("Creative Commons Namensnennung 4.0 International")
    CC_BY_SA = (
        LICENCES + "cc-by-sa/4.0",
        _("Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0"),
    )
    CC_ZERO = LICENCES + "cc-zero", _("Creative Commons CC Zero License (cc-zero)")
    ODBL = LICENCES + "odbl", _("Open Data Commons Open Database License (ODbL)")


def validate_contributor(value: str) -> None:
    if value and not value.startswith(CONTRIBUTORS):
        raise ValidationError(
            _("Use an id from the DCAT-AP.de list, starting with %(prefix)s."),
            params={"prefix": CONTRIBUTORS},
            code="contributor",
        )


class CatalogSettings(BodyScopedModel):
    """The body's entry in GovData / Open.NRW: its contributor id and the contact for all of
    its datasets (each dataset may name its own)."""

    contributor_id = models.URLField(
        _("contributor id"),
        blank=True,
        validators=[validate_contributor],
        help_text=_("The body's id in the DCAT-AP.de contributor list (dcatde:contributorID)."),
    )
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("open data catalog settings")
        verbose_name_plural = _("open data catalog settings")
        constraints = [models.UniqueConstraint(fields=["body"], name="unique_catalog_settings")]

    def __str__(self) -> str:
        return str(self.body)


class DatasetSetting(BodyScopedModel):
    """Whether one dataset of the body is published, under which licence and with which
    contributor id and contact; a dataset without a row is published with the defaults."""

    dataset = models.CharField(_("dataset"), max_length=40)
    is_published = models.BooleanField(_("published"), default=True)
    licence = models.CharField(
        _("licence"), max_length=100, choices=Licence.choices, default=Licence.DL_BY
    )
    contributor_id = models.URLField(
        _("contributor id"),
        blank=True,
        validators=[validate_contributor],
        help_text=_("Leave empty for the body's contributor id."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Leave empty for the body's contact.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dataset setting")
        verbose_name_plural = _("dataset settings")
        constraints = [
            models.UniqueConstraint(fields=["body", "dataset"], name="unique_dataset_setting")
        ]

    def __str__(self) -> str:
        return f"{self.body_id}:{self.dataset}"
