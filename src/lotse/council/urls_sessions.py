"""The council office's meeting work, decisions and Beschlusskontrolle, and the public
Beschlusskontrolle report; included in the ``council`` namespace by ``urls``."""

from django.urls import path

from lotse.council import views_sessions as views

B = "<slug:body_slug>/"
M = B + "verwaltung/sitzungen/"
F = B + "verwaltung/beschlusskontrolle/"

urlpatterns = [
    path(M, views.MeetingListView.as_view(), name="office_meetings"),
    path(M + "neu/", views.MeetingEditView.as_view(), name="office_meeting_new"),
    path(M + "<int:pk>/", views.MeetingView.as_view(), name="office_meeting"),
    path(M + "<int:pk>/bearbeiten/", views.MeetingEditView.as_view(), name="office_meeting_edit"),
    path(M + "<int:pk>/status/", views.MeetingStateView.as_view(), name="office_meeting_state"),
    path(
        M + "<int:pk>/top/<int:item_pk>/beschluss/",
        views.DecisionView.as_view(),
        name="office_decision",
    ),
    path(F, views.FollowUpListView.as_view(), name="office_follow_ups"),
    path(F + "<int:pk>/", views.FollowUpView.as_view(), name="office_follow_up"),
    path(B + "beschluesse/kontrolle/", views.FollowUpReportView.as_view(), name="follow_up_report"),
    path(
        B + "beschluesse/kontrolle.csv",
        views.FollowUpReportCsvView.as_view(),
        name="follow_up_report_csv",
    ),
]
