"""Moderation where the content is (issue 14, point 4) and keeping the focus after in-place
actions (point 10)."""

import pytest

from lotse.participation.models import Comment, ModerationNote
from tests.factories import UserFactory
from tests.participation.factories import CommentFactory

pytestmark = pytest.mark.django_db


def url(idea, tail=""):
    return f"/{idea.body.slug}/ideen/{idea.pk}/{tail}"


def test_moderator_sees_hide_next_to_delete_on_the_idea_page(client, idea, moderator):
    comment = CommentFactory(idea=idea)
    client.force_login(moderator)
    html = client.get(url(idea)).content.decode()
    act = f"/{idea.body.slug}/verwaltung/moderation/aktion/"
    # Hiding and deleting the idea, hiding its comment.
    assert html.count(f'action="{act}"') == 3
    assert 'name="action" value="delete"' in html and "Grund für das Löschen" in html
    assert 'name="kind" value="idea"' in html and 'name="kind" value="comment"' in html
    assert f'name="next" value="{url(idea)}#kommentar-{comment.pk}"' in html
    assert "Grund für das Ausblenden" in html
    # Deleting says what happens to replies and supports, and asks a moderator for a reason.
    assert "Antworten darauf bleiben sichtbar" in html
    assert f'id="delete-reason-{comment.pk}"' in html


def test_citizen_sees_no_moderation(client, idea, citizen):
    CommentFactory(idea=idea, author=citizen)
    client.force_login(citizen)
    html = client.get(url(idea)).content.decode()
    assert "verwaltung/moderation/aktion/" not in html
    assert "delete-reason-" not in html  # deleting one's own comment needs no reason
    assert "Antworten darauf bleiben sichtbar" in html


def test_hide_from_the_idea_page_returns_there(client, idea, moderator):
    client.force_login(moderator)
    response = client.post(
        f"/{idea.body.slug}/verwaltung/moderation/aktion/",
        {"kind": "idea", "pk": idea.pk, "action": "hide", "reason": "Werbung", "next": url(idea)},
    )
    assert response.status_code == 302 and response["Location"] == url(idea)
    idea.refresh_from_db()
    assert idea.is_hidden and idea.hidden_reason == "Werbung"
    html = client.get(url(idea)).content.decode()
    assert "Wieder anzeigen" in html


def test_moderator_deletes_a_comment_only_with_a_reason(client, idea, moderator):
    comment = CommentFactory(idea=idea, author=UserFactory())
    CommentFactory(idea=idea, parent=comment)
    client.force_login(moderator)
    client.post(url(idea, f"kommentare/{comment.pk}/loeschen/"))
    comment.refresh_from_db()
    assert comment.deleted_at is None
    client.post(url(idea, f"kommentare/{comment.pk}/loeschen/"), {"reason": "Beleidigung"})
    comment.refresh_from_db()
    assert comment.deleted_at is not None
    assert ModerationNote.objects.filter(comment=comment, text__contains="Beleidigung").exists()
    # The reply stays.
    assert Comment.objects.filter(parent=comment, deleted_at__isnull=True).count() == 1


def test_author_deletes_own_comment_without_a_reason(client, idea, citizen):
    comment = CommentFactory(idea=idea, author=citizen)
    client.force_login(citizen)
    client.post(url(idea, f"kommentare/{comment.pk}/loeschen/"))
    comment.refresh_from_db()
    assert comment.deleted_at is not None


def test_in_place_controls_keep_their_focus_group_and_the_page_loads_the_script(
    client, idea, citizen
):
    client.force_login(citizen)
    html = client.get(url(idea)).content.decode()
    assert 'data-focus-group="support"' in html
    assert 'data-focus-group="rating"' in html
    assert "js/focus-after-swap" in html
    assert 'id="idea-status"' in html and 'aria-live="polite"' in html
    fragment = client.post(url(idea, "unterstuetzen/"), headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert 'data-focus-group="support"' in body  # the successor control: withdraw
    assert 'hx-swap-oob="innerHTML"' in body  # the announcement
