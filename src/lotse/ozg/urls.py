from django.urls import path

from lotse.ozg import views

app_name = "ozg"
B = "<slug:body_slug>/"

urlpatterns = [
    path(B + "ozg/", views.OverviewView.as_view(), name="overview"),
    path(B + "ozg/export.csv", views.ExportView.as_view(file_format="csv"), name="export_csv"),
    path(B + "ozg/export.xlsx", views.ExportView.as_view(file_format="xlsx"), name="export_xlsx"),
    path(B + "verwaltung/ozg/", views.WorkspaceView.as_view(), name="workspace"),
    path(B + "verwaltung/ozg/import/", views.ImportView.as_view(), name="import"),
    path(
        B + "verwaltung/ozg/import/bestaetigen/",
        views.ImportConfirmView.as_view(),
        name="import_confirm",
    ),
    path(B + "verwaltung/ozg/<int:ozg_id>/", views.AssessView.as_view(), name="assess"),
    path(B + "verwaltung/ozg/<int:ozg_id>/zeile/", views.RowView.as_view(), name="row"),
]
