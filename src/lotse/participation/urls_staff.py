"""Staff pages of participation (see urls.py)."""

from django.urls import path

from lotse.participation import views_staff as views

W = "<slug:body_slug>/verwaltung/ideen/"

urlpatterns = [
    path(W, views.IdeaAdminView.as_view(), name="idea_admin"),
    path(W + "<int:pk>/", views.IdeaManageView.as_view(), name="idea_manage"),
    path(W + "<int:pk>/massnahme/", views.IdeaMeasureView.as_view(), name="idea_measure"),
]
