"""Moderators delete an idea (issue 14, point 4): with a reason and a confirmation, soft, and
gone from every channel for everyone, its author included."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.participation.models import ModerationAction, Notification
from lotse.participation.services import moderation
from tests.participation.factories import CommentFactory, IdeaFactory

pytestmark = pytest.mark.django_db


def act(body):
    return f"/{body.slug}/verwaltung/moderation/aktion/"


def delete(client, idea, **extra):
    data = {"kind": "idea", "pk": idea.pk, "action": "delete", "next": idea.get_absolute_url()}
    return client.post(act(idea.body), data | extra)


def test_the_service_deletes_softly_with_a_reason_in_the_log(idea, moderator):
    with pytest.raises(ValidationError):
        moderation.delete_idea(moderator, idea, "  ")
    moderation.delete_idea(moderator, idea, "Werbung")
    idea.refresh_from_db()
    assert idea.deleted_at is not None and idea.is_hidden
    action = ModerationAction.objects.get(idea=idea)
    assert (action.kind, action.reason, action.moderator) == ("delete", "Werbung", moderator)
    told = Notification.objects.get(user=idea.author)
    assert "gelöscht" in told.title and "Werbung" in told.text
    assert told.url == f"/{idea.body.slug}/ideen/meine/"  # not the idea's page, which is gone
    with pytest.raises(ValidationError):
        moderation.delete_idea(moderator, idea, "noch einmal")


@pytest.mark.parametrize("who", ["author", "citizen", "other_moderator"])
def test_only_moderators_of_the_body_delete(idea, citizen, other_body, make_member, who):
    user = {
        "author": lambda: idea.author,
        "citizen": lambda: citizen,
        "other_moderator": lambda: make_member(other_body, "moderator"),
    }[who]()
    with pytest.raises(PermissionDenied):
        moderation.delete_idea(user, idea, "Werbung")


@pytest.mark.parametrize("who", ["author", "citizen", "other_moderator"])
def test_the_delete_action_refuses_others(client, idea, citizen, other_body, make_member, who):
    user = {
        "author": lambda: idea.author,
        "citizen": lambda: citizen,
        "other_moderator": lambda: make_member(other_body, "moderator"),
    }[who]()
    client.force_login(user)
    response = delete(client, idea, reason="Werbung", confirm="1")
    assert response.status_code in {302, 403, 404}
    idea.refresh_from_db()
    assert idea.deleted_at is None
    assert "delete-confirm-idea" not in client.get(idea.get_absolute_url()).content.decode()


def test_moderator_deletes_with_reason_and_confirmation(client, idea, moderator):
    client.force_login(moderator)
    html = client.get(idea.get_absolute_url()).content.decode()
    assert 'id="delete-confirm-idea"' in html
    assert "verschwindet für alle" in html and "Unterstützungen" in html
    delete(client, idea, reason="Werbung")  # not confirmed
    idea.refresh_from_db()
    assert idea.deleted_at is None
    delete(client, idea, confirm="1")  # no reason
    idea.refresh_from_db()
    assert idea.deleted_at is None
    response = delete(client, idea, reason="Werbung", confirm="1")
    assert response.status_code == 302 and response["Location"] == f"/{idea.body.slug}/ideen/"
    idea.refresh_from_db()
    assert idea.deleted_at is not None
    assert client.get(idea.get_absolute_url()).status_code == 404


def test_a_deleted_idea_is_gone_from_every_channel(
    client, body, process, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the search index follows
        answered = {"answer": "Wird geprüft.", "answered_at": timezone.now()}  # for the feed
        idea = IdeaFactory(process=process, title="Löschkandidat Zebrastreifen", **answered)
        CommentFactory(idea=idea, text="Kommentar zum Zebrastreifen")
        kept = IdeaFactory(process=process, title="Bleibt Zebrastreifen Nord", **answered)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.delete_idea(moderator, idea, "Werbung")
    channels = [
        f"/{body.slug}/ideen/",
        f"/{body.slug}/ideen/export.csv",
        f"/{body.slug}/ideen/kommentare.csv",
        f"/api/v1/bodies/{body.slug}/ideas",
        f"/{body.slug}/suche/?q=Zebrastreifen",
        f"/{body.slug}/opendata/feeds/ideen.atom",
    ]
    for url in channels:
        response = client.get(url)
        text = b"".join(response).decode() if response.streaming else response.content.decode()
        assert response.status_code == 200, url
        assert "Löschkandidat" not in text and "Kommentar zum" not in text, url
        assert "Bleibt" in text or "kommentare" in url, url
    assert client.get(idea.get_absolute_url()).status_code == 404
    # Its author and the moderators do not see it either, nor in the moderation queue.
    for user in (idea.author, moderator):
        client.force_login(user)
        assert client.get(idea.get_absolute_url()).status_code == 404
        assert "Zebrastreifen" not in client.get(f"/{body.slug}/ideen/meine/").content.decode()
    assert (
        "Löschkandidat" not in client.get(f"/{body.slug}/verwaltung/moderation/").content.decode()
    )
    assert kept.deleted_at is None
