from django.urls import path

from lotse.accounts import views, views_signin

app_name = "accounts"

urlpatterns = [
    path(
        "konto/bestaetigung-erneut-senden/",
        views_signin.ResendConfirmationView.as_view(),
        name="resend_confirmation",
    ),
    path("konto/2fa/weiter/", views_signin.continue_after_mfa, name="mfa_continue"),
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
