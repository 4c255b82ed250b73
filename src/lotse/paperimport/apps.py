from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaperImportConfig(AppConfig):
    name = "lotse.paperimport"
    label = "paperimport"
    verbose_name = _("Paper import")

    def ready(self) -> None:
        from lotse.core.navigation import register_body_nav
        from lotse.paperimport import rules  # noqa: F401

        register_body_nav(
            _("Paper import"),
            "paperimport:upload",
            order=855,
            permission="paperimport.import_papers",
        )
