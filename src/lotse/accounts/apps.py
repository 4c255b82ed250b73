from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lotse.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from lotse.core.navigation import register_body_nav

        register_body_nav(
            _("Roles"), "accounts:body_roles", order=900, permission="accounts.manage_roles"
        )
