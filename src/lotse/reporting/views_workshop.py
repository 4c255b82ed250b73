"""The report workshop (``/<body>/verwaltung/berichte/``): drafts with their texts, the live
preview as page and PDF, publishing, corrections and putting a report before a committee.
Views only translate HTTP into calls of ``services`` and back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.core.forms import add_errors
from lotse.core.views import BodyMixin
from lotse.reporting import services
from lotse.reporting.forms import CorrectionForm, DraftForm, SubmitForm, TextsForm
from lotse.reporting.models import (
    Publication,
    ReportStatus,
    StatusReport,
    Submission,
    SubmissionState,
)


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class WorkshopMixin(BodyMixin, PermissionRequiredMixin):
    """A page of the workshop; reports of another body answer 404."""

    permission_required = "reporting.draft_reports"

    @cached_property
    def report(self) -> StatusReport:
        reports = StatusReport.objects.for_body(self.body).select_related("body", "corrects")
        return get_object_or_404(reports, pk=self.kwargs["pk"])

    def may(self, permission: str) -> bool:
        return self.request.user.has_perm(permission, self.body)

    def back_to_report(self, report: StatusReport | None = None):
        return redirect("reporting:draft", body_slug=self.body.slug, pk=(report or self.report).pk)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("may_draft", self.may("reporting.draft_reports"))
        kwargs.setdefault("may_publish", self.may("reporting.publish_reports"))
        kwargs.setdefault("may_submit", self.may("reporting.submit_reports"))
        return super().get_context_data(**kwargs)


class EitherPermissionMixin:
    """Pages the council office needs too: those who draft and those who submit reports."""

    def has_permission(self) -> bool:
        user = self.request.user
        return user.has_perm("reporting.draft_reports", self.body) or user.has_perm(
            "reporting.submit_reports", self.body
        )


class WorkshopView(EitherPermissionMixin, WorkshopMixin, TemplateView):
    """The drafts, the published reports with their versions and the latest submissions."""

    template_name = "reporting/workshop.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reports = list(
            StatusReport.objects.for_body(self.body)
            .select_related("created_by", "published_by")
            .order_by("-period_end", "number", "-version", "-pk")
        )
        drafts = (
            [r for r in reports if r.status == ReportStatus.DRAFT] if context["may_draft"] else []
        )
        # One row per number: its newest published version, with the older ones beside it.
        published: dict[str, dict] = {}
        for report in reports:
            if report.status != ReportStatus.PUBLISHED:
                continue
            row = published.setdefault(report.number, {"current": report, "older": []})
            if report is not row["current"]:
                row["older"].append(report)
        submissions = list(
            Submission.objects.filter(report__body=self.body).select_related(
                "report", "meeting", "paper"
            )[:10]
        )
        context.update(drafts=drafts, published=list(published.values()), submissions=submissions)
        return context


class DraftCreateView(WorkshopMixin, FormView):
    template_name = "reporting/workshop_new.html"
    form_class = DraftForm

    def get_form_kwargs(self):
        published = {
            (report.period_start, report.period_end): report.label
            for report in services.current_published(self.body).only(
                "period_start", "period_end", "number", "version"
            )
        }
        return {**super().get_form_kwargs(), "published": published}

    def form_valid(self, form):
        try:
            report = services.create_draft(
                self.request.user,
                self.body,
                form.cleaned_data["chosen"],
                form.cleaned_data["title"],
            )
        except ValidationError as error:
            add_errors(form, error)
            # Offer the correction of the report already published for this period.
            existing = services.published_for_period(self.body, form.cleaned_data["chosen"])
            return self.render_to_response(
                self.get_context_data(form=form, published_report=existing)
            )
        messages.success(self.request, _("The draft has been created."))
        return self.back_to_report(report)


class DraftEditView(WorkshopMixin, FormView):
    """A draft with its texts; a published report with its versions, PDF and submissions."""

    template_name = "reporting/workshop_report.html"
    form_class = TextsForm

    @cached_property
    def action_fields(self):
        return services.top_level_fields(self.body)

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "action_fields": self.action_fields}
        comments = self.report.field_comments or {}
        kwargs["initial"] = {
            "intro": self.report.intro,
            **{TextsForm.field_name(f): comments.get(str(f.pk), "") for f in self.action_fields},
        }
        return kwargs

    def get_context_data(self, **kwargs):
        report = self.report
        context = {"report": report}
        if not report.is_published:
            publication = (
                Publication.objects.filter(report=report).order_by("-created_at", "-pk").first()
            )
            if publication is not None and publication.state != SubmissionState.DONE:
                context["publication"] = publication
        if report.is_published:
            context["versions"] = list(
                StatusReport.objects.for_body(self.body)
                .filter(number=report.number)
                .order_by("-version")
            )
            context["is_current"] = not any(
                v.version > report.version and v.is_published for v in context["versions"]
            )
            context["has_newer"] = any(v.version > report.version for v in context["versions"])
            context["submissions"] = list(
                Submission.objects.filter(report=report).select_related("meeting", "paper")
            )
        return super().get_context_data(**context, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.report.is_published:
            messages.error(
                request, _("A published report cannot be changed. Publish a correction instead.")
            )
            return self.back_to_report()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.save_texts(
                self.request.user, self.report, form.cleaned_data["intro"], form.comments()
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The texts have been saved."))
        return self.back_to_report()


class DraftOnlyMixin(WorkshopMixin):
    """Pages for a draft only: a published report sends the user to its page."""

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission() and self.report.is_published:
            return redirect(self.report.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)


class PreviewView(DraftOnlyMixin, TemplateView):
    """The draft as it would be published now, from the live figures."""

    template_name = "reporting/workshop_preview.html"

    def get_context_data(self, **kwargs):
        from lotse.reporting import documents

        snapshot = services.live_snapshot(self.report)
        return super().get_context_data(**documents.report_context(self.report, snapshot), **kwargs)


class PreviewPdfView(DraftOnlyMixin, View):
    def get(self, request, *args, **kwargs):
        from lotse.reporting import documents

        report = self.report
        pdf = documents.render_report_pdf(report, services.live_snapshot(report))
        response = HttpResponse(pdf, content_type="application/pdf")
        name = documents.pdf_file_name(report).replace(".pdf", "-vorschau.pdf")
        response["Content-Disposition"] = f'inline; filename="{name}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class PublishView(DraftOnlyMixin, TemplateView):
    """Confirm, then publish: the figures are frozen and the PDF stored."""

    template_name = "reporting/workshop_publish.html"
    permission_required = "reporting.publish_reports"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report, previous=services.previous_report(self.report), **kwargs
        )

    def post(self, request, *args, **kwargs):
        try:
            publication = services.request_publication(request.user, self.report)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return self.back_to_report()
        publication.refresh_from_db()
        report = StatusReport.objects.get(pk=self.report.pk)
        if report.is_published:
            messages.success(
                request, _("Report %(label)s has been published.") % {"label": report.label}
            )
        elif not publication.is_finished:
            messages.info(
                request,
                _("The report is being published in the background; this page shows how far."),
            )
        return self.back_to_report(report)


class PublicationStatusView(WorkshopMixin, TemplateView):
    """The progress of publishing a draft, as the part the draft's page polls with htmx every
    second; once the task has finished, htmx reloads the whole page."""

    template_name = "reporting/_publication_status.html"

    def get(self, request, *args, **kwargs):
        if not getattr(request, "htmx", False):
            return self.back_to_report()
        publication = (
            Publication.objects.filter(report=self.report).order_by("-created_at", "-pk").first()
        )
        if publication is None or publication.is_finished:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
        elif request.GET.get("seen") == f"{publication.state}-{publication.progress}":
            response = HttpResponse(status=204)
        else:
            response = self.render_to_response(
                self.get_context_data(report=self.report, publication=publication)
            )
        patch_vary_headers(response, ("HX-Request",))
        response["Cache-Control"] = "no-store"
        return response


class PublishedOnlyMixin(WorkshopMixin):
    def dispatch(self, request, *args, **kwargs):
        if self.has_permission() and not self.report.is_published:
            messages.error(request, _("Publish the report first."))
            return self.back_to_report()
        return super().dispatch(request, *args, **kwargs)


class CorrectView(PublishedOnlyMixin, FormView):
    """Start a correction: a new draft of the same number, saying what it corrects."""

    template_name = "reporting/workshop_correct.html"
    form_class = CorrectionForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.report, **kwargs)

    def form_valid(self, form):
        try:
            correction = services.start_correction(
                self.request.user, self.report, form.cleaned_data["note"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "correction_note" in error.error_dict:
                form.add_error("note", error.error_dict["correction_note"])
            else:
                add_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Version %(version)s has been started as a draft.") % {"version": correction.version},
        )
        return self.back_to_report(correction)


class SubmitView(PublishedOnlyMixin, FormView):
    """Choose the meeting; the background task does the rest."""

    template_name = "reporting/workshop_submit.html"
    form_class = SubmitForm
    permission_required = "reporting.submit_reports"

    def back_to_report(self, report=None):
        if self.may("reporting.draft_reports"):
            return super().back_to_report(report)
        return redirect("reporting:workshop", body_slug=self.body.slug)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "meetings": services.meetings_to_submit_to(self.body),
            "initial_meeting": services.default_meeting(self.body),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.report, **kwargs)

    def form_valid(self, form):
        try:
            submission = services.submit_to_council(
                self.request.user, self.report, form.cleaned_data["meeting"]
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        return redirect("reporting:submission", body_slug=self.body.slug, pk=submission.pk)


class SubmissionView(EitherPermissionMixin, WorkshopMixin, TemplateView):
    """The progress of a submission; htmx asks for the status part every second until the
    task has finished. Without JavaScript, reloading the page shows the same."""

    template_name = "reporting/workshop_submission.html"

    @cached_property
    def submission(self) -> Submission:
        submissions = Submission.objects.filter(report__body=self.body).select_related(
            "report", "meeting", "paper", "created_by"
        )
        return get_object_or_404(submissions, pk=self.kwargs["pk"])

    @staticmethod
    def fingerprint(submission: Submission) -> str:
        return f"{submission.state}-{submission.progress}"

    def get(self, request, *args, **kwargs):
        polled = getattr(request, "htmx", False)
        if polled and request.GET.get("seen") == self.fingerprint(self.submission):
            # Nothing new: htmx keeps the part as it is, and screen readers hear nothing.
            response = HttpResponse(status=204)
        else:
            response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return ["reporting/_submission_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            submission=self.submission,
            report=self.submission.report,
            seen=self.fingerprint(self.submission),
            **kwargs,
        )
