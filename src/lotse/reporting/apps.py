from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "lotse.reporting"
    label = "reporting"
    verbose_name = _("Status reports and cockpit")

    def ready(self) -> None:
        from lotse.core.navigation import register_body_nav
        from lotse.reporting import (
            rules,  # noqa: F401
            signals,  # noqa: F401  (they keep the cockpit fresh)
        )

        register_body_nav(_("Status reports"), "reporting:reports", order=400)
        register_body_nav(_("Cockpit"), "reporting:cockpit", order=410)
        register_body_nav(
            _("Report workshop"),
            "reporting:workshop",
            order=880,
            permission="reporting.draft_reports",
        )
