"""Council files and documents: downloads, the workspace pages that attach files, and a
meeting's invitation and minutes (HTML and PDF)."""

from django.urls import path

from lotse.council import views_documents as views

B = "<slug:body_slug>/"

urlpatterns = [
    path(B + "dateien/<int:pk>/<str:file_name>", views.FileDownloadView.as_view(), name="file"),
    path(
        B + "verwaltung/vorlagen/<int:pk>/anlagen/",
        views.PaperFilesView.as_view(),
        name="office_paper_files",
    ),
    path(
        B + "verwaltung/sitzungen/<int:pk>/anlagen/",
        views.MeetingFilesView.as_view(),
        name="office_meeting_files",
    ),
    path(
        B + "sitzungen/<int:pk>/einladung/",
        views.MeetingDocumentView.as_view(kind="invitation"),
        name="meeting_invitation",
    ),
    path(
        B + "sitzungen/<int:pk>/einladung.pdf",
        views.MeetingDocumentPdfView.as_view(kind="invitation"),
        name="meeting_invitation_pdf",
    ),
    path(
        B + "sitzungen/<int:pk>/niederschrift/",
        views.MeetingDocumentView.as_view(kind="minutes"),
        name="meeting_minutes",
    ),
    path(
        B + "sitzungen/<int:pk>/niederschrift.pdf",
        views.MeetingDocumentPdfView.as_view(kind="minutes"),
        name="meeting_minutes_pdf",
    ),
]
