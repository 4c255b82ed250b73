"""Open-data downloads of participation (see urls.py)."""

from django.urls import path

from lotse.participation import views_exports as views

B = "<slug:body_slug>/ideen/"

urlpatterns = [
    path(B + "export.csv", views.ExportView.as_view(what="ideas"), name="export_ideas"),
    path(B + "kommentare.csv", views.ExportView.as_view(what="comments"), name="export_comments"),
]
