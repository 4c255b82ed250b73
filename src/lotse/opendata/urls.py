from django.urls import path, re_path

from lotse.opendata import feeds, views

app_name = "opendata"

B = "<slug:body_slug>/opendata/"
FMT = r"(?P<fmt>ttl|rdf|jsonld)"

urlpatterns = [
    path("opendata/catalog", views.InstallationCatalogView.as_view(), name="catalog"),
    re_path(
        r"^opendata/catalog\." + FMT + "$",
        views.InstallationCatalogView.as_view(),
        name="catalog_format",
    ),
    path(B, views.IndexView.as_view(), name="index"),
    path(B + "catalog", views.BodyCatalogView.as_view(), name="body_catalog"),
    re_path(
        r"^(?P<body_slug>[-a-zA-Z0-9_]+)/opendata/catalog\." + FMT + "$",
        views.BodyCatalogView.as_view(),
        name="body_catalog_format",
    ),
    path(B + "datapackage.json", views.DatapackageView.as_view(), name="datapackage"),
    path(B + "<slug:key>.csv", views.DownloadView.as_view(fmt="csv"), name="csv"),
    path(B + "<slug:key>.schema.json", views.SchemaView.as_view(), name="schema"),
    path(B + "<slug:key>.json", views.DownloadView.as_view(fmt="json"), name="json"),
    path(
        B + "berichte/<int:pk>/kennzahlen.json",
        views.ReportFiguresView.as_view(),
        name="report_figures",
    ),
    path(B + "feeds/<slug:kind>.atom", feeds.AtomFeed(), name="atom"),
    path(B + "feeds/<slug:kind>.rss", feeds.RssFeed(), name="rss"),
    path("<slug:body_slug>/verwaltung/opendata/", views.ManageView.as_view(), name="manage"),
    path(
        "<slug:body_slug>/verwaltung/opendata/<slug:key>/",
        views.DatasetSettingView.as_view(),
        name="dataset_setting",
    ),
]
