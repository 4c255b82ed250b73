"""Publishing a report is background work: a task takes the snapshot and renders the PDF
outside any transaction, the draft's page shows its progress, and a failure leaves the draft
with a German reason."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from lotse.reporting import documents, services, tasks
from lotse.reporting.models import Publication, ReportStatus, StatusReport, SubmissionState
from lotse.reporting.periods import half_year
from tests.reporting.test_workshop import _blank_pdf

H1_2026 = half_year(2026, 1)


def url(name, town, *args):
    return reverse(f"reporting:{name}", args=[town.body.slug, *args])


@pytest.fixture
def draft(town):
    return services.create_draft(town.staff, town.body, H1_2026)


def test_publishing_runs_as_a_task_and_records_its_progress(client, town, draft, monkeypatch):
    steps = []
    blank = _blank_pdf()

    def render(report, snapshot):
        steps.append(Publication.objects.get(report=report).step)
        return blank

    monkeypatch.setattr(documents, "render_report_pdf", render)
    client.force_login(town.program_owner)
    response = client.post(url("publish", town, draft.pk), follow=True)
    report = StatusReport.objects.get(pk=draft.pk)
    assert report.is_published and report.number
    publication = Publication.objects.get(report=report)
    assert publication.state == SubmissionState.DONE and publication.progress == 100
    assert publication.created_by == town.program_owner
    assert steps == ["Das PDF wird erstellt"]
    assert "veröffentlicht" in response.content.decode()


def test_a_failed_publication_leaves_the_draft_and_says_why_in_german(
    client, town, draft, monkeypatch
):
    def broken(report, snapshot):
        raise RuntimeError("fonts are missing")

    monkeypatch.setattr(documents, "render_report_pdf", broken)
    client.force_login(town.program_owner)
    client.post(url("publish", town, draft.pk))
    report = StatusReport.objects.get(pk=draft.pk)
    assert report.status == ReportStatus.DRAFT and not report.number and not report.pdf
    publication = Publication.objects.get(report=report)
    assert publication.state == SubmissionState.FAILED
    assert "nicht veröffentlicht" in publication.error
    page = client.get(url("draft", town, draft.pk)).content.decode()
    assert publication.error in page
    # Trying again works once the cause is gone.
    monkeypatch.setattr(documents, "render_report_pdf", lambda report, snapshot: _blank_pdf())
    client.post(url("publish", town, draft.pk))
    assert StatusReport.objects.get(pk=draft.pk).is_published


def test_the_draft_page_polls_while_the_task_waits(client, town, draft, monkeypatch):
    task = tasks.publish_report
    monkeypatch.setattr(tasks, "publish_report", SimpleNamespace(enqueue=lambda *args: None))
    client.force_login(town.program_owner)
    client.post(url("publish", town, draft.pk))
    publication = Publication.objects.get(report=draft)
    assert publication.state == SubmissionState.QUEUED
    page = client.get(url("draft", town, draft.pk)).content.decode()
    assert 'id="publication-progress"' in page and 'hx-trigger="every 1s"' in page
    # A second click does not queue a second publication.
    client.post(url("publish", town, draft.pk))
    assert Publication.objects.filter(report=draft).count() == 1
    part = client.get(url("publication", town, draft.pk), HTTP_HX_REQUEST="true")
    assert part.status_code == 200 and "wartend" in part.content.decode().lower()
    unchanged = client.get(
        url("publication", town, draft.pk) + "?seen=wartend-0", HTTP_HX_REQUEST="true"
    )
    assert unchanged.status_code == 204 and "HX-Refresh" not in unchanged
    monkeypatch.setattr(documents, "render_report_pdf", lambda report, snapshot: _blank_pdf())
    task.call(publication.pk)
    done = client.get(url("publication", town, draft.pk), HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    assert StatusReport.objects.get(pk=draft.pk).is_published


def test_others_may_not_watch_or_start_a_publication(client, town, draft):
    client.force_login(town.citizen)
    assert client.post(url("publish", town, draft.pk)).status_code == 403
    assert client.get(url("publication", town, draft.pk)).status_code == 403
    assert not Publication.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_held_while_the_pdf_is_rendered(town, draft, monkeypatch):
    seen = []

    def render(report, snapshot):
        seen.append(connection.in_atomic_block)
        return _blank_pdf()

    monkeypatch.setattr(documents, "render_report_pdf", render)
    services.request_publication(town.program_owner, draft)
    assert seen == [False]
    assert StatusReport.objects.get(pk=draft.pk).is_published


def test_publishing_tries_again_while_the_database_is_busy(town, draft, monkeypatch):
    from django.db import OperationalError

    monkeypatch.setattr(documents, "render_report_pdf", lambda report, snapshot: _blank_pdf())
    monkeypatch.setattr(tasks, "BUSY_PAUSE", 0)
    real, calls = services.publish, []

    def busy_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "publish", busy_once)
    publication = services.request_publication(town.program_owner, draft)
    publication.refresh_from_db()
    assert len(calls) == 2 and publication.state == SubmissionState.DONE
    assert StatusReport.objects.get(pk=draft.pk).is_published
