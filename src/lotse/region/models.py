"""How the towns of a Kreis work as one: their contributions to the regional Handlungsfelder,
the district's library of measures with its adoptions, and joint measures.

Nothing here is written by two towns at once: a town's links, entries, adoptions and shares
are rows of that town (``body``); an adopted measure is a copy that belongs to the adopter.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core.models import Body, BodyScopedModel
from lotse.strategy.models import ActionField, Measure, MeasureAttachment


class RegionalLink(BodyScopedModel):
    """A town's action field or measure contributing to a regional Handlungsfeld of its Kreis.
    ``body`` is the town; only its staff keep its links."""

    regional_field = models.ForeignKey(
        ActionField,
        verbose_name=_("regional action field"),
        on_delete=models.CASCADE,
        related_name="regional_links",
    )
    action_field = models.ForeignKey(
        ActionField,
        verbose_name=_("own action field"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="links_to_region",
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="links_to_region",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contribution to a regional action field")
        verbose_name_plural = _("contributions to regional action fields")
        ordering = ["body", "regional_field", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(action_field__isnull=True) ^ models.Q(measure__isnull=True)),
                name="regional_link_field_xor_measure",
            ),
            models.UniqueConstraint(
                fields=["regional_field", "action_field"], name="unique_regional_field_link"
            ),
            models.UniqueConstraint(
                fields=["regional_field", "measure"], name="unique_regional_measure_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_field or self.measure} → {self.regional_field}"

    def clean(self) -> None:
        errors = {}
        body = self.body
        if body.parent_id is None:
            errors["regional_field"] = _("Only a town of a Kreis contributes to regional fields.")
        elif self.regional_field.strategy.body_id != body.parent_id:
            errors["regional_field"] = _("The regional field belongs to another Kreis.")
        if self.action_field_id and self.action_field.strategy.body_id != body.pk:
            errors["action_field"] = _("The action field belongs to another body.")
        if self.measure_id and self.measure.body_id != body.pk:
            errors["measure"] = _("The measure belongs to another body.")
        if errors:
            raise ValidationError(errors)


class Effort(models.TextChoices):
    LOW = "gering", _("low")
    MEDIUM = "mittel", _("medium")
    HIGH = "hoch", _("high")


class Audience(models.TextChoices):
    PUBLIC = "oeffentlich", _("everyone")
    DISTRICT = "kreis", _("the Kreis and its towns' administrations only")


class LibraryEntry(BodyScopedModel):
    """A measure a town (``body``) publishes to its district's library, with the parts it
    chooses to share, so other towns can learn from it and adopt it."""

    district = models.ForeignKey(
        Body,
        verbose_name=_("Kreis"),
        on_delete=models.PROTECT,
        related_name="library_entries",
    )
    measure = models.OneToOneField(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="library_entry"
    )
    regional_field = models.ForeignKey(
        ActionField,
        verbose_name=_("regional action field"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_entries",
    )
    audience = models.CharField(
        _("visible to"), max_length=12, choices=Audience.choices, default=Audience.PUBLIC
    )
    lessons = models.TextField(
        _("what others should know"),
        blank=True,
        help_text=_("What worked, what you would do differently, what it took."),
    )
    effort = models.CharField(_("effort"), max_length=10, choices=Effort.choices)
    share_description = models.BooleanField(_("description"), default=True)
    share_impacts = models.BooleanField(_("impacts"), default=True)
    share_digital_check = models.BooleanField(_("E-Government-Check"), default=True)
    share_cost_benefit = models.BooleanField(_("cost-benefit analysis"), default=True)
    share_milestones = models.BooleanField(_("milestones as a template"), default=True)
    attachments = models.ManyToManyField(
        MeasureAttachment, verbose_name=_("attachments"), blank=True, related_name="+"
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("library entry")
        verbose_name_plural = _("library entries")
        ordering = ["-published_at", "pk"]

    def __str__(self) -> str:
        return str(self.measure)

    def get_absolute_url(self) -> str:
        return reverse("region:entry", kwargs={"body_slug": self.district.slug, "pk": self.pk})

    @property
    def is_public(self) -> bool:
        return (
            self.audience == Audience.PUBLIC
            and self.withdrawn_at is None
            and self.measure.is_public
        )


class Adoption(BodyScopedModel):
    """A town (``body``) took a library entry over: ``measure`` is its own copy."""

    entry = models.ForeignKey(LibraryEntry, on_delete=models.PROTECT, related_name="adoptions")
    measure = models.OneToOneField(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="adopted_from"
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(_("adopted"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["adopted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.body} ← {self.entry}"


class JointMeasure(BodyScopedModel):
    """A measure several towns of a Kreis carry out together. ``body`` is the lead town
    (Federführung), which owns the title and description; each town reports its own progress
    on its own measure and keeps its own budget share (``JointShare``)."""

    district = models.ForeignKey(
        Body, verbose_name=_("Kreis"), on_delete=models.PROTECT, related_name="joint_measures"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    regional_field = models.ForeignKey(
        ActionField,
        verbose_name=_("regional action field"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="joint_measures",
    )
    # The CDO network's paper in which the project was prepared.
    paper = models.ForeignKey(
        "council.Paper",
        verbose_name=_("prepared in paper"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="joint_measures",
    )
    is_public = models.BooleanField(_("public"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("joint measure")
        verbose_name_plural = _("joint measures")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("region:joint", kwargs={"body_slug": self.district.slug, "pk": self.pk})


class JointShare(BodyScopedModel):
    """One town's (``body``) part in a joint measure: its own measure (progress, status,
    updates) and its budget share. Only that town's staff change it."""

    joint = models.ForeignKey(JointMeasure, on_delete=models.CASCADE, related_name="shares")
    measure = models.OneToOneField(
        Measure,
        verbose_name=_("own measure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="joint_share",
    )
    budget_share = models.DecimalField(
        _("budget share (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("share in a joint measure")
        verbose_name_plural = _("shares in joint measures")
        ordering = ["joint", "body__name"]
        constraints = [models.UniqueConstraint(fields=["joint", "body"], name="unique_joint_share")]

    def __str__(self) -> str:
        return f"{self.joint} – {self.body}"

    def clean(self) -> None:
        if self.measure_id and self.measure.body_id != self.body_id:
            raise ValidationError({"measure": _("The measure belongs to another body.")})
        if self.body.parent_id != self.joint.district_id:
            raise ValidationError(_("Only towns of the Kreis take part in its joint measures."))
