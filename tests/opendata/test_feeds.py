"""Atom and RSS feeds: they parse, hold what changed, and never anything non-public."""

import feedparser
import pytest
from django.utils import timezone

from lotse.participation.models import IdeaState
from lotse.strategy.models import MeasureStatus, MeasureTransition
from tests.opendata.helpers import decision, released_paper
from tests.participation.factories import IdeaFactory
from tests.strategy.factories import StatusUpdateFactory

pytestmark = pytest.mark.django_db


def feed(client, body, kind, ext="atom"):
    response = client.get(f"/{body.slug}/opendata/feeds/{kind}.{ext}")
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def titles(parsed) -> str:
    return " | ".join(entry.title for entry in parsed.entries)


@pytest.mark.parametrize("ext", ["atom", "rss"])
def test_papers_and_decisions(client, body, ext):
    released_paper(body, name="Öffentliche Vorlage")
    released_paper(body, name="Geheime Vorlage", is_public=False)
    released_paper(body, name="Entwurfsvorlage", state="entwurf")
    decision(body, name="Öffentlicher Beschluss")
    decision(body, public=False, name="Personalangelegenheit")
    papers = feed(client, body, "vorlagen", ext)
    assert "Öffentliche Vorlage" in titles(papers)
    assert "Geheime" not in titles(papers) and "Entwurf" not in titles(papers)
    decisions = feed(client, body, "beschluesse", ext)
    assert "Öffentlicher Beschluss" in titles(decisions)
    assert "Personal" not in str(decisions)
    expected = "application/atom+xml" if ext == "atom" else "application/rss+xml"
    response = client.get(f"/{body.slug}/opendata/feeds/vorlagen.{ext}")
    assert response["Content-Type"].startswith(expected)


def test_measures_state_and_light_changes(client, body, measure, internal_measure):
    MeasureTransition.objects.create(
        measure=measure, from_status=MeasureStatus.PROPOSED, to_status=MeasureStatus.IN_REVIEW
    )
    MeasureTransition.objects.create(
        measure=internal_measure,
        from_status=MeasureStatus.PROPOSED,
        to_status=MeasureStatus.IN_REVIEW,
    )
    day = timezone.localdate()
    StatusUpdateFactory(measure=measure, traffic_light="gruen", reported_on=day.replace(day=1))
    StatusUpdateFactory(measure=measure, traffic_light="gruen", reported_on=day.replace(day=2))
    StatusUpdateFactory(
        measure=measure, traffic_light="rot", explanation="Lieferverzug", reported_on=day
    )
    StatusUpdateFactory(measure=internal_measure, traffic_light="rot", explanation="intern")
    parsed = feed(client, body, "massnahmen")
    text = str(parsed)
    assert internal_measure.title not in text and "intern" not in text
    # the transition, the first light and the change to red; not the unchanged green
    assert len(parsed.entries) == 3
    assert "Lieferverzug" in text


def test_ideas_with_an_official_answer(client, body, process):
    IdeaFactory(
        process=process,
        title="Beantwortet",
        answer="Wir setzen das um.",
        answered_at=timezone.now(),
        state=IdeaState.ACCEPTED,
    )
    IdeaFactory(process=process, title="Ohne Antwort")
    IdeaFactory(
        process=process,
        title="Versteckt beantwortet",
        answer="Nein.",
        answered_at=timezone.now(),
        is_hidden=True,
    )
    parsed = feed(client, body, "ideen", "rss")
    assert titles(parsed) == "Beantwortet"


def test_reports_feed_and_unknown_kind(client, body):
    assert feed(client, body, "berichte").entries == []
    assert client.get(f"/{body.slug}/opendata/feeds/geheim.atom").status_code == 404


def test_pages_link_their_feeds(client, body, measure):
    page = client.get(f"/{body.slug}/massnahmen/").content.decode()
    assert f'href="/{body.slug}/opendata/feeds/massnahmen.atom"' in page
    assert f'href="/{body.slug}/opendata/feeds/massnahmen.rss"' in page
    assert "feeds/vorlagen" not in page
    page = client.get(f"/{body.slug}/vorlagen/").content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in page
    assert "feeds/vorlagen.atom" in page


def test_feeds_read_the_same_queries_for_one_change_or_many(client, body, field, process):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.strategy.factories import MeasureFactory

    def add():
        measure = MeasureFactory(primary_field=field)
        MeasureTransition.objects.create(
            measure=measure, from_status=MeasureStatus.PROPOSED, to_status=MeasureStatus.IN_REVIEW
        )
        StatusUpdateFactory(measure=measure, traffic_light="gelb", explanation="Verzug")
        released_paper(body)
        decision(body)
        IdeaFactory(process=process, answer="Ja.", answered_at=timezone.now())

    def queries():
        counts = {}
        for kind in ("vorlagen", "beschluesse", "berichte", "massnahmen", "ideen"):
            with CaptureQueriesContext(connection) as captured:
                feed(client, body, kind)
            counts[kind] = len(captured)
        return counts

    add()
    before = queries()
    for _ in range(3):
        add()
    assert queries() == before
