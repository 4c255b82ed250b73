"""Workshops: public pages with topics, guiding questions and results; staff record them and
turn results into ideas with the workshop as origin."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.participation.models import (
    Follow,
    GuidingQuestion,
    Idea,
    Notification,
    PhaseKind,
    Workshop,
    WorkshopResult,
    WorkshopTopic,
)
from lotse.participation.services import workshops as services
from tests.participation.factories import (
    IdeaFactory,
    ProcessFactory,
    WorkshopFactory,
    WorkshopTopicFactory,
)
from tests.strategy.factories import ActionFieldFactory, StrategyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(body, make_member):
    return make_member(body, "staff")


@pytest.fixture
def cafe(body, process):
    workshop = WorkshopFactory(
        body=body,
        process=process,
        title="World Café Digitale Stadt",
        starts_at=timezone.make_aware(datetime.datetime(2026, 3, 12, 18, 0)),
        place="Ratssaal",
    )
    topic = WorkshopTopicFactory(workshop=workshop, title="Smart City", order=1)
    first = GuidingQuestion.objects.create(topic=topic, text="Was fehlt in der Innenstadt?")
    second = GuidingQuestion.objects.create(topic=topic, text="Wer soll mitmachen?", order=1)
    WorkshopResult.objects.create(topic=topic, question=first, text="Freies WLAN am Marktplatz")
    WorkshopResult.objects.create(topic=topic, question=second, text="Schulen und Vereine")
    WorkshopResult.objects.create(topic=topic, text="Ein Sensor-Netz für Luftqualität")
    return workshop


def formset_data(prefix, rows, total_initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(total_initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


# --- Public pages ------------------------------------------------------------------------------


def test_workshop_page_shows_results_per_guiding_question(client, body, cafe):
    page = client.get(f"/{body.slug}/werkstaetten/{cafe.pk}/").content.decode()
    assert "World Café" in page and "Ratssaal" in page and "12. März 2026" in page
    first = page.index("Was fehlt in der Innenstadt?")
    second = page.index("Wer soll mitmachen?")
    assert first < page.index("Freies WLAN am Marktplatz") < second
    assert second < page.index("Schulen und Vereine") < page.index("Weitere Ergebnisse")
    assert page.index("Weitere Ergebnisse") < page.index("Ein Sensor-Netz für Luftqualität")


def test_result_that_became_an_idea_links_to_it(client, body, cafe, staff):
    result = WorkshopResult.objects.get(text="Freies WLAN am Marktplatz")
    idea = services.result_to_idea(staff, result)
    page = client.get(f"/{body.slug}/werkstaetten/{cafe.pk}/").content.decode()
    assert f'href="/{body.slug}/ideen/{idea.pk}/"' in page
    # A hidden idea is not linked.
    Idea.objects.filter(pk=idea.pk).update(is_hidden=True)
    page = client.get(f"/{body.slug}/werkstaetten/{cafe.pk}/").content.decode()
    assert f"/ideen/{idea.pk}/" not in page


def test_list_shows_upcoming_and_past_published_workshops(client, body):
    WorkshopFactory(
        body=body,
        title="Digitalgipfel 2030",
        starts_at=timezone.now() + datetime.timedelta(days=30),
    )
    WorkshopFactory(
        body=body, title="Altes Forum", starts_at=timezone.now() - datetime.timedelta(days=30)
    )
    WorkshopFactory(body=body, title="Geheime Werkstatt", is_published=False)
    page = client.get(f"/{body.slug}/werkstaetten/").content.decode()
    assert page.index("Demnächst") < page.index("Digitalgipfel 2030")
    assert page.index("Vergangene Veranstaltungen") < page.index("Altes Forum")
    assert "Geheime Werkstatt" not in page


def test_unpublished_workshop_is_404_for_the_public(client, body, citizen, staff):
    hidden = WorkshopFactory(body=body, is_published=False)
    url = f"/{body.slug}/werkstaetten/{hidden.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_workshop_of_another_body_is_404(client, body, other_body):
    foreign = WorkshopFactory(body=other_body)
    assert client.get(f"/{body.slug}/werkstaetten/{foreign.pk}/").status_code == 404


def test_query_counts_do_not_grow(client, body, cafe, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(path):
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        return len(context)

    list_url, detail_url = f"/{body.slug}/werkstaetten/", f"/{body.slug}/werkstaetten/{cafe.pk}/"
    list_before, detail_before = count(list_url), count(detail_url)
    for n in range(4):
        WorkshopFactory(body=body)
        topic = WorkshopTopicFactory(workshop=cafe)
        question = GuidingQuestion.objects.create(topic=topic, text=f"Frage {n}")
        result = WorkshopResult.objects.create(topic=topic, question=question, text=f"Ergebnis {n}")
        IdeaFactory(process=cafe.process, origin_result=result, author=None)
    with django_assert_num_queries(list_before):
        client.get(list_url)
    with django_assert_num_queries(detail_before):
        client.get(detail_url)


# --- Result → idea -----------------------------------------------------------------------------


def test_result_becomes_an_idea_with_its_origin(body, cafe, staff, field, citizen):
    Follow.objects.create(user=citizen, process=cafe.process)
    result = WorkshopResult.objects.get(text="Freies WLAN am Marktplatz")
    idea = services.result_to_idea(staff, result, action_field=field)
    assert idea.process == cafe.process and idea.body == body
    assert idea.origin_result == result and idea.author is None
    assert idea.title == "Freies WLAN am Marktplatz" and idea.action_field == field
    assert "Ergebnis der Veranstaltung „World Café Digitale Stadt“ (World Café)" in idea.text
    assert "am 12. März 2026, Thema „Smart City“, Leitfrage „Was fehlt in der Innenstadt?“" in (
        idea.text
    )
    assert Notification.objects.filter(user=citizen, kind="new_idea").exists()
    with pytest.raises(ValidationError):
        services.result_to_idea(staff, result)  # once only
    assert Idea.objects.filter(origin_result=result).count() == 1


def test_result_to_idea_ignores_the_phase_and_the_rate_limit(body, cafe, staff):
    """Staff record results after the collecting phase, many at once."""
    cafe.process.phases.update(kind=PhaseKind.RESULT)
    for result in WorkshopResult.objects.filter(topic__workshop=cafe):
        services.result_to_idea(staff, result)
    assert Idea.objects.filter(origin_result__topic__workshop=cafe).count() == 3


def test_long_results_get_a_trimmed_title(body, cafe, staff):
    topic = cafe.topics.first()
    result = WorkshopResult.objects.create(topic=topic, text="Wort " * 60 + "\n\nDetails")
    idea = services.result_to_idea(staff, result)
    assert len(idea.title) <= 120 and idea.title.endswith("…")


def test_result_to_idea_needs_a_process_and_staff(body, staff, citizen, make_member):
    workshop = WorkshopFactory(body=body, process=None)
    topic = WorkshopTopicFactory(workshop=workshop)
    result = WorkshopResult.objects.create(topic=topic, text="Eine Idee")
    with pytest.raises(ValidationError) as error:
        services.result_to_idea(staff, result)
    assert "Beteiligungsverfahren" in " ".join(error.value.messages)
    workshop.process = ProcessFactory(body=body)
    workshop.save()
    for user in (citizen, make_member(body, "moderator")):
        with pytest.raises(PermissionDenied):
            services.result_to_idea(user, result)
    assert not Idea.objects.exists()


def test_action_field_of_another_body_is_refused(body, other_body, cafe, staff):
    foreign = ActionFieldFactory(strategy=StrategyFactory(body=other_body))
    result = WorkshopResult.objects.filter(topic__workshop=cafe).first()
    with pytest.raises(ValidationError):
        services.result_to_idea(staff, result, action_field=foreign)


def test_take_over_button_in_the_staff_page(client, body, cafe, staff):
    client.force_login(staff)
    topic = cafe.topics.first()
    result = WorkshopResult.objects.get(text="Schulen und Vereine")
    url = f"/{body.slug}/verwaltung/werkstaetten/{cafe.pk}/ergebnisse/{result.pk}/idee/"
    response = client.post(url, {f"r{result.pk}-action_field": ""})
    assert response.status_code == 302
    assert response.url.endswith(f"/werkstaetten/{cafe.pk}/themen/{topic.pk}/")
    idea = Idea.objects.get(origin_result=result)
    page = client.get(response.url).content.decode()
    assert f"/ideen/{idea.pk}/" in page and "Als Idee übernehmen" in page  # the other results
    client.post(url, {})
    assert Idea.objects.filter(origin_result=result).count() == 1


# --- Staff pages -------------------------------------------------------------------------------


def test_staff_pages_are_staff_only(client, body, cafe, citizen, make_member):
    topic = cafe.topics.first()
    result = topic.results.first()
    base = f"/{body.slug}/verwaltung/werkstaetten/"
    pages = [
        base,
        base + "neu/",
        f"{base}{cafe.pk}/bearbeiten/",
        f"{base}{cafe.pk}/themen/{topic.pk}/",
    ]
    posts = [f"{base}{cafe.pk}/veroeffentlichen/", f"{base}{cafe.pk}/ergebnisse/{result.pk}/idee/"]
    assert all(client.get(url).status_code == 302 for url in pages)
    for user in (citizen, make_member(body, "moderator")):
        client.force_login(user)
        assert all(client.get(url).status_code == 403 for url in pages)
        assert all(client.post(url, {"veroeffentlichen": "0"}).status_code == 403 for url in posts)
    assert Workshop.objects.get(pk=cafe.pk).is_published and not Idea.objects.exists()
    client.force_login(make_member(body, "staff"))
    assert all(client.get(url).status_code == 200 for url in pages)


def test_staff_create_a_workshop_with_topics_and_publish_it(client, body, process, staff):
    client.force_login(staff)
    data = {
        "w-kind": "world_cafe",
        "w-title": "World Café Digitale Verwaltung",
        "w-starts_at": "2026-05-04T18:00",
        "w-ends_at": "2026-05-04T21:00",
        "w-place": "Bürgerhaus",
        "w-process": str(process.pk),
        "w-description": "Vier Tische, vier Themen.",
        **formset_data(
            "topics",
            [
                {"title": "Verwaltungsdigitalisierung", "order": "0"},
                {"title": "Smart City", "order": "1"},
            ],
        ),
    }
    response = client.post(f"/{body.slug}/verwaltung/werkstaetten/neu/", data)
    assert response.status_code == 302, response.context["form"].errors
    workshop = Workshop.objects.get(title="World Café Digitale Verwaltung")
    assert not workshop.is_published
    assert [t.title for t in workshop.topics.all()] == ["Verwaltungsdigitalisierung", "Smart City"]
    assert client.get(f"/{body.slug}/werkstaetten/{workshop.pk}/").status_code == 200  # staff
    client.post(
        f"/{body.slug}/verwaltung/werkstaetten/{workshop.pk}/veroeffentlichen/",
        {"veroeffentlichen": "1"},
    )
    workshop.refresh_from_db()
    assert workshop.is_published


def test_end_before_start_is_refused(client, body, staff):
    client.force_login(staff)
    data = {
        "w-kind": "forum",
        "w-title": "Forum",
        "w-starts_at": "2026-05-04T18:00",
        "w-ends_at": "2026-05-04T17:00",
        **formset_data("topics", []),
    }
    response = client.post(f"/{body.slug}/verwaltung/werkstaetten/neu/", data)
    assert response.status_code == 200 and not Workshop.objects.exists()


def test_staff_record_questions_and_results_of_a_topic(client, body, cafe, staff):
    client.force_login(staff)
    topic = WorkshopTopicFactory(workshop=cafe, title="Digitale Ratssitzungen")
    url = f"/{body.slug}/verwaltung/werkstaetten/{cafe.pk}/themen/{topic.pk}/"
    data = {
        **formset_data("questions", [{"text": "Was braucht der Rat?", "order": "0"}]),
        **formset_data("results", [{"question": "", "text": "Tablets für alle", "order": "0"}]),
    }
    assert client.post(url, data).status_code == 302
    question = GuidingQuestion.objects.get(topic=topic)
    result = WorkshopResult.objects.get(topic=topic)
    data = {
        **formset_data(
            "questions", [{"id": str(question.pk), "text": question.text, "order": "0"}], 1
        ),
        **formset_data(
            "results",
            [
                {
                    "id": str(result.pk),
                    "question": str(question.pk),
                    "text": result.text,
                    "order": "0",
                }
            ],
            1,
        ),
    }
    assert client.post(url, data).status_code == 302
    result.refresh_from_db()
    assert result.question == question
    # A question of another topic is not offered.
    other = GuidingQuestion.objects.exclude(topic=topic).first()
    data["results-0-question"] = str(other.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    result.refresh_from_db()
    assert result.question == question


def test_topic_of_another_workshop_is_404(client, body, cafe, staff):
    client.force_login(staff)
    foreign_topic = WorkshopTopic.objects.create(workshop=WorkshopFactory(body=body), title="X")
    url = f"/{body.slug}/verwaltung/werkstaetten/{cafe.pk}/themen/{foreign_topic.pk}/"
    assert client.get(url).status_code == 404


def test_management_list_query_count_does_not_grow(
    client, body, cafe, staff, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    url = f"/{body.slug}/verwaltung/werkstaetten/"
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(5):
        WorkshopTopicFactory(workshop=WorkshopFactory(body=body, is_published=False))
    with django_assert_num_queries(len(before)):
        page = client.get(url).content.decode()
    assert page.count("/bearbeiten/") == 6


def test_idea_page_links_its_published_workshop(client, body, cafe, staff):
    result = WorkshopResult.objects.get(text="Freies WLAN am Marktplatz")
    idea = services.result_to_idea(staff, result)
    page = client.get(f"/{body.slug}/ideen/{idea.pk}/").content.decode()
    assert f'href="{cafe.get_absolute_url()}"' in page and "Thema „Smart City“" in page
    cafe.is_published = False
    cafe.save()
    page = client.get(f"/{body.slug}/ideen/{idea.pk}/").content.decode()
    assert cafe.get_absolute_url() not in page
    assert "einer Werkstatt" in page
