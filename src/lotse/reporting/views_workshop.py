"""Placeholder: the staff workshop (draft, preview, publish, correct, submit) lands here."""

from django.views.generic import TemplateView


class WorkshopView(TemplateView):
    pass


DraftCreateView = DraftEditView = PreviewView = PreviewPdfView = PublishView = WorkshopView
CorrectView = SubmitView = SubmissionView = WorkshopView
