"""Council URLs: the public pages and calendar feeds here; the council office's workspace
(``urls_office``: papers; ``urls_sessions``: meetings, decisions, Beschlusskontrolle) and the
files and documents (``urls_documents``) in their own modules, all in one namespace."""

from django.urls import path

from lotse.council import feeds, urls_documents, urls_office, urls_sessions, views

app_name = "council"

B = "<slug:body_slug>/"

urlpatterns = [
    path(B + "gremien/", views.OrganizationListView.as_view(), name="organizations"),
    path(B + "gremien/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization"),
    path(
        B + "gremien/<int:pk>/kalender.ics",
        feeds.OrganizationCalendarView.as_view(),
        name="organization_calendar",
    ),
    path(B + "sitzungen/", views.MeetingListView.as_view(), name="meetings"),
    path(B + "sitzungen/kalender.ics", feeds.BodyCalendarView.as_view(), name="calendar"),
    path(B + "sitzungen/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path(B + "vorlagen/", views.PaperListView.as_view(), name="papers"),
    path(B + "vorlagen/<int:pk>/", views.PaperDetailView.as_view(), name="paper"),
    path(B + "beschluesse/", views.DecisionListView.as_view(), name="decisions"),
    *urls_office.urlpatterns,
    *urls_sessions.urlpatterns,
    *urls_documents.urlpatterns,
]
