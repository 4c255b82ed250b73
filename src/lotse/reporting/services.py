"""Writes of the report workshop: drafting, publishing (snapshot and PDF, then frozen),
corrections as new versions of the same number, and putting a report before a committee.
Each service asks ``rules`` first and changes in one transaction."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lotse.core.models import Body
from lotse.core.services import require
from lotse.council.models import Meeting, MeetingState, OrganizationType
from lotse.reporting.models import (
    Publication,
    ReportStatus,
    StatusReport,
    Submission,
    SubmissionState,
)
from lotse.reporting.periods import Period
from lotse.strategy.models import ActionField
from lotse.strategy.selectors import current_strategy


def default_title(period: Period) -> str:
    # The title is part of the record and of the council paper: always German.
    with translation.override("de"):
        return _("Status report on the Digitale Agenda – %(period)s") % {"period": period.label}


def top_level_fields(body: Body) -> list[ActionField]:
    """The action fields a report comments on: the top level of the current strategy."""
    strategy = current_strategy(body)
    if strategy is None:
        return []
    return list(
        ActionField.objects.filter(strategy=strategy, parent__isnull=True).order_by("order", "pk")
    )


def published_reports(body: Body) -> QuerySet[StatusReport]:
    return StatusReport.objects.for_body(body).filter(status=ReportStatus.PUBLISHED)


def current_published(body: Body) -> QuerySet[StatusReport]:
    """Published reports no published correction has replaced."""
    return published_reports(body).exclude(corrections__status=ReportStatus.PUBLISHED)


def published_for_period(body: Body, period: Period) -> StatusReport | None:
    """The current published report of exactly this period, if there is one."""
    return (
        current_published(body)
        .filter(period_start=period.start, period_end=period.end)
        .order_by("-version", "-pk")
        .first()
    )


def previous_report(report: StatusReport) -> StatusReport | None:
    """The report this one compares against: the newest current published report of the body
    whose period ends before this one starts."""
    return (
        current_published(report.body)
        .filter(period_end__lt=report.period_start)
        .exclude(pk=report.pk)
        .order_by("-period_end", "-version", "-pk")
        .first()
    )


def live_snapshot(report: StatusReport, as_of: datetime.date | None = None) -> dict:
    """The report's figures from the live data, with its texts: what a preview shows and what
    publishing stores."""
    from lotse.reporting import figures

    snapshot = figures.build(
        report.body,
        report.period_start,
        report.period_end,
        as_of=as_of,
        previous=previous_report(report),
    )
    snapshot["intro"] = report.intro
    comments = report.field_comments or {}
    for field in snapshot.get("fields", []):
        field["comment"] = comments.get(str(field["id"]), "")
    return snapshot


@transaction.atomic
def create_draft(user, body: Body, period: Period, title: str = "") -> StatusReport:
    """Start a report for a period; its figures are computed whenever it is shown."""
    require(user, "reporting.draft_reports", body)
    published = published_for_period(body, period)
    if published is not None:
        # A second report for the same period would contradict the first: correct it instead.
        raise ValidationError(
            _(
                "A status report for %(period)s has already been published (%(label)s). "
                "To change it, publish a correction as a new version of that report."
            ),
            code="period_published",
            params={"period": period.label, "label": published.label},
        )
    report = StatusReport(
        body=body,
        title=(title or "").strip() or default_title(period),
        period_start=period.start,
        period_end=period.end,
        created_by=user,
    )
    report.full_clean()
    report.save()
    return report


def _refuse_if_published(report: StatusReport) -> None:
    if report.is_published:
        raise ValidationError(
            _("A published report cannot be changed. Publish a correction instead."),
            code="published",
        )


@transaction.atomic
def save_texts(
    user, report: StatusReport, intro: str, field_comments: dict[str, str]
) -> StatusReport:
    """Store the introduction and the comments per top-level action field (Markdown); comments
    on fields that are not top-level fields of the current strategy are dropped."""
    require(user, "reporting.draft_reports", report)
    report = StatusReport.objects.select_for_update().get(pk=report.pk)
    _refuse_if_published(report)
    known = {str(field.pk) for field in top_level_fields(report.body)}
    report.intro = (intro or "").strip()
    report.field_comments = {
        str(key): text.strip()
        for key, text in (field_comments or {}).items()
        if str(key) in known and (text or "").strip()
    }
    report.save(update_fields=["intro", "field_comments", "updated_at"])
    return report


def _next_number(body: Body, year: int) -> str:
    numbers = (
        StatusReport.objects.for_body(body)
        .filter(version=1, number__endswith=f"/{year}")
        .values_list("number", flat=True)
    )
    taken = [int(n.split("/")[0]) for n in numbers if n.split("/")[0].isdigit()]
    return f"{max(taken, default=0) + 1}/{year}"


def _numbering(report: StatusReport, today: datetime.date) -> tuple[str, int]:
    """The number and version publishing would give ``report`` now (a correction keeps the
    number of the report it corrects)."""
    if report.corrects_id:
        corrected = StatusReport.objects.get(pk=report.corrects_id)
        newer = (
            StatusReport.objects.for_body(report.body)
            .filter(number=corrected.number, version__gt=corrected.version)
            .exclude(pk=report.pk)
        )
        if not corrected.is_published or newer.exists():
            raise ValidationError(
                _("A newer version of this report exists; correct that one instead."),
                code="outdated",
            )
        return corrected.number, corrected.version + 1
    return _next_number(report.body, today.year), 1


def _no_progress(percent: int, step: str) -> None:
    return None


def publish(user, report: StatusReport, progress=_no_progress) -> StatusReport:
    """Publish a draft: take its figures as a snapshot, give it its number (a correction keeps
    the number of the report it corrects), store the PDF made from the snapshot. From then on
    the report never changes.

    The slow work (figures, PDF) happens outside any transaction, with the number publishing
    would give; one short transaction then checks that the number is still free and freezes
    the report (if another report took the number meanwhile, the PDF is made again).
    ``progress(percent, step)`` hears of each step."""
    from lotse.reporting import documents

    require(user, "reporting.publish_reports", report)
    for _attempt in range(3):
        report = StatusReport.objects.select_related("body").get(pk=report.pk)
        _refuse_if_published(report)
        now = timezone.now()
        today = timezone.localdate(now)
        report.number, report.version = _numbering(report, today)
        report.full_clean(exclude=["pdf"])
        progress(20, _("Taking the figures of the period"))
        snapshot = live_snapshot(report, as_of=today)
        report.snapshot = snapshot
        progress(50, _("Rendering the PDF"))
        pdf = documents.render_report_pdf(report, snapshot)
        progress(90, _("Storing the report"))
        report.pdf.save(documents.pdf_file_name(report), ContentFile(pdf), save=False)
        stored = report.pdf
        try:
            with transaction.atomic():
                # The body row serialises numbering: two reports published at once get two
                # numbers.
                list(Body.objects.select_for_update().filter(pk=report.body_id).values_list("pk"))
                current = StatusReport.objects.select_for_update().get(pk=report.pk)
                _refuse_if_published(current)
                if _numbering(current, today) != (report.number, report.version):
                    stored.delete(save=False)
                    continue
                report.status = ReportStatus.PUBLISHED
                report.published_at = now
                report.published_by = user
                report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
                # Saves the texts the PDF was made with, even if they were changed meanwhile.
                report._publishing = True
                try:
                    report.save()
                finally:
                    report._publishing = False
        except Exception:
            stored.delete(save=False)
            raise
        return report
    raise ValidationError(
        _("Other reports were published at the same time. Please try again."), code="busy"
    )


def open_publication(report: StatusReport) -> Publication | None:
    """The publication of ``report`` that is waiting or running, if any."""
    return (
        Publication.objects.filter(report=report)
        .exclude(state__in=[SubmissionState.DONE, SubmissionState.FAILED])
        .first()
    )


def request_publication(user, report: StatusReport) -> Publication:
    """Publish a draft in the background (see :func:`publish`); the draft's page shows the
    progress of the returned row. A second request while one runs gets the running one."""
    from lotse.reporting import tasks

    require(user, "reporting.publish_reports", report)
    with transaction.atomic():
        report = StatusReport.objects.select_for_update().get(pk=report.pk)
        _refuse_if_published(report)
        running = open_publication(report)
        if running is not None:
            return running
        publication = Publication.objects.create(report=report, created_by=user)
    tasks.publish_report.enqueue(publication.pk)
    return publication


@transaction.atomic
def start_correction(user, published: StatusReport, note: str) -> StatusReport:
    """A new draft of the same number, one version up, holding the texts of the published
    version and saying what it corrects; the published version stays readable."""
    require(user, "reporting.draft_reports", published)
    published = StatusReport.objects.select_for_update().get(pk=published.pk)
    if not published.is_published:
        raise ValidationError(_("Only a published report can be corrected."), code="draft")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"correction_note": _("Say what this version corrects.")})
    newer = StatusReport.objects.for_body(published.body).filter(
        number=published.number, version__gt=published.version
    )
    if newer.exists():
        raise ValidationError(
            _("A newer version of this report exists or is being prepared."), code="outdated"
        )
    correction = StatusReport(
        body=published.body,
        title=published.title,
        period_start=published.period_start,
        period_end=published.period_end,
        intro=published.intro,
        field_comments=dict(published.field_comments or {}),
        number=published.number,
        version=published.version + 1,
        corrects=published,
        correction_note=note,
        created_by=user,
    )
    correction.full_clean(exclude=["pdf"])
    correction.save()
    return correction


def meetings_to_submit_to(body: Body) -> QuerySet[Meeting]:
    """Meetings of the body a report may go before: ahead and not cancelled."""
    return (
        Meeting.objects.for_body(body)
        .filter(start__gt=timezone.now())
        .exclude(state=MeetingState.CANCELLED)
        .order_by("start", "pk")
    )


def default_meeting(body: Body) -> Meeting | None:
    """The next meeting of the Digitalisierungsausschuss, if the body has one: a committee
    (Ausschuss) with "Digital" in its name; else any organization named so."""
    ahead = meetings_to_submit_to(body).filter(organizations__name__icontains="digital")
    committee = ahead.filter(organizations__organization_type=OrganizationType.COMMITTEE)
    return committee.distinct().first() or ahead.distinct().first()


@transaction.atomic
def submit_to_council(user, report: StatusReport, meeting: Meeting) -> Submission:
    """Put a published report before a committee: a background task creates the
    Mitteilungsvorlage with the PDF, releases it and puts it on the meeting's agenda."""
    from lotse.reporting import tasks

    require(user, "reporting.submit_reports", report)
    report = StatusReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_published:
        raise ValidationError(_("Only a published report can be submitted."), code="draft")
    if not current_published(report.body).filter(pk=report.pk).exists():
        raise ValidationError(
            _("A newer version of this report exists; submit that one."), code="outdated"
        )
    if (
        meeting.body_id != report.body_id
        or not meetings_to_submit_to(report.body).filter(pk=meeting.pk).exists()
    ):
        raise ValidationError(
            {"meeting": _("Choose a meeting of this body that lies ahead and is not cancelled.")}
        )
    already = Submission.objects.filter(report=report, meeting=meeting).exclude(
        state=SubmissionState.FAILED
    )
    if already.exists():
        raise ValidationError(
            {"meeting": _("This report has already been submitted to this meeting.")}
        )
    submission = Submission.objects.create(report=report, meeting=meeting, created_by=user)
    transaction.on_commit(lambda: tasks.submit_report.enqueue(submission.pk))
    return submission
