"""What a command needs before it can do its work, said plainly instead of a traceback."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def require_migrated(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse with a German and English hint when the database is unreachable or not (fully)
    migrated."""
    try:
        missing = unapplied_migrations(alias)
    except Exception as error:
        raise CommandError(
            "Die Datenbank ist nicht erreichbar / the database cannot be reached "
            f"({error}). Prüfen Sie DATABASE_URL / check DATABASE_URL."
        ) from error
    if missing:
        raise CommandError(
            "Die Datenbank ist noch nicht eingerichtet / the database is not set up yet "
            f"({len(missing)} migration(s) missing, e.g. {missing[0]}). "
            "Zuerst / first run: lotse migrate"
        )
