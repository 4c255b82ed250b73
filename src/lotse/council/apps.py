from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "lotse.council"
    label = "council"
    verbose_name = _("Council")

    def ready(self) -> None:
        from lotse.core.navigation import register_body_nav

        register_body_nav(_("Organizations"), "council:organizations", order=300)
        register_body_nav(_("Meetings"), "council:meetings", order=310)
        register_body_nav(_("Papers"), "council:papers", order=320)
        register_body_nav(_("Decisions"), "council:decisions", order=330)
