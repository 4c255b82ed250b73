"""Notification pages of participation (see urls.py); they belong to the account, not to a
body."""

from django.urls import path

from lotse.participation import views_notifications as views

N = "konto/benachrichtigungen/"

urlpatterns = [
    path(N, views.NotificationListView.as_view(), name="notifications"),
    path(N + "alle-gelesen/", views.MarkAllReadView.as_view(), name="notifications_read"),
    path(N + "<int:pk>/", views.OpenNotificationView.as_view(), name="notification_open"),
    path(
        N + "einstellungen/",
        views.NotificationSettingsView.as_view(),
        name="notification_settings",
    ),
]
