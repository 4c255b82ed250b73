"""E-Government-Check, cost-benefit analysis and the Lenkungsgremium's ranking."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core.models import BodyScopedModel
from lotse.strategy.models import Goal, Measure

MAX_BENEFIT = 5


def money(verbose_name, **kwargs):
    """Euros as Decimal, never negative: costs and savings are entered as amounts."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        **kwargs,
    )


def benefit(verbose_name, help_text=""):
    """A benefit scored 0 (none) to 5 (very high)."""
    return models.PositiveSmallIntegerField(
        verbose_name,
        default=0,
        validators=[MaxValueValidator(MAX_BENEFIT)],
        help_text=help_text,
    )


class CheckQuestion(BodyScopedModel):
    """A question of the body's E-Government-Check. Each body keeps its own list; the defaults
    (``services.DEFAULT_QUESTIONS``) are created on first use and may then be reworded,
    reordered or switched off without touching answers already given."""

    key = models.SlugField(_("key"), max_length=40)
    title = models.CharField(_("short title"), max_length=80)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("check question")
        verbose_name_plural = _("check questions")
        ordering = ["body", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["body", "key"], name="unique_check_question_key")
        ]

    def __str__(self) -> str:
        return self.title


class DigitalCheck(BodyScopedModel):
    """The E-Government-Check of one measure: "digital by default". Anything short of fully
    digital must name its legal reason (e.g. a Schriftformerfordernis), so a deviation is a
    documented exception and never a convenience."""

    class Result(models.TextChoices):
        DIGITAL = "digital", _("digital")
        PARTIAL = "teilweise", _("partly digital")
        NOT_DIGITAL = "nicht_digital", _("not digital")

    # Empty for the check of a council paper, which points here (``Paper.digital_check``).
    measure = models.OneToOneField(
        Measure,
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="digital_check",
    )
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    legal_reason = models.TextField(
        _("legal reason"),
        blank=True,
        help_text=_(
            "Required unless the result is “digital”: the provision that prevents a fully "
            "digital process, e.g. a written-form requirement under § 3a VwVfG."
        ),
    )
    internal_note = models.TextField(
        _("internal note"), blank=True, help_text=_("Visible to the administration only.")
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("E-Government-Check")
        verbose_name_plural = _("E-Government-Checks")

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.get_result_display()}"

    def clean(self) -> None:
        if self.result != self.Result.DIGITAL and not (self.legal_reason or "").strip():
            raise ValidationError(
                {
                    "legal_reason": _(
                        "A result other than “digital” needs the legal reason that prevents a "
                        "fully digital process."
                    )
                },
                code="legal_reason_required",
            )


class CheckAnswer(models.Model):
    """One answer of a check: yes, no or not applicable, with a note (e.g. the legal basis)."""

    class Answer(models.TextChoices):
        YES = "ja", _("yes")
        NO = "nein", _("no")
        NOT_APPLICABLE = "entfaellt", _("not applicable")

    digital_check = models.ForeignKey(
        DigitalCheck, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(CheckQuestion, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("check answer")
        verbose_name_plural = _("check answers")
        ordering = ["digital_check", "question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["digital_check", "question"], name="unique_check_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.answer}"


class PriorityWeights(BodyScopedModel):
    """How much each benefit criterion counts in a body's priority score, and the figures
    that turn effort into euros. One row per body; the defaults are a starting point for the
    Lenkungsgremium, not a recommendation. See ``assessment.scoring`` for the formula."""

    citizen_benefit = models.PositiveSmallIntegerField(
        _("weight: benefit for citizens and businesses"),
        default=3,
        validators=[MaxValueValidator(10)],
    )
    time_saving = models.PositiveSmallIntegerField(
        _("weight: time saved in the administration"),
        default=2,
        validators=[MaxValueValidator(10)],
    )
    cost_saving = models.PositiveSmallIntegerField(
        _("weight: cost savings"), default=2, validators=[MaxValueValidator(10)]
    )
    climate = models.PositiveSmallIntegerField(
        _("weight: climate benefit"), default=1, validators=[MaxValueValidator(10)]
    )
    goals = models.PositiveSmallIntegerField(
        _("weight: contribution to the goals"),
        default=2,
        validators=[MaxValueValidator(10)],
        help_text=_("Applies to the mean contribution over all Oberziele of the strategy."),
    )
    reference_effort = models.DecimalField(
        _("reference effort (€)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("100000"),
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_(
            "A typical project volume. A measure with this effort keeps two thirds of its "
            "benefit score; effort can at most halve it."
        ),
    )
    staff_day_rate = models.DecimalField(
        _("cost of a staff day (€)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("600"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    horizon_years = models.PositiveSmallIntegerField(
        _("horizon for annual costs (years)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("priority weights")
        verbose_name_plural = _("priority weights")
        constraints = [models.UniqueConstraint(fields=["body"], name="unique_priority_weights")]

    def __str__(self) -> str:
        return str(self.body)

    def clean(self) -> None:
        if not any(
            [self.citizen_benefit, self.time_saving, self.cost_saving, self.climate, self.goals]
        ):
            raise ValidationError(
                _("At least one criterion needs a weight above zero."), code="all_zero"
            )


class CostBenefit(BodyScopedModel):
    """The Aufwand-Nutzen-Analyse of a measure. ``score`` and ``payback_years`` are derived
    (``assessment.scoring``) and stored, so the ranking can sort and filter in the database;
    they are recomputed whenever the analysis or the body's weights change."""

    # Empty for the check of a council paper, which points here (``Paper.digital_check``).
    measure = models.OneToOneField(
        Measure,
        verbose_name=_("measure"),
        on_delete=models.CASCADE,
        related_name="cost_benefit",
    )
    one_off_cost = money(_("one-off costs (€)"))
    annual_cost = money(_("annual costs (€)"))
    staff_days = models.DecimalField(
        _("staff days"),
        max_digits=8,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Internal effort for the introduction, in person-days."),
    )
    citizen_benefit = benefit(_("benefit for citizens and businesses"))
    time_saving = benefit(_("time saved in the administration"))
    hours_saved_per_year = models.DecimalField(
        _("hours saved per year"),
        max_digits=10,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    cost_saving = benefit(_("cost savings"))
    annual_savings = money(_("savings per year (€)"))
    climate = benefit(_("climate benefit"))
    internal_note = models.TextField(
        _("internal note"), blank=True, help_text=_("Visible to the administration only.")
    )
    score = models.DecimalField(
        _("priority score"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    payback_years = models.DecimalField(
        _("payback period (years)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cost-benefit analysis")
        verbose_name_plural = _("cost-benefit analyses")
        indexes = [models.Index(fields=["body", "score"])]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.score}"


class GoalContribution(models.Model):
    """How much a measure serves one Oberziel, scored 0–5 in its cost-benefit analysis."""

    cost_benefit = models.ForeignKey(
        CostBenefit, on_delete=models.CASCADE, related_name="goal_contributions"
    )
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="+")
    score = benefit(_("contribution"))

    class Meta:
        verbose_name = _("goal contribution")
        verbose_name_plural = _("goal contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["cost_benefit", "goal"], name="unique_goal_contribution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.score}"


class PriorityDecision(BodyScopedModel):
    """What the Lenkungsgremium decided about a candidate: prioritised with a rank, deferred
    or rejected. One current decision per measure; earlier ones stay in the history."""

    class Outcome(models.TextChoices):
        PRIORITISED = "priorisiert", _("prioritised")
        DEFERRED = "zurueckgestellt", _("deferred")
        REJECTED = "abgelehnt", _("rejected")

    # Empty for the check of a council paper, which points here (``Paper.digital_check``).
    measure = models.OneToOneField(
        Measure,
        verbose_name=_("measure"),
        on_delete=models.CASCADE,
        related_name="priority_decision",
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    rank = models.PositiveSmallIntegerField(
        _("rank"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Position in the order of implementation; only for prioritised measures."),
    )
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Required when a measure is deferred or rejected.")
    )
    decided_on = models.DateField(_("date of the decision"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prioritisation decision")
        verbose_name_plural = _("prioritisation decisions")

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.get_outcome_display()}"

    def clean(self) -> None:
        errors = {}
        if self.outcome == self.Outcome.PRIORITISED:
            if not self.rank:
                errors["rank"] = _("A prioritised measure needs a rank.")
        else:
            if self.rank:
                errors["rank"] = _("Only prioritised measures have a rank.")
            if not (self.reason or "").strip():
                errors["reason"] = _("Please give a reason for deferring or rejecting a measure.")
        if errors:
            raise ValidationError(errors)
