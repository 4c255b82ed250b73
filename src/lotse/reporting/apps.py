from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "lotse.reporting"
    label = "reporting"
    verbose_name = _("Status reports and cockpit")

    def ready(self) -> None:
        from lotse.core.frontpage import register_front_block
        from lotse.core.navigation import register_body_nav
        from lotse.reporting import (
            frontpage,
            rules,  # noqa: F401
            search_provider,
            signals,  # noqa: F401  (they keep the cockpit fresh)
        )

        search_provider.register_all()

        register_front_block(
            "key_figures", 10, "reporting/front/key_figures.html", frontpage.key_figures
        )
        register_front_block(
            "reports", 60, "reporting/front/reports.html", frontpage.latest_reports
        )
        register_body_nav(_("Status reports"), "reporting:reports", order=400)
        register_body_nav(_("Cockpit"), "reporting:cockpit", order=410)
        register_body_nav(
            _("Report workshop"),
            "reporting:workshop",
            order=880,
            permission="reporting.draft_reports",
        )
