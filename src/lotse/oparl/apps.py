from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OparlConfig(AppConfig):
    name = "lotse.oparl"
    label = "oparl"
    verbose_name = _("OParl")

    def ready(self) -> None:
        from lotse.core.interfaces import register_interface
        from lotse.core.navigation import register_body_nav
        from lotse.oparl import signals  # noqa: F401  (tombstones and parents' modified)

        register_body_nav(
            _("OParl import"),
            "oparl:import",
            order=880,
            permission="council.manage_meetings",
        )
        register_interface(
            "oparl",
            _("OParl 1.1"),
            _(
                "The council information (organizations, persons, meetings, agenda items, "
                "papers and files) in the standard format of German council information "
                "systems, readable by OParl clients."
            ),
            lambda body: f"/oparl/v1.1/body/{body.slug}",
            order=100,
        )
        register_interface(
            "api",
            _("REST API"),
            _(
                "Lotse's own interface for measures, ideas and council data, "
                "with its documentation."
            ),
            lambda body: "/api/v1/docs",
            order=200,
        )
        register_interface(
            "calendar",
            _("Meeting calendar (iCalendar)"),
            _(
                "All meetings of the body as a calendar subscription; "
                "each organization's page has its own."
            ),
            lambda body: f"/{body.slug}/sitzungen/kalender.ics",
            order=300,
        )
