"""Reads of assessment data that need care: the ranking (query count independent of its
length), the body's weights and goals, and what a measure page shows of its assessment."""

from decimal import Decimal

from django.db.models import F, Q, QuerySet

from lotse.assessment.models import (
    CheckAnswer,
    CheckQuestion,
    CostBenefit,
    DigitalCheck,
    PriorityDecision,
    PriorityWeights,
)
from lotse.core.models import Body
from lotse.strategy.models import ActionField, Goal, Measure, MeasureStatus, OrgUnit
from lotse.strategy.selectors import current_strategy

DECIDED_STATES = [MeasureStatus.PRIORITISED, MeasureStatus.DEFERRED, MeasureStatus.REJECTED]


def weights_for(body: Body) -> PriorityWeights:
    """The body's weights, or the defaults (unsaved) while it has none."""
    return PriorityWeights.objects.filter(body=body).first() or PriorityWeights(body=body)


def current_goals(body: Body) -> list[Goal]:
    """The Oberziele of the body's current strategy: the goal criterion of the score."""
    strategy = current_strategy(body)
    return list(Goal.objects.filter(strategy=strategy)) if strategy else []


def questions_for(body: Body) -> list[CheckQuestion]:
    return list(CheckQuestion.objects.for_body(body).filter(is_active=True))


def answers_of(check: DigitalCheck | None) -> dict[int, CheckAnswer]:
    if check is None or check.pk is None:
        return {}
    return {answer.question_id: answer for answer in check.answers.all()}


def goal_scores_of(analysis: CostBenefit | None) -> dict[int, int]:
    if analysis is None or analysis.pk is None:
        return {}
    return {c.goal_id: c.score for c in analysis.goal_contributions.all()}


def ranking_fields(body: Body) -> QuerySet[ActionField]:
    """The Handlungsfelder (top level) of the current strategy, for the ranking filter."""
    strategy = current_strategy(body)
    if strategy is None:
        return ActionField.objects.none()
    return ActionField.objects.filter(strategy=strategy, parent__isnull=True)


def ranking_units(body: Body) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.for_body(body)


def ranking(
    body: Body,
    *,
    action_field: ActionField | None = None,
    unit: OrgUnit | None = None,
    min_score: Decimal | None = None,
) -> QuerySet[Measure]:
    """The Lenkungsgremium's list: the candidates (status "in Prüfung") and the measures it
    has decided on and that still stand where the decision put them, best score first
    (measures not yet assessed last). One query, however long the list.

    Staff only: it includes internal measures (callers check ``assessment.view_ranking``).
    """
    measures = (
        Measure.objects.for_body(body)
        .filter(
            Q(status=MeasureStatus.IN_REVIEW)
            | Q(status__in=DECIDED_STATES, priority_decision__isnull=False)
        )
        .select_related(
            "primary_field",
            "primary_field__parent",
            "unit",
            "cost_benefit",
            "digital_check",
            "priority_decision",
        )
        .order_by(F("cost_benefit__score").desc(nulls_last=True), "title", "pk")
    )
    if action_field is not None:
        measures = measures.filter(
            Q(primary_field=action_field) | Q(primary_field__parent=action_field)
        )
    if unit is not None:
        measures = measures.filter(unit=unit)
    if min_score is not None:
        measures = measures.filter(cost_benefit__score__gte=min_score)
    return measures


def candidates(body: Body) -> QuerySet[Measure]:
    """Measures the Lenkungsgremium can decide on now."""
    return Measure.objects.for_body(body).filter(status=MeasureStatus.IN_REVIEW).order_by("title")


def _related(measure: Measure, name: str):
    try:
        return getattr(measure, name)
    except (DigitalCheck.DoesNotExist, CostBenefit.DoesNotExist, PriorityDecision.DoesNotExist):
        return None


def assessment_for(measure: Measure) -> dict:
    """What a measure page shows of its assessment: ``{"check", "cost_benefit",
    "decision"}``, each a row or None. Uses rows already loaded with ``select_related``.

    The rows carry internal notes; the template shows them only to those who may see
    internal content (``strategy.view_internal``).
    """
    return {
        "check": _related(measure, "digital_check"),
        "cost_benefit": _related(measure, "cost_benefit"),
        "decision": _related(measure, "priority_decision"),
    }
