"""The barrier report form of the accessibility statement."""

import pytest
from django.core import mail
from django.core.cache import cache

from lotse.core.models import AccessibilityReport

GOOD = {
    "page_url": "/musterstadt/",
    "description": "Der Kontrast der Schaltfläche ist für mich zu gering.",
    "name": "Erika",
    "email": "erika@example.org",
}


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):
    cache.clear()


def test_statement_has_the_required_sections(client):
    html = client.get("/barrierefreiheit/").content.decode()
    for heading in [
        "Stand der Vereinbarkeit",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Feedback und Kontaktangaben",
        "Durchsetzungsverfahren",
    ]:
        assert heading in html


def test_report_is_stored_and_mailed(client, site_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/barrierefreiheit/", GOOD, follow=True)
    assert "Vielen Dank" in response.content.decode()
    report = AccessibilityReport.objects.get()
    assert report.email == "erika@example.org"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert site_admin.email in message.to
    assert "Kontrast der Schaltfläche" in message.body


def test_too_short_description_is_refused_and_nothing_stored(client):
    response = client.post("/barrierefreiheit/", {**GOOD, "description": "kaputt"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "mindestens 10 Zeichen" in html
    assert 'aria-invalid="true"' in html
    assert GOOD["email"] in html  # what was entered is kept for correction
    assert AccessibilityReport.objects.count() == 0
    assert mail.outbox == []


def test_honeypot_drops_bots_silently(client):
    client.post("/barrierefreiheit/", {**GOOD, "hp_homepage": "http://spam.example"})
    assert AccessibilityReport.objects.count() == 0


def test_rate_limit_per_address(client, settings):
    settings.LOTSE_PUBLIC_POST_RATE = "2/h"
    assert client.post("/barrierefreiheit/", GOOD).status_code == 302
    assert client.post("/barrierefreiheit/", GOOD).status_code == 302
    response = client.post("/barrierefreiheit/", GOOD)
    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.content.decode()
    assert AccessibilityReport.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_report_mail_goes_through_the_database_queue_and_worker(client, site_admin, settings):
    """The production path: the view queues a task in the database, `lotse db_worker` sends."""
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.post("/barrierefreiheit/", GOOD)
    assert mail.outbox == []  # queued, not sent by the web request
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert len(mail.outbox) == 1
    assert "Kontrast der Schaltfläche" in mail.outbox[0].body
