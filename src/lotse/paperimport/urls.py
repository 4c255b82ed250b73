"""The paper import of the council office's workspace."""

from django.urls import path

from lotse.paperimport import views

app_name = "paperimport"
W = "<slug:body_slug>/verwaltung/vorlagen/import/"

urlpatterns = [
    path(W, views.UploadView.as_view(), name="upload"),
    path(W + "<int:pk>/", views.ReviewView.as_view(), name="review"),
]
