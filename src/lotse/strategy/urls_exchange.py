"""CSV/XLSX export of measures for everyone, import for the body's staff."""

from django.urls import path

from lotse.strategy import views_exchange as views

app_name = "exchange"

urlpatterns = [
    path(
        "<slug:body_slug>/massnahmen/export.csv",
        views.MeasureExportView.as_view(file_format="csv"),
        name="export_csv",
    ),
    path(
        "<slug:body_slug>/massnahmen/export.xlsx",
        views.MeasureExportView.as_view(file_format="xlsx"),
        name="export_xlsx",
    ),
    path(
        "<slug:body_slug>/verwaltung/massnahmen/import/",
        views.MeasureImportView.as_view(),
        name="import",
    ),
    path(
        "<slug:body_slug>/verwaltung/massnahmen/import/bestaetigen/",
        views.MeasureImportConfirmView.as_view(),
        name="import_confirm",
    ),
    path(
        "<slug:body_slug>/verwaltung/massnahmen/import/<int:pk>/",
        views.MeasureImportJobView.as_view(),
        name="import_job",
    ),
]
