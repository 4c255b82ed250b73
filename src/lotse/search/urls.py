from django.urls import path

from lotse.search import views

app_name = "search"

urlpatterns = [
    path("suche/", views.SiteSearchView.as_view(), name="site"),
    path("<slug:body_slug>/suche/", views.BodySearchView.as_view(), name="body"),
]
