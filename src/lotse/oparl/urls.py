"""``/oparl/v1.1/…``: the OParl endpoint. Object ids are ``/oparl/v1.1/<type>/<id>``; a
body's lists are ``/oparl/v1.1/body/<slug>/<type>``."""

from django.urls import path, re_path

from lotse.oparl import views, views_office

app_name = "oparl"

V = "oparl/v1.1/"

urlpatterns = [
    path(V + "system", views.system, name="system"),
    path(V + "body", views.body_list, name="bodies"),
    path(V + "body/<slug:slug>", views.body_detail, name="body"),
    path(V + "body/<slug:slug>/<str:kind>", views.object_list, name="list"),
    path(V + "file/<int:pk>/access", views.file_access, name="file_access"),
    path(V + "file/<int:pk>/download", views.file_download, name="file_download"),
    path(V + "<str:kind>/<int:pk>", views.object_detail, name="object"),
    re_path(r"^oparl/(?P<rest>.*)$", views.not_found),
    path(
        "<slug:body_slug>/verwaltung/oparl-import/",
        views_office.ImportView.as_view(),
        name="import",
    ),
    path("<slug:body_slug>/schnittstellen/", views.InterfacesView.as_view(), name="interfaces"),
]
