"""The Digitale Agenda itself: strategy versions, Oberziele, Handlungsfelder, administrative
units, Maßnahmen with their milestones and Sachstandsmeldungen."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core.impacts import ImpactAssessment
from lotse.core.jobs import Job
from lotse.core.models import BodyScopedModel, private_storage, random_filename


class Strategy(BodyScopedModel):
    """A version of a body's Digitalisierungsstrategie. A new version starts as a copy of
    the previous one; adopted versions stay readable."""

    class Status(models.TextChoices):
        DRAFT = "entwurf", _("draft")
        ADOPTED = "beschlossen", _("adopted")

    title = models.CharField(_("title"), max_length=200)
    vision = models.TextField(_("vision (Zielbild)"), blank=True)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["body", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["body", "version"], name="unique_strategy_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(
                {"period_end": _("The period cannot end before it starts.")}, code="period"
            )


class Goal(models.Model):
    """An Oberziel of a strategy version."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # The goal of the previous version this one continues; measures follow it on adoption.
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    # When it last changed (the open-data downloads that show its title revalidate on it).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["strategy", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionField(models.Model):
    """A Handlungsfeld, or a Thema inside one (two levels)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="action_fields")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("action field"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="topics",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # The field of the previous version this one continues; measures follow it on adoption.
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    # When it last changed (the open-data downloads that show its title revalidate on it).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action field")
        verbose_name_plural = _("action fields")
        ordering = ["strategy", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.parent.title} › {self.title}" if self.parent_id else self.title

    def clean(self) -> None:
        if self.parent_id and self.parent.parent_id:
            raise ValidationError(
                {"parent": _("Topics cannot have topics of their own.")}, code="depth"
            )
        if self.parent_id and self.parent.strategy_id != self.strategy_id:
            raise ValidationError({"parent": _("The parent belongs to another strategy.")})


class OrgUnit(BodyScopedModel):
    """An administrative unit (Fachbereich, Amt) responsible for measures."""

    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. “FB 10” or “Amt 21”"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["body", "code"]
        constraints = [models.UniqueConstraint(fields=["body", "code"], name="unique_orgunit_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Tag(BodyScopedModel):
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="unique_tag")]

    def __str__(self) -> str:
        return self.name


class MeasureStatus(models.TextChoices):
    PROPOSED = "vorschlag", _("proposed")
    IN_REVIEW = "in_pruefung", _("under review")
    PRIORITISED = "priorisiert", _("prioritised")
    DECIDED = "beschlossen", _("decided")
    IN_PROGRESS = "in_umsetzung", _("in progress")
    COMPLETED = "abgeschlossen", _("completed")
    DEFERRED = "zurueckgestellt", _("deferred")
    REJECTED = "abgelehnt", _("rejected")
    CANCELLED = "abgebrochen", _("cancelled")


S = MeasureStatus
# Allowed transitions; a move into a setback state (or backwards) needs a reason.
TRANSITIONS: dict[str, set[str]] = {
    S.PROPOSED: {S.IN_REVIEW, S.DEFERRED, S.REJECTED},
    S.IN_REVIEW: {S.PRIORITISED, S.DEFERRED, S.REJECTED, S.PROPOSED},
    S.PRIORITISED: {S.DECIDED, S.DEFERRED, S.REJECTED, S.IN_REVIEW},
    S.DECIDED: {S.IN_PROGRESS, S.DEFERRED, S.CANCELLED},
    S.IN_PROGRESS: {S.COMPLETED, S.DEFERRED, S.CANCELLED},
    S.DEFERRED: {S.IN_REVIEW, S.PROPOSED},
    S.REJECTED: {S.PROPOSED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}
ORDER = [S.PROPOSED, S.IN_REVIEW, S.PRIORITISED, S.DECIDED, S.IN_PROGRESS, S.COMPLETED]
SETBACKS = {S.DEFERRED, S.REJECTED, S.CANCELLED}


def is_setback(old: str, new: str) -> bool:
    if new in SETBACKS:
        return True
    if old in ORDER and new in ORDER:
        return ORDER.index(new) < ORDER.index(old)
    return False


class TrafficLight(models.TextChoices):
    GREEN = "gruen", _("green")
    YELLOW = "gelb", _("yellow")
    RED = "rot", _("red")


class Measure(BodyScopedModel):
    """A Maßnahme or Projekt: the unit of implementation, tracked until done."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    primary_field = models.ForeignKey(
        ActionField,
        verbose_name=_("action field"),
        on_delete=models.PROTECT,
        related_name="primary_measures",
    )
    secondary_fields = models.ManyToManyField(
        ActionField,
        verbose_name=_("further action fields"),
        blank=True,
        related_name="secondary_measures",
    )
    goals = models.ManyToManyField(
        Goal, verbose_name=_("goals"), through="MeasureGoal", blank=True, related_name="measures"
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_measures",
    )
    partners = models.TextField(_("partners"), blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="measures")
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Internal measures are visible to staff only.")
    )
    origin = models.CharField(_("origin"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    weight = models.PositiveSmallIntegerField(
        _("weight in the programme"), default=1, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PROPOSED
    )
    impacts = models.OneToOneField(
        ImpactAssessment,
        verbose_name=_("impacts"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measure",
    )
    # Budget where the unit records it (euro): what is planned for the measure, what is spent.
    budget_planned = models.DecimalField(
        _("budget planned (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_spent = models.DecimalField(
        _("budget spent (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # The latest Sachstandsmeldung, kept on the row so lists can filter and sort by it.
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    traffic_light = models.CharField(
        _("traffic light"), max_length=5, choices=TrafficLight.choices, blank=True
    )
    last_update_on = models.DateField(_("last status update"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["progress", "traffic_light", "last_update_on", "updated_at"]
    )

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["title"]
        indexes = [
            models.Index(fields=["body", "status"]),
            models.Index(fields=["body", "traffic_light"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:measure", kwargs={"body_slug": self.body.slug, "pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end cannot be before the planned start.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end cannot be before the actual start.")
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = _("A measure cannot be its own programme.")
            elif self.parent.body_id != self.body_id:
                errors["parent"] = _("The programme belongs to another body.")
            elif self.parent.parent_id:
                errors["parent"] = _("A project cannot be the programme of another project.")
        if errors:
            raise ValidationError(errors)


class MeasureGoal(models.Model):
    """How much a measure contributes to an Oberziel (0 none … 3 strong)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="goal_links")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measure_links")
    weight = models.PositiveSmallIntegerField(
        _("contribution"), default=1, validators=[MaxValueValidator(3)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "goal"], name="unique_measure_goal")
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} → {self.goal_id}: {self.weight}"


class MeasureTransition(models.Model):
    """Who moved a measure from which state to which, when, and why."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=MeasureStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=MeasureStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["measure", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Milestone(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["measure", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


class StatusUpdate(models.Model):
    """A Sachstandsmeldung: the state of a measure on a date. The latest is current."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="updates")
    reported_on = models.DateField(_("date"), default=timezone.localdate)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    traffic_light = models.CharField(_("traffic light"), max_length=5, choices=TrafficLight.choices)
    text = models.TextField(_("status"), blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["measure", "-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.reported_on}: {self.progress} % ({self.traffic_light})"

    def clean(self) -> None:
        if (
            self.traffic_light in {TrafficLight.YELLOW, TrafficLight.RED}
            and not (self.explanation or "").strip()
        ):
            raise ValidationError(
                {"explanation": _("A yellow or red traffic light needs an explanation.")},
                code="explanation",
            )


def attachment_path(instance, filename: str) -> str:
    return random_filename("measures", filename)


class MeasureAttachment(models.Model):
    """A file about a measure. Stored outside /media/ and served only through a view that
    checks whether the person may see the measure."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["measure", "title"]

    def __str__(self) -> str:
        return self.title


class MeasureImport(BodyScopedModel, Job):
    """A confirmed measure import, applied by a background task: the checked table waits
    here (not in a request) and the import page polls the row for progress, the counts and,
    on failure, the problems by row (``errors``: ``{"row", "column", "message"}`` each)."""

    filename = models.CharField(_("file name"), max_length=200, blank=True)
    table = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    row_errors = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("measure import")
        verbose_name_plural = _("measure imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.state})"
