"""The demo assessments of Musterstadt: plausible, and idempotent."""

import io

import pytest

from lotse.accounts.models import BodyRole
from lotse.assessment import demo
from lotse.assessment.models import (
    CheckAnswer,
    CheckQuestion,
    CostBenefit,
    DigitalCheck,
    PriorityDecision,
    PriorityWeights,
)
from lotse.strategy.models import MeasureTransition
from tests.factories import BodyFactory, UserFactory
from tests.strategy.factories import GoalFactory, MeasureFactory, StrategyFactory

pytestmark = pytest.mark.django_db

MODELS = [
    CheckQuestion,
    DigitalCheck,
    CheckAnswer,
    CostBenefit,
    PriorityWeights,
    PriorityDecision,
    MeasureTransition,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS} | {
        "history": DigitalCheck.history.count() + CostBenefit.history.count()
    }


@pytest.fixture
def musterstadt():
    body = BodyFactory(slug="musterstadt")
    cdo = UserFactory(email="cdo@musterstadt.example")
    BodyRole.objects.create(user=cdo, body=body, role="program_owner")
    return body


def test_no_measures_no_demo(musterstadt):
    demo.load(io.StringIO())
    assert set(counts().values()) == {0}


def test_demo_assesses_candidates_and_records_one_decision_once(musterstadt):
    strategy = StrategyFactory(body=musterstadt)
    GoalFactory(strategy=strategy)
    GoalFactory(strategy=strategy)
    candidates = [
        MeasureFactory(primary_field__strategy=strategy, status="in_pruefung", title=title)
        for title in ["E-Akte", "Abholstationen", "Open-Data-Portal", "WLAN", "Breitband"]
    ]
    MeasureFactory(primary_field__strategy=strategy, status="vorschlag")

    demo.load(io.StringIO())
    after_first = counts()
    assert after_first["DigitalCheck"] == after_first["CostBenefit"] == len(candidates)
    assert after_first["CheckQuestion"] == 10
    assert after_first["PriorityWeights"] == 1
    assert after_first["PriorityDecision"] == 1
    # Varied values: more than one result and more than one score.
    assert DigitalCheck.objects.values("result").distinct().count() > 1
    assert CostBenefit.objects.values("score").distinct().count() > 1
    # Every deviation from "digital" has its legal reason.
    assert not DigitalCheck.objects.exclude(result="digital").filter(legal_reason="").exists()
    decision = PriorityDecision.objects.get()
    decision.measure.refresh_from_db()
    assert decision.measure.status == "priorisiert"
    best = CostBenefit.objects.order_by("-score").first()
    assert decision.measure == best.measure

    demo.load(io.StringIO())
    assert counts() == after_first
