from django.urls import path

from lotse.accounts import views

app_name = "accounts"

urlpatterns = [
    path("konto/profil/", views.ProfileView.as_view(), name="profile"),
    path("konto/meine-daten.json", views.ExportDataView.as_view(), name="export"),
    path("konto/loeschen/", views.DeleteAccountView.as_view(), name="delete"),
    path("konto/api-tokens/", views.ApiTokenView.as_view(), name="api_tokens"),
    path(
        "konto/api-tokens/<int:token_id>/widerrufen/",
        views.RevokeApiTokenView.as_view(),
        name="revoke_api_token",
    ),
    path("<slug:body_slug>/verwaltung/rollen/", views.BodyRolesView.as_view(), name="body_roles"),
    path(
        "<slug:body_slug>/verwaltung/rollen/<int:role_id>/entziehen/",
        views.RevokeRoleView.as_view(),
        name="revoke_role",
    ),
]
