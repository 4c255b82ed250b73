"""The cost-benefit and weights pages: German errors next to the field, nothing stored."""

from decimal import Decimal

import pytest

from lotse.assessment.models import CostBenefit, GoalContribution, PriorityWeights
from tests.strategy.factories import GoalFactory

pytestmark = pytest.mark.django_db

ANALYSIS = {
    "one_off_cost": "45000",
    "annual_cost": "3000",
    "staff_days": "10",
    "citizen_benefit": "4",
    "time_saving": "3",
    "hours_saved_per_year": "800",
    "cost_saving": "2",
    "annual_savings": "20000",
    "climate": "1",
    "internal_note": "Schätzung des Fachbereichs",
}
WEIGHTS = {
    "citizen_benefit": "3",
    "time_saving": "2",
    "cost_saving": "2",
    "climate": "1",
    "goals": "2",
    "reference_effort": "100000",
    "staff_day_rate": "600",
    "horizon_years": "5",
}


def analysis_url(measure):
    return f"/{measure.body.slug}/verwaltung/massnahmen/{measure.pk}/bewertung/"


def weights_url(body):
    return f"/{body.slug}/verwaltung/gewichtung/"


def test_analysis_is_saved_with_goal_contributions(client, measure, strategy, staff):
    goal = GoalFactory(strategy=strategy, title="Operative Exzellenz")
    client.force_login(staff)
    html = client.get(analysis_url(measure)).content.decode()
    assert "Operative Exzellenz" in html
    response = client.post(analysis_url(measure), {**ANALYSIS, f"goal_{goal.pk}": "5"}, follow=True)
    assert "gespeichert" in response.content.decode()
    analysis = CostBenefit.objects.get(measure=measure)
    assert analysis.one_off_cost == Decimal("45000")
    assert analysis.hours_saved_per_year == Decimal("800")
    assert analysis.payback_years == Decimal("3.0")
    assert 0 < analysis.score < 100
    assert GoalContribution.objects.get(cost_benefit=analysis, goal=goal).score == 5
    # The page now shows the result.
    assert "Priorisierungswert" in response.content.decode()


def test_benefit_above_five_and_negative_money_are_refused(client, measure, staff):
    client.force_login(staff)
    response = client.post(
        analysis_url(measure), {**ANALYSIS, "citizen_benefit": "6", "one_off_cost": "-1"}
    )
    html = response.content.decode()
    assert 'id="id_citizen_benefit_error"' in html
    assert 'id="id_one_off_cost_error"' in html
    assert "Nichts wurde gespeichert" in html or "noch nichts gespeichert" in html
    assert CostBenefit.objects.count() == 0


def test_weights_are_saved_and_refused_when_all_zero(client, body, owner):
    client.force_login(owner)
    assert client.get(weights_url(body)).status_code == 200
    # Showing the defaults stores nothing.
    assert PriorityWeights.objects.count() == 0
    zero = {**WEIGHTS, **dict.fromkeys(["citizen_benefit", "time_saving", "cost_saving"], "0")}
    zero.update(climate="0", goals="0")
    response = client.post(weights_url(body), zero)
    assert "Mindestens ein Kriterium" in response.content.decode()
    assert PriorityWeights.objects.count() == 0
    client.post(weights_url(body), {**WEIGHTS, "climate": "4"})
    assert PriorityWeights.objects.get(body=body).climate == 4
