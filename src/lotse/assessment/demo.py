"""Demo assessments for Musterstadt: checks and cost-benefit analyses of the measures under
review, and one decision of the Lenkungsgremium. Running it again changes nothing."""

from decimal import Decimal

from lotse.accounts.models import User
from lotse.assessment import services
from lotse.assessment.models import (
    CheckAnswer,
    CostBenefit,
    DigitalCheck,
    PriorityDecision,
)
from lotse.assessment.selectors import current_goals, ranking
from lotse.core.models import Body
from lotse.strategy.models import Measure, MeasureStatus

BODY = "musterstadt"
# The programme owner of Musterstadt (accounts.demo) records the decision.
DECIDER = "cdo@musterstadt.example"

# Varied, plausible figures; measure i gets PROFILES[i % len(PROFILES)].
PROFILES = [
    {
        "result": DigitalCheck.Result.DIGITAL,
        "legal_reason": "",
        "one_off_cost": Decimal("45000"),
        "annual_cost": Decimal("6000"),
        "staff_days": Decimal("40"),
        "citizen_benefit": 5,
        "time_saving": 4,
        "hours_saved_per_year": Decimal("1200"),
        "cost_saving": 3,
        "annual_savings": Decimal("28000"),
        "climate": 2,
    },
    {
        "result": DigitalCheck.Result.PARTIAL,
        "legal_reason": (
            "Die Übergabe der Dokumente verlangt nach § 9 PAuswG die persönliche Abholung; "
            "Antrag und Terminvergabe laufen digital."
        ),
        "one_off_cost": Decimal("120000"),
        "annual_cost": Decimal("15000"),
        "staff_days": Decimal("60"),
        "citizen_benefit": 4,
        "time_saving": 3,
        "hours_saved_per_year": Decimal("800"),
        "cost_saving": 2,
        "annual_savings": Decimal("12000"),
        "climate": 1,
    },
    {
        "result": DigitalCheck.Result.DIGITAL,
        "legal_reason": "",
        "one_off_cost": Decimal("350000"),
        "annual_cost": Decimal("40000"),
        "staff_days": Decimal("150"),
        "citizen_benefit": 3,
        "time_saving": 5,
        "hours_saved_per_year": Decimal("4000"),
        "cost_saving": 4,
        "annual_savings": Decimal("90000"),
        "climate": 3,
    },
    {
        "result": DigitalCheck.Result.NOT_DIGITAL,
        "legal_reason": (
            "Die Baumaßnahme selbst ist nicht digitalisierbar; die Vergabe erfolgt "
            "elektronisch nach § 9 VgV."
        ),
        "one_off_cost": Decimal("800000"),
        "annual_cost": Decimal("20000"),
        "staff_days": Decimal("30"),
        "citizen_benefit": 4,
        "time_saving": 1,
        "hours_saved_per_year": Decimal("0"),
        "cost_saving": 0,
        "annual_savings": Decimal("0"),
        "climate": 2,
    },
]
ANSWER_CYCLE = [
    CheckAnswer.Answer.YES,
    CheckAnswer.Answer.NO,
    CheckAnswer.Answer.NOT_APPLICABLE,
]


def load(out) -> None:
    body = Body.objects.filter(slug=BODY).first()
    if body is None or not Measure.objects.for_body(body).exists():
        return
    questions = services.ensure_default_questions(body)
    services.ensure_weights(body)
    decider = User.objects.filter(email=DECIDER).first()
    if decider is None:
        return
    candidates = list(
        Measure.objects.for_body(body)
        .filter(status=MeasureStatus.IN_REVIEW)
        .order_by("title", "pk")
    )
    goals = current_goals(body)
    created = 0
    for index, measure in enumerate(candidates):
        profile = PROFILES[index % len(PROFILES)]
        if not DigitalCheck.objects.filter(measure=measure).exists():
            check = DigitalCheck(
                body=body,
                measure=measure,
                result=profile["result"],
                legal_reason=profile["legal_reason"],
            )
            answers = {
                question.pk: (ANSWER_CYCLE[(index + number) % len(ANSWER_CYCLE)], "")
                for number, question in enumerate(questions)
            }
            services.save_digital_check(decider, check, answers)
            created += 1
        if not CostBenefit.objects.filter(measure=measure).exists():
            figures = {
                key: value
                for key, value in profile.items()
                if key not in {"result", "legal_reason"}
            }
            analysis = CostBenefit(body=body, measure=measure, **figures)
            goal_scores = {goal.pk: (index + number) % 6 for number, goal in enumerate(goals)}
            services.save_cost_benefit(decider, analysis, goal_scores)
            created += 1
    if created:
        out.write(f"  Bewertungen angelegt: {created}")
    if not PriorityDecision.objects.for_body(body).exists():
        best = ranking(body).filter(status=MeasureStatus.IN_REVIEW).first()
        if best is not None:
            services.record_decision(
                decider,
                best,
                outcome=PriorityDecision.Outcome.PRIORITISED,
                rank=1,
                reason="Höchster Nutzen bei überschaubarem Aufwand.",
            )
            out.write(f"  Priorisierung beschlossen: {best.title}")
