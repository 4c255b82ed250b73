"""The priority score and payback formula (assessment.scoring), and how the service stores
them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from lotse.assessment import scoring, services
from lotse.assessment.models import CostBenefit, GoalContribution, PriorityWeights
from tests.strategy.factories import GoalFactory

WEIGHTS = {"citizen_benefit": 3, "time_saving": 2, "cost_saving": 2, "climate": 1, "goals": 2}
ALL_FIVE = dict.fromkeys(scoring.CRITERIA, 5)
NONE = dict.fromkeys(scoring.CRITERIA, 0)

benefits = st.fixed_dictionaries({name: st.integers(0, 5) for name in scoring.CRITERIA})
weights = st.fixed_dictionaries({name: st.integers(0, 10) for name in (*scoring.CRITERIA, "goals")})
goal_lists = st.lists(st.integers(0, 5), max_size=8)
euros = st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False)
references = st.decimals(min_value=1, max_value=10**8, places=2, allow_nan=False)
# No example database: the tests must not write into the working tree.
no_database = settings(database=None)


def test_full_benefit_without_effort_scores_100():
    assert scoring.priority_score(ALL_FIVE, [5, 5], WEIGHTS, Decimal(0), Decimal(1000)) == 100


def test_effort_of_the_reference_keeps_two_thirds():
    score = scoring.priority_score(ALL_FIVE, [5], WEIGHTS, Decimal(1000), Decimal(1000))
    assert score.quantize(Decimal("0.01")) == Decimal("66.67")


def test_no_benefit_scores_zero():
    assert scoring.priority_score(NONE, [], WEIGHTS, Decimal(500), Decimal(1000)) == 0


def test_goal_criterion_is_the_mean_over_goals():
    index = scoring.benefit_index(NONE, [5, 0, 5, 0], {"goals": 1})
    assert index == 50


def test_without_goals_the_goal_weight_drops_out():
    assert scoring.benefit_index(ALL_FIVE, [], WEIGHTS) == 100


def test_effort_counts_staff_days_and_annual_costs_over_the_horizon():
    effort = scoring.effort_in_euros(
        Decimal("10000"), Decimal("2000"), Decimal("10"), Decimal("600"), 5
    )
    assert effort == Decimal("26000")


@no_database
@given(benefits, goal_lists, weights, euros, references)
def test_score_stays_between_0_and_100(scores, goals, weight, effort, reference):
    score = scoring.priority_score(scores, goals, weight, effort, reference)
    assert 0 <= score <= 100


@no_database
@given(
    benefits,
    goal_lists,
    weights,
    euros,
    references,
    st.sampled_from(scoring.CRITERIA),
)
def test_score_rises_with_every_weighted_benefit(
    scores, goals, weight, effort, reference, criterion
):
    weight = {**weight, criterion: max(weight[criterion], 1)}
    scores = {**scores, criterion: min(scores[criterion], 4)}
    better = {**scores, criterion: scores[criterion] + 1}
    before = scoring.priority_score(scores, goals, weight, effort, reference)
    after = scoring.priority_score(better, goals, weight, effort, reference)
    assert after > before


@no_database
@given(benefits, st.lists(st.integers(0, 4), min_size=1, max_size=8), weights, euros, references)
def test_score_rises_with_a_goal_contribution(scores, goals, weight, effort, reference):
    weight = {**weight, "goals": max(weight["goals"], 1)}
    better = [goals[0] + 1, *goals[1:]]
    before = scoring.priority_score(scores, goals, weight, effort, reference)
    after = scoring.priority_score(scores, better, weight, effort, reference)
    assert after > before


@no_database
@given(benefits, goal_lists, weights, euros, references)
def test_score_falls_with_effort(scores, goals, weight, effort, reference):
    cheap = scoring.priority_score(scores, goals, weight, effort, reference)
    dear = scoring.priority_score(scores, goals, weight, effort + 1000, reference)
    assert dear <= cheap


def test_payback_is_one_off_effort_over_annual_net_savings():
    years = scoring.payback_years(Decimal("50000"), Decimal("5000"), Decimal("30000"))
    assert years == 2


@pytest.mark.parametrize(
    ("annual_cost", "annual_savings"), [("0", "0"), ("5000", "5000"), ("8000", "3000")]
)
def test_no_payback_without_net_savings(annual_cost, annual_savings):
    assert (
        scoring.payback_years(Decimal("1000"), Decimal(annual_cost), Decimal(annual_savings))
        is None
    )


@pytest.mark.django_db
def test_service_stores_score_payback_and_goal_contributions(measure, strategy, make_member):
    staff = make_member(measure.body, "staff")
    goal_a, goal_b = GoalFactory(strategy=strategy), GoalFactory(strategy=strategy)
    analysis = CostBenefit(
        body=measure.body,
        measure=measure,
        one_off_cost=Decimal("45000"),
        annual_cost=Decimal("3000"),
        staff_days=Decimal("10"),
        annual_savings=Decimal("20000"),
        citizen_benefit=5,
        time_saving=5,
        cost_saving=5,
        climate=5,
    )
    services.save_cost_benefit(staff, analysis, {goal_a.pk: 5, goal_b.pk: 5})
    analysis.refresh_from_db()
    # One-off 45,000 € + 10 staff days × 600 € = 51,000 €; net savings 17,000 € a year.
    assert analysis.payback_years == Decimal("3.0")
    effort = Decimal(45000 + 6000 + 3000 * 5)
    expected = Decimal(100) / (1 + effort / (effort + Decimal(100000)))
    assert analysis.score == expected.quantize(Decimal("0.01"))
    assert GoalContribution.objects.filter(cost_benefit=analysis, score=5).count() == 2
    assert analysis.history.count() == 1


@pytest.mark.django_db
def test_changing_weights_recomputes_scores(measure, make_member):
    owner = make_member(measure.body, "program_owner")
    analysis = services.save_cost_benefit(
        owner, CostBenefit(body=measure.body, measure=measure, citizen_benefit=5), {}
    )
    before = analysis.score
    weights = services.ensure_weights(measure.body)
    weights.citizen_benefit, weights.time_saving, weights.cost_saving = 1, 0, 0
    weights.climate, weights.goals = 0, 0
    services.save_weights(owner, weights)
    analysis.refresh_from_db()
    assert before < 100
    assert analysis.score == 100


def test_all_zero_weights_are_refused():
    weights = PriorityWeights(citizen_benefit=0, time_saving=0, cost_saving=0, climate=0, goals=0)
    with pytest.raises(ValidationError) as error:
        weights.clean()
    assert error.value.code == "all_zero"
