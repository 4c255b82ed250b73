"""The OZG catalogue (OZG-Leistungen and the LeiKa services behind them) and each body's
assessment of the services it carries out."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core.models import BodyScopedModel
from lotse.strategy.models import Measure, OrgUnit

# LeiKa types whose services a municipality (Stadt, Gemeinde, Kreis) carries out: the Bund
# regulates and Land or Kommune carry out (2/3), the Land regulates (4), the Kommune
# regulates (5). The catalogue does not tell a Kreis's services from a town's, so both start
# from the same set; staff add and exclude services for their body.
MUNICIPAL_TYPES = ("2/3", "2", "3", "4", "5")


def is_municipal_type(value: str) -> bool:
    """Whether a LeiKa ``typ`` (possibly combined, e.g. ``1, 2/3``) names municipal work."""
    return any(part.strip() in MUNICIPAL_TYPES for part in value.split(","))


class Service(models.Model):
    """An OZG-Leistung of the federal OZG catalogue. Never deleted: a service that leaves the
    catalogue is retired, so the assessments of every body stay."""

    ozg_id = models.PositiveIntegerField(_("OZG-ID"), unique=True)
    name = models.CharField(_("name"), max_length=300)
    lebenslage = models.CharField(_("Lebenslage"), max_length=200)
    themenfeld = models.CharField(_("Themenfeld"), max_length=200)
    is_municipal = models.BooleanField(
        _("carried out by municipalities"),
        default=False,
        help_text=_("At least one of its LeiKa services is carried out by a Kommune."),
    )
    is_retired = models.BooleanField(_("retired"), default=False)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    class Meta:
        verbose_name = _("OZG service")
        verbose_name_plural = _("OZG services")
        ordering = ["themenfeld", "name", "ozg_id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ozg_id})"


class LeikaService(models.Model):
    """A service of the Leistungskatalog (LeiKa) that belongs to an OZG-Leistung."""

    key = models.CharField(_("LeiKa key"), max_length=14, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=300)
    service = models.ForeignKey(
        Service,
        verbose_name=_("OZG service"),
        on_delete=models.PROTECT,
        related_name="leika_services",
        null=True,
        blank=True,
    )
    type = models.CharField(
        _("type"),
        max_length=20,
        blank=True,
        help_text=_("Who regulates and carries out the service (LeiKa type 1–5)."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    is_retired = models.BooleanField(_("retired"), default=False)

    class Meta:
        verbose_name = _("LeiKa service")
        verbose_name_plural = _("LeiKa services")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Relevance(models.TextChoices):
    CATALOGUE = "", _("as the catalogue says")
    ADDED = "hinzugefuegt", _("added by the body")
    EXCLUDED = "ausgeschlossen", _("excluded by the body")


class Solution(models.TextChoices):
    NONE = "", _("not yet chosen")
    EFA = "efa", _("EfA service (Einer für alle)")
    LAND = "landesportal", _("the Land's portal")
    OWN = "eigen", _("own solution")
    OTHER = "andere", _("other")


class Assessment(BodyScopedModel):
    """How far one body has brought one OZG service online."""

    service = models.ForeignKey(
        Service,
        verbose_name=_("OZG service"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    relevance = models.CharField(
        _("relevance"), max_length=20, choices=Relevance.choices, blank=True, default=""
    )
    maturity = models.PositiveSmallIntegerField(_("maturity"), null=True, blank=True)
    maturity_model = models.CharField(
        _("maturity model"),
        max_length=60,
        blank=True,
        help_text=_("Key and version of the maturity model, e.g. “ozg-bund:1”."),
    )
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    solution = models.CharField(
        _("solution"), max_length=20, choices=Solution.choices, blank=True, default=""
    )
    digital_end_to_end = models.BooleanField(
        _("processed digitally end to end"),
        default=False,
        help_text=_("Applications are processed digitally, not printed."),
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    measures = models.ManyToManyField(
        Measure, verbose_name=_("measures"), blank=True, related_name="ozg_assessments"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("OZG assessment")
        verbose_name_plural = _("OZG assessments")
        constraints = [
            models.UniqueConstraint(fields=["body", "service"], name="unique_ozg_assessment")
        ]

    def __str__(self) -> str:
        return f"{self.body_id}:{self.service_id}"
