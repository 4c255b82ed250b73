from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lotse.core"
    label = "core"
    verbose_name = _("Bodies and shared building blocks")

    def ready(self) -> None:
        from lotse.core import text
        from lotse.core.navigation import register_body_nav

        text.connect()

        register_body_nav(_("Overview"), "core:body", order=0)
        register_body_nav(
            _("Settings"), "core:body_settings", order=910, permission="core.change_body"
        )
