"""The participation demo: a living idea platform whose counters match its rows, loaded twice
without duplicates; and the scale command."""

from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from lotse.participation import demo, search
from lotse.participation.models import (
    Comment,
    Idea,
    IdeaState,
    ModerationAction,
    PhaseKind,
    Process,
    Rating,
    Report,
    Support,
    Workshop,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]


def load_demo():
    call_command("demo", stdout=StringIO())


def counts():
    return {
        model.__name__: model.objects.count()
        for model in [Process, Idea, Comment, Support, Rating, Report, ModerationAction, Workshop]
    }


def assert_counters_match_rows(ideas):
    for idea in ideas:
        values = list(Rating.objects.filter(idea=idea).values_list("value", flat=True))
        assert idea.support_count == Support.objects.filter(idea=idea).count(), idea
        assert idea.comment_count == idea.comments.filter(deleted_at__isnull=True).count(), idea
        assert (idea.rating_count, idea.rating_sum) == (len(values), sum(values)), idea
        if values:
            assert idea.rating_mean == pytest.approx(sum(values) / len(values), abs=0.01)
        else:
            assert idea.rating_mean == 0


def test_demo_loads_twice_without_duplicates():
    first = counts()
    load_demo()
    assert counts() == first


def test_musterstadt_process_and_ideas():
    process = Process.objects.get(body__slug="musterstadt", slug=demo.PROCESS_SLUG)
    assert process.title == "Digitaler Aufbruch Musterstadt"
    assert [p.kind for p in process.phases.all()] == [
        PhaseKind.COLLECT,
        PhaseKind.COMMENT_RATE,
        PhaseKind.REVIEW,
        PhaseKind.RESULT,
    ]
    assert process.current_phase().kind == PhaseKind.COLLECT
    ideas = Idea.objects.filter(process=process)
    assert ideas.count() >= 40
    assert ideas.values("action_field").distinct().count() >= 10
    assert_counters_match_rows(Idea.objects.all())
    assert Comment.objects.filter(idea__process=process, parent__isnull=False).exists()
    assert Comment.objects.filter(idea__process=process, deleted_at__isnull=False).count() == 1
    assert ideas.filter(answered_at__isnull=False).count() >= 5

    merged = ideas.get(state=IdeaState.MERGED)
    assert merged.merged_into.process == process
    assert merged.support_count == 0

    hidden = ideas.filter(is_hidden=True)
    assert hidden.count() == 2
    for idea in hidden:
        assert idea.hidden_reason
        assert ModerationAction.objects.filter(idea=idea, kind="hide", reason=idea.hidden_reason)
        assert idea.report_count == Report.objects.filter(idea=idea).count() > 0

    accepted = ideas.filter(state=IdeaState.ACCEPTED, measure__isnull=False)
    assert "Bürgerbeteiligungs-App" in {idea.measure.title for idea in accepted}
    assert all(i.state_reason for i in ideas.filter(state=IdeaState.REJECTED))
    assert ideas.filter(state=IdeaState.REJECTED).count() >= 2

    # Authors are verified demo citizens.
    author = ideas.exclude(author__isnull=True).first().author
    assert author.emailaddress_set.filter(verified=True).exists()


def test_beispielstadt_has_a_permanent_platform():
    process = Process.objects.get(body__slug="beispielstadt", slug=demo.PERMANENT_SLUG)
    assert process.phases.get().end is None
    assert process.ideas.count() >= 3


def test_world_cafe_topics_questions_results():
    from django.utils import timezone

    workshop = Workshop.objects.get(body__slug="musterstadt", kind=Workshop.Kind.WORLD_CAFE)
    assert workshop.is_published
    assert workshop.starts_at < timezone.now()
    topics = list(workshop.topics.all())
    next_year = timezone.localdate().year + 1
    assert [t.title for t in topics] == [
        "Verwaltungsdigitalisierung",
        "Smart City",
        "Digitale Ratssitzungen",
        f"Fokus {next_year}",
    ]
    for topic in topics:
        assert topic.questions.count() == 2
        assert 2 <= topic.results.count() <= 3
    from_workshop = Idea.objects.get(origin_result__topic__workshop=workshop)
    assert from_workshop.body == workshop.body


def test_demo_is_searchable():
    from lotse.core.models import Body

    body = Body.objects.get(slug="musterstadt")
    hits = search.similar(AnonymousUser(), body, "WLAN in der Innenstadt")
    titles = [hit.title for hit in hits]
    assert "Kostenloses WLAN in der Innenstadt" in titles
    assert "WLAN in öffentlichen Bereichen" in titles  # the measure
    assert not [t for t in titles if t in (demo.SPAM, demo.PERSONAL)]


def test_scale_command_fills_consistently():
    out = StringIO()
    call_command(
        "participation_scale", body="musterstadt", ideas=120, interactions=1200, stdout=out
    )
    process = Process.objects.get(body__slug="musterstadt", slug=demo.SCALE_SLUG)
    ideas = Idea.objects.filter(process=process)
    assert ideas.count() == 120
    interactions = (
        Comment.objects.filter(idea__process=process).count()
        + Support.objects.filter(idea__process=process).count()
        + Rating.objects.filter(idea__process=process).count()
    )
    assert 600 < interactions < 2000
    assert ideas.order_by("pk").first().comments.count() == 200
    assert_counters_match_rows(ideas)
    assert len(set(ideas.values_list("title", flat=True))) == 120
    # Indexed: the generated titles are found.
    hits = search.similar(AnonymousUser(), process.body, "Sitzbänke am Marktplatz")
    assert hits and "Sitzbänke" in hits[0].title
    # A second run adds nothing.
    call_command("participation_scale", ideas=120, interactions=1200, stdout=StringIO())
    assert Idea.objects.filter(process=process).count() == 120
