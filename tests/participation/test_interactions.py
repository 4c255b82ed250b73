"""Supports, ratings, comments and follows: services, counters and the POST endpoints (with
and without htmx)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotse.participation import limits
from lotse.participation.models import (
    Comment,
    Follow,
    Idea,
    IdeaState,
    Notification,
    NotificationKind,
    ParticipationSettings,
    PhaseKind,
    Rating,
    Support,
)
from lotse.participation.services import ideas as services
from tests.factories import UserFactory
from tests.participation.factories import CommentFactory, IdeaFactory

pytestmark = pytest.mark.django_db


def counters(idea: Idea) -> tuple:
    idea.refresh_from_db()
    return (
        idea.support_count,
        idea.comment_count,
        idea.rating_count,
        idea.rating_sum,
        idea.rating_mean,
    )


# --- Supports --------------------------------------------------------------------------------


def test_one_support_per_person_and_withdraw(idea, citizen):
    services.support(citizen, idea)
    services.support(citizen, idea)
    assert Support.objects.filter(idea=idea).count() == 1
    assert idea.support_count == 1
    other = UserFactory()
    services.support(other, idea)
    assert idea.support_count == 2
    services.withdraw_support(citizen, idea)
    services.withdraw_support(citizen, idea)
    assert idea.support_count == 1 and not Support.objects.filter(user=citizen).exists()


def test_support_race_is_idempotent(idea, citizen, monkeypatch):
    """A parallel request inserted the row between our lookup and our insert."""
    Support.objects.create(idea=idea, user=citizen)
    real_get_or_create = Support.objects.get_or_create

    def racing_get_or_create(**kwargs):
        from django.db import IntegrityError

        raise IntegrityError("one_support_per_person")

    monkeypatch.setattr(Support.objects, "get_or_create", racing_get_or_create)
    row = services.support(citizen, idea)
    monkeypatch.setattr(Support.objects, "get_or_create", real_get_or_create)
    assert row.user == citizen and Support.objects.filter(idea=idea).count() == 1
    assert idea.support_count == 0  # the winner counted it (here: the fixture row, uncounted)


@pytest.mark.parametrize("who", ["anonymous", "unverified", "blocked"])
def test_who_may_not_take_part(idea, who, unverified, blocked):
    user = {"anonymous": AnonymousUser(), "unverified": unverified, "blocked": blocked}[who]
    for call in (
        lambda: services.support(user, idea),
        lambda: services.rate(user, idea, 3),
        lambda: services.add_comment(user, idea, "Hallo"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert counters(idea) == (0, 0, 0, 0, 0)


def test_review_phase_closes_everything(citizen, make_process):
    idea = IdeaFactory(process=make_process(PhaseKind.REVIEW))
    for call in (
        lambda: services.support(citizen, idea),
        lambda: services.rate(citizen, idea, 3),
        lambda: services.add_comment(citizen, idea, "Hallo"),
    ):
        with pytest.raises(ValidationError) as error:
            call()
        assert "Prüfung" in error.value.messages[0] or "Review" in error.value.messages[0]


def test_comment_phase_allows_supports_but_not_submitting(citizen, make_process):
    idea = IdeaFactory(process=make_process(PhaseKind.COMMENT_RATE))
    services.support(citizen, idea)
    services.add_comment(citizen, idea, "Gute Idee")
    assert counters(idea)[:2] == (1, 1)


def test_merged_and_hidden_ideas_take_no_contributions(citizen, process, moderator):
    target = IdeaFactory(process=process)
    merged = IdeaFactory(process=process, state=IdeaState.MERGED, merged_into=target)
    hidden = IdeaFactory(process=process, is_hidden=True, author=citizen)
    for idea in (merged, hidden):
        for call in (
            lambda i=idea: services.support(citizen, i),
            lambda i=idea: services.add_comment(citizen, i, "x"),
            lambda i=idea: services.rate(citizen, i, 4),
        ):
            with pytest.raises(ValidationError):
                call()


def test_hidden_idea_of_someone_else_is_not_reachable(citizen, process):
    hidden = IdeaFactory(process=process, is_hidden=True)
    with pytest.raises(PermissionDenied):
        services.support(citizen, hidden)
    with pytest.raises(PermissionDenied):
        services.follow_idea(citizen, hidden)


# --- Ratings ---------------------------------------------------------------------------------


def test_rating_and_changing_it(idea, citizen):
    services.rate(citizen, idea, 5)
    other = UserFactory()
    services.rate(other, idea, 2)
    assert counters(idea)[2:] == (2, 7, 3.5)
    services.rate(citizen, idea, 1)
    assert counters(idea)[2:] == (2, 3, 1.5)
    assert Rating.objects.filter(idea=idea).count() == 2
    for bad in (0, 6, "x", None):
        with pytest.raises(ValidationError):
            services.rate(citizen, idea, bad)


# --- Counters under random sequences ---------------------------------------------------------


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=2),
            st.sampled_from(["support", "withdraw", "rate", "comment", "delete"]),
            st.integers(min_value=1, max_value=5),
        ),
        max_size=15,
    )
)
def test_counters_equal_row_counts(idea, steps):
    # The database is shared by all examples of one test run: each starts afresh.
    Support.objects.filter(idea=idea).delete()
    Rating.objects.filter(idea=idea).delete()
    Comment.objects.filter(idea=idea).delete()
    Idea.objects.filter(pk=idea.pk).update(
        support_count=0, comment_count=0, rating_count=0, rating_sum=0, rating_mean=0
    )
    people = [UserFactory() for _ in range(3)]
    for who, action, value in steps:
        user = people[who]
        if action == "support":
            services.support(user, idea)
        elif action == "withdraw":
            services.withdraw_support(user, idea)
        elif action == "rate":
            services.rate(user, idea, value)
        elif action == "comment":
            services.add_comment(user, idea, f"Kommentar {value}")
        else:
            mine = Comment.objects.filter(author=user, idea=idea).first()
            if mine:
                services.delete_comment(user, mine)
    ratings = list(Rating.objects.filter(idea=idea).values_list("value", flat=True))
    support_count, comment_count, rating_count, rating_sum, rating_mean = counters(idea)
    assert support_count == Support.objects.filter(idea=idea).count()
    assert comment_count == Comment.objects.filter(idea=idea, deleted_at__isnull=True).count()
    assert rating_count == len(ratings) and rating_sum == sum(ratings)
    assert rating_mean == (pytest.approx(sum(ratings) / len(ratings)) if ratings else 0)


# --- Comments --------------------------------------------------------------------------------


def test_replies_are_one_level_deep(idea, citizen):
    top = services.add_comment(citizen, idea, "Oben")
    reply = services.add_comment(UserFactory(), idea, "Antwort", parent=top)
    deeper = services.add_comment(citizen, idea, "Antwort auf Antwort", parent=reply)
    assert reply.parent == top and deeper.parent == top
    assert idea.comment_count == 3


def test_reply_to_a_comment_of_another_idea_is_refused(idea, process, citizen):
    foreign = CommentFactory(idea=IdeaFactory(process=process))
    with pytest.raises(ValidationError):
        services.add_comment(citizen, idea, "x", parent=foreign)


def test_comment_text_is_validated(idea, citizen):
    with pytest.raises(ValidationError):
        services.add_comment(citizen, idea, "   ")
    with pytest.raises(ValidationError):
        services.add_comment(citizen, idea, "x" * 2001)


def test_comment_notifies_followers_but_not_the_commenter(
    idea, citizen, django_capture_on_commit_callbacks
):
    follower = UserFactory()
    services.follow_idea(follower, idea)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.add_comment(citizen, idea, "Ich bin dafür")
    assert Follow.objects.filter(user=citizen, idea=idea).exists()  # commenter follows now
    notes = Notification.objects.filter(kind=NotificationKind.COMMENT)
    assert [n.user for n in notes] == [follower]
    assert f"#kommentar-{comment.pk}" in notes[0].url
    assert [m.to for m in mail.outbox] == [[follower.email]]
    services.add_comment(follower, idea, "Ich auch")
    assert Notification.objects.filter(user=citizen, kind=NotificationKind.COMMENT).exists()


def test_unfollow_stops_notifications(idea, citizen):
    services.follow_idea(citizen, idea)
    services.unfollow_idea(citizen, idea)
    services.add_comment(UserFactory(), idea, "Neu")
    assert not Notification.objects.filter(user__in=[citizen, idea.author]).exists()


def test_comment_rate_limit(idea, citizen, body):
    ParticipationSettings.objects.create(body=body, comments_per_hour=2)
    services.add_comment(citizen, idea, "eins")
    services.add_comment(citizen, idea, "zwei")
    with pytest.raises(limits.RateLimited):
        services.add_comment(citizen, idea, "drei")
    assert idea.comment_count == 2


def test_edit_within_fifteen_minutes_by_the_author_only(idea, citizen):
    comment = services.add_comment(citizen, idea, "Tippfeler")
    services.edit_comment(citizen, comment, "Tippfehler")
    comment.refresh_from_db()
    assert comment.text == "Tippfehler" and comment.edited_at
    with pytest.raises(PermissionDenied):
        services.edit_comment(UserFactory(), comment, "Fremd")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=15, seconds=1)
    )
    comment.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.edit_comment(citizen, comment, "Zu spät")
    assert "15" in error.value.messages[0]


def test_soft_delete_by_author_or_moderator_keeps_the_thread(idea, citizen, moderator):
    top = services.add_comment(citizen, idea, "Oben")
    reply = services.add_comment(UserFactory(), idea, "Antwort", parent=top)
    with pytest.raises(PermissionDenied):
        services.delete_comment(UserFactory(), top)
    services.delete_comment(citizen, top)
    services.delete_comment(citizen, top)  # twice changes nothing
    assert idea.comment_count == 1
    services.delete_comment(moderator, reply)
    assert counters(idea)[1] == 0
    assert Comment.objects.filter(idea=idea).count() == 2
    assert top.history.count() >= 2  # the deletion is in the history
    with pytest.raises(ValidationError):
        services.edit_comment(citizen, top, "wieder da")
    with pytest.raises(ValidationError):
        services.add_comment(citizen, idea, "Antwort auf Gelöschtes", parent=top)


# --- Endpoints -------------------------------------------------------------------------------


def url(idea, tail=""):
    return f"/{idea.body.slug}/ideen/{idea.pk}/{tail}"


def test_endpoints_without_javascript_redirect_back(client, idea, citizen):
    client.force_login(citizen)
    response = client.post(url(idea, "unterstuetzen/"))
    assert response.status_code == 302 and response["Location"].endswith("#mitmachen")
    response = client.post(url(idea, "bewerten/"), {"value": "4"})
    assert response["Location"].endswith("#einschaetzung")
    response = client.post(url(idea, "kommentieren/"), {"text": "Super"})
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#kommentar-{comment.pk}")
    response = client.post(url(idea, "kommentieren/"), {"text": "Antwort", "parent": comment.pk})
    assert Comment.objects.filter(parent=comment).count() == 1
    client.post(url(idea, f"kommentare/{comment.pk}/bearbeiten/"), {"text": "Sehr gut"})
    comment.refresh_from_db()
    assert comment.text == "Sehr gut"
    client.post(url(idea, "folgen/beenden/"))
    assert not Follow.objects.filter(user=citizen, idea=idea).exists()
    client.post(url(idea, "folgen/"))
    assert Follow.objects.filter(user=citizen, idea=idea).exists()
    client.post(url(idea, f"kommentare/{comment.pk}/loeschen/"))
    client.post(url(idea, "unterstuetzen/zurueckziehen/"))
    assert counters(idea)[:3] == (0, 1, 1)
    html = client.get(url(idea)).content.decode()
    assert "Dieser Kommentar wurde gelöscht." in html and "Antwort" in html


def test_endpoints_with_htmx_return_the_fragment(client, idea, citizen):
    client.force_login(citizen)
    response = client.post(url(idea, "unterstuetzen/"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "1 Unterstützung" in html and "Unterstützung zurückziehen" in html
    assert 'hx-swap-oob="innerHTML"' in html and "Vielen Dank" in html
    response = client.post(url(idea, "bewerten/"), {"value": "2"}, headers={"HX-Request": "true"})
    assert "Mittelwert: 2,0 von 5" in response.content.decode()
    response = client.post(
        url(idea, "kommentieren/"), {"text": "Per htmx"}, headers={"HX-Request": "true"}
    )
    assert "Per htmx" in response.content.decode() and "1 Kommentar" in response.content.decode()


def test_empty_comment_keeps_the_form_with_an_error(client, idea, citizen):
    client.force_login(citizen)
    response = client.post(url(idea, "kommentieren/"), {"text": ""})
    assert response.status_code == 200 and not Comment.objects.exists()
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(url(idea, "kommentieren/"), {"text": ""}, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode() and 'aria-invalid="true"' in (
        response.content.decode()
    )


def test_comment_honeypot_stores_nothing(client, idea, citizen):
    client.force_login(citizen)
    response = client.post(url(idea, "kommentieren/"), {"text": "Spam", "hp_homepage": "x"})
    assert response.status_code == 302 and not Comment.objects.exists()


def test_comment_rate_limit_answers_429_in_german(client, idea, citizen, body):
    ParticipationSettings.objects.create(body=body, comments_per_hour=1)
    client.force_login(citizen)
    client.post(url(idea, "kommentieren/"), {"text": "eins"})
    response = client.post(url(idea, "kommentieren/"), {"text": "zwei"})
    assert response.status_code == 429
    assert "Kommentare geschrieben" in response.content.decode()


def test_endpoint_permissions(client, idea, other_body, unverified, blocked, citizen):
    response = client.post(url(idea, "unterstuetzen/"))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    for user in (unverified, blocked):
        client.force_login(user)
        assert client.post(url(idea, "unterstuetzen/")).status_code == 403
    client.force_login(citizen)
    foreign = f"/{other_body.slug}/ideen/{idea.pk}/unterstuetzen/"
    assert client.post(foreign).status_code == 404
    assert client.get(url(idea, "unterstuetzen/")).status_code == 405
    assert Support.objects.count() == 0


def test_closed_phase_message_on_the_page(client, citizen, make_process):
    idea = IdeaFactory(process=make_process(PhaseKind.REVIEW))
    client.force_login(citizen)
    response = client.post(url(idea, "unterstuetzen/"), follow=True)
    assert "Prüfung" in response.content.decode()
    assert Support.objects.count() == 0


def test_edit_and_delete_links_only_where_allowed(client, idea, citizen):
    own = CommentFactory(idea=idea, author=citizen)
    old = CommentFactory(idea=idea, author=citizen)
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=1))
    other = CommentFactory(idea=idea)
    client.force_login(citizen)
    html = client.get(url(idea)).content.decode()
    assert f"kommentare/{own.pk}/bearbeiten/" in html
    assert f"kommentare/{old.pk}/bearbeiten/" not in html
    assert f"kommentare/{old.pk}/loeschen/" in html
    assert f"kommentare/{other.pk}/loeschen/" not in html
    response = client.post(url(idea, f"kommentare/{other.pk}/loeschen/"))
    assert response.status_code == 403
    response = client.post(url(idea, f"kommentare/{old.pk}/bearbeiten/"), {"text": "neu"})
    old.refresh_from_db()
    assert old.text != "neu" and response.status_code == 302


def test_hidden_comment_shows_a_placeholder_to_others(client, idea, citizen):
    hidden = CommentFactory(idea=idea, author=citizen, is_hidden=True, text="Geheimer Text")
    html = client.get(url(idea)).content.decode()
    assert "Geheimer Text" not in html and "von der Moderation ausgeblendet" in html
    client.force_login(citizen)
    assert hidden.text in client.get(url(idea)).content.decode()
