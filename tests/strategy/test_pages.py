"""Public strategy pages: content, filters, visibility and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotse.strategy.models import MeasureGoal, Milestone, StatusUpdate
from tests.strategy.factories import (
    ActionFieldFactory,
    GoalFactory,
    MeasureFactory,
    OrgUnitFactory,
)

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_strategy_page_counts_visible_measures_only(client, body, strategy, make_member):
    goal = GoalFactory(strategy=strategy, title="Teilhabe")
    field = ActionFieldFactory(strategy=strategy, title="Digitale Verwaltung")
    topic = ActionFieldFactory(strategy=strategy, parent=field, title="Mobile Government")
    public = MeasureFactory(primary_field=topic, progress=40)
    MeasureFactory(primary_field=field, progress=80, is_public=False)
    MeasureGoal.objects.create(measure=public, goal=goal, weight=2)
    html = client.get(f"/{body.slug}/strategie/").content.decode()
    assert "Teilhabe" in html and "Mobile Government" in html
    assert "1 Maßnahme" in html and "40 %" in html
    assert "80 %" not in html and "60 %" not in html
    client.force_login(make_member(body, "staff"))
    staff_html = client.get(f"/{body.slug}/strategie/").content.decode()
    assert "2 Maßnahmen" in staff_html and "60 %" in staff_html


def test_strategy_page_without_strategy_is_404_and_not_in_the_navigation(client, body):
    response = client.get(f"/{body.slug}/strategie/")
    assert response.status_code == 404
    overview = client.get(f"/{body.slug}/").content.decode()
    assert f'href="/{body.slug}/strategie/"' not in overview


def test_list_filters(client, body, strategy):
    field = ActionFieldFactory(strategy=strategy)
    topic = ActionFieldFactory(strategy=strategy, parent=field)
    other = ActionFieldFactory(strategy=strategy)
    unit = OrgUnitFactory(body=body, code="FB 10")
    in_topic = MeasureFactory(
        primary_field=topic,
        title="WLAN Rathaus",
        status="in_umsetzung",
        traffic_light="rot",
        unit=unit,
    )
    elsewhere = MeasureFactory(primary_field=other, title="E-Akte", status="vorschlag")
    url = f"/{body.slug}/massnahmen/"

    def titles(query):
        html = client.get(url + query).content.decode()
        return {m.title for m in (in_topic, elsewhere) if m.title in html}

    assert titles("") == {"WLAN Rathaus", "E-Akte"}
    assert titles(f"?feld={field.pk}") == {"WLAN Rathaus"}  # a field includes its topics
    assert titles("?status=in_umsetzung") == {"WLAN Rathaus"}
    assert titles("?ampel=rot") == {"WLAN Rathaus"}
    assert titles(f"?einheit={unit.pk}") == {"WLAN Rathaus"}
    assert titles("?q=akte") == {"E-Akte"}
    goal = GoalFactory(strategy=strategy)
    MeasureGoal.objects.create(measure=elsewhere, goal=goal, weight=1)
    assert titles(f"?ziel={goal.pk}") == {"E-Akte"}


def test_bad_filter_values_do_not_break_the_page(client, body, strategy, measure):
    response = client.get(f"/{body.slug}/massnahmen/?status=fertig&feld=abc&seite=999")
    assert response.status_code == 200
    assert measure.title in response.content.decode()


def test_sorting_and_pagination(client, body, field):
    for n in range(30):
        MeasureFactory(primary_field=field, title=f"Maßnahme {n:02d}", progress=n)
    html = client.get(f"/{body.slug}/massnahmen/?sortierung=fortschritt").content.decode()
    assert html.index("Maßnahme 29") < html.index("Maßnahme 28")
    assert "Maßnahme 02" not in html  # on page 2
    page2 = client.get(f"/{body.slug}/massnahmen/?sortierung=fortschritt&seite=2")
    assert "Maßnahme 02" in page2.content.decode()
    assert "sortierung=fortschritt" in html  # pagination keeps the filters


def test_internal_measure_is_invisible_to_the_public(
    client, body, measure, internal_measure, citizen, make_member
):
    for user in (None, citizen, make_member(body, "moderator")):
        if user:
            client.force_login(user)
        assert (
            internal_measure.title not in client.get(f"/{body.slug}/massnahmen/").content.decode()
        )
        detail = client.get(f"/{body.slug}/massnahmen/{internal_measure.pk}/")
        assert detail.status_code == 404
    client.force_login(make_member(body, "staff"))
    assert internal_measure.title in client.get(f"/{body.slug}/massnahmen/").content.decode()
    assert client.get(f"/{body.slug}/massnahmen/{internal_measure.pk}/").status_code == 200


def test_measure_of_another_body_is_404(client, body, other_body, measure):
    assert client.get(f"/{other_body.slug}/massnahmen/{measure.pk}/").status_code == 404


def test_detail_shows_timeline_milestones_and_history(client, body, measure, make_member):
    StatusUpdate.objects.create(
        measure=measure,
        progress=30,
        traffic_light="gelb",
        explanation="Verzögerung bei der Vergabe",
    )
    Milestone.objects.create(measure=measure, title="Vergabe", due_on="2020-01-01")
    measure.description = "**Wichtig** <script>alert(1)</script>"
    measure.save()
    html = client.get(f"/{body.slug}/massnahmen/{measure.pk}/").content.decode()
    assert "Verzögerung bei der Vergabe" in html
    assert "überfällig" in html
    assert "<strong>Wichtig</strong>" in html and "<script>alert" not in html


def test_list_query_count_does_not_grow(client, body, field):
    for _ in range(3):
        MeasureFactory(primary_field=field)
    few = queries(client, f"/{body.slug}/massnahmen/")
    for _ in range(25):
        MeasureFactory(primary_field=field, unit=OrgUnitFactory(body=body))
    assert queries(client, f"/{body.slug}/massnahmen/") == few
    assert few <= 8


def test_detail_query_count_does_not_grow(client, body, field, strategy):
    measure = MeasureFactory(primary_field=field)
    few = queries(client, f"/{body.slug}/massnahmen/{measure.pk}/")
    for n in range(10):
        StatusUpdate.objects.create(measure=measure, progress=n, traffic_light="gruen")
        Milestone.objects.create(measure=measure, title=f"M{n}", due_on="2030-01-01")
        MeasureGoal.objects.create(measure=measure, goal=GoalFactory(strategy=strategy), weight=1)
        MeasureFactory(primary_field=field, parent=measure)
    assert queries(client, f"/{body.slug}/massnahmen/{measure.pk}/") == few


def test_strategy_page_query_count_does_not_grow(client, body, strategy):
    field = ActionFieldFactory(strategy=strategy)
    GoalFactory(strategy=strategy)
    few = queries(client, f"/{body.slug}/strategie/")
    for _ in range(5):
        parent = ActionFieldFactory(strategy=strategy)
        ActionFieldFactory(strategy=strategy, parent=parent)
        GoalFactory(strategy=strategy)
        MeasureFactory(primary_field=field)
    assert queries(client, f"/{body.slug}/strategie/") == few
