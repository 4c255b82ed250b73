"""Public strategy pages and the staff workspace for measures."""

from django.urls import path

from lotse.strategy import views

app_name = "strategy"

B = "<slug:body_slug>/"
W = B + "verwaltung/massnahmen/"

urlpatterns = [
    path(B + "strategie/", views.StrategyView.as_view(), name="strategy"),
    path(B + "massnahmen/", views.MeasureListView.as_view(), name="measures"),
    path(B + "massnahmen/<int:pk>/", views.MeasureDetailView.as_view(), name="measure"),
    path(W, views.WorkspaceView.as_view(), name="workspace"),
    path(W + "neu/", views.MeasureEditView.as_view(), name="measure_create"),
    path(W + "<int:pk>/bearbeiten/", views.MeasureEditView.as_view(), name="measure_edit"),
    path(W + "<int:pk>/sachstand/", views.StatusUpdateView.as_view(), name="status_update"),
    path(W + "<int:pk>/status/", views.TransitionView.as_view(), name="transition"),
    path(W + "<int:pk>/meilensteine/", views.MilestonesView.as_view(), name="milestones"),
    path(W + "<int:pk>/auswirkungen/", views.ImpactView.as_view(), name="impacts"),
    path(W + "<int:pk>/anlagen/", views.AttachmentsView.as_view(), name="attachments"),
    path(
        B + "massnahmen/<int:pk>/anlagen/<int:attachment_id>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
    path(B + "verwaltung/strategie/", views.StrategyManageView.as_view(), name="manage"),
    path(
        B + "verwaltung/strategie/<int:version>/neue-version/",
        views.StrategyVersionActionView.as_view(action="copy"),
        name="new_version",
    ),
    path(
        B + "verwaltung/strategie/<int:version>/beschliessen/",
        views.StrategyVersionActionView.as_view(action="adopt"),
        name="adopt",
    ),
    path(B + "verwaltung/einheiten/", views.UnitsView.as_view(), name="units"),
]
