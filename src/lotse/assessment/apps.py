from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "lotse.assessment"
    label = "assessment"
    verbose_name = _("Assessment and prioritisation")

    def ready(self) -> None:
        from lotse.core.navigation import register_body_nav

        register_body_nav(
            _("Prioritisation"), "assessment:ranking", 300, permission="assessment.view_ranking"
        )
