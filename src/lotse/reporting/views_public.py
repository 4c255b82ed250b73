"""The public report pages: the list of published reports, a report as published (from its
snapshot, never from live data) and its stored PDF. A draft is not there for anyone: staff are
sent to its preview in the workshop, everyone else gets 404."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from lotse.core.views import BodyMixin
from lotse.reporting import documents
from lotse.reporting.models import ReportStatus, StatusReport
from lotse.reporting.services import current_published, published_reports


class ReportMixin(BodyMixin):
    """The report of the URL: a published one for everyone; a draft sends staff to its preview
    (``preview_name``) and is not found for anyone else."""

    preview_name = "reporting:preview"

    def get_report(self) -> StatusReport:
        report = get_object_or_404(StatusReport.objects.for_body(self.body), pk=self.kwargs["pk"])
        if not report.is_published:
            raise Http404
        report.body = self.body
        return report

    def dispatch(self, request, *args, **kwargs):
        try:
            self.report = self.get_report()
        except Http404:
            draft = (
                StatusReport.objects.for_body(self.body)
                .filter(pk=kwargs["pk"], status=ReportStatus.DRAFT)
                .first()
            )
            if draft and request.user.has_perm("reporting.draft_reports", draft):
                return redirect(self.preview_name, body_slug=self.body.slug, pk=draft.pk)
            raise
        return super().dispatch(request, *args, **kwargs)


class ReportListView(BodyMixin, TemplateView):
    """``/<body>/berichte/``: the published reports, newest first, each number in its current
    version (earlier versions are linked from their correction)."""

    template_name = "reporting/report_list.html"

    def get_context_data(self, **kwargs):
        reports = list(
            current_published(self.body)
            .defer("snapshot", "intro", "field_comments", "correction_note")
            .order_by("-period_end", "-published_at", "-pk")
        )
        for report in reports:
            report.pdf_size = _pdf_size(report)
        return super().get_context_data(reports=reports, **kwargs)


def _pdf_size(report: StatusReport) -> int | None:
    if not report.pdf:
        return None
    try:
        return report.pdf.size
    except OSError:
        return None


class ReportDetailView(ReportMixin, TemplateView):
    """``/<body>/berichte/<pk>/``: the report as published, with a note if a newer version
    exists."""

    template_name = "reporting/report_detail.html"

    def get_context_data(self, **kwargs):
        report = self.report
        newest = (
            published_reports(self.body)
            .filter(number=report.number, version__gt=report.version)
            .only("pk", "version", "number")
            .order_by("-version")
            .first()
        )
        return super().get_context_data(
            **documents.report_context(report, report.snapshot),
            newest=newest,
            pdf_size=_pdf_size(report),
            **kwargs,
        )


class ReportPdfView(ReportMixin, View):
    """``/<body>/berichte/<pk>/bericht.pdf``: the PDF stored at publishing, byte for byte."""

    preview_name = "reporting:preview_pdf"

    def get(self, request, body_slug: str, pk: int):
        if not self.report.pdf:
            raise Http404
        try:
            stream = self.report.pdf.open("rb")
        except OSError as error:
            raise Http404 from error
        response = FileResponse(
            stream,
            content_type="application/pdf",
            as_attachment=False,
            filename=documents.pdf_file_name(self.report),
        )
        response["X-Content-Type-Options"] = "nosniff"
        # A published report never changes: anyone may keep it.
        response["Cache-Control"] = "public, max-age=86400"
        if self.report.pdf_sha256:
            response["ETag"] = f'"{self.report.pdf_sha256}"'
        return response
