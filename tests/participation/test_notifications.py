"""Notifications: the centre, the settings, immediate mails and the daily digest, measure
progress reaching idea authors, and the person's data (export and erasure)."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from lotse.accounts.services import erase_user, export_personal_data
from lotse.participation.management.commands import participation_scheduler
from lotse.participation.models import (
    Follow,
    IdeaState,
    Notification,
    NotificationSettings,
    Rating,
    Support,
)
from lotse.participation.notifications import notify
from lotse.participation.services import staff
from lotse.participation.tasks import send_daily_digests
from lotse.strategy import services as strategy_services
from tests.factories import UserFactory
from tests.participation.factories import CommentFactory

pytestmark = pytest.mark.django_db

CENTRE_QUERIES = 6
BERLIN = ZoneInfo("Europe/Berlin")


def tell(user, body, title="Etwas ist passiert", **kwargs):
    return notify([user], body=body, kind="state", title=title, url="/", **kwargs)


# --- Mails ------------------------------------------------------------------------------------


def test_modes_decide_about_mail(body, django_capture_on_commit_callbacks):
    at_once, daily, never = UserFactory(), UserFactory(), UserFactory()
    NotificationSettings.objects.create(user=daily, email="taeglich")
    NotificationSettings.objects.create(user=never, email="nie")
    with django_capture_on_commit_callbacks(execute=True):
        notify([at_once, daily, never], body=body, kind="state", title="Neu & wichtig")
    assert [m.to for m in mail.outbox] == [[at_once.email]]
    assert "Neu & wichtig" in mail.outbox[0].subject and "&amp;" not in mail.outbox[0].body
    assert Notification.objects.count() == 3


def test_digest_groups_and_sends_once(body, other_body):
    person, other = UserFactory(), UserFactory()
    for user in (person, other):
        NotificationSettings.objects.create(user=user, email="taeglich")
    tell(person, body, "Antwort auf Ihre Idee")
    tell(person, other_body, "Neuer Kommentar")
    old = tell(person, body, "Von vorgestern")[0]
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    tell(other, body, "Für jemand anderen")
    assert send_daily_digests.call() == 2
    mine = [m for m in mail.outbox if m.to == [person.email]]
    assert len(mine) == 1
    assert "2 neue Benachrichtigungen" in mine[0].subject
    assert "Antwort auf Ihre Idee" in mine[0].body and "Neuer Kommentar" in mine[0].body
    assert "Von vorgestern" not in mine[0].body
    assert "/konto/benachrichtigungen/einstellungen/" in mine[0].body
    assert not Notification.objects.filter(user=other, emailed_at__isnull=True).exists()
    mail.outbox.clear()
    assert send_daily_digests.call() == 0
    assert mail.outbox == []


def test_digest_skips_other_modes_and_erased_people(body):
    at_once, erased = UserFactory(), UserFactory()
    NotificationSettings.objects.create(user=erased, email="taeglich")
    tell(at_once, body)
    tell(erased, body)
    erased.erased_at = timezone.now()
    erased.save()
    assert send_daily_digests.call() == 0


def test_send_digests_command(body):
    person = UserFactory()
    NotificationSettings.objects.create(user=person, email="taeglich")
    tell(person, body, "Stellungnahme")
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "1" in out.getvalue() and len(mail.outbox) == 1


def test_scheduler_enqueues_once_a_day_after_seven(body):
    cache.clear()
    person = UserFactory()
    NotificationSettings.objects.create(user=person, email="taeglich")
    tell(person, body)
    early = datetime(2026, 3, 2, 6, 30, tzinfo=BERLIN)
    later = datetime(2026, 3, 2, 7, 5, tzinfo=BERLIN)
    assert not participation_scheduler.enqueue_if_due(early)
    assert participation_scheduler.enqueue_if_due(later)
    assert len(mail.outbox) == 1  # tests run tasks at once
    assert not participation_scheduler.enqueue_if_due(later + timedelta(hours=3))
    assert participation_scheduler.next_run(later) == datetime(2026, 3, 3, 7, tzinfo=BERLIN)
    assert participation_scheduler.next_run(early) == datetime(2026, 3, 2, 7, tzinfo=BERLIN)


# --- Measure progress reaches the ideas' people -----------------------------------------------


def test_measure_status_and_progress_notify_idea_authors(body, idea, measure, make_member):
    clerk = make_member(body, "staff")
    follower = UserFactory()
    Follow.objects.create(user=follower, idea=idea)
    staff.link_measure(clerk, idea, measure)
    Notification.objects.all().delete()
    strategy_services.change_status(clerk, measure, "in_pruefung")
    told = Notification.objects.filter(kind="measure")
    assert set(told.values_list("user_id", flat=True)) == {idea.author_id, follower.pk}
    assert "in Prüfung" in told.first().title
    Notification.objects.all().delete()
    strategy_services.post_status_update(
        clerk, measure, progress=40, traffic_light="gruen", text="Ausschreibung läuft"
    )
    note = Notification.objects.get(user=idea.author)
    assert "40 %" in note.title and note.text == "Ausschreibung läuft"
    assert note.url == measure.get_absolute_url()


def test_completed_measure_implements_its_ideas(body, idea, measure, make_member):
    clerk = make_member(body, "staff")
    staff.link_measure(clerk, idea, measure)
    for status in ("in_pruefung", "priorisiert", "beschlossen", "in_umsetzung", "abgeschlossen"):
        strategy_services.change_status(clerk, measure, status)
    idea.refresh_from_db()
    assert idea.state == IdeaState.IMPLEMENTED


def test_internal_measure_progress_stays_internal(body, idea, internal_measure, make_member):
    clerk = make_member(body, "staff")
    staff.link_measure(clerk, idea, internal_measure)
    Notification.objects.all().delete()
    strategy_services.post_status_update(
        clerk, internal_measure, progress=10, traffic_light="gruen"
    )
    strategy_services.change_status(clerk, internal_measure, "in_pruefung")
    assert not Notification.objects.exists()


# --- Personal data ----------------------------------------------------------------------------


def test_export_has_a_participation_section(body, idea):
    person = idea.author
    CommentFactory(idea=idea, author=person, text="Mein Kommentar")
    Support.objects.create(idea=idea, user=person)
    Rating.objects.create(idea=idea, user=person, value=4)
    Follow.objects.create(user=person, idea=idea)
    tell(person, body, "Hallo")
    data = export_personal_data(person)["participation"]
    assert data["ideas"][0]["title"] == idea.title
    assert data["comments"][0]["text"] == "Mein Kommentar"
    assert data["supports"][0]["idea"] == idea.pk and data["ratings"][0]["value"] == 4
    assert data["follows"][0]["idea"] == idea.pk
    assert data["notifications"][0]["title"] == "Hallo"
    assert data["notification_settings"] == {"email": "sofort"}


def test_erasure_keeps_content_and_counts(client, body, idea):
    person = idea.author
    comment = CommentFactory(idea=idea, author=person)
    Support.objects.create(idea=idea, user=person)
    Follow.objects.create(user=person, idea=idea)
    NotificationSettings.objects.create(user=person, email="nie")
    tell(person, body)
    erase_user(person)
    assert not Follow.objects.filter(user=person).exists()
    assert not Notification.objects.filter(user=person).exists()
    assert not NotificationSettings.objects.filter(user=person).exists()
    assert Support.objects.filter(user=person).exists()
    idea.refresh_from_db()
    comment.refresh_from_db()
    assert idea.author.public_name == "gelöschtes Konto" and comment.author == person


# --- Pages ------------------------------------------------------------------------------------


def test_centre_lists_marks_and_opens(client, body, citizen):
    first = tell(citizen, body, "Erste Nachricht")[0]
    Notification.objects.filter(pk=first.pk).update(url="/" + body.slug + "/")
    tell(citizen, body, "Zweite Nachricht")
    tell(UserFactory(), body, "Fremde Nachricht")
    assert client.get("/konto/benachrichtigungen/").status_code == 302
    client.force_login(citizen)
    page = client.get("/konto/benachrichtigungen/").content.decode()
    assert "Erste Nachricht" in page and "Zweite Nachricht" in page
    assert "Fremde Nachricht" not in page
    assert "2 ungelesene Benachrichtigungen" in page
    response = client.get(f"/konto/benachrichtigungen/{first.pk}/")
    assert response["Location"] == f"/{body.slug}/"
    first.refresh_from_db()
    assert first.read_at is not None
    other = Notification.objects.get(title="Fremde Nachricht")
    assert client.get(f"/konto/benachrichtigungen/{other.pk}/").status_code == 404
    client.post("/konto/benachrichtigungen/alle-gelesen/")
    assert not Notification.objects.filter(user=citizen, read_at__isnull=True).exists()
    assert Notification.objects.get(title="Fremde Nachricht").read_at is None


def test_foreign_urls_are_not_followed(client, body, citizen):
    note = tell(citizen, body)[0]
    Notification.objects.filter(pk=note.pk).update(url="https://evil.example/")
    client.force_login(citizen)
    response = client.get(f"/konto/benachrichtigungen/{note.pk}/")
    assert response["Location"] == "/konto/benachrichtigungen/"


def test_settings_page(client, citizen):
    client.force_login(citizen)
    url = "/konto/benachrichtigungen/einstellungen/"
    assert "einmal täglich" in client.get(url).content.decode()
    client.post(url, {"email": "taeglich"})
    assert NotificationSettings.objects.get(user=citizen).email == "taeglich"
    response = client.post(url, {"email": "stündlich"})
    assert response.status_code == 200
    assert NotificationSettings.objects.get(user=citizen).email == "taeglich"


@pytest.mark.parametrize("size", [1, 12])
def test_centre_query_count(client, body, other_body, citizen, size, django_assert_num_queries):
    for number in range(size):
        tell(citizen, body if number % 2 else other_body, f"Nachricht {number}")
    client.force_login(citizen)
    client.get("/konto/benachrichtigungen/")
    with django_assert_num_queries(CENTRE_QUERIES):
        assert client.get("/konto/benachrichtigungen/").status_code == 200
