"""The OZG part of the demo: a realistic spread of maturity, a history, idempotent."""

import io
import random

import pytest

from lotse.ozg import demo
from lotse.ozg.models import Assessment
from lotse.ozg.selectors import progress_over_time, service_rows, summary

pytestmark = pytest.mark.django_db


def test_assessments_spread_over_all_levels_with_a_history(town):
    count = demo.assess(
        town, demo.SPREAD["musterstadt"], random.Random(1), demo.KNOWN["musterstadt"]
    )
    levels = set(Assessment.objects.filter(body=town).values_list("maturity", flat=True))
    assert {0, 1, 2, 3, 4} <= levels
    rows = service_rows(town)
    figures = summary(rows)
    assert 300 < count < figures["relevant"]  # some services are not yet assessed
    assert 20 < figures["compliant_share"] < 60
    assert figures["online"] and figures["end_to_end"]
    points = progress_over_time(town, rows)
    assert points[0][1] < points[-1][1]  # the share grew over the year
    assert Assessment.objects.get(body=town, service__ozg_id=10173).online_url


def test_load_is_idempotent(town, monkeypatch):
    monkeypatch.setattr(demo, "SPREAD", {town.slug: {3: 0.05}})
    monkeypatch.setattr(demo, "SEED", {town.slug: 3})
    demo.load(io.StringIO())
    first = Assessment.objects.filter(body=town).count()
    assert first
    demo.load(io.StringIO())
    assert Assessment.objects.filter(body=town).count() == first
