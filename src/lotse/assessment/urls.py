"""E-Government-Check, cost-benefit and ranking pages."""

from django.urls import path

from lotse.assessment import views

app_name = "assessment"

B = "<slug:body_slug>/"
W = B + "verwaltung/massnahmen/<int:pk>/"

urlpatterns = [
    path(B + "priorisierung/", views.RankingView.as_view(), name="ranking"),
    path(
        B + "priorisierung/export.csv",
        views.RankingExportView.as_view(file_format="csv"),
        name="ranking_csv",
    ),
    path(
        B + "priorisierung/export.xlsx",
        views.RankingExportView.as_view(file_format="xlsx"),
        name="ranking_xlsx",
    ),
    path(W + "egov-check/", views.DigitalCheckView.as_view(), name="check"),
    path(W + "bewertung/", views.CostBenefitView.as_view(), name="cost_benefit"),
    path(B + "verwaltung/gewichtung/", views.WeightsView.as_view(), name="weights"),
    path(B + "verwaltung/egov-fragen/", views.QuestionsView.as_view(), name="questions"),
]
