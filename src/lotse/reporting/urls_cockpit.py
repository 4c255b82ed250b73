from django.urls import path

from lotse.reporting import views_cockpit

B = "<slug:body_slug>/"

urlpatterns = [
    path(B + "cockpit/", views_cockpit.CockpitView.as_view(), name="cockpit"),
]
