"""The council office's paper workspace and the co-signing requests (see urls.py)."""

from django.urls import path

from lotse.council import views_office as views

W = "<slug:body_slug>/verwaltung/"
P = W + "vorlagen/<int:pk>/"

urlpatterns = [
    path(W + "vorlagen/", views.PaperListView.as_view(), name="office_papers"),
    path(W + "vorlagen/neu/", views.PaperEditView.as_view(), name="office_paper_new"),
    path(P, views.PaperDetailView.as_view(), name="office_paper"),
    path(P + "bearbeiten/", views.PaperEditView.as_view(), name="office_paper_edit"),
    path(P + "auswirkungen/", views.PaperImpactsView.as_view(), name="office_paper_impacts"),
    path(P + "egov-check/", views.PaperCheckView.as_view(), name="office_paper_check"),
    path(P + "mitzeichnung/", views.PaperSignoffsView.as_view(), name="office_paper_signoffs"),
    path(P + "freigabe/", views.PaperReleaseView.as_view(), name="office_paper_release"),
    path(P + "ergaenzung/", views.PaperSupplementView.as_view(), name="office_paper_supplement"),
    path(
        P + "beratungsfolge/",
        views.PaperConsultationsView.as_view(),
        name="office_paper_consultations",
    ),
    path(W + "mitzeichnungen/", views.SignoffListView.as_view(), name="office_signoffs"),
]
