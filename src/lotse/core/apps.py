from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lotse.core"
    label = "core"
    verbose_name = _("Bodies and shared building blocks")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from lotse.core import bodies, text
        from lotse.core.models import Body
        from lotse.core.navigation import register_body_nav

        # `lotse migrate` alone leaves a complete database: the cache table too.
        post_migrate.connect(create_cache_table, sender=self)
        text.connect()
        bodies.follow(Body)  # a body page's body is kept in memory (core.bodies)

        register_body_nav(_("Overview"), "core:body", order=0)
        register_body_nav(
            _("Settings"), "core:body_settings", order=910, permission="core.change_body"
        )


def create_cache_table(sender, using="default", verbosity=1, **kwargs) -> None:
    """Create the database cache's table after ``migrate`` (``createcachetable`` skips tables
    that exist, so this is cheap on every later run)."""
    from django.conf import settings
    from django.core.management import call_command

    uses_db_cache = any(
        cache["BACKEND"].endswith("DatabaseCache") for cache in settings.CACHES.values()
    )
    if uses_db_cache:
        call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))
