from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "lotse.assessment"
    label = "assessment"
    verbose_name = _("Assessment and prioritisation")

    def ready(self) -> None:
        from lotse.assessment.services import follow_adopted_strategy
        from lotse.core.navigation import register_body_nav
        from lotse.strategy.signals import strategy_adopted

        strategy_adopted.connect(follow_adopted_strategy, dispatch_uid="assessment-follow")
        register_body_nav(
            _("Prioritisation"), "assessment:ranking", 300, permission="assessment.view_ranking"
        )
