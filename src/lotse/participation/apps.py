from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "lotse.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from lotse.core.frontpage import register_front_block
        from lotse.core.navigation import register_body_nav
        from lotse.participation import (  # noqa: F401  (receivers)
            cache_signals,
            frontpage,
            search_provider,
            signals,
        )

        search_provider.register_all()

        register_front_block("open", 20, "participation/front/open.html", frontpage.open_now)
        register_body_nav(_("Ideas"), "participation:ideas", order=200)
        register_body_nav(_("Participation"), "participation:processes", order=210)
        register_body_nav(_("Workshops"), "participation:workshops", order=220)
        register_body_nav(
            _("Answer ideas"),
            "participation:idea_admin",
            order=820,
            permission="participation.answer_idea",
        )
        register_body_nav(
            _("Moderation"),
            "participation:moderation",
            order=830,
            permission="participation.moderate",
        )
        register_body_nav(
            _("Manage participation"),
            "participation:process_manage",
            order=840,
            permission="participation.manage_processes",
        )
