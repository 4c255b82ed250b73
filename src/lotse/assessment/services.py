"""Writes of assessment data: each checks permission, validates and changes in one
transaction. Derived figures (score, payback) are computed here, never in views."""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lotse.assessment import scoring
from lotse.assessment.models import (
    CheckAnswer,
    CheckQuestion,
    CostBenefit,
    DigitalCheck,
    GoalContribution,
    PriorityDecision,
    PriorityWeights,
)
from lotse.assessment.selectors import current_goals
from lotse.core.models import Body
from lotse.core.services import require
from lotse.strategy.models import Measure
from lotse.strategy.services import change_status

# The questions every body starts with: (key, short title, question, hint). They are the
# body's data from then on, written in the language of the administration.
DEFAULT_QUESTIONS: list[tuple[str, str, str, str]] = [
    (
        "ende-zu-ende",
        "Ende-zu-Ende digital",
        "Kann das Verfahren vollständig digital abgewickelt werden, vom Antrag bis zum Bescheid?",
        "Medienbrüche (Ausdruck, Unterschrift, Postversand) in der Notiz nennen.",
    ),
    (
        "schriftform",
        "Schriftformerfordernis",
        "Verlangt eine Rechtsvorschrift die Schriftform?",
        "Rechtsgrundlage in der Notiz angeben und prüfen, ob ein Ersatz nach § 3a VwVfG "
        "möglich ist.",
    ),
    (
        "identifizierung",
        "Identifizierung (eID / BundID)",
        "Ist eine Identifizierung nötig, und kann sie mit der Online-Ausweisfunktion (eID) oder "
        "dem Nutzerkonto BundID erfolgen?",
        "Erforderliches Vertrauensniveau in der Notiz nennen.",
    ),
    (
        "epayment",
        "Bezahlung (ePayment)",
        "Fallen Gebühren an, und können sie online per ePayment bezahlt werden?",
        "",
    ),
    (
        "personenbezogene-daten",
        "Personenbezogene Daten / DSFA",
        "Werden personenbezogene Daten verarbeitet, und ist eine "
        "Datenschutz-Folgenabschätzung (Art. 35 DSGVO) nötig?",
        "Ergebnis der Abstimmung mit der oder dem Datenschutzbeauftragten in der Notiz.",
    ),
    (
        "schutzbedarf",
        "Schutzbedarf Informationssicherheit",
        "Hat das Verfahren einen hohen oder sehr hohen Schutzbedarf (Vertraulichkeit, "
        "Integrität, Verfügbarkeit)?",
        "Schutzbedarfsfeststellung nach BSI IT-Grundschutz in der Notiz nennen.",
    ),
    (
        "barrierefreiheit",
        "Barrierefreiheit",
        "Ist die Lösung barrierefrei nach BITV 2.0 (WCAG 2.1 AA)?",
        "",
    ),
    (
        "ozg",
        "OZG-Bezug",
        "Betrifft die Maßnahme eine Leistung nach dem Onlinezugangsgesetz (OZG)?",
        "OZG-Leistung bzw. LeiKa-Schlüssel in der Notiz angeben.",
    ),
    (
        "once-only",
        "Once-Only",
        "Können Nachweise mit Einwilligung direkt aus Registern abgerufen werden, statt sie "
        "erneut zu verlangen?",
        "",
    ),
    (
        "efa",
        "Nachnutzung einer EfA-Lösung",
        "Gibt es eine „Einer für Alle“-Lösung (EfA), die nachgenutzt werden kann?",
        "Name und Anbieter der Lösung in der Notiz nennen.",
    ),
]


def ensure_default_questions(body: Body) -> list[CheckQuestion]:
    """Create the default check questions of a body the first time it needs them. A body
    that already has questions keeps exactly its own (it may have switched defaults off)."""
    if not CheckQuestion.objects.for_body(body).exists():
        CheckQuestion.objects.bulk_create(
            [
                CheckQuestion(
                    body=body, key=key, title=title, text=text, help_text=hint, order=index
                )
                for index, (key, title, text, hint) in enumerate(DEFAULT_QUESTIONS, start=1)
            ],
            ignore_conflicts=True,
        )
    return list(CheckQuestion.objects.for_body(body).filter(is_active=True))


def ensure_weights(body: Body) -> PriorityWeights:
    weights, _created = PriorityWeights.objects.get_or_create(body=body)
    return weights


@transaction.atomic
def save_digital_check(
    user, check: DigitalCheck, answers: Mapping[int, tuple[str, str]]
) -> DigitalCheck:
    """Store a measure's E-Government-Check with its answers (question id → (answer,
    note)). A result short of "digital" without a legal reason is refused and nothing of
    the submission is stored."""
    require(user, "assessment.assess", check.measure)
    check.body_id = check.measure.body_id
    return store_check(user, check, answers)


def store_check(user, check: DigitalCheck, answers: Mapping[int, tuple[str, str]]) -> DigitalCheck:
    """Validate and store a check and its answers; the caller has checked permission and set
    ``check.body_id``. Shared by the checks of measures and of council papers."""
    check.checked_by = user
    check.checked_at = timezone.now()
    check.full_clean()
    questions = {
        q.pk: q for q in CheckQuestion.objects.for_body(check.body).filter(pk__in=list(answers))
    }
    unknown = set(answers) - set(questions)
    if unknown:
        raise ValidationError(_("A question belongs to another body."))
    check.save()
    for question_id, (answer, note) in answers.items():
        row = CheckAnswer.objects.filter(digital_check=check, question_id=question_id).first()
        row = row or CheckAnswer(digital_check=check, question_id=question_id)
        if row.pk and row.answer == answer and row.note == note:
            continue
        row.answer, row.note = answer, note
        row.full_clean()
        row.save()
    return check


def _derive(analysis: CostBenefit, weights: PriorityWeights, goal_scores: Iterable[int]) -> None:
    """Set the stored score and payback period from the analysis and the body's weights."""
    effort = scoring.effort_in_euros(
        analysis.one_off_cost,
        analysis.annual_cost,
        analysis.staff_days,
        weights.staff_day_rate,
        weights.horizon_years,
    )
    score = scoring.priority_score(
        {name: getattr(analysis, name) for name in scoring.CRITERIA},
        goal_scores,
        {name: getattr(weights, name) for name in (*scoring.CRITERIA, "goals")},
        effort,
        weights.reference_effort,
    )
    analysis.score = score.quantize(Decimal("0.01"))
    one_off_effort = analysis.one_off_cost + analysis.staff_days * weights.staff_day_rate
    payback = scoring.payback_years(one_off_effort, analysis.annual_cost, analysis.annual_savings)
    analysis.payback_years = None if payback is None else payback.quantize(Decimal("0.1"))


@transaction.atomic
def save_cost_benefit(user, analysis: CostBenefit, goal_scores: Mapping[int, int]) -> CostBenefit:
    """Store a measure's Aufwand-Nutzen-Analyse with its contributions to the Oberziele of
    the current strategy (goal id → 0–5) and compute its score and payback period."""
    require(user, "assessment.assess", analysis.measure)
    analysis.body_id = analysis.measure.body_id
    weights = ensure_weights(analysis.body)
    goal_ids = {goal.pk for goal in current_goals(analysis.body)}
    if set(goal_scores) - goal_ids:
        raise ValidationError(_("A goal does not belong to the current strategy."))
    for value in goal_scores.values():
        if not 0 <= int(value) <= scoring.MAX_BENEFIT:
            raise ValidationError(_("A goal contribution is between 0 and 5."))
    scores = [int(goal_scores.get(goal_id, 0)) for goal_id in goal_ids]
    analysis.assessed_by = user
    analysis.assessed_at = timezone.now()
    analysis.full_clean()
    _derive(analysis, weights, scores)
    analysis.save()
    for goal_id in goal_ids:
        GoalContribution.objects.update_or_create(
            cost_benefit=analysis,
            goal_id=goal_id,
            defaults={"score": int(goal_scores.get(goal_id, 0))},
        )
    return analysis


def recompute_scores(body: Body) -> int:
    """Recompute every stored score of a body, e.g. after its weights changed. Returns how
    many analyses there are."""
    weights = ensure_weights(body)
    goal_ids = {goal.pk for goal in current_goals(body)}
    analyses = list(CostBenefit.objects.for_body(body).prefetch_related("goal_contributions"))
    for analysis in analyses:
        given = {c.goal_id: c.score for c in analysis.goal_contributions.all()}
        _derive(analysis, weights, [given.get(goal_id, 0) for goal_id in goal_ids])
    CostBenefit.objects.bulk_update(analyses, ["score", "payback_years"], batch_size=500)
    return len(analyses)


@transaction.atomic
def save_questions(user, body: Body, formset) -> None:
    """Reword, reorder, switch off or add check questions of a body. Questions are never
    deleted, because answers already given refer to them."""
    require(user, "assessment.manage_questions", body)
    taken = set(CheckQuestion.objects.for_body(body).values_list("key", flat=True))
    for question in formset.save(commit=False):
        question.body = body
        if not question.key:
            base = slugify(question.title)[:34] or "frage"
            key, n = base, 2
            while key in taken:
                key, n = f"{base}-{n}", n + 1
            question.key = key
            taken.add(key)
        question.full_clean()
        question.save()


def follow_adopted_strategy(sender, strategy, goal_map: dict[int, int], **kwargs) -> None:
    """When a new strategy version is adopted, the goal contributions of the body's analyses
    move to the goals' copies and every score is computed against the new goals."""
    for old_id, new_id in goal_map.items():
        GoalContribution.objects.filter(goal_id=old_id).update(goal_id=new_id)
    recompute_scores(strategy.body)


@transaction.atomic
def save_weights(user, weights: PriorityWeights) -> PriorityWeights:
    """Store a body's weights and recompute all its scores in the same transaction, so the
    ranking never mixes scores of old and new weights."""
    require(user, "assessment.manage_weights", weights.body)
    weights.full_clean()
    weights._change_reason = "weights changed"
    weights.save()
    recompute_scores(weights.body)
    return weights


@transaction.atomic
def record_decision(
    user,
    measure: Measure,
    *,
    outcome: str,
    rank: int | None = None,
    reason: str = "",
    decided_on: datetime.date | None = None,
) -> PriorityDecision:
    """Record the Lenkungsgremium's decision on a candidate and move the measure's status
    accordingly (through ``strategy.services.change_status``, which checks the transition).
    A deferral or rejection needs a reason; the earlier decision stays in the history."""
    require(user, "assessment.decide_priority", measure)
    decision = PriorityDecision.objects.filter(measure=measure).first() or PriorityDecision(
        body_id=measure.body_id, measure=measure
    )
    decision.outcome = outcome
    decision.rank = rank
    decision.reason = (reason or "").strip()
    decision.decided_on = decided_on or timezone.localdate()
    decision.recorded_by = user
    decision.full_clean()
    # The outcomes carry the same values as the measure states they lead to.
    if measure.status != outcome:
        change_status(user, measure, outcome, decision.reason)
        measure.status = outcome
    decision._change_reason = decision.reason
    decision.save()
    return decision
