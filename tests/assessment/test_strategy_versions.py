"""Scores follow the strategy when a new version is adopted."""

import datetime
from decimal import Decimal

import pytest

from lotse.assessment import services
from lotse.assessment.models import CostBenefit, GoalContribution
from lotse.strategy import services as strategy_services
from tests.strategy.factories import GoalFactory

pytestmark = pytest.mark.django_db


def test_goal_contributions_and_score_survive_a_new_version(body, strategy, measure, owner):
    goal = GoalFactory(strategy=strategy, title="Teilhabe")
    analysis = CostBenefit(
        body=body,
        measure=measure,
        one_off_cost=Decimal("10000"),
        annual_cost=Decimal("0"),
        staff_days=Decimal("5"),
        citizen_benefit=4,
        time_saving=2,
        cost_saving=1,
        climate=0,
    )
    services.save_cost_benefit(owner, analysis, {goal.pk: 5})
    score_before = CostBenefit.objects.get(pk=analysis.pk).score

    draft = strategy_services.new_strategy_version(owner, strategy)
    strategy_services.adopt_strategy(owner, draft, datetime.date(2026, 11, 20))

    contribution = GoalContribution.objects.get(cost_benefit=analysis)
    assert contribution.goal.strategy == draft and contribution.score == 5
    assert CostBenefit.objects.get(pk=analysis.pk).score == score_before
