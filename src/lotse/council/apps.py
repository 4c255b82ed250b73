from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "lotse.council"
    label = "council"
    verbose_name = _("Council")

    def ready(self) -> None:
        from lotse.core.frontpage import register_front_block
        from lotse.core.navigation import register_body_nav
        from lotse.council import (
            cache_signals,  # noqa: F401  (its receivers renew the lists' cached counts)
            frontpage,
            search_provider,
        )

        search_provider.register_all()

        register_front_block("meetings", 30, "council/front/meetings.html", frontpage.next_meetings)
        register_front_block(
            "decisions", 40, "council/front/decisions.html", frontpage.latest_decisions
        )
        register_body_nav(_("Organizations"), "council:organizations", order=300)
        register_body_nav(_("Meetings"), "council:meetings", order=310)
        register_body_nav(_("Papers"), "council:papers", order=320)
        register_body_nav(_("Decisions"), "council:decisions", order=330)
        register_body_nav(
            _("Paper workspace"),
            "council:office_papers",
            order=850,
            permission="council.edit_papers",
        )
        register_body_nav(
            _("Council office"),
            "council:office_meetings",
            order=860,
            permission="council.manage_meetings",
        )
        register_body_nav(
            _("Follow-up control"),
            "council:office_follow_ups",
            order=870,
            permission="council.manage_follow_ups",
        )
