"""Participation URLs. Each area keeps its routes in its own module; they share one namespace."""

from lotse.participation import (
    urls_exports,
    urls_ideas,
    urls_moderation,
    urls_notifications,
    urls_processes,
    urls_search,
    urls_staff,
    urls_workshops,
)

app_name = "participation"

urlpatterns = [
    *urls_search.urlpatterns,
    *urls_exports.urlpatterns,
    *urls_ideas.urlpatterns,
    *urls_staff.urlpatterns,
    *urls_moderation.urlpatterns,
    *urls_notifications.urlpatterns,
    *urls_processes.urlpatterns,
    *urls_workshops.urlpatterns,
]
