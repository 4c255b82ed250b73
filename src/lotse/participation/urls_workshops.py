"""Workshops: public pages and the staff pages to record them (see urls.py)."""

from django.urls import path

from lotse.participation import views_workshops as views

B = "<slug:body_slug>/"
W = B + "werkstaetten/"
M = B + "verwaltung/werkstaetten/"

urlpatterns = [
    path(W, views.WorkshopListView.as_view(), name="workshops"),
    path(W + "<int:pk>/", views.WorkshopDetailView.as_view(), name="workshop"),
    path(M, views.WorkshopManageView.as_view(), name="workshop_manage"),
    path(M + "neu/", views.WorkshopEditView.as_view(), name="workshop_create"),
    path(M + "<int:pk>/bearbeiten/", views.WorkshopEditView.as_view(), name="workshop_edit"),
    path(
        M + "<int:pk>/veroeffentlichen/",
        views.WorkshopPublishView.as_view(),
        name="workshop_publish",
    ),
    path(
        M + "<int:pk>/themen/<int:topic_pk>/",
        views.TopicEditView.as_view(),
        name="workshop_topic",
    ),
    path(
        M + "<int:pk>/ergebnisse/<int:result_pk>/idee/",
        views.ResultToIdeaView.as_view(),
        name="workshop_result_to_idea",
    ),
]
