"""The district's library, joint measures, regional links and the regional report."""

from django.urls import path

from lotse.region import views

app_name = "region"

B = "<slug:body_slug>/"

urlpatterns = [
    path(B + "bibliothek/", views.LibraryView.as_view(), name="library"),
    path(B + "bibliothek/<int:pk>/", views.EntryView.as_view(), name="entry"),
    path(B + "bibliothek/gemeinsam/<int:pk>/", views.JointView.as_view(), name="joint"),
    path(B + "berichte/region/", views.RegionalReportView.as_view(), name="report"),
    path(
        B + "berichte/region/bericht.pdf", views.RegionalReportPdfView.as_view(), name="report_pdf"
    ),
    path(
        B + "verwaltung/massnahmen/<int:pk>/bibliothek/",
        views.PublishView.as_view(),
        name="publish",
    ),
    path(
        B + "verwaltung/massnahmen/<int:pk>/gemeinsam/",
        views.StartJointView.as_view(),
        name="start_joint",
    ),
    path(
        B + "verwaltung/bibliothek/<int:entry>/uebernehmen/",
        views.AdoptView.as_view(),
        name="adopt",
    ),
    path(
        B + "verwaltung/gemeinsam/<int:pk>/anteil/",
        views.ShareView.as_view(),
        name="share",
    ),
    path(B + "verwaltung/region/", views.LinksView.as_view(), name="links"),
]
