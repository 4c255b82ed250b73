"""The figures of a status report, checked by hand on the ``town`` fixture."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lotse.council.models import FollowUp, FollowUpState, MeetingState, PaperState
from lotse.participation.models import IdeaState
from lotse.reporting import figures
from lotse.reporting.models import ReportStatus, StatusReport
from lotse.reporting.periods import Period
from lotse.strategy.models import (
    MeasureStatus,
    MeasureTransition,
    Milestone,
    StatusUpdate,
)
from tests.council.factories import MeetingFactory, PaperFactory
from tests.participation.factories import IdeaFactory, ProcessFactory
from tests.reporting.conftest import AS_OF, PERIOD, PREVIOUS_PERIOD, _decision, at
from tests.strategy.factories import MeasureFactory

D = datetime.date


def build(town, **kwargs):
    kwargs.setdefault("as_of", AS_OF)
    return figures.build(town.body, *PERIOD, **kwargs)


def measure_rows(snapshot) -> dict[str, dict]:
    return {m["title"]: m for field in snapshot["fields"] for m in field["measures"]}


def publish_previous(town) -> StatusReport:
    """A published report of the half-year before, carrying its own snapshot."""
    snapshot = figures.build(town.body, *PREVIOUS_PERIOD, as_of=D(2026, 1, 15))
    return StatusReport.objects.create(
        body=town.body,
        title="Sachstandsbericht 2025-H2",
        period_start=PREVIOUS_PERIOD[0],
        period_end=PREVIOUS_PERIOD[1],
        status=ReportStatus.PUBLISHED,
        number="1/2026",
        snapshot=snapshot,
        published_at=timezone.now(),
    )


def test_header_and_json(town):
    snapshot = build(town)

    assert snapshot["schema"] == 1
    assert snapshot["body"] == {"name": town.body.name, "slug": town.body.slug}
    assert snapshot["period"] == {
        "start": "2026-01-01",
        "end": "2026-06-30",
        "label": Period(*PERIOD).label,
    }
    assert snapshot["as_of"] == "2026-07-15"
    assert snapshot["previous"] is None
    assert snapshot["intro"] == ""
    assert json.loads(json.dumps(snapshot)) == snapshot


def test_summary_by_hand(town):
    summary = build(town)["summary"]

    assert summary["measures"] == 3  # the internal measure is not counted
    assert [row["status"] for row in summary["by_status"]] == list(MeasureStatus.values)
    counts = {row["status"]: row["count"] for row in summary["by_status"] if row["count"]}
    assert counts == {
        MeasureStatus.DECIDED: 1,
        MeasureStatus.IN_PROGRESS: 1,
        MeasureStatus.COMPLETED: 1,
    }
    labels = {row["status"]: row["label"] for row in summary["by_status"]}
    assert labels[MeasureStatus.IN_PROGRESS] == "in Umsetzung"
    assert summary["started"] == 0  # both started in 2025
    assert summary["finished"] == 1
    assert summary["mean_progress"] == pytest.approx(53.3)  # (60 + 100 + 0) / 3
    assert summary["mean_progress_previous"] is None
    assert summary["traffic_lights"] == [
        {"light": "gruen", "label": "grün", "count": 1},
        {"light": "gelb", "label": "gelb", "count": 1},
        {"light": "rot", "label": "rot", "count": 0},
        {"light": "", "label": "noch kein Sachstand", "count": 1},
    ]
    # Received: three in the period (the hidden one not); answered: two of them and the one
    # from October answered in January; one taken up in a measure.
    assert summary["ideas"] == {"received": 3, "answered": 3, "to_measures": 1}
    assert summary["decisions"] == 1
    assert summary["follow_ups"] == {"open": 1, "overdue": 1, "done": 0, "done_on_time": 0}


def test_fields_and_measures(town):
    snapshot = build(town)

    fields = snapshot["fields"]
    assert [f["title"] for f in fields] == ["Digitale Verwaltung", "Bildung"]
    administration, education = fields
    assert administration["id"] == town.administration.pk
    assert administration["comment"] == ""
    # The topic's measure counts under its action field.
    assert [m["title"] for m in administration["measures"]] == [
        "Digitales Bürgerbüro",
        "E-Akte im Bauamt",
    ]
    assert administration["mean_progress"] == 80.0
    assert administration["ideas"] == {"received": 3, "answered": 2, "to_measures": 1}
    assert education["mean_progress"] == 0.0
    assert education["ideas"] == {"received": 0, "answered": 1, "to_measures": 0}

    running = measure_rows(snapshot)["Digitales Bürgerbüro"]
    assert running == {
        "id": town.running.pk,
        "title": "Digitales Bürgerbüro",
        "path": town.running.get_absolute_url(),
        "status": MeasureStatus.IN_PROGRESS,
        "status_label": "in Umsetzung",
        "progress": 60,
        "progress_previous": None,
        "progress_change": None,
        "traffic_light": "gelb",
        "traffic_light_label": "gelb",
        "last_update": "Stand 05/2026",
        "budget_planned": "10000.00",
        "budget_spent": "4000.00",
        "milestones_reached": [
            {"title": "Terminbuchung live", "due_on": "2026-03-01", "done_on": "2026-02-28"}
        ],
        "milestones_missed": [{"title": "Bezahlfunktion", "due_on": "2026-04-01", "done_on": None}],
    }
    decided = measure_rows(snapshot)["Tablets für Grundschulen"]
    assert (decided["progress"], decided["traffic_light"], decided["last_update"]) == (0, "", "")
    assert decided["traffic_light_label"] == "noch kein Sachstand"
    assert decided["budget_planned"] is None


def test_change_against_previous_report(town):
    previous = publish_previous(town)
    assert measure_rows(previous.snapshot)["Digitales Bürgerbüro"]["progress"] == 30

    snapshot = build(town, previous=previous)

    assert snapshot["previous"] == {
        "id": previous.pk,
        "number": "1/2026",
        "label": previous.label,
        "period_label": Period(*PREVIOUS_PERIOD).label,
    }
    rows = measure_rows(snapshot)
    assert rows["Digitales Bürgerbüro"]["progress_previous"] == 30
    assert rows["Digitales Bürgerbüro"]["progress_change"] == 30
    assert rows["E-Akte im Bauamt"]["progress_change"] == 20  # 80 → 100
    assert rows["Tablets für Grundschulen"]["progress_change"] == 0
    # (30 + 80 + 0) / 3 in the previous half-year.
    assert snapshot["summary"]["mean_progress_previous"] == pytest.approx(36.7)


def test_a_measure_new_since_the_previous_report_has_no_change(town):
    previous = publish_previous(town)
    newcomer = MeasureFactory(primary_field=town.education, title="Schul-WLAN")
    StatusUpdate.objects.create(
        measure=newcomer, reported_on=D(2026, 6, 1), progress=10, traffic_light="gruen"
    )

    row = measure_rows(build(town, previous=previous))["Schul-WLAN"]

    assert (row["progress"], row["progress_previous"], row["progress_change"]) == (10, None, None)


def test_figures_are_as_at_the_period_end(town):
    # Later news changes nothing in the first half-year's figures.
    StatusUpdate.objects.create(
        measure=town.running, reported_on=D(2026, 7, 10), progress=95, traffic_light="rot"
    )
    MeasureTransition.objects.create(
        measure=town.running,
        from_status=MeasureStatus.IN_PROGRESS,
        to_status=MeasureStatus.COMPLETED,
        at=at(D(2026, 7, 1), 0),
    )
    town.running.status = MeasureStatus.COMPLETED
    town.running.save(update_fields=["status"])

    running = measure_rows(build(town))["Digitales Bürgerbüro"]
    assert (running["status"], running["progress"], running["traffic_light"]) == (
        MeasureStatus.IN_PROGRESS,
        60,
        "gelb",
    )

    # In the previous half-year the completed measure was still in progress, at 80 %.
    earlier = measure_rows(figures.build(town.body, *PREVIOUS_PERIOD, as_of=AS_OF))
    finished = earlier["E-Akte im Bauamt"]
    assert (finished["status"], finished["progress"]) == (MeasureStatus.IN_PROGRESS, 80)
    assert finished["last_update"] == "Stand 12/2025"
    # A measure without transitions keeps its current status.
    assert earlier["Tablets für Grundschulen"]["status"] == MeasureStatus.DECIDED


def test_started_and_finished_from_transitions_without_dates(town):
    MeasureTransition.objects.create(
        measure=town.decided,
        from_status=MeasureStatus.DECIDED,
        to_status=MeasureStatus.IN_PROGRESS,
        at=at(D(2026, 2, 1)),
    )
    MeasureTransition.objects.create(
        measure=town.decided,
        from_status=MeasureStatus.IN_PROGRESS,
        to_status=MeasureStatus.COMPLETED,
        at=at(D(2026, 6, 30), 23),  # late on the last day still counts
    )

    summary = build(town)["summary"]

    assert (summary["started"], summary["finished"]) == (1, 2)


def test_milestones_reached_late_and_missed(town):
    Milestone.objects.create(
        measure=town.decided, title="Ausschreibung", due_on=D(2026, 2, 1), done_on=D(2026, 3, 1)
    )
    Milestone.objects.create(
        measure=town.decided, title="Bedarf erhoben", due_on=D(2025, 12, 1), done_on=D(2026, 1, 9)
    )
    Milestone.objects.create(
        measure=town.decided, title="Lieferung", due_on=D(2026, 6, 1), done_on=D(2026, 7, 2)
    )
    Milestone.objects.create(measure=town.decided, title="Schulung", due_on=D(2026, 9, 1))

    decided = measure_rows(build(town))["Tablets für Grundschulen"]

    assert decided["milestones_reached"] == [
        {"title": "Bedarf erhoben", "due_on": "2025-12-01", "done_on": "2026-01-09"}
    ]
    assert decided["milestones_missed"] == [
        {"title": "Ausschreibung", "due_on": "2026-02-01", "done_on": "2026-03-01"},
        # Done only after the period end: still open at its end.
        {"title": "Lieferung", "due_on": "2026-06-01", "done_on": None},
    ]


def test_non_public_data_never_appears(town):
    snapshot = build(town)
    text = json.dumps(snapshot, ensure_ascii=False)

    assert town.internal.pk not in {m["id"] for f in snapshot["fields"] for m in f["measures"]}
    assert "Interne Firewall-Erneuerung" not in text
    assert "Vergabe Rechenzentrum" not in text
    assert "2/26" not in text
    assert [d["number"] for d in snapshot["decisions"]] == ["1/26"]
    assert snapshot["summary"]["traffic_lights"][2]["count"] == 0  # the internal one is red
    assert "Abgesagte Sitzung" not in text


def test_an_idea_taken_up_in_an_internal_measure_is_not_counted(town):
    process = ProcessFactory(body=town.body)
    IdeaFactory(
        process=process,
        action_field=town.education,
        created_at=at(D(2026, 4, 1)),
        state=IdeaState.ACCEPTED,
        answer="Intern umgesetzt.",
        answered_at=at(D(2026, 4, 2)),
        measure=town.internal,
    )

    summary = build(town)["summary"]

    assert summary["ideas"] == {"received": 4, "answered": 4, "to_measures": 1}


def test_decisions_and_follow_ups(town):
    snapshot = build(town)

    assert snapshot["decisions"] == [
        {
            "number": "1/26",
            "date": "2026-03-10",
            "title": "Einführung des digitalen Bürgerbüros",
            "paper_reference": "26/0001",
            "organization": "Digitalisierungsausschuss",
            "outcome": "beschlossen",
            "outcome_label": "beschlossen",
            "path": town.past_meeting.get_absolute_url(),
            "follow_up": {
                "state": FollowUpState.OPEN,
                "state_label": "offen",
                "due_date": "2026-05-01",
                "overdue": True,
            },
        }
    ]

    # A second public decision whose follow-up was done in time, one done late, and one
    # decided outside the period.
    def decided(number, day, done_on=None, due=None):
        due = due or D(2026, 6, 1)
        paper = PaperFactory(body=town.body, reference=f"26/01{number}", state=PaperState.RELEASED)
        decision = _decision(
            town.body,
            town.past_meeting,
            paper,
            town.committee,
            public=True,
            number=f"{number}/26",
            day=day,
        )
        FollowUp.objects.create(
            body=town.body,
            decision=decision,
            due_date=due,
            state=FollowUpState.DONE if done_on else FollowUpState.IN_PROGRESS,
            done_on=done_on,
        )

    decided(3, D(2026, 3, 10), done_on=D(2026, 5, 20))
    decided(4, D(2026, 3, 10), done_on=D(2026, 6, 20))
    decided(5, D(2026, 3, 10), due=D(2026, 8, 1))  # in progress, not due yet
    decided(6, D(2025, 12, 10), done_on=D(2026, 1, 5))

    snapshot = build(town)

    assert [d["number"] for d in snapshot["decisions"]] == ["1/26", "3/26", "4/26", "5/26"]
    assert snapshot["summary"]["decisions"] == 4
    assert snapshot["summary"]["follow_ups"] == {
        "open": 2,
        "overdue": 1,
        "done": 2,
        "done_on_time": 1,
    }
    assert snapshot["decisions"][3]["follow_up"]["state_label"] == "in Umsetzung"


def test_meetings_ahead(town):
    past = MeetingFactory(
        body=town.body,
        name="Sitzung am Stichtag",
        start=at(AS_OF, 17),
        organizations=[town.committee],
    )
    assert past.start.date() == AS_OF

    ahead = build(town)["meetings_ahead"]

    assert ahead == [
        {
            "name": "Nächste Sitzung des Digitalisierungsausschusses",
            "start": timezone.localtime(town.next_meeting.start).isoformat(),
            "organizations": ["Digitalisierungsausschuss"],
            "path": town.next_meeting.get_absolute_url(),
        }
    ]
    # At most ten, the soonest first.
    for days in range(30, 42):
        MeetingFactory(
            body=town.body,
            start=timezone.now() + datetime.timedelta(days=days),
            state=MeetingState.PLANNED,
        )
    ahead = build(town)["meetings_ahead"]
    assert len(ahead) == 10
    assert ahead[0]["name"] == "Nächste Sitzung des Digitalisierungsausschusses"
    assert [a["start"] for a in ahead] == sorted(a["start"] for a in ahead)


def test_action_field_filter(town):
    education = build(town, action_field_id=town.education.pk)

    assert [f["title"] for f in education["fields"]] == ["Bildung"]
    assert education["summary"]["measures"] == 1
    assert education["summary"]["ideas"] == {"received": 0, "answered": 1, "to_measures": 0}
    assert education["summary"]["mean_progress"] == 0.0

    topic = build(town, action_field_id=town.topic.pk)
    assert [f["title"] for f in topic["fields"]] == ["Digitale Verwaltung"]
    assert list(measure_rows(topic)) == ["E-Akte im Bauamt"]
    assert topic["summary"]["ideas"] == {"received": 1, "answered": 1, "to_measures": 1}

    administration = build(town, action_field_id=town.administration.pk)
    assert list(measure_rows(administration)) == ["Digitales Bürgerbüro", "E-Akte im Bauamt"]
    assert administration["summary"]["ideas"]["received"] == 3

    unknown = build(town, action_field_id=town.administration.pk + 1000)
    assert unknown["fields"] == []
    assert unknown["summary"]["measures"] == 0
    assert unknown["summary"]["ideas"] == {"received": 0, "answered": 0, "to_measures": 0}


def test_filtered_mean_progress_previous_is_the_fields(town):
    previous = publish_previous(town)

    snapshot = build(town, previous=previous, action_field_id=town.administration.pk)

    assert snapshot["summary"]["mean_progress_previous"] == 55.0  # (30 + 80) / 2


def test_a_body_without_strategy(other_body):
    snapshot = figures.build(other_body, *PERIOD, as_of=AS_OF)

    assert snapshot["fields"] == []
    assert snapshot["summary"]["measures"] == 0
    assert snapshot["summary"]["mean_progress"] == 0.0
    assert all(row["count"] == 0 for row in snapshot["summary"]["by_status"])
    assert [c.chart_id for c in figures.charts(snapshot)] == [
        "report-status",
        "report-lights",
        "report-progress",
    ]


def test_charts(town):
    snapshot = build(town)

    status, lights, progress = figures.charts(snapshot, prefix="cockpit")

    assert (status.chart_id, lights.chart_id, progress.chart_id) == (
        "cockpit-status",
        "cockpit-lights",
        "cockpit-progress",
    )
    assert status.title == "Maßnahmen nach Status"
    assert status.rows[3] == ["beschlossen", "1"]
    assert len(status.rows) == len(MeasureStatus.choices)
    assert lights.rows == [["grün", "1"], ["gelb", "1"], ["rot", "0"], ["noch kein Sachstand", "1"]]
    assert 'fill="#2e7d32"' in str(lights.svg) and 'fill="#a15c00"' in str(lights.svg)
    assert progress.rows == [["Digitale Verwaltung", "80 %"], ["Bildung", "0 %"]]
    assert progress.title == "Mittlerer Fortschritt je Handlungsfeld"


def add_measures(town, count: int, start: int = 0) -> None:
    """Public measures with updates, transitions, milestones and ideas, as the fixture has."""
    process = ProcessFactory(body=town.body)
    for index in range(start, start + count):
        field = town.topic if index % 2 else town.education
        measure = MeasureFactory(
            primary_field=field,
            title=f"Zusatz {index:03}",
            status=MeasureStatus.IN_PROGRESS,
            budget_planned=Decimal("500"),
        )
        for month in (2, 4):
            StatusUpdate.objects.create(
                measure=measure,
                reported_on=D(2026, month, 1),
                progress=10 * month,
                traffic_light="gruen",
                text="Weiter",
            )
        MeasureTransition.objects.create(
            measure=measure,
            from_status=MeasureStatus.DECIDED,
            to_status=MeasureStatus.IN_PROGRESS,
            at=at(D(2026, 1, 5)),
        )
        Milestone.objects.create(measure=measure, title="Start", due_on=D(2026, 3, 1))
        IdeaFactory(
            process=process, action_field=field, created_at=at(D(2026, 2, 2)), measure=measure
        )


def queries_of_build(town) -> int:
    with CaptureQueriesContext(connection) as captured:
        build(town)
    return len(captured)


QUERY_BOUND = 9


def test_queries_do_not_grow_with_the_measures(town, django_assert_max_num_queries):
    add_measures(town, 2)
    with django_assert_max_num_queries(QUERY_BOUND):
        build(town)
    few = queries_of_build(town)

    add_measures(town, 25, start=2)
    snapshot = build(town)

    assert snapshot["summary"]["measures"] == 30
    assert snapshot["summary"]["started"] == 27
    assert queries_of_build(town) == few
