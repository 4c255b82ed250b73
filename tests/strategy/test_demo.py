"""The strategy demo: Musterstadt's Digitale Agenda shows every state and traffic light, and
loading it again (also on another day, also at large scale) changes nothing."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.utils import timezone

from lotse.core.impacts import ImpactAssessment
from lotse.strategy import demo
from lotse.strategy.models import (
    Measure,
    MeasureStatus,
    MeasureTransition,
    Milestone,
    StatusUpdate,
    Strategy,
    TrafficLight,
)
from lotse.strategy.services import flags, programme_progress

# The demo is loaded once for this module (tests/conftest.py); each test is rolled back.
pytestmark = pytest.mark.usefixtures("demo_data")


def snapshot():
    """Every row of the strategy tables (with their history) and the impact blocks."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label == "strategy" or model is ImpactAssessment:
            rows[model._meta.label] = serializers.serialize("python", model.objects.order_by("pk"))
    return rows


def load_demo(**options):
    call_command("demo", stdout=StringIO(), **options)


@pytest.mark.django_db
def test_musterstadt_shows_the_whole_lifecycle():
    measures = Measure.objects.filter(body__slug="musterstadt")
    assert measures.count() >= 25
    statuses = set(measures.values_list("status", flat=True))
    assert statuses == set(MeasureStatus.values)
    assert measures.filter(status=MeasureStatus.IN_REVIEW).count() >= 4
    assert measures.filter(is_public=False).exists()
    strategy = Strategy.objects.get(body__slug="musterstadt")
    assert strategy.status == Strategy.Status.ADOPTED
    assert strategy.goals.count() == 4
    assert strategy.action_fields.filter(parent__isnull=True).count() == 4
    for title in ["Ausbau mobiles Arbeiten", "Breitbandausbau", "Open-Data-Portal"]:
        assert measures.filter(title=title).exists()
    for measure in measures:
        last = measure.transitions.order_by("at", "pk").last()
        assert (last.to_status if last else MeasureStatus.PROPOSED) == measure.status


@pytest.mark.django_db
def test_musterstadt_reports_over_two_half_years():
    updates = StatusUpdate.objects.filter(measure__body__slug="musterstadt")
    assert set(updates.values_list("traffic_light", flat=True)) == set(TrafficLight.values)
    half_years = {
        (day.year, (day.month - 1) // 6) for day in updates.values_list("reported_on", flat=True)
    }
    assert len(half_years) >= 2
    for update in updates.exclude(traffic_light=TrafficLight.GREEN):
        assert update.explanation.strip()
    for measure in Measure.objects.filter(body__slug="musterstadt"):
        latest = measure.updates.order_by("-reported_on", "-pk").first()
        assert measure.progress == (latest.progress if latest else 0)
        assert measure.last_update_on == (latest.reported_on if latest else None)
    today = timezone.localdate()
    milestones = Milestone.objects.filter(measure__body__slug="musterstadt")
    assert milestones.filter(done_on__isnull=True, due_on__lt=today).exists()
    assert milestones.filter(done_on__isnull=False).exists()
    assert milestones.filter(due_on__gt=today).exists()
    stale = [
        m for m in Measure.objects.filter(status=MeasureStatus.IN_PROGRESS) if "stale" in flags(m)
    ]
    assert stale


@pytest.mark.django_db
def test_programme_impacts_and_setbacks():
    programme = Measure.objects.get(body__slug="musterstadt", title="Digitale Schule")
    children = list(programme.children.all())
    assert 3 <= len(children) <= 4
    assert len({child.weight for child in children}) > 1
    assert programme.progress == programme_progress(programme)
    impacts = ImpactAssessment.objects.filter(measure__body__slug="musterstadt")
    assert impacts.count() >= 4
    for impact in impacts:
        impact.full_clean()
    negative = impacts.get(climate=ImpactAssessment.Climate.NEGATIVE)
    assert negative.climate_alternatives
    setbacks = MeasureTransition.objects.filter(
        measure__body__slug="musterstadt",
        to_status__in=[MeasureStatus.DEFERRED, MeasureStatus.REJECTED, MeasureStatus.CANCELLED],
    )
    assert setbacks.exists()
    assert all(transition.reason for transition in setbacks)


@pytest.mark.django_db
def test_beispielstadt_has_a_smaller_strategy():
    strategy = Strategy.objects.get(body__slug="beispielstadt")
    assert strategy.goals.count() == 2
    assert strategy.action_fields.filter(parent__isnull=True).count() == 2
    # six of its own, one adopted from Musterstadt's library entry and its share of the joint
    # measure (issue 17)
    assert Measure.objects.filter(body__slug="beispielstadt").count() == 8
    assert StatusUpdate.objects.filter(measure__body__slug="beispielstadt").exists()


@pytest.mark.django_db
def test_demo_twice_changes_nothing(monkeypatch):
    first = snapshot()
    load_demo()
    assert snapshot() == first
    # Dates are relative to today, but only set when a row is created: the next day too.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    load_demo()
    assert snapshot() == first


@pytest.mark.django_db
def test_large_scale(monkeypatch):
    monkeypatch.setattr(demo, "SCALE_MEASURES", 30)
    load_demo(scale="large")
    generated = Measure.objects.filter(body__slug="musterstadt", origin=demo.SCALE_ORIGIN)
    assert generated.count() == 30
    assert StatusUpdate.objects.filter(measure__in=generated).count() == 30 * demo.SCALE_UPDATES
    assert generated.filter(is_public=False).count() == 3
    assert generated.values("primary_field").distinct().count() > 1
    for measure in generated:
        latest = measure.updates.order_by("-reported_on", "-pk").first()
        assert (measure.progress, measure.traffic_light, measure.last_update_on) == (
            latest.progress,
            latest.traffic_light,
            latest.reported_on,
        )
        last = measure.transitions.order_by("at", "pk").last()
        assert (last.to_status if last else MeasureStatus.PROPOSED) == measure.status
    first = snapshot()
    load_demo(scale="large")
    assert snapshot() == first
