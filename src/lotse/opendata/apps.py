from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "lotse.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from lotse.core.navigation import register_body_nav
        from lotse.opendata import rules  # noqa: F401

        register_body_nav(_("Open data"), "opendata:index", order=450)
        register_body_nav(
            _("Open data catalog"), "opendata:manage", order=890, permission="opendata.manage"
        )
