from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lotse.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from allauth.account.signals import user_signed_up
        from allauth.mfa.signals import authenticator_removed
        from django.contrib.auth.signals import user_logged_in

        from lotse.accounts.mfa import forget_second_factor, remember_requirement
        from lotse.accounts.views_signin import remember_signup_email
        from lotse.core.navigation import register_body_nav

        user_logged_in.connect(
            lambda sender, request, user, **kwargs: remember_requirement(request, user),
            weak=False,
            dispatch_uid="lotse.accounts.mfa.remember_requirement",
        )
        user_signed_up.connect(
            lambda sender, request, user, **kwargs: remember_signup_email(request, user),
            weak=False,
            dispatch_uid="lotse.accounts.remember_signup_email",
        )
        authenticator_removed.connect(
            lambda sender, request, **kwargs: forget_second_factor(request),
            weak=False,
            dispatch_uid="lotse.accounts.mfa.forget_second_factor",
        )

        register_body_nav(
            _("Roles"), "accounts:body_roles", order=900, permission="accounts.manage_roles"
        )
