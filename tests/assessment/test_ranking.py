"""The Lenkungsgremium's ranking: order, filters, decisions, exports, query count."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from lotse.assessment.models import DigitalCheck, PriorityDecision
from lotse.strategy.models import MeasureTransition
from tests.assessment.factories import CostBenefitFactory, PriorityDecisionFactory
from tests.strategy.factories import ActionFieldFactory, MeasureFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db


def ranking_url(body, query=""):
    return f"/{body.slug}/priorisierung/{query}"


def ranked_titles(response):
    return [measure.title for measure in response.context["measures"]]


@pytest.fixture
def ranked(field):
    """Three assessed candidates, one not assessed, and a proposal that is no candidate."""
    low = CostBenefitFactory(
        measure=MeasureFactory(primary_field=field, status="in_pruefung", title="Niedrig"),
        score=Decimal("30"),
    ).measure
    high = CostBenefitFactory(
        measure=MeasureFactory(primary_field=field, status="in_pruefung", title="Hoch"),
        score=Decimal("80"),
    ).measure
    middle = CostBenefitFactory(
        measure=MeasureFactory(primary_field=field, status="in_pruefung", title="Mittel"),
        score=Decimal("55"),
    ).measure
    open_ = MeasureFactory(primary_field=field, status="in_pruefung", title="Unbewertet")
    CostBenefitFactory(
        measure=MeasureFactory(primary_field=field, status="vorschlag", title="Vorschlag"),
        score=Decimal("99"),
    )
    return {"low": low, "high": high, "middle": middle, "open": open_}


def test_candidates_are_ranked_by_score_unassessed_last(client, body, staff, ranked):
    client.force_login(staff)
    response = client.get(ranking_url(body))
    assert response.status_code == 200
    assert ranked_titles(response) == ["Hoch", "Mittel", "Niedrig", "Unbewertet"]
    html = response.content.decode()
    assert "<caption>4 Maßnahmen in der Rangliste</caption>" in html
    assert "nicht bewertet" in html


def test_filter_by_minimum_score(client, body, staff, ranked):
    client.force_login(staff)
    response = client.get(ranking_url(body, "?min_score=50"))
    assert ranked_titles(response) == ["Hoch", "Mittel"]


def test_filter_by_unit_and_action_field(client, body, strategy, field, staff, ranked):
    unit = OrgUnitFactory(body=body)
    ranked["low"].unit = unit
    ranked["low"].save()
    other_field = ActionFieldFactory(strategy=strategy, title="Bildung")
    topic = ActionFieldFactory(strategy=strategy, parent=other_field, title="Schulen")
    MeasureFactory(primary_field=topic, status="in_pruefung", title="Im Thema")
    client.force_login(staff)
    assert ranked_titles(client.get(ranking_url(body, f"?unit={unit.pk}"))) == ["Niedrig"]
    # A Handlungsfeld also finds the measures of its topics.
    by_field = client.get(ranking_url(body, f"?field={other_field.pk}"))
    assert ranked_titles(by_field) == ["Im Thema"]
    assert "Im Thema" not in ranked_titles(client.get(ranking_url(body, f"?field={field.pk}")))


def test_other_bodys_unit_is_no_valid_filter(client, body, other_body, staff, ranked):
    foreign = OrgUnitFactory(body=other_body)
    client.force_login(staff)
    response = client.get(ranking_url(body, f"?unit={foreign.pk}"))
    # An invalid filter shows the list unfiltered and says why next to the field.
    assert 'id="id_unit_error"' in response.content.decode()
    assert len(ranked_titles(response)) == 4


def decide(client, body, measure, **fields):
    data = {"measure": measure.pk, "decided_on": "2026-03-10", "rank": "", "reason": ""}
    data.update(fields)
    return client.post(ranking_url(body), data)


def test_prioritising_moves_the_status_and_is_kept(client, body, owner, candidate):
    client.force_login(owner)
    response = decide(client, body, candidate, outcome="priorisiert", rank="1")
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "priorisiert"
    decision = PriorityDecision.objects.get(measure=candidate)
    assert (decision.rank, str(decision.decided_on)) == (1, "2026-03-10")
    assert decision.recorded_by == owner
    transition = MeasureTransition.objects.get(measure=candidate)
    assert (transition.from_status, transition.to_status) == ("in_pruefung", "priorisiert")
    page = client.get(ranking_url(body)).content.decode()
    assert "priorisiert (Rang 1)" in page


def test_prioritising_needs_a_rank(client, body, owner, candidate):
    client.force_login(owner)
    response = decide(client, body, candidate, outcome="priorisiert")
    html = response.content.decode()
    assert 'id="id_rank_error"' in html
    assert "braucht einen Rang" in html
    candidate.refresh_from_db()
    assert candidate.status == "in_pruefung"
    assert not PriorityDecision.objects.exists()


@pytest.mark.parametrize("outcome", ["zurueckgestellt", "abgelehnt"])
def test_setback_needs_a_reason(client, body, owner, candidate, outcome):
    client.force_login(owner)
    response = decide(client, body, candidate, outcome=outcome, reason="   ")
    html = response.content.decode()
    assert 'id="id_reason_error"' in html
    assert "Bitte begründen Sie" in html
    candidate.refresh_from_db()
    assert candidate.status == "in_pruefung"
    assert not PriorityDecision.objects.exists()
    assert not MeasureTransition.objects.exists()

    decide(client, body, candidate, outcome=outcome, reason="Fördermittel erst 2027")
    candidate.refresh_from_db()
    assert candidate.status == outcome
    assert MeasureTransition.objects.get(measure=candidate).reason == "Fördermittel erst 2027"
    decision = PriorityDecision.objects.get(measure=candidate)
    assert decision.history.count() == 1


def test_a_decision_is_only_for_candidates(client, body, owner, measure, ranked):
    # `measure` is a proposal, not under review.
    client.force_login(owner)
    response = decide(client, body, measure, outcome="priorisiert", rank="1")
    assert 'id="id_measure_error"' in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == "vorschlag"


def test_decided_measures_stay_on_the_list_with_their_decision(client, body, field, staff):
    PriorityDecisionFactory(
        measure=MeasureFactory(primary_field=field, status="abgelehnt", title="Abgelehnt"),
        outcome="abgelehnt",
        rank=None,
        reason="Kein Bedarf",
    )
    MeasureFactory(primary_field=field, status="abgelehnt", title="Ohne Entscheidung")
    client.force_login(staff)
    response = client.get(ranking_url(body))
    assert ranked_titles(response) == ["Abgelehnt"]
    assert "Kein Bedarf" in response.content.decode()


def export_rows_csv(client, body, query=""):
    response = client.get(f"/{body.slug}/priorisierung/export.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_contains_the_ranked_rows(client, body, staff, ranked):
    DigitalCheck.objects.create(
        body=body, measure=ranked["high"], result="teilweise", legal_reason="§ 9 PAuswG"
    )
    client.force_login(staff)
    rows = export_rows_csv(client, body)
    assert rows[0][:3] == ["Platz", "Maßnahme", "Handlungsfeld"]
    assert [row[1] for row in rows[1:]] == ["Hoch", "Mittel", "Niedrig", "Unbewertet"]
    assert rows[1][5] == "80.00"
    assert "teilweise digital" in rows[1]
    # The export follows the filter of the page.
    assert [row[1] for row in export_rows_csv(client, body, "?min_score=60")[1:]] == ["Hoch"]


def test_csv_export_defuses_formulas(client, body, field, staff):
    MeasureFactory(primary_field=field, status="in_pruefung", title='=HYPERLINK("x")')
    client.force_login(staff)
    rows = export_rows_csv(client, body)
    assert rows[1][1] == '\'=HYPERLINK("x")'


def test_xlsx_export_contains_the_ranked_rows(client, body, staff, ranked):
    client.force_login(staff)
    response = client.get(f"/{body.slug}/priorisierung/export.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][1] == "Maßnahme"
    assert [row[1] for row in rows[1:]] == ["Hoch", "Mittel", "Niedrig", "Unbewertet"]
    assert rows[1][5] == 80
    assert rows[4][5] is None


QUERY_BOUND = 10


@pytest.mark.parametrize("count", [5, 30])
def test_ranking_query_count_does_not_grow_with_candidates(
    client, body, field, owner, django_assert_max_num_queries, count
):
    unit = OrgUnitFactory(body=body)
    topic = ActionFieldFactory(strategy=field.strategy, parent=field)
    for number in range(count):
        measure = MeasureFactory(
            primary_field=topic, unit=unit, status="in_pruefung", title=f"M{number}"
        )
        CostBenefitFactory(measure=measure, score=Decimal(number))
        DigitalCheck.objects.create(body=body, measure=measure, result="digital")
    for number in range(count):
        PriorityDecisionFactory(
            measure=MeasureFactory(
                primary_field=topic, unit=unit, status="priorisiert", title=f"D{number}"
            ),
        )
    client.force_login(owner)
    client.get(ranking_url(body))  # warm up the session
    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(ranking_url(body))
    assert len(response.context["measures"]) == 2 * count
