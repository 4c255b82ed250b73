from django.urls import path
from django.views.generic import TemplateView

from lotse.core import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "impressum/", views.LegalPageView.as_view(template_name="core/imprint.html"), name="imprint"
    ),
    path(
        "datenschutz/",
        views.LegalPageView.as_view(template_name="core/privacy.html"),
        name="privacy",
    ),
    path("barrierefreiheit/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path(
        "leichte-sprache/",
        TemplateView.as_view(template_name="core/easy_language.html"),
        name="easy_language",
    ),
    path("<slug:body_slug>/", views.BodyOverviewView.as_view(), name="body"),
    path("<slug:body_slug>/branding.css", views.branding_css, name="branding"),
    path(
        "<slug:body_slug>/verwaltung/koerperschaft/",
        views.BodySettingsView.as_view(),
        name="body_settings",
    ),
]
