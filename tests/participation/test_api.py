"""Participation in the API: public reads only, writes with the pages' permissions and rate
limits, all in the schema."""

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from lotse.accounts.services import create_api_token
from lotse.participation.models import (
    Comment,
    Idea,
    IdeaState,
    ParticipationSettings,
    PhaseKind,
    Support,
)
from tests.participation.factories import (
    CommentFactory,
    IdeaFactory,
    ProcessFactory,
    WorkshopFactory,
    WorkshopTopicFactory,
)
from tests.strategy.factories import ActionFieldFactory

pytestmark = pytest.mark.django_db


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def api(body, path=""):
    return f"/api/v1/bodies/{body.slug}{path}"


@pytest.fixture
def staff_token(body, make_member):
    user = make_member(body, "staff")
    return user, create_api_token(user, "Fachverfahren")[1]


@pytest.fixture
def session_client(citizen):
    """A citizen's browser session that sends the CSRF token like the pages do."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    client.defaults["HTTP_X_CSRFTOKEN"] = secret
    return client


# --- Reading -----------------------------------------------------------------------------------


def test_ideas_list_shows_public_ideas_only(client, body, process, idea, make_member):
    hidden = IdeaFactory(process=process, is_hidden=True, title="Versteckt")
    draft = ProcessFactory(body=body, is_published=False)
    unpublished = IdeaFactory(process=draft, title="Im Entwurf")
    titles = {i["title"] for i in client.get(api(body, "/ideas")).json()["items"]}
    assert titles == {idea.title}
    assert client.get(api(body, f"/ideas/{hidden.pk}")).status_code == 404
    assert client.get(api(body, f"/ideas/{unpublished.pk}")).status_code == 404
    assert client.get(api(body, f"/ideas/{unpublished.pk}/comments")).status_code == 404
    # Not even a moderator's or staff member's session sees more here.
    client.force_login(make_member(body, "moderator"))
    titles = {i["title"] for i in client.get(api(body, "/ideas")).json()["items"]}
    assert titles == {idea.title}
    _, raw = create_api_token(make_member(body, "staff"), "t")
    assert client.get(api(body, f"/ideas/{hidden.pk}"), headers=bearer(raw)).status_code == 404


def test_idea_shows_the_public_name_and_no_email(client, body, idea):
    data = client.get(api(body, f"/ideas/{idea.pk}")).json()
    assert data["author"] == idea.author.display_name
    assert idea.author.email not in str(data)
    assert data["process"] == idea.process.slug


def test_idea_from_a_workshop_names_its_origin(client, body, process):
    workshop = WorkshopFactory(body=body, process=process, title="World Café")
    topic = WorkshopTopicFactory(workshop=workshop, title="Smart City")
    result = topic.results.create(text="Sensoren")
    idea = IdeaFactory(process=process, author=None, origin_result=result)
    data = client.get(api(body, f"/ideas/{idea.pk}")).json()
    assert data["author"] is None
    assert data["origin"] == {
        "workshop_id": workshop.pk,
        "workshop_title": "World Café",
        "topic": "Smart City",
    }


def test_filters_and_sorts(client, body, process, field):
    topic = ActionFieldFactory(strategy=field.strategy, parent=field)
    other = ProcessFactory(body=body, slug="anderes")
    a = IdeaFactory(process=process, action_field=topic, support_count=5)
    b = IdeaFactory(process=process, state=IdeaState.ACCEPTED, support_count=9)
    c = IdeaFactory(process=other, support_count=1)

    def ids(query):
        return [i["id"] for i in client.get(api(body, "/ideas") + query).json()["items"]]

    assert ids("?process=anderes") == [c.pk]
    assert ids(f"?action_field={field.pk}") == [a.pk]  # a field includes its topics
    assert ids("?state=angenommen") == [b.pk]
    assert ids("?sort=unterstuetzungen") == [b.pk, a.pk, c.pk]
    assert ids("") == [c.pk, b.pk, a.pk]  # newest first
    assert client.get(api(body, "/ideas?sort=beliebig")).status_code == 422


def test_search_uses_the_german_search(client, body, process):
    IdeaFactory(process=process, title="Mehr Radwege", text="Sichere Radwege zur Schule")
    IdeaFactory(process=process, title="WLAN im Park", text="Freies Netz")
    titles = [i["title"] for i in client.get(api(body, "/ideas?q=Radweg")).json()["items"]]
    assert titles == ["Mehr Radwege"]


def test_comments_keep_deleted_and_hidden_ones_without_text(client, body, idea):
    shown = CommentFactory(idea=idea, text="Gute Idee")
    CommentFactory(idea=idea, text="Beleidigung", is_hidden=True)
    CommentFactory(idea=idea, text="Zurückgezogen", deleted_at=timezone.now())
    CommentFactory(idea=idea, parent=shown, text="Finde ich auch")
    data = client.get(api(body, f"/ideas/{idea.pk}/comments")).json()["items"]
    assert [c["text"] for c in data] == ["Gute Idee", None, None, "Finde ich auch"]
    assert data[1]["is_hidden"] and data[2]["is_deleted"]
    assert data[1]["author"] is None and data[3]["parent_id"] == shown.pk
    assert "Beleidigung" not in str(data) and "Zurückgezogen" not in str(data)


def test_processes_list_shows_published_processes_with_phases(client, body, process):
    ProcessFactory(body=body, title="Entwurf", is_published=False)
    data = client.get(api(body, "/processes")).json()
    assert [p["slug"] for p in data] == [process.slug]
    assert data[0]["current_phase"] == "ideen"
    assert set(data[0]["allowed_actions"]) == {"submit", "comment", "support", "rate"}


def test_list_query_counts_are_pinned(client, body, process, idea, django_assert_num_queries):
    for _ in range(3):
        CommentFactory(idea=idea)
        ProcessFactory(body=body)
    for _ in range(20):
        IdeaFactory(process=process)
    # body, count, page (with process, author, origin joined)
    with django_assert_num_queries(3):
        assert client.get(api(body, "/ideas")).status_code == 200
    # body, idea, count, page (authors joined)
    with django_assert_num_queries(4):
        assert client.get(api(body, f"/ideas/{idea.pk}/comments")).status_code == 200
    # body, processes, phases, action fields
    with django_assert_num_queries(4):
        assert client.get(api(body, "/processes")).status_code == 200


def test_schema_contains_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    ideas = "/api/v1/bodies/{slug}/ideas"
    assert {"get", "post"} <= set(paths[ideas])
    assert "get" in paths[ideas + "/{idea_id}"]
    assert {"get", "post"} <= set(paths[ideas + "/{idea_id}/comments"])
    assert {"post", "delete"} <= set(paths[ideas + "/{idea_id}/support"])
    assert "get" in paths["/api/v1/bodies/{slug}/processes"]
    assert "429" in paths[ideas]["post"]["responses"]


# --- Writing -----------------------------------------------------------------------------------


def test_writing_needs_a_token_or_a_session(client, body, process, idea):
    payload = {"process": process.slug, "title": "Neu", "text": "Text"}
    response = client.post(api(body, "/ideas"), payload, content_type="application/json")
    assert response.status_code == 401
    assert client.post(api(body, f"/ideas/{idea.pk}/support")).status_code == 401
    assert client.post(api(body, "/ideas"), headers=bearer("lotse_falsch")).status_code == 401


def test_session_write_needs_the_csrf_token(body, idea, citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post(api(body, f"/ideas/{idea.pk}/support")).status_code == 403
    assert not Support.objects.exists()


def test_citizen_submits_comments_and_supports_in_the_session(
    session_client, body, process, idea, field, citizen
):
    response = session_client.post(
        api(body, "/ideas"),
        {
            "process": process.slug,
            "title": "Digitale Sprechstunde",
            "text": "Termine im Bürgerbüro online buchen.",
            "action_field_id": field.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = Idea.objects.get(pk=response.json()["id"])
    assert created.author == citizen and created.action_field == field
    response = session_client.post(
        api(body, f"/ideas/{idea.pk}/comments"),
        {"text": "Sehr gut"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["text"] == "Sehr gut"
    comment = Comment.objects.get(idea=idea)
    reply = session_client.post(
        api(body, f"/ideas/{idea.pk}/comments"),
        {"text": "Antwort", "parent_id": comment.pk},
        content_type="application/json",
    )
    assert reply.status_code == 201 and reply.json()["parent_id"] == comment.pk
    supported = session_client.post(api(body, f"/ideas/{idea.pk}/support"))
    assert supported.json() == {"idea_id": idea.pk, "supported": True, "support_count": 1}
    session_client.post(api(body, f"/ideas/{idea.pk}/support"))  # once per person
    assert Support.objects.filter(idea=idea).count() == 1
    withdrawn = session_client.delete(api(body, f"/ideas/{idea.pk}/support"))
    assert withdrawn.json()["support_count"] == 0


def test_token_writes_follow_the_same_rules(client, body, process, staff_token):
    _, raw = staff_token
    response = client.post(
        api(body, "/ideas"),
        {"process": process.slug, "title": "Aus dem Fachverfahren", "text": "Text"},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert response.status_code == 201
    assert response.json()["author"]


def test_phase_and_validation_errors_are_422_in_german(session_client, body):
    closed = ProcessFactory(body=body, phase=PhaseKind.REVIEW)
    idea = IdeaFactory(process=closed)
    response = session_client.post(
        api(body, "/ideas"),
        {"process": closed.slug, "title": "Zu spät", "text": "Text"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "Phase" in str(response.json()["errors"])
    response = session_client.post(api(body, f"/ideas/{idea.pk}/support"))
    assert response.status_code == 422
    open_process = ProcessFactory(body=body)
    response = session_client.post(
        api(body, "/ideas"),
        {"process": open_process.slug, "title": "   ", "text": "Text"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "title" in {error["field"] for error in response.json()["errors"]}
    assert not Idea.objects.filter(title__in=["Zu spät", "   "]).exists()


def test_blocked_or_unverified_people_get_403(body, idea, blocked, unverified):
    for user in (blocked, unverified):
        client = Client()
        client.force_login(user)
        response = client.post(
            api(body, f"/ideas/{idea.pk}/comments"),
            {"text": "Hallo"},
            content_type="application/json",
        )
        assert response.status_code == 403
    assert not Comment.objects.exists()


def test_rate_limit_answers_429_in_german(session_client, body, process):
    ParticipationSettings.objects.create(body=body, ideas_per_hour=2)
    codes = []
    for n in range(3):
        response = session_client.post(
            api(body, "/ideas"),
            {"process": process.slug, "title": f"Idee {n}", "text": "Text"},
            content_type="application/json",
        )
        codes.append(response.status_code)
    assert codes == [201, 201, 429]
    assert "Stunde" in response.json()["detail"]
    assert Idea.objects.count() == 2


def test_hidden_and_foreign_ideas_cannot_be_written_to(session_client, body, other_body, process):
    hidden = IdeaFactory(process=process, is_hidden=True)
    foreign = IdeaFactory(process=ProcessFactory(body=other_body))
    assert session_client.post(api(body, f"/ideas/{hidden.pk}/support")).status_code == 404
    assert session_client.post(api(body, f"/ideas/{foreign.pk}/support")).status_code == 404
    draft = ProcessFactory(body=body, is_published=False)
    response = session_client.post(
        api(body, "/ideas"),
        {"process": draft.slug, "title": "X", "text": "Y"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Support.objects.exists()
