from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "lotse.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from lotse.core.interfaces import register_interface
        from lotse.core.navigation import register_body_nav
        from lotse.opendata import rules  # noqa: F401

        register_body_nav(_("Open data"), "opendata:index", order=450)
        register_body_nav(
            _("Open data catalog"), "opendata:manage", order=890, permission="opendata.manage"
        )
        register_interface(
            "opendata-catalog",
            _("Open-data catalog (DCAT-AP.de)"),
            _(
                "The body's datasets described for GovData and Open.NRW, as Turtle; "
                "also as RDF/XML and JSON-LD."
            ),
            lambda body: f"/{body.slug}/opendata/catalog.ttl",
            order=400,
        )
        register_interface(
            "opendata-downloads",
            _("Open data: downloads and feeds"),
            _(
                "Every public dataset as CSV and JSON with its column descriptions, "
                "and Atom/RSS feeds of what changes."
            ),
            lambda body: f"/{body.slug}/opendata/",
            order=410,
        )
