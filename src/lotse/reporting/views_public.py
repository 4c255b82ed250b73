"""Placeholder: the public report pages (list, page, PDF) land here."""

from django.views.generic import TemplateView


class ReportListView(TemplateView):
    pass


class ReportDetailView(TemplateView):
    pass


class ReportPdfView(TemplateView):
    pass
