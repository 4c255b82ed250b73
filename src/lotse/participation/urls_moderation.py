"""Moderation pages of participation (see urls.py)."""

from django.urls import path

from lotse.participation import views_moderation as views

B = "<slug:body_slug>/"
M = B + "verwaltung/moderation/"

urlpatterns = [
    path(B + "ideen/<int:pk>/melden/", views.ReportIdeaView.as_view(), name="report_idea"),
    path(
        B + "ideen/<int:pk>/kommentare/<int:comment_pk>/melden/",
        views.ReportCommentView.as_view(),
        name="report_comment",
    ),
    path(M, views.ModerationQueueView.as_view(), name="moderation"),
    path(M + "aktion/", views.ModerationActView.as_view(), name="moderation_act"),
    path(M + "sperren/", views.ModerationBlocksView.as_view(), name="moderation_blocks"),
    path(
        M + "sperren/<int:user_pk>/aufheben/",
        views.ModerationUnblockView.as_view(),
        name="moderation_unblock",
    ),
    path(M + "protokoll/", views.ModerationLogView.as_view(), name="moderation_log"),
]
