"""Beteiligungsverfahren: public pages, following, and the staff pages (see urls.py)."""

from django.urls import path

from lotse.participation import views_processes as views

B = "<slug:body_slug>/"
P = B + "beteiligung/"
M = B + "verwaltung/beteiligung/"

urlpatterns = [
    path(P, views.ProcessListView.as_view(), name="processes"),
    path(P + "<slug:slug>/", views.ProcessDetailView.as_view(), name="process"),
    path(P + "<slug:slug>/folgen/", views.ProcessFollowView.as_view(), name="process_follow"),
    path(M, views.ProcessManageView.as_view(), name="process_manage"),
    path(M + "neu/", views.ProcessEditView.as_view(), name="process_create"),
    path(M + "<int:pk>/bearbeiten/", views.ProcessEditView.as_view(), name="process_edit"),
    path(M + "einstellungen/", views.SettingsView.as_view(), name="participation_settings"),
]
