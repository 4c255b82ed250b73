"""ideas pages of participation (see urls.py)."""

from django.urls import path

from lotse.participation import views_ideas as views

B = "<slug:body_slug>/ideen/"
I = B + "<int:pk>/"  # noqa: E741
C = I + "kommentare/<int:comment_pk>/"

urlpatterns = [
    path(B, views.IdeaListView.as_view(), name="ideas"),
    path(B + "neu/", views.IdeaCreateView.as_view(), name="idea_create"),
    path(B + "meine/", views.MyIdeasView.as_view(), name="my_ideas"),
    path(I, views.IdeaDetailView.as_view(), name="idea"),
    path(I + "bilder/<int:image_id>/", views.IdeaImageView.as_view(), name="idea_image"),
    path(
        I + "unterstuetzen/",
        views.IdeaActionView.as_view(action="support"),
        name="idea_support",
    ),
    path(
        I + "unterstuetzen/zurueckziehen/",
        views.IdeaActionView.as_view(action="withdraw"),
        name="idea_withdraw",
    ),
    path(
        I + "bewerten/",
        views.IdeaActionView.as_view(action="rate", fragment="rating", anchor="einschaetzung"),
        name="idea_rate",
    ),
    path(
        I + "kommentieren/",
        views.IdeaActionView.as_view(action="comment", fragment="comments", anchor="kommentare"),
        name="idea_comment",
    ),
    path(
        C + "bearbeiten/",
        views.IdeaActionView.as_view(action="edit", fragment="comments", anchor="kommentare"),
        name="comment_edit",
    ),
    path(
        C + "loeschen/",
        views.IdeaActionView.as_view(action="delete", fragment="comments", anchor="kommentare"),
        name="comment_delete",
    ),
    path(I + "folgen/", views.IdeaActionView.as_view(action="follow"), name="idea_follow"),
    path(
        I + "folgen/beenden/",
        views.IdeaActionView.as_view(action="unfollow"),
        name="idea_unfollow",
    ),
]
