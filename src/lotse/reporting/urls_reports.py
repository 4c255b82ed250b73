from django.urls import path

from lotse.reporting import views_public, views_workshop

B = "<slug:body_slug>/"
W = B + "verwaltung/berichte/"

urlpatterns = [
    path(B + "berichte/", views_public.ReportListView.as_view(), name="reports"),
    path(B + "berichte/<int:pk>/", views_public.ReportDetailView.as_view(), name="report"),
    path(
        B + "berichte/<int:pk>/bericht.pdf", views_public.ReportPdfView.as_view(), name="report_pdf"
    ),
    path(W, views_workshop.WorkshopView.as_view(), name="workshop"),
    path(W + "neu/", views_workshop.DraftCreateView.as_view(), name="draft_create"),
    path(W + "<int:pk>/", views_workshop.DraftEditView.as_view(), name="draft"),
    path(W + "<int:pk>/vorschau/", views_workshop.PreviewView.as_view(), name="preview"),
    path(W + "<int:pk>/vorschau.pdf", views_workshop.PreviewPdfView.as_view(), name="preview_pdf"),
    path(W + "<int:pk>/veroeffentlichen/", views_workshop.PublishView.as_view(), name="publish"),
    path(
        W + "<int:pk>/veroeffentlichung/",
        views_workshop.PublicationStatusView.as_view(),
        name="publication",
    ),
    path(W + "<int:pk>/berichtigen/", views_workshop.CorrectView.as_view(), name="correct"),
    path(W + "<int:pk>/in-den-rat/", views_workshop.SubmitView.as_view(), name="submit"),
    path(
        W + "einreichungen/<int:pk>/",
        views_workshop.SubmissionView.as_view(),
        name="submission",
    ),
]
