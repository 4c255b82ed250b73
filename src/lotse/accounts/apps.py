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

        # Sessions keep what the MFA check found until a role or a second factor changes.
        from allauth.mfa.models import Authenticator
        from django.db.models.signals import post_delete, post_save

        from lotse.accounts.mfa import access_changed
        from lotse.accounts.models import BodyRole

        for model in (BodyRole, Authenticator):
            for signal in (post_save, post_delete):
                signal.connect(
                    lambda sender, instance, **kwargs: access_changed(instance.user_id),
                    sender=model,
                    weak=False,
                    dispatch_uid=f"lotse.accounts.access_changed.{model.__name__}.{id(signal)}",
                )

        register_body_nav(
            _("Roles"), "accounts:body_roles", order=900, permission="accounts.manage_roles"
        )
