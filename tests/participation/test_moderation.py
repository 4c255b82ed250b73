"""Moderation: reports, hiding that tells the author why, restoring, blocks, notes, the
queue and who may use it."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.participation.models import (
    Block,
    Comment,
    Idea,
    ModerationAction,
    ModerationNote,
    Notification,
    NotificationSettings,
    ParticipationSettings,
    Report,
)
from lotse.participation.services import moderation
from tests.factories import UserFactory
from tests.participation.factories import CommentFactory, IdeaFactory

pytestmark = pytest.mark.django_db

# Session, user, roles, blocks … and the page's own reads: the same for 1 or 100 rows.
QUEUE_QUERIES = 8
LOG_QUERIES = 6


@pytest.fixture
def mod(body, make_member):
    return make_member(body, "moderator")


@pytest.fixture
def comment(idea):
    return CommentFactory(idea=idea, text="Ihr seid alle Idioten.")


def queue(body, rest=""):
    return f"/{body.slug}/verwaltung/moderation/{rest}"


# --- Reports and the automatic hiding ---------------------------------------------------------


def test_report_is_counted_once_per_person(idea, citizen):
    first = moderation.report(citizen, idea, "spam", "Werbung für Kaffeefahrten")
    again = moderation.report(citizen, idea, "beleidigend")
    assert first.pk == again.pk
    assert Report.objects.count() == 1
    idea.refresh_from_db()
    assert idea.report_count == 1 and not idea.is_hidden


def test_content_hides_itself_at_the_body_threshold(body, comment):
    ParticipationSettings.objects.create(body=body, reports_to_hide=2)
    moderation.report(UserFactory(), comment, "beleidigend")
    comment.refresh_from_db()
    assert not comment.is_hidden
    moderation.report(UserFactory(), comment, "beleidigend")
    comment.refresh_from_db()
    assert comment.is_hidden
    assert comment.hidden_reason == "automatisch ausgeblendet nach Meldungen, wird geprüft"
    act = ModerationAction.objects.get()
    assert act.kind == ModerationAction.Kind.AUTO_HIDE and act.moderator is None
    assert act.comment == comment and act.user == comment.author
    assert comment.history.first().history_change_reason.startswith("automatisch")
    assert moderation.is_auto_hidden(comment)
    # The author hears that it is hidden for now.
    assert Notification.objects.filter(user=comment.author, kind="moderation").exists()


def test_default_threshold_is_three(idea):
    for _ in range(2):
        moderation.report(UserFactory(), idea, "spam")
    idea.refresh_from_db()
    assert not idea.is_hidden
    moderation.report(UserFactory(), idea, "spam")
    idea.refresh_from_db()
    assert idea.is_hidden and idea.report_count == 3


def test_reporting_needs_a_verified_unblocked_account(idea, unverified, blocked):
    for person in (unverified, blocked):
        with pytest.raises(PermissionDenied):
            moderation.report(person, idea, "spam")
    with pytest.raises(ValidationError):
        moderation.report(UserFactory(), idea, "langweilig")
    assert not Report.objects.exists()


def test_report_rate_limit_answers_429(client, body, process, citizen):
    ParticipationSettings.objects.create(body=body, reports_per_hour=1)
    first, second = IdeaFactory(process=process), IdeaFactory(process=process)
    client.force_login(citizen)
    ok = client.post(f"/{body.slug}/ideen/{first.pk}/melden/", {"reason": "spam"})
    assert ok.status_code == 302
    limited = client.post(f"/{body.slug}/ideen/{second.pk}/melden/", {"reason": "spam"})
    assert limited.status_code == 429
    assert Report.objects.count() == 1


def test_report_form_pages(client, body, idea, comment, citizen):
    url = f"/{body.slug}/ideen/{idea.pk}/melden/"
    assert client.get(url).status_code == 302  # to the login
    client.force_login(citizen)
    page = client.get(url).content.decode()
    assert "Spam" in page and 'name="hp_homepage"' in page
    response = client.post(url, {"reason": ""})
    assert "Bitte wählen Sie einen Grund" in response.content.decode()
    comment_url = f"/{body.slug}/ideen/{idea.pk}/kommentare/{comment.pk}/melden/"
    response = client.post(comment_url, {"reason": "beleidigend", "text": "Beleidigung"})
    assert response["Location"] == idea.get_absolute_url()
    report = Report.objects.get()
    assert report.comment == comment and report.text == "Beleidigung"


def test_honeypot_stores_nothing(client, body, idea, citizen):
    client.force_login(citizen)
    response = client.post(
        f"/{body.slug}/ideen/{idea.pk}/melden/", {"reason": "spam", "hp_homepage": "x"}
    )
    assert response.status_code == 302
    assert not Report.objects.exists()


def test_hidden_or_foreign_content_cannot_be_reported(client, body, other_body, idea, citizen):
    client.force_login(citizen)
    idea.is_hidden = True
    idea.save()
    assert client.get(f"/{body.slug}/ideen/{idea.pk}/melden/").status_code == 404
    assert client.get(f"/{other_body.slug}/ideen/{idea.pk}/melden/").status_code == 404


# --- Decisions of moderators ------------------------------------------------------------------


def test_hiding_needs_a_reason(mod, comment):
    with pytest.raises(ValidationError):
        moderation.hide(mod, comment, "  ")
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_hiding_tells_the_author_by_mail_and_in_app(
    body, mod, comment, django_capture_on_commit_callbacks
):
    body.contact_email = "beteiligung@teststadt.example"
    body.save()
    moderation.report(UserFactory(), comment, "beleidigend")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.hide(mod, comment, "Beleidigung anderer Teilnehmender")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Beleidigung anderer Teilnehmender"
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    note = Notification.objects.get(user=comment.author, kind="moderation")
    assert "Beleidigung anderer Teilnehmender" in note.text
    assert note.url.endswith(f"#kommentar-{comment.pk}")
    [message] = mail.outbox
    assert message.to == [comment.author.email]
    assert "ausgeblendet" in message.subject
    assert "Grund: Beleidigung anderer Teilnehmender" in message.body
    assert "beteiligung@teststadt.example" in message.body  # how to object
    act = ModerationAction.objects.get(kind="hide")
    assert act.moderator == mod and act.reason == "Beleidigung anderer Teilnehmender"
    latest = comment.history.first()
    assert latest.history_user == mod and latest.is_hidden


def test_digest_choice_is_respected_but_the_in_app_row_exists(
    mod, comment, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=comment.author, email="taeglich")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.hide(mod, comment, "Spam")
    assert mail.outbox == []
    assert Notification.objects.filter(user=comment.author, emailed_at__isnull=True).exists()


def test_restore_and_dismiss(body, mod, idea):
    ParticipationSettings.objects.create(body=body, reports_to_hide=1)
    moderation.report(UserFactory(), idea, "spam")
    idea.refresh_from_db()
    assert idea.is_hidden
    moderation.dismiss_reports(mod, idea, "kein Spam")
    idea.refresh_from_db()
    assert not idea.is_hidden and idea.hidden_reason == ""
    # A moderator's own decision is not undone by dismissing later reports.
    moderation.hide(mod, idea, "Werbung")
    moderation.dismiss_reports(mod, idea)
    idea.refresh_from_db()
    assert idea.is_hidden
    moderation.restore(mod, idea, "Nach Rücksprache wieder sichtbar")
    idea.refresh_from_db()
    assert not idea.is_hidden
    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["auto_hide", "dismiss", "hide", "dismiss", "restore"]
    titles = list(Notification.objects.filter(user=idea.author).values_list("title", flat=True))
    assert any("wieder sichtbar" in t for t in titles)


def test_block_stops_posting_until_lifted(
    body, mod, process, citizen, django_capture_on_commit_callbacks
):
    from lotse.participation.services.ideas import submit_idea

    with django_capture_on_commit_callbacks(execute=True):
        moderation.block_user(mod, body, citizen, "Wiederholt beleidigend")
    assert Block.objects.get(user=citizen).blocked_by == mod
    assert not citizen.has_perm("participation.post", body)
    with pytest.raises(PermissionDenied):
        submit_idea(citizen, process, title="Noch eine Idee", text="Text der Idee")
    note = Notification.objects.get(user=citizen)
    assert "Wiederholt beleidigend" in note.text
    assert any("Wiederholt beleidigend" in m.body for m in mail.outbox)
    moderation.unblock_user(mod, body, citizen)
    assert citizen.has_perm("participation.post", body)
    assert submit_idea(citizen, process, title="Noch eine Idee", text="Text der Idee").pk
    kinds = set(ModerationAction.objects.values_list("kind", flat=True))
    assert kinds == {"block", "unblock"}


def test_block_needs_reason_and_a_future_end(body, mod, citizen):
    from django.utils import timezone

    with pytest.raises(ValidationError):
        moderation.block_user(mod, body, citizen, "")
    with pytest.raises(ValidationError):
        moderation.block_user(mod, body, citizen, "Spam", until=timezone.now())
    assert not Block.objects.exists()


def test_notes_are_internal(body, mod, idea, citizen):
    moderation.add_note(mod, body, "Schon zweimal aufgefallen", user=idea.author, idea=idea)
    assert ModerationNote.objects.get().author == mod
    with pytest.raises(PermissionDenied):
        moderation.add_note(citizen, body, "Ich auch")


@pytest.mark.parametrize("role", [None, "staff", "program_owner", "foreign_moderator"])
def test_only_moderators_of_the_body_moderate(client, body, other_body, comment, make_member, role):
    if role is None:
        person = UserFactory()
    elif role == "foreign_moderator":
        person = make_member(other_body, "moderator")
    else:
        person = make_member(body, role)
    with pytest.raises(PermissionDenied):
        moderation.hide(person, comment, "Grund")
    with pytest.raises(PermissionDenied):
        moderation.block_user(person, body, comment.author, "Grund")
    client.force_login(person)
    for path in ("", "protokoll/", "sperren/"):
        assert client.get(queue(body, path)).status_code == 403
    response = client.post(
        queue(body, "aktion/"),
        {"kind": "comment", "pk": comment.pk, "action": "hide", "reason": "Grund"},
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_anonymous_is_sent_to_login(client, body):
    response = client.get(queue(body))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_moderator_of_other_body_cannot_reach_content_by_id(client, body, other_body, comment):
    from tests.factories import BodyRoleFactory, add_totp

    person = BodyRoleFactory(body=other_body, role="moderator").user
    add_totp(person)
    client.force_login(person)
    response = client.post(
        queue(other_body, "aktion/"),
        {"kind": "comment", "pk": comment.pk, "action": "hide", "reason": "Grund"},
    )
    assert response.status_code == 404


# --- The queue page ---------------------------------------------------------------------------


def make_reports(process, count):
    for _ in range(count):
        idea = IdeaFactory(process=process)
        comment = CommentFactory(idea=idea)
        moderation.report(UserFactory(), idea, "spam", "Werbung")
        moderation.report(UserFactory(), comment, "beleidigend")


def test_queue_groups_reports_and_lists_auto_hidden_first(client, body, process, mod):
    ParticipationSettings.objects.create(body=body, reports_to_hide=2)
    calm = IdeaFactory(process=process, title="Ruhige Idee")
    loud = IdeaFactory(process=process, title="Laute Idee")
    moderation.report(UserFactory(), calm, "thema")
    moderation.report(UserFactory(), loud, "spam", "Reine Werbung")
    moderation.report(UserFactory(), loud, "spam")
    moderation.add_note(mod, body, "Kenne ich schon", idea=loud)
    client.force_login(mod)
    html = client.get(queue(body)).content.decode()
    assert html.index("Laute Idee") < html.index("Ruhige Idee")
    assert "2 offene Meldungen" in html and "Spam (2)" in html
    assert "Reine Werbung" in html and "Kenne ich schon" in html


def test_queue_actions_through_the_page(client, body, mod, comment):
    moderation.report(UserFactory(), comment, "beleidigend")
    client.force_login(mod)
    action = queue(body, "aktion/")
    response = client.post(
        action, {"kind": "comment", "pk": comment.pk, "action": "hide", "reason": ""}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert not comment.is_hidden
    client.post(action, {"kind": "comment", "pk": comment.pk, "action": "hide", "reason": "Hass"})
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Hass"
    client.post(queue(body, "sperren/"), {"user": comment.author_id, "reason": "Hassrede"})
    assert Block.objects.filter(user=comment.author, body=body).exists()
    blocks = client.get(queue(body, "sperren/")).content.decode()
    assert "Hassrede" in blocks
    client.post(queue(body, f"sperren/{comment.author_id}/aufheben/"))
    assert not moderation.active_blocks(body).exists()
    log = client.get(queue(body, "protokoll/")).content.decode()
    assert "Hass" in log and "Person gesperrt" in log and "Sperre aufgehoben" in log


@pytest.mark.parametrize("size", [1, 6])
def test_queue_query_count_does_not_grow(
    client, body, process, mod, size, django_assert_num_queries
):
    make_reports(process, size)
    hidden = CommentFactory(idea=IdeaFactory(process=process), is_hidden=True)
    moderation.add_note(mod, body, "Notiz", comment=hidden)
    client.force_login(mod)
    client.get(queue(body))  # warm the session
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(queue(body))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_log_query_count_does_not_grow(client, body, process, mod, size, django_assert_num_queries):
    make_reports(process, size)
    for found in Comment.objects.all():
        moderation.hide(mod, found, "Grund")
    for found in Idea.objects.all()[:size]:
        moderation.hide(mod, found, "Grund")
    client.force_login(mod)
    client.get(queue(body, "protokoll/"))
    with django_assert_num_queries(LOG_QUERIES):
        client.get(queue(body, "protokoll/"))


def test_comments_of_hidden_ideas_cannot_be_reported(idea, comment, citizen):
    Idea.objects.filter(pk=idea.pk).update(is_hidden=True)
    comment.idea.refresh_from_db()
    with pytest.raises(PermissionDenied):
        moderation.report(citizen, comment, "spam")
    assert not Report.objects.exists()
