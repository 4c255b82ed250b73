"""The body's front page and the home page as the front door (issue 14, point 1)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.council.models import AgendaItem, Decision, DecisionOutcome, MeetingState
from lotse.participation.models import PhaseKind
from lotse.reporting.models import ReportStatus, StatusReport
from lotse.strategy.models import Strategy
from tests.council.factories import MeetingFactory
from tests.factories import BodyFactory
from tests.participation.factories import PhaseFactory, ProcessFactory
from tests.strategy.factories import (
    ActionFieldFactory,
    MeasureFactory,
    StatusUpdateFactory,
    StrategyFactory,
)


def _decision(body, *, public, name, day=None):
    meeting = MeetingFactory(body=body, start=timezone.now() - datetime.timedelta(days=3))
    item = AgendaItem.objects.create(
        meeting=meeting, order=1, number="Ö 1" if public else "N 1", name=name, is_public=public
    )
    return Decision.objects.create(
        body=body,
        agenda_item=item,
        outcome=DecisionOutcome.ADOPTED,
        number=f"{item.pk}/26",
        date=day or timezone.localdate(),
    )


def fill(body, tag=""):
    """One of everything a front page shows, public and not."""
    strategy = StrategyFactory(
        body=body, status="beschlossen", version=Strategy.objects.filter(body=body).count() + 1
    )
    field = ActionFieldFactory(strategy=strategy)
    public = MeasureFactory(primary_field=field, title=f"Öffentliche Maßnahme{tag}")
    internal = MeasureFactory(primary_field=field, title=f"Interne Maßnahme{tag}", is_public=False)
    StatusUpdateFactory(measure=public, progress=40)
    StatusUpdateFactory(measure=internal, progress=70)
    process = ProcessFactory(body=body, title=f"Radwege{tag}", phase=False)
    PhaseFactory(
        process=process,
        kind=PhaseKind.COLLECT,
        end=timezone.now() + datetime.timedelta(days=10),
    )
    ProcessFactory(body=body, title=f"Unveröffentlicht{tag}", is_published=False)
    finished = ProcessFactory(body=body, title=f"Abgeschlossen{tag}", phase=PhaseKind.RESULT)
    assert finished.phases.count() == 1
    MeetingFactory(body=body, name=f"Nächster Ausschuss{tag}")
    MeetingFactory(body=body, name=f"Abgesagte Sitzung{tag}", state=MeetingState.CANCELLED)
    _decision(body, public=True, name=f"Öffentlicher Beschluss{tag}")
    _decision(body, public=False, name=f"Geheimer Beschluss{tag}")
    StatusReport.objects.create(
        body=body,
        title=f"Sachstandsbericht{tag}",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        status=ReportStatus.PUBLISHED,
        number=str(StatusReport.objects.filter(body=body).count() + 1),
        published_at=timezone.now(),
    )


@pytest.mark.django_db
def test_front_page_shows_what_is_public_and_links_on(client, body):
    fill(body)
    page = client.get(reverse("core:body", args=[body.slug])).content.decode()
    for shown in (
        "Öffentliche Maßnahme",
        "Radwege",
        "Nächster Ausschuss",
        "Öffentlicher Beschluss",
        "Sachstandsbericht",
        "Kennzahlen",  # the key figures
        reverse("reporting:cockpit", args=[body.slug]),
    ):
        assert shown in page
    for hidden in (
        "Interne Maßnahme",
        "Unveröffentlicht",
        "Abgeschlossen",
        "Abgesagte Sitzung",
        "Geheimer Beschluss",
    ):
        assert hidden not in page
    # The deadline of what is open.
    assert "bis " in page


@pytest.mark.django_db
def test_front_page_query_count_does_not_grow(
    client, body, django_assert_num_queries, django_assert_max_num_queries
):
    fill(body)
    url = reverse("core:body", args=[body.slug])
    client.get(url)  # warms the cockpit cache
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    queries = len(first)
    for n in range(3):
        fill(body, tag=f" {n}")
    client.get(url)
    with django_assert_num_queries(queries):
        client.get(url)


@pytest.mark.django_db
def test_kreis_front_page_shows_its_towns(client, kreis):
    town = BodyFactory(parent=kreis, name="Kleinstadt")
    fill(town)
    page = client.get(reverse("core:body", args=[kreis.slug])).content.decode()
    assert "Nächster Ausschuss" in page
    assert "Kleinstadt" in page
    assert reverse("reporting:cockpit", args=[town.slug]) in page


@pytest.mark.django_db
def test_home_page_across_bodies_with_constant_queries(
    client, kreis, django_assert_num_queries, django_assert_max_num_queries
):
    town = BodyFactory(parent=kreis, name="Kleinstadt")
    fill(town)
    client.get("/")
    with django_assert_max_num_queries(30) as first:
        page = client.get("/").content.decode()
    queries = len(first)
    assert "Radwege" in page and "Kleinstadt" in page
    assert "Geheimer Beschluss" not in page
    other = BodyFactory(name="Nachbarstadt")
    fill(other, tag=" B")
    client.get("/")
    with django_assert_num_queries(queries):
        page = client.get("/").content.decode()
    assert "Nachbarstadt" in page
