"""Search pages of participation (see urls.py)."""

from django.urls import path

from lotse.participation import views_search

urlpatterns = [
    path(
        "<slug:body_slug>/ideen/aehnliche/",
        views_search.similar_ideas,
        name="similar",
    ),
]
