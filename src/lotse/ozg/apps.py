from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OzgConfig(AppConfig):
    name = "lotse.ozg"
    label = "ozg"
    verbose_name = _("OZG services")

    def ready(self) -> None:
        from lotse.core.backup import register_reference_tables
        from lotse.core.frontpage import register_front_block
        from lotse.core.navigation import register_body_nav
        from lotse.opendata.datasets import register_dataset
        from lotse.ozg import (
            frontpage,
            opendata,
            rules,  # noqa: F401
            search_provider,
            selectors,
        )
        from lotse.reporting.extensions import register_cockpit_section

        # Every municipality carries out OZG services, so the page exists for every body
        # (no "exists" check that would cost a query on each of its pages).
        register_body_nav(_("OZG services"), "ozg:overview", order=420)
        register_body_nav(
            _("OZG workspace"), "ozg:workspace", order=820, permission="ozg.assess_services"
        )
        register_front_block("ozg", 45, "ozg/front/ozg.html", frontpage.ozg_figures)
        register_cockpit_section("ozg", 20, "ozg/cockpit_towns.html", selectors.cockpit_section)
        register_dataset(opendata.OZG_SERVICES)
        search_provider.register_all()
        # The catalogue comes with migrate: a restore may go into an installation holding it.
        register_reference_tables("ozg_service", "ozg_leikaservice")
