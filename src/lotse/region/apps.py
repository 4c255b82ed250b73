"""The district working as one: regional strategy links, the shared library of measures,
adoptions, joint measures and the regional report."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionConfig(AppConfig):
    name = "lotse.region"
    verbose_name = _("District cooperation")

    def ready(self) -> None:
        from lotse.region import navigation, rules  # noqa: F401
