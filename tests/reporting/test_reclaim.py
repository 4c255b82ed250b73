"""A worker killed while publishing or submitting a report: the publication waits for the
next worker and then finishes; a submission fails with a German reason (a second paper must
not be risked)."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from lotse.core import worker
from lotse.reporting import documents, services, tasks
from lotse.reporting.models import Publication, StatusReport, Submission, SubmissionState
from lotse.reporting.periods import half_year
from tests.reporting.test_workshop import _blank_pdf


def _orphan(task, arg):
    row = DBTaskResult.objects.create(
        status="RUNNING",
        task_path=task.module_path,
        args_kwargs={"args": [arg], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=["killed"],
    )
    started = timezone.now() - datetime.timedelta(hours=1)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=started)
    return row


@pytest.mark.django_db
def test_a_killed_publication_is_tried_again(town, monkeypatch):
    draft = services.create_draft(town.staff, town.body, half_year(2026, 1))
    publication = Publication.objects.create(
        report=draft, created_by=town.program_owner, state=SubmissionState.RUNNING, progress=50
    )
    row = _orphan(tasks.publish_report, publication.pk)
    assert worker.reclaim_orphaned_tasks()[0]["action"] == "queued again"
    row.refresh_from_db()
    publication.refresh_from_db()
    assert row.status == "READY"
    assert publication.state == SubmissionState.QUEUED and publication.progress == 0
    monkeypatch.setattr(documents, "render_report_pdf", lambda report, snapshot: _blank_pdf())
    assert tasks.publish_report.call(publication.pk) == SubmissionState.DONE
    assert StatusReport.objects.get(pk=draft.pk).is_published
    # Had it died after the number's transaction, the retry finds it published and is done.
    publication.refresh_from_db()
    Publication.objects.filter(pk=publication.pk).update(state=SubmissionState.QUEUED)
    assert tasks.publish_report.call(publication.pk) == SubmissionState.DONE


@pytest.mark.django_db
def test_a_killed_submission_fails_in_german(town, monkeypatch):
    monkeypatch.setattr(documents, "render_report_pdf", lambda report, snapshot: _blank_pdf())
    draft = services.create_draft(town.staff, town.body, half_year(2026, 1))
    published = services.publish(town.program_owner, draft)
    submission = Submission.objects.create(
        report=published,
        meeting=town.next_meeting,
        created_by=town.program_owner,
        state=SubmissionState.RUNNING,
        progress=40,
    )
    row = _orphan(tasks.submit_report, submission.pk)
    assert worker.reclaim_orphaned_tasks()[0]["action"] == "failed"
    submission.refresh_from_db()
    assert DBTaskResult.objects.get(pk=row.pk).status == "FAILED"
    assert submission.state == SubmissionState.FAILED
    assert "Tagesordnung" in submission.error
