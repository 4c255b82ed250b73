"""The cockpit's key figures per month, from history: measures, completed share, traffic
lights, decisions, overdue follow-ups, ideas; in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lotse.council.models import FollowUp, FollowUpState
from lotse.opendata.cockpit_series import series
from lotse.opendata.datasets import DATASETS
from lotse.participation.models import IdeaState
from lotse.strategy.models import Measure, MeasureStatus, MeasureTransition
from tests.opendata.helpers import csv_rows, decision
from tests.participation.factories import IdeaFactory
from tests.strategy.factories import MeasureFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def by_month(body) -> dict[str, dict]:
    names = DATASETS["cockpit-zeitreihe"].names
    return {
        row[0].strftime("%Y-%m"): dict(zip(names, row, strict=True)) for row in series(body, TODAY)
    }


def measure(field, created: datetime.date, **kwargs):
    made = MeasureFactory(primary_field=field, **kwargs)
    Measure.objects.filter(pk=made.pk).update(created_at=at(created))
    return made


def test_measures_lights_and_completion_per_month(body, field):
    first = measure(field, datetime.date(2026, 1, 10), status=MeasureStatus.COMPLETED)
    StatusUpdateFactory(measure=first, reported_on=datetime.date(2026, 2, 1), progress=50)
    StatusUpdateFactory(
        measure=first,
        reported_on=datetime.date(2026, 4, 1),
        progress=100,
        traffic_light="rot",
        explanation="Verzug",
    )
    MeasureTransition.objects.create(
        measure=first,
        from_status=MeasureStatus.IN_PROGRESS,
        to_status=MeasureStatus.COMPLETED,
        at=at(datetime.date(2026, 5, 3)),
    )
    second = measure(field, datetime.date(2026, 3, 5))
    StatusUpdateFactory(measure=second, reported_on=datetime.date(2026, 3, 6), progress=20)
    measure(field, datetime.date(2026, 1, 2), is_public=False)  # never counted

    months = by_month(body)
    assert len(months) == 24 and list(months)[-1] == "2026-06"
    assert months["2026-06"]["datum"] == TODAY
    assert [months[m]["massnahmen"] for m in ("2025-12", "2026-01", "2026-03")] == [0, 1, 2]
    # Completed from May on (the state change), in progress before.
    assert [months[m]["abgeschlossen"] for m in ("2026-04", "2026-05")] == [0, 1]
    assert months["2026-05"]["anteil_abgeschlossen"] == Decimal("50.0")
    assert months["2025-12"]["anteil_abgeschlossen"] is None
    march = months["2026-03"]  # both reported green (the factory's light)
    assert (march["ampel_gruen"], march["ampel_rot"], march["ohne_sachstand"]) == (2, 0, 0)
    assert months["2026-04"]["ampel_rot"] == 1
    assert months["2026-01"]["ohne_sachstand"] == 1
    # The cockpit's own figure: the mean over today's measures.
    assert months["2026-04"]["mittlerer_fortschritt"] == Decimal("60.0")


def test_decisions_follow_ups_and_ideas_per_month(body, process):
    done_late = decision(body)
    done_late.date = datetime.date(2026, 2, 10)
    done_late.save()
    FollowUp.objects.create(
        body=body,
        decision=done_late,
        due_date=datetime.date(2026, 3, 1),
        state=FollowUpState.DONE,
        done_on=datetime.date(2026, 4, 20),
    )
    still_open = decision(body)
    still_open.date = datetime.date(2026, 2, 20)
    still_open.save()
    FollowUp.objects.create(body=body, decision=still_open, due_date=datetime.date(2026, 5, 1))
    hidden = decision(body, public=False)
    hidden.date = datetime.date(2026, 2, 21)
    hidden.save()

    IdeaFactory(process=process, created_at=at(datetime.date(2026, 1, 5)))
    IdeaFactory(
        process=process,
        created_at=at(datetime.date(2026, 1, 6)),
        state=IdeaState.ACCEPTED,
        answer="Wird umgesetzt.",
        answered_at=at(datetime.date(2026, 3, 2)),
    )
    IdeaFactory(process=process, created_at=at(datetime.date(2026, 1, 7)), is_hidden=True)

    months = by_month(body)
    assert [months[m]["beschluesse"] for m in ("2026-01", "2026-02", "2026-03")] == [0, 2, 0]
    # March: the first is past due (1 March) and not done until 20 April.
    assert [months[m]["kontrollen_ueberfaellig"] for m in ("2026-02", "2026-03", "2026-04")] == [
        0,
        1,
        0,
    ]
    # May: the second is past due (1 May) and still open.
    assert months["2026-05"]["kontrollen_ueberfaellig"] == 1
    assert months["2026-01"]["ideen_eingereicht"] == 2
    assert months["2026-03"]["ideen_beantwortet"] == 1
    assert sum(m["ideen_beantwortet"] for m in months.values()) == 1


def test_the_series_needs_the_same_queries_for_few_rows_or_many(body, field, process):
    def add():
        made = measure(field, datetime.date(2026, 2, 1))
        StatusUpdateFactory(measure=made, reported_on=datetime.date(2026, 3, 1))
        MeasureTransition.objects.create(
            measure=made, from_status="beschlossen", to_status="in_umsetzung", at=at(TODAY)
        )
        IdeaFactory(process=process)
        decision(body)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            series(body, TODAY)
        return len(captured)

    add()
    before = count()
    for _ in range(3):
        add()
    assert count() == before <= 10


def test_the_download_has_every_column(client, body, measure):
    rows = csv_rows(client.get(f"/{body.slug}/opendata/cockpit-zeitreihe.csv"))
    assert len(rows) == 24
    assert list(rows[0]) == DATASETS["cockpit-zeitreihe"].names
    assert rows[-1]["massnahmen"] == "1"
    assert rows[-1]["ohne_sachstand"] == "1"
