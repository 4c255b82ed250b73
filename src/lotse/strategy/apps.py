from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "lotse.strategy"
    label = "strategy"
    verbose_name = _("Strategy and measures")

    def ready(self) -> None:
        from lotse.core.frontpage import register_front_block
        from lotse.core.navigation import register_body_annotation, register_body_nav
        from lotse.strategy import frontpage, search_provider, selectors
        from lotse.strategy.models import Strategy

        search_provider.register_all()

        register_front_block("updates", 50, "strategy/front/updates.html", frontpage.newest_updates)
        register_body_annotation(
            "nav_has_strategy", selectors.strategy_page_exists, depends_on=[Strategy]
        )
        register_body_nav(
            _("Strategy"), "strategy:strategy", order=100, exists=selectors.has_strategy_page
        )
        register_body_nav(_("Measures"), "strategy:measures", order=110)
        register_body_nav(
            _("Workspace"), "strategy:workspace", order=800, permission="strategy.view_internal"
        )
        register_body_nav(
            _("Manage strategy"),
            "strategy:manage",
            order=810,
            permission="strategy.manage_strategy",
        )
