"""The City Cockpit: its figures on the ``town`` fixture, the filter, the district view, the
cache and its invalidation, and query counts that do not grow with the data."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotse.council.models import FollowUp, FollowUpState, PaperState
from lotse.reporting import cockpit
from lotse.reporting.models import StatusReport
from lotse.reporting.views_cockpit import CockpitView
from lotse.strategy.models import MeasureGoal, MeasureStatus, StatusUpdate
from tests.council.factories import PaperFactory
from tests.factories import BodyFactory
from tests.participation.factories import IdeaFactory, ProcessFactory
from tests.reporting.conftest import AS_OF, D, _decision, at
from tests.strategy.factories import (
    ActionFieldFactory,
    GoalFactory,
    MeasureFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_as_of(monkeypatch):
    """The cockpit pages as on ``AS_OF``, the day the fixture's figures are worked out for."""
    monkeypatch.setattr(CockpitView, "get_today", lambda self: AS_OF)


def url(body, **query):
    address = reverse("reporting:cockpit", kwargs={"body_slug": body.slug})
    if query:
        address += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return address


def assert_unique_ids(html):
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def progress_on(data, day):
    return next(p["mean_progress"] for p in data["progress_over_time"] if p["date"] == day)


def more_measures(town, count, *, start=0):
    """Public measures with updates, goals and ideas: rows that must not cost queries."""
    process = ProcessFactory(body=town.body)
    for index in range(start, start + count):
        measure = MeasureFactory(
            primary_field=town.education,
            title=f"Maßnahme {index}",
            status=MeasureStatus.IN_PROGRESS,
            budget_planned=Decimal("100"),
        )
        for month, progress in ((2, 10), (4, 40)):
            StatusUpdate.objects.create(
                measure=measure,
                reported_on=D(2026, month, 1),
                progress=progress,
                traffic_light="gruen",
            )
        MeasureGoal.objects.create(measure=measure, goal=town.goal, weight=2)
        IdeaFactory(
            process=process,
            action_field=town.education,
            created_at=at(D(2026, 2, 1)),
            answer="Ja.",
            answered_at=at(D(2026, 2, 5)),
            measure=measure,
        )


# --- Figures -----------------------------------------------------------------------------------


def test_figures_of_the_town(town):
    data = cockpit.cockpit_figures(town.body, today=AS_OF)

    summary = data["snapshot"]["summary"]
    assert summary["measures"] == 3  # the internal measure is not counted
    assert data["snapshot"]["period"]["start"] == "2026-01-01"
    assert data["snapshot"]["period"]["end"] == AS_OF.isoformat()
    assert data["field_choices"] == [
        (town.administration.pk, "Digitale Verwaltung"),
        (town.education.pk, "Bildung"),
    ]

    # Progress over time: running, finished and decided (0); never the internal 90 %.
    points = data["progress_over_time"]
    assert len(points) == 24
    assert points[-1]["date"] == AS_OF.isoformat()
    assert points[0]["date"] == "2024-08-31"
    assert progress_on(data, "2025-11-30") == 0.0
    assert progress_on(data, "2025-12-31") == round((30 + 80) / 3, 1)
    assert progress_on(data, "2026-04-30") == round((30 + 100) / 3, 1)
    assert progress_on(data, "2026-06-30") == round((60 + 100) / 3, 1)
    assert points[-1]["mean_progress"] == summary["mean_progress"]

    # Ideas: the hidden one is not counted; answered after 30, 10 and 111 days.
    ideas = data["ideas"]
    assert (ideas["received"], ideas["answered"], ideas["median_days"]) == (4, 3, 30.0)
    halves = {h["code"]: h for h in ideas["per_half_year"]}
    assert list(halves) == ["2025-H1", "2025-H2", "2026-H1", "2026-H2"]
    assert (halves["2025-H2"]["received"], halves["2025-H2"]["answered"]) == (1, 0)
    assert halves["2025-H2"]["median_days"] is None
    assert (halves["2026-H1"]["received"], halves["2026-H1"]["answered"]) == (3, 3)
    assert halves["2026-H1"]["median_days"] == 30.0

    # The public decision's follow-up is overdue since May.
    follow = data["follow_ups"]
    assert follow["open_overdue"] == 1
    assert follow["done_on_time"] == follow["done_late"] == follow["open_in_time"] == 0
    assert follow["on_time_share"] == 0.0

    assert data["goals"] == [{"id": town.goal.pk, "title": "Teilhabe", "measures": 2}]


def test_non_public_data_is_never_counted(town):
    before = cockpit.cockpit_figures(town.body, today=AS_OF)
    # A done follow-up of the non-public decision, the internal measure under the goal, a
    # hidden answered idea and an idea of an unpublished process.
    FollowUp.objects.create(
        body=town.body,
        decision=town.secret_decision,
        due_date=D(2026, 6, 1),
        state=FollowUpState.DONE,
        done_on=D(2026, 5, 1),
    )
    MeasureGoal.objects.create(measure=town.internal, goal=town.goal, weight=3)
    process = ProcessFactory(body=town.body)
    IdeaFactory(
        process=process,
        created_at=at(D(2026, 2, 1)),
        answered_at=at(D(2026, 2, 2)),
        answer="x",
        is_hidden=True,
    )
    unpublished = ProcessFactory(body=town.body, is_published=False)
    IdeaFactory(process=unpublished, created_at=at(D(2026, 2, 1)), answered_at=at(D(2026, 2, 2)))

    after = cockpit.cockpit_figures(town.body, today=AS_OF)
    for key in ("follow_ups", "goals", "ideas", "progress_over_time"):
        assert after[key] == before[key], key


def test_follow_ups_on_time_and_late(town, other_committee):
    def followed(number, **kwargs):
        paper = PaperFactory(body=town.body, name=f"Vorlage {number}", state=PaperState.RELEASED)
        decision = _decision(
            town.body,
            town.past_meeting,
            paper,
            town.committee,
            public=True,
            number=number,
            day=D(2026, 3, 10),
        )
        FollowUp.objects.create(body=town.body, decision=decision, **kwargs)

    followed("3/26", due_date=D(2026, 5, 1), state=FollowUpState.DONE, done_on=D(2026, 4, 30))
    followed("4/26", due_date=D(2026, 5, 1), state=FollowUpState.DONE, done_on=D(2026, 5, 2))
    followed("5/26", due_date=D(2026, 9, 1), state=FollowUpState.IN_PROGRESS)
    followed("6/26", state=FollowUpState.OPEN)

    follow = cockpit.cockpit_figures(town.body, today=AS_OF)["follow_ups"]
    assert follow == {
        "done_on_time": 1,
        "done_late": 1,
        "open_overdue": 1,
        "open_in_time": 2,
        "on_time_share": round(100 / 3, 1),
        "total": 5,
    }


def test_filter_by_action_field(town):
    administration = cockpit.cockpit_figures(
        town.body, today=AS_OF, action_field_id=town.administration.pk
    )
    assert administration["action_field_id"] == town.administration.pk
    assert administration["snapshot"]["summary"]["measures"] == 2  # with its topic's measure
    assert progress_on(administration, "2026-06-30") == 80.0
    ideas = administration["ideas"]
    assert (ideas["received"], ideas["answered"], ideas["median_days"]) == (3, 2, 20.0)
    assert administration["goals"][0]["measures"] == 1

    education = cockpit.cockpit_figures(town.body, today=AS_OF, action_field_id=town.education.pk)
    assert education["snapshot"]["summary"]["measures"] == 1
    assert (education["ideas"]["received"], education["ideas"]["median_days"]) == (1, 111.0)

    # A field of another body or a topic is no choice: the whole body is shown.
    unknown = cockpit.cockpit_figures(town.body, today=AS_OF, action_field_id=town.topic.pk)
    assert unknown["field_error"] is True
    assert unknown["action_field_id"] is None
    assert unknown["snapshot"]["summary"]["measures"] == 3


# --- Pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "citizen", "program_owner"])
def test_page_shows_public_figures_to_everyone(town, client, on_as_of, who):
    if who != "anonymous":
        client.force_login(getattr(town, who))
    response = client.get(url(town.body))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="de"' in html
    assert "<h1>" in html and "Cockpit" in html
    assert html.count('role="img"') >= 6
    assert response.context["summary"]["measures"] == 3
    # Even the programme owner sees only public data here.
    assert "Interne Firewall" not in html
    assert "Vergabe Rechenzentrum" not in html
    assert "<script>" not in html and 'style="' not in html
    assert "lotse/css/cockpit.css" in html
    assert_unique_ids(html)
    assert reverse("reporting:reports", kwargs={"body_slug": town.body.slug}) in html


def test_page_filter_and_error(town, client, on_as_of):
    response = client.get(url(town.body, handlungsfeld=town.education.pk))
    assert response.status_code == 200
    assert response.context["summary"]["measures"] == 1
    html = response.content.decode()
    assert f'<option value="{town.education.pk}" selected>' in html
    assert "Bildung" in response.context["field_title"]

    wrong = client.get(url(town.body, handlungsfeld="abc"))
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["handlungsfeld"]
    assert wrong.context["summary"]["measures"] == 3
    assert 'aria-invalid="true"' in wrong.content.decode()


def test_unknown_body_is_404(client, db):
    assert client.get("/gibt-es-nicht/cockpit/").status_code == 404


def test_links_published_reports(town, client, on_as_of):
    report = StatusReport.objects.create(
        body=town.body,
        title="Sachstandsbericht 1",
        period_start=D(2026, 1, 1),
        period_end=D(2026, 6, 30),
        status="veroeffentlicht",
        number="1/2026",
        published_at=timezone.now(),
    )
    StatusReport.objects.create(
        body=town.body, title="Entwurf", period_start=D(2026, 1, 1), period_end=D(2026, 6, 30)
    )
    html = client.get(url(town.body)).content.decode()
    assert report.get_absolute_url() in html
    assert "Entwurf" not in html


def test_kreis_shows_its_towns_side_by_side(town, kreis, client, on_as_of):
    town.body.parent = kreis
    town.body.save()
    second = BodyFactory(parent=kreis, name="Stadt Zweitstadt")
    strategy = StrategyFactory(body=second, status="beschlossen")
    measure = MeasureFactory(
        primary_field=ActionFieldFactory(strategy=strategy), status=MeasureStatus.COMPLETED
    )
    StatusUpdate.objects.create(
        measure=measure, reported_on=D(2026, 3, 1), progress=100, traffic_light="gruen"
    )
    GoalFactory(strategy=strategy)
    BodyFactory(name="Stadt Anderswo")  # not in the district

    rows, _data = cockpit.regional_view(kreis, today=AS_OF)
    by_name = {row["name"]: row["figures"] for row in rows}
    assert list(by_name) == [town.body.name, "Stadt Zweitstadt", kreis.name]
    assert by_name[town.body.name] == {
        "measures": 3,
        "mean_progress": 53.3,
        "completed": 1,
        "median_days": 30.0,
        "on_time_share": 0.0,
    }
    assert by_name["Stadt Zweitstadt"] == {
        "measures": 1,
        "mean_progress": 100.0,
        "completed": 1,
        "median_days": None,
        "on_time_share": None,
    }
    assert by_name[kreis.name]["measures"] == 0

    response = client.get(url(kreis))
    assert response.status_code == 200
    html = response.content.decode()
    assert url(town.body) in html and url(second) in html
    assert "Stadt Anderswo" not in html
    assert_unique_ids(html)
    assert 'id="region-progress"' in html and 'id="region-completed"' in html
    # A town's own cockpit has no regional part.
    assert 'id="region-progress"' not in client.get(url(town.body)).content.decode()


# --- Cache -------------------------------------------------------------------------------------


def test_second_request_is_served_from_the_cache(town, client, on_as_of):
    with CaptureQueriesContext(connection) as first:
        client.get(url(town.body))
    with CaptureQueriesContext(connection) as second:
        response = client.get(url(town.body))
    assert response.status_code == 200
    assert len(second) <= 6 < len(first)
    # Cached, not recomputed: a change that sends no signal does not show before the minute.
    StatusUpdate.objects.filter(measure=town.running).update(progress=0)
    assert client.get(url(town.body)).context["summary"]["mean_progress"] == 53.3


def test_a_new_status_update_changes_the_page_at_once(town, client, on_as_of):
    assert client.get(url(town.body)).context["summary"]["mean_progress"] == 53.3
    StatusUpdate.objects.create(
        measure=town.decided, reported_on=D(2026, 7, 1), progress=90, traffic_light="gruen"
    )
    assert client.get(url(town.body)).context["summary"]["mean_progress"] == round(250 / 3, 1)


@pytest.mark.parametrize("change", ["idea", "follow_up", "measure", "milestone", "delete"])
def test_changes_bump_the_version(town, change):
    cockpit.cached_figures(town.body, today=AS_OF)
    key = cockpit._version_key(town.body.pk)
    before = cache.get(key)
    if change == "idea":
        IdeaFactory(process=ProcessFactory(body=town.body))
    elif change == "follow_up":
        follow_up = town.decision.follow_up
        follow_up.state = FollowUpState.DONE
        follow_up.save()
    elif change == "measure":
        town.decided.title = "Tablets für alle Schulen"
        town.decided.save()
    elif change == "milestone":
        town.running.milestones.first().save()
    else:
        StatusUpdate.objects.filter(measure=town.finished).first().delete()
    assert cache.get(key) != before


def test_a_change_elsewhere_leaves_the_cache(town, other_body):
    cockpit.cached_figures(town.body, today=AS_OF)
    before = cache.get(cockpit._version_key(town.body.pk))
    MeasureFactory(primary_field=ActionFieldFactory(strategy=StrategyFactory(body=other_body)))
    assert cache.get(cockpit._version_key(town.body.pk)) == before


# --- Query counts ------------------------------------------------------------------------------


def count_queries(function):
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_figures_cost_the_same_queries_with_more_rows(town):
    def compute():
        cockpit.cockpit_figures(town.body, today=AS_OF)
        cockpit.cockpit_figures(town.body, today=AS_OF, action_field_id=town.education.pk)

    small = count_queries(compute)
    more_measures(town, 15)
    assert count_queries(compute) == small


def test_page_query_counts_do_not_grow(
    town, kreis, client, on_as_of, django_assert_max_num_queries
):
    town.body.parent = kreis
    town.body.save()
    pages = [url(town.body), url(town.body, handlungsfeld=town.education.pk), url(kreis)]

    def cold(address):
        cache.clear()
        return count_queries(lambda: client.get(address))

    before = [cold(address) for address in pages]
    more_measures(town, 15)
    BodyFactory(parent=kreis)
    for address, count in zip(pages[:2], before[:2], strict=True):
        cache.clear()
        with django_assert_max_num_queries(count):
            client.get(address)
    # The district page: one body more costs the same fixed queries of one body once.
    town_only = before[0]
    cache.clear()
    with django_assert_max_num_queries(before[2] + town_only):
        client.get(pages[2])
    # Pinned: a town's page from scratch, and from the cache.
    assert before[0] <= 40
    client.get(pages[0])
    with django_assert_max_num_queries(6):
        client.get(pages[0])
