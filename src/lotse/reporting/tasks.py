"""Background work of reporting (run by ``lotse worker``): publishing a status report (snapshot
and PDF) and putting a published report before a committee as a released Sachstandsbericht
paper on the meeting's agenda."""

from __future__ import annotations

import logging
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_tasks import task

from lotse.core.middleware import is_busy_database_error
from lotse.core.worker import register_reclaim

logger = logging.getLogger(__name__)
# Publishing is tried again this often, with pauses of BUSY_PAUSE × attempt seconds, while the
# database is busy.
BUSY_ATTEMPTS = 3
BUSY_PAUSE = 2.0


def _progress(submission_id: int, progress: int, step: str, **fields) -> None:
    # Written outside the council transaction, so the submission page sees each step.
    from lotse.reporting.models import Submission

    Submission.objects.filter(pk=submission_id).update(progress=progress, step=step, **fields)


def summary_text(report, snapshot: dict) -> str:
    """The paper's Sachverhalt: the report's key figures in a few lines of Markdown."""
    summary = snapshot.get("summary", {})
    ideas = summary.get("ideas", {})
    follow_ups = summary.get("follow_ups", {})
    statuses = ", ".join(
        f"{row['label']}: {row['count']}" for row in summary.get("by_status", []) if row["count"]
    )
    lines = [
        _(
            "The administration reports on the implementation of the Digitale Agenda in the "
            "%(period)s (report %(label)s)."
        )
        % {"period": snapshot.get("period", {}).get("label", ""), "label": report.label},
        "",
        "- "
        + _("Public measures: %(count)s (%(statuses)s)")
        % {"count": summary.get("measures", 0), "statuses": statuses or "–"},
        "- "
        + _("Started in the period: %(started)s, completed: %(finished)s")
        % {"started": summary.get("started", 0), "finished": summary.get("finished", 0)},
        "- "
        + _("Mean progress: %(progress)s %%")
        % {"progress": number_format(summary.get("mean_progress", 0), decimal_pos=0)},
        "- "
        + _(
            "Ideas from participation: %(received)s received, %(answered)s answered, "
            "%(to_measures)s taken up in measures"
        )
        % {
            "received": ideas.get("received", 0),
            "answered": ideas.get("answered", 0),
            "to_measures": ideas.get("to_measures", 0),
        },
        "- "
        + _(
            "Decisions in the period: %(decisions)s; follow-ups open: %(open)s, of them "
            "overdue: %(overdue)s, done: %(done)s"
        )
        % {
            "decisions": summary.get("decisions", 0),
            "open": follow_ups.get("open", 0),
            "overdue": follow_ups.get("overdue", 0),
            "done": follow_ups.get("done", 0),
        },
        "",
        _("The full report is attached as the main file."),
    ]
    return "\n".join(lines)


def _create_paper(submission, pdf: bytes, stored_names: list[str], text: str | None = None):
    """The council part, all or nothing (the caller holds the transaction): the paper, its
    main file, Kenntnisnahme in the meeting's committee, release, the agenda item."""
    from lotse.council import services as council_services
    from lotse.council.files import attach_file
    from lotse.council.models import ConsultationRole, File, Paper, PaperType
    from lotse.reporting.documents import pdf_file_name

    report, meeting, user = submission.report, submission.meeting, submission.created_by
    paper = Paper(
        body=report.body,
        paper_type=PaperType.STATUS_REPORT,
        name=f"{report.title} ({report.label})"[:500],
        decision_proposal=_("The committee takes note of the status report."),
        reasoning=summary_text(report, report.snapshot or {}),
    )
    paper.full_clean()
    paper.save()
    main = attach_file(
        user,
        paper=paper,
        upload=ContentFile(pdf, name=pdf_file_name(report)),
        name=_("Status report %(label)s") % {"label": report.label},
        role=File.Role.MAIN,
        text=text,
    )
    stored_names.append(main.file.name)
    organizations = list(meeting.organizations.order_by("pk"))
    if not organizations:
        raise ValidationError(_("The meeting has no organization."))
    council_services.add_consultation(user, paper, organizations[0], ConsultationRole.NOTICE)
    council_services.release_paper_checked_elsewhere(user, paper)
    council_services.put_on_agenda_checked_elsewhere(paper, meeting)
    return paper


def _read_pdf(report) -> bytes:
    import hashlib

    with report.pdf.open("rb") as handle:
        pdf = handle.read()
    if hashlib.sha256(pdf).hexdigest() != report.pdf_sha256:
        raise ValidationError(_("The stored PDF of the report does not match its checksum."))
    return pdf


def _failure_message(error: Exception) -> str:
    if isinstance(error, PermissionDenied):
        return _("You are no longer allowed to submit reports to the council.")
    if isinstance(error, ValidationError):
        return _("The report could not be put before the committee: %(reason)s") % {
            "reason": " ".join(error.messages)
        }
    return _(
        "A technical error occurred. Nothing has been created in the council information "
        "system; please try again later or tell the administrators."
    )


@task()
def submit_report(submission_id: int) -> str:
    """Create the paper for a submission and put it on the agenda, recording each step on the
    submission; on any error nothing of the paper remains and the submission says why."""
    from lotse.council.files import extract_text
    from lotse.reporting.models import Submission, SubmissionState

    with translation.override("de"):
        claimed = Submission.objects.filter(pk=submission_id, state=SubmissionState.QUEUED).update(
            state=SubmissionState.RUNNING, progress=10, step=_("Checking the report")
        )
        if not claimed:
            return "skipped"
        submission = Submission.objects.select_related("report__body", "meeting", "created_by").get(
            pk=submission_id
        )
        stored_names: list[str] = []
        try:
            user = submission.created_by
            if user is None or not user.has_perm("reporting.submit_reports", submission.report):
                raise PermissionDenied
            pdf = _read_pdf(submission.report)
            # The text for the paper search, read before the transaction: slow for a long PDF.
            text = extract_text(pdf, "application/pdf")
            _progress(submission_id, 40, _("Creating the paper with the report as its main file"))
            with transaction.atomic():
                paper = _create_paper(submission, pdf, stored_names, text)
        except Exception as error:
            if not isinstance(error, (PermissionDenied, ValidationError)):
                logger.exception("Submission %s of a status report failed.", submission_id)
            for name in stored_names:
                submission.report.pdf.storage.delete(name)
            Submission.objects.filter(pk=submission_id).update(
                state=SubmissionState.FAILED,
                step=_("Failed"),
                error=_failure_message(error),
                finished_at=timezone.now(),
            )
            return SubmissionState.FAILED
        Submission.objects.filter(pk=submission_id).update(
            state=SubmissionState.DONE,
            progress=100,
            step=_("Done: the paper is on the meeting's agenda"),
            paper=paper,
            finished_at=timezone.now(),
        )
        return SubmissionState.DONE


def _publication_failure(error: Exception) -> str:
    if isinstance(error, PermissionDenied):
        return _("You are no longer allowed to publish reports.")
    if isinstance(error, ValidationError):
        return _("The report could not be published: %(reason)s") % {
            "reason": " ".join(error.messages)
        }
    return _(
        "A technical error occurred. The report has not been published and is still a draft; "
        "please try again later or tell the administrators."
    )


@task()
def publish_report(publication_id: int) -> str:
    """Publish a draft (``services.publish``: snapshot, PDF, number), recording each step on
    the publication; on any error the report stays a draft and the publication says why."""
    from lotse.reporting import services
    from lotse.reporting.models import Publication, ReportStatus, SubmissionState

    with translation.override("de"):
        claimed = Publication.objects.filter(
            pk=publication_id, state=SubmissionState.QUEUED
        ).update(state=SubmissionState.RUNNING, progress=5, step=_("Checking the report"))
        if not claimed:
            return "skipped"
        publication = Publication.objects.select_related("report", "created_by").get(
            pk=publication_id
        )
        if publication.report.status == ReportStatus.PUBLISHED:
            # Tried again after its worker died past the number's transaction: it is done.
            Publication.objects.filter(pk=publication_id).update(
                state=SubmissionState.DONE,
                progress=100,
                step=_("Done: the report is published"),
                finished_at=timezone.now(),
            )
            return SubmissionState.DONE

        def progress(percent: int, step: str) -> None:
            Publication.objects.filter(pk=publication_id).update(progress=percent, step=step)

        try:
            if publication.created_by is None:
                raise PermissionDenied
            for attempt in range(1, BUSY_ATTEMPTS + 1):
                try:
                    services.publish(publication.created_by, publication.report, progress=progress)
                    break
                except Exception as error:
                    # A busy database (locked, serialization failure) is worth another try:
                    # nothing was saved.
                    if attempt == BUSY_ATTEMPTS or not is_busy_database_error(error):
                        raise
                    logger.warning(
                        "Publishing report %s: database busy, trying again.", publication.report_id
                    )
                    time.sleep(BUSY_PAUSE * attempt)
        except Exception as error:
            if not isinstance(error, (PermissionDenied, ValidationError)):
                logger.exception("Publishing status report %s failed.", publication.report_id)
            Publication.objects.filter(pk=publication_id).update(
                state=SubmissionState.FAILED,
                step=_("Failed"),
                error=_publication_failure(error),
                finished_at=timezone.now(),
            )
            return SubmissionState.FAILED
        Publication.objects.filter(pk=publication_id).update(
            state=SubmissionState.DONE,
            progress=100,
            step=_("Done: the report is published"),
            finished_at=timezone.now(),
        )
        return SubmissionState.DONE


def _publication_reclaimed(args, kwargs, retried: bool, reason: str) -> None:
    """The worker died while publishing: the report is still a draft (the number is given in
    the last, short transaction), so the publication waits for the next worker."""
    from lotse.reporting.models import Publication, SubmissionState

    publication_id = args[0] if args else kwargs["publication_id"]
    Publication.objects.filter(pk=publication_id, state=SubmissionState.RUNNING).update(
        state=SubmissionState.QUEUED, progress=0, step=_("Waiting to be tried again")
    )


def _submission_reclaimed(args, kwargs, retried: bool, reason: str) -> None:
    """The worker died while creating the paper: whether its transaction was committed is not
    known, so the submission fails and says so instead of risking a second paper."""
    from lotse.reporting.models import Submission, SubmissionState

    submission_id = args[0] if args else kwargs["submission_id"]
    Submission.objects.filter(pk=submission_id, state=SubmissionState.RUNNING).update(
        state=SubmissionState.FAILED,
        step=_("Failed"),
        error=_(
            "The background service stopped while the report was being put before the "
            "committee. Please check the meeting's agenda before submitting it again."
        ),
        finished_at=timezone.now(),
    )


register_reclaim(publish_report, retry=True, on_reclaim=_publication_reclaimed)
register_reclaim(submit_report, retry=False, on_reclaim=_submission_reclaimed)
