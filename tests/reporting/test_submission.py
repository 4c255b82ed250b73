"""Putting a published report before a committee: the background task creates a released
Sachstandsbericht paper with the stored PDF as main file and a Kenntnisnahme on the agenda,
or nothing at all."""

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.council.models import (
    AgendaItem,
    Consultation,
    ConsultationRole,
    File,
    Paper,
    PaperState,
    PaperType,
)
from lotse.reporting import services, tasks
from lotse.reporting.models import Submission, SubmissionState
from lotse.reporting.periods import half_year
from tests.council.factories import MeetingFactory


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def quick_pdf(monkeypatch):
    """A blank PDF instead of rendering one, where the PDF's content is not the point (the
    rendering is tested in test_documents.py); keeps these tests fast."""
    from lotse.reporting import documents

    blank = _blank_pdf()
    monkeypatch.setattr(documents, "render_report_pdf", lambda report, snapshot: blank)
    return blank


@pytest.fixture
def real_report(town):
    draft = services.create_draft(town.staff, town.body, half_year(2026, 1))
    return services.publish(town.program_owner, draft)


@pytest.fixture
def report(quick_pdf, town):
    draft = services.create_draft(town.staff, town.body, half_year(2026, 1))
    return services.publish(town.program_owner, draft)


def _submit(user, report, meeting, capture):
    with capture(execute=True):
        submission = services.submit_to_council(user, report, meeting)
    submission.refresh_from_db()
    return submission


def test_submission_creates_a_released_paper_on_the_agenda(
    town, real_report, django_capture_on_commit_callbacks
):
    report = real_report
    submission = _submit(
        town.program_owner, report, town.next_meeting, django_capture_on_commit_callbacks
    )
    assert submission.state == SubmissionState.DONE, submission.error
    assert submission.progress == 100 and submission.finished_at
    paper = submission.paper
    assert paper.paper_type == PaperType.STATUS_REPORT
    assert paper.state == PaperState.RELEASED and paper.reference
    assert paper.is_public
    assert paper.name.startswith(report.title) and report.number in paper.name
    assert "Öffentliche Maßnahmen: 3" in paper.reasoning
    assert paper.decision_proposal == "Der Ausschuss nimmt den Sachstandsbericht zur Kenntnis."
    main = File.objects.get(paper=paper)
    assert main.role == File.Role.MAIN and main.mime_type == "application/pdf"
    report.pdf.open("rb")
    data = report.pdf.read()
    assert main.sha512 == hashlib.sha512(data).hexdigest()
    assert main.file.read() == data
    consultation = Consultation.objects.get(paper=paper)
    assert consultation.role == ConsultationRole.NOTICE
    assert consultation.organization == town.committee
    assert consultation.meeting == town.next_meeting
    item = AgendaItem.objects.get(consultation=consultation)
    assert item.meeting == town.next_meeting and item.is_public


def test_the_council_office_may_submit_staff_and_citizens_may_not(
    town, report, django_capture_on_commit_callbacks
):
    for user in (town.staff, town.citizen):
        with pytest.raises(PermissionDenied):
            services.submit_to_council(user, report, town.next_meeting)
    submission = _submit(
        town.council_office, report, town.next_meeting, django_capture_on_commit_callbacks
    )
    assert submission.state == SubmissionState.DONE, submission.error


def test_only_meetings_ahead_and_not_cancelled_and_only_published_reports(town, report, other_body):
    from lotse.council.models import Meeting

    cancelled = Meeting.objects.get(body=town.body, name="Abgesagte Sitzung")
    elsewhere = MeetingFactory(body=other_body, start=timezone.now() + datetime.timedelta(days=3))
    for meeting in (town.past_meeting, cancelled, elsewhere):
        with pytest.raises(ValidationError) as refused:
            services.submit_to_council(town.program_owner, report, meeting)
        assert "meeting" in refused.value.error_dict
    draft = services.create_draft(town.staff, town.body, half_year(2025, 2))
    with pytest.raises(ValidationError):
        services.submit_to_council(town.program_owner, draft, town.next_meeting)
    assert not Submission.objects.exists()


def test_the_same_meeting_only_once(town, report, django_capture_on_commit_callbacks):
    _submit(town.program_owner, report, town.next_meeting, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        services.submit_to_council(town.program_owner, report, town.next_meeting)


def test_a_superseded_version_is_not_submitted(town, report):
    correction = services.start_correction(town.staff, report, "Zahlen berichtigt.")
    services.publish(town.program_owner, correction)
    with pytest.raises(ValidationError):
        services.submit_to_council(town.program_owner, report, town.next_meeting)


def test_default_meeting_is_the_next_digital_committee_meeting(town, other_committee):
    MeetingFactory(
        body=town.body,
        name="Hauptausschuss früher",
        start=timezone.now() + datetime.timedelta(days=2),
        organizations=[other_committee],
    )
    assert services.default_meeting(town.body) == town.next_meeting
    assert services.meetings_to_submit_to(town.body).first().name == "Hauptausschuss früher"


def test_a_failure_leaves_nothing_half_made(
    town, report, monkeypatch, django_capture_on_commit_callbacks
):
    from lotse.council import services as council_services

    def refuse(paper, meeting, is_public=None):
        raise ValidationError("Die Tagesordnung ist geschlossen.")

    monkeypatch.setattr(council_services, "put_on_agenda_checked_elsewhere", refuse)
    stored_before = set(_stored_files())
    submission = _submit(
        town.program_owner, report, town.next_meeting, django_capture_on_commit_callbacks
    )
    assert submission.state == SubmissionState.FAILED
    assert submission.finished_at and submission.paper is None
    assert "Die Tagesordnung ist geschlossen." in submission.error
    assert submission.error.startswith("Der Bericht konnte dem Gremium nicht vorgelegt werden")
    assert not Paper.objects.filter(paper_type=PaperType.STATUS_REPORT).exists()
    assert not File.objects.exists()
    assert set(_stored_files()) == stored_before
    # Failed once, it may be tried again.
    monkeypatch.undo()
    again = _submit(
        town.program_owner, report, town.next_meeting, django_capture_on_commit_callbacks
    )
    assert again.state == SubmissionState.DONE, again.error


def test_an_unexpected_error_fails_with_a_german_message(
    town, report, monkeypatch, django_capture_on_commit_callbacks
):
    from lotse.council import services as council_services

    def crash(user, paper):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(council_services, "release_paper_checked_elsewhere", crash)
    submission = _submit(
        town.program_owner, report, town.next_meeting, django_capture_on_commit_callbacks
    )
    assert submission.state == SubmissionState.FAILED
    assert "disk on fire" not in submission.error
    assert "Im Ratsinformationssystem wurde nichts angelegt" in submission.error
    assert not Paper.objects.filter(paper_type=PaperType.STATUS_REPORT).exists()


def test_a_tampered_pdf_is_not_submitted(town, report, django_capture_on_commit_callbacks):
    with open(report.pdf.path, "ab") as handle:
        handle.write(b"tampered")
    submission = _submit(
        town.program_owner, report, town.next_meeting, django_capture_on_commit_callbacks
    )
    assert submission.state == SubmissionState.FAILED
    assert not Paper.objects.filter(paper_type=PaperType.STATUS_REPORT).exists()


def test_the_task_runs_a_submission_once(town, report, django_capture_on_commit_callbacks):
    submission = _submit(
        town.program_owner, report, town.next_meeting, django_capture_on_commit_callbacks
    )
    assert tasks.submit_report.call(submission.pk) == "skipped"
    assert Paper.objects.filter(paper_type=PaperType.STATUS_REPORT).count() == 1


def _stored_files():
    from django.conf import settings

    root = settings.DATA_DIR / "private" / "council"
    return sorted(p.name for p in root.glob("*")) if root.exists() else []
