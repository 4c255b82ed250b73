"""Live meeting URLs, under the meeting: ``/<body>/sitzungen/<pk>/…``."""

from django.urls import path

from lotse.voting import views

app_name = "voting"

M = "<slug:body_slug>/sitzungen/<int:pk>/"

urlpatterns = [
    path(M + "sitzungsleitung/", views.ConsoleView.as_view(), name="console"),
    path(M + "sitzungsleitung/stand/", views.ConsoleStatusView.as_view(), name="console_status"),
    path(
        M + "sitzungsleitung/abstimmungen/<int:poll_pk>/<slug:action>/",
        views.PollActionView.as_view(),
        name="poll_action",
    ),
    path(
        M + "sitzungsleitung/vertretung/<int:person_pk>/",
        views.DeputyView.as_view(),
        name="deputy",
    ),
    path(
        M + "sitzungsleitung/<slug:action>/",
        views.ConsoleActionView.as_view(),
        name="console_action",
    ),
    path(M + "abstimmen/", views.MemberView.as_view(), name="member"),
    path(M + "abstimmen/stand/", views.MemberPollView.as_view(), name="member_poll"),
    path(M + "abstimmen/stimme/<int:poll_pk>/", views.CastView.as_view(), name="cast"),
    path(M + "abstimmen/<slug:action>/", views.MemberActionView.as_view(), name="member_action"),
    path(M + "live/", views.DisplayView.as_view(), name="display"),
    path(M + "live/stand/", views.DisplayPartView.as_view(), name="display_part"),
    path(M + "live/stempel/", views.StampView.as_view(), name="stamp"),
    path(M + "live/ereignisse/", views.EventsView.as_view(), name="events"),
]
