"""Bodies (the tenants of a Lotse installation) and the base every body-owned model uses."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core.branding import accessible_accent
from lotse.core.validators import (
    HEX_COLOUR,
    ags_from_rgs,
    validate_ags,
    validate_hex_colour,
    validate_rgs,
)

DEFAULT_ACCENT = "#005a9c"

# Top-level path segments that belong to the platform, so no body may take them as its slug.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "barrierefreiheit",
        "datenschutz",
        "health",
        "i18n",
        "impressum",
        "konto",
        "leichte-sprache",
        "media",
        "oparl",
        "opendata",
        "static",
        "robots.txt",
        "favicon.ico",
        "suche",
        "feeds",
    }
)


def validate_body_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved for the platform; choose another short address."),
            code="reserved_slug",
            params={"slug": value},
        )


class Body(models.Model):
    """A Körperschaft: a town, municipality or district running its Digitale Agenda on Lotse.

    Every domain object belongs to exactly one body and lives under ``/<slug>/``.
    """

    class Kind(models.TextChoices):
        STADT = "stadt", _("Stadt")
        GEMEINDE = "gemeinde", _("Gemeinde")
        KREIS = "kreis", _("Kreis")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60)
    slug = models.SlugField(
        _("short address"),
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                _("Use lower-case letters, digits and single hyphens only, e.g. musterstadt."),
            ),
            validate_body_slug,
        ],
        help_text=_("Used in every address of the body, e.g. /musterstadt/."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    ags = models.CharField(
        _("AGS"),
        max_length=8,
        unique=True,
        validators=[validate_ags],
        help_text=_("Amtlicher Gemeindeschlüssel, 8 digits."),
    )
    rgs = models.CharField(
        _("RGS"),
        max_length=12,
        unique=True,
        validators=[validate_rgs],
        help_text=_("Regionalschlüssel, 12 digits."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"kind": Kind.KREIS},
        help_text=_("The Kreis a town or municipality belongs to."),
    )
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=DEFAULT_ACCENT,
        validators=[validate_hex_colour],
        help_text=_("Darkened automatically where needed so that text keeps a 4.5:1 contrast."),
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    # The umbrella brand a Kreis gives its towns (e.g. a pact's name): shown on the towns'
    # pages beside their own name, linking to the district's pages.
    brand_name = models.CharField(
        _("umbrella brand"),
        max_length=80,
        blank=True,
        help_text=_("A Kreis only: the common brand its towns' pages show beside their own."),
    )
    brand_logo = models.ImageField(_("logo of the umbrella brand"), upload_to="logos/", blank=True)
    brand_colour = models.CharField(
        _("colour of the umbrella brand"),
        max_length=7,
        blank=True,
        validators=[validate_hex_colour],
        help_text=_("Darkened automatically where needed so that text keeps a 4.5:1 contrast."),
    )
    voters_need_mfa = models.BooleanField(
        _("voting members need two-factor authentication"),
        default=True,
        help_text=_(
            "Members with a vote in one of the body's committees must set up a second factor "
            "before they can sign in to vote. Chairs and the council office always need one."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:body", kwargs={"body_slug": self.slug})

    @property
    def accent(self) -> str:
        """The accent colour as the pages use it: readable on white."""
        if not HEX_COLOUR.fullmatch(self.accent_colour or ""):
            return DEFAULT_ACCENT
        return accessible_accent(self.accent_colour)

    @property
    def brand_accent(self) -> str:
        """The umbrella brand's colour as the pages use it (the accent when none is set)."""
        if not HEX_COLOUR.fullmatch(self.brand_colour or ""):
            return self.accent
        return accessible_accent(self.brand_colour)

    @property
    def umbrella(self) -> "Body | None":
        """The Kreis whose umbrella brand this body's pages show, if it has one."""
        parent = self.parent if self.parent_id else None
        return parent if parent is not None and parent.brand_name else None

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.brand_name and self.kind != self.Kind.KREIS:
            errors.setdefault("brand_name", []).append(
                ValidationError(_("Only a Kreis sets an umbrella brand."), code="brand_kind")
            )
        if self.ags and self.rgs and len(self.rgs) == 12 and ags_from_rgs(self.rgs) != self.ags:
            errors.setdefault("rgs", []).append(
                ValidationError(
                    _(
                        "The RGS does not match the AGS: its digits 1–5 and 10–12 must be the "
                        "AGS (%(ags)s)."
                    ),
                    params={"ags": self.ags},
                    code="rgs_mismatch",
                )
            )
        if self.parent_id is not None:
            parent = self.parent
            if self.kind == self.Kind.KREIS:
                errors.setdefault("parent", []).append(
                    ValidationError(_("A Kreis cannot belong to another body."), code="kreis")
                )
            elif parent.kind != self.Kind.KREIS:
                errors.setdefault("parent", []).append(
                    ValidationError(_("Only a Kreis can contain other bodies."), code="parent")
                )
            elif self.ags and parent.ags and self.ags[:5] != parent.ags[:5]:
                errors.setdefault("ags", []).append(
                    ValidationError(
                        _("A town in %(parent)s has an AGS starting with %(prefix)s."),
                        params={"parent": parent.name, "prefix": parent.ags[:5]},
                        code="ags_parent",
                    )
                )
        if errors:
            raise ValidationError(errors)


def private_storage() -> FileSystemStorage:
    """Files that are served only through a view that checks permissions (never /media/)."""
    return FileSystemStorage(location=settings.DATA_DIR / "private", base_url=None)


def random_filename(folder: str, filename: str) -> str:
    """A stored name that keeps the extension but cannot be guessed."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


class BodyScopedQuerySet(models.QuerySet):
    def for_body(self, body: Body) -> "BodyScopedQuerySet":
        return self.filter(body=body)


class BodyScopedModel(models.Model):
    """Base of every model that belongs to a body.

    Views reach these rows only through :class:`lotse.core.views.BodyMixin`, which filters by
    the body in the URL, so one body's data never shows up under another body's address.
    """

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT)

    objects = BodyScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class AccessibilityReport(models.Model):
    """A barrier somebody met on the site, reported through the accessibility statement's
    feedback form (BITV 2.0 § 7 requires the mechanism)."""

    page_url = models.CharField(_("page"), max_length=500, blank=True)
    description = models.TextField(_("description of the barrier"), max_length=5000)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail for a reply"), blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("accessibility report")
        verbose_name_plural = _("accessibility reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.page_url or '-'}"


from lotse.core.impacts import ImpactAssessment  # noqa: E402, F401  (registered with core)
