from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "lotse.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from lotse.participation import signals  # noqa: F401  (connects the receivers)
