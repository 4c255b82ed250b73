"""Migrate once, copy after: test databases made from a migrated template.

Every pytest process (each xdist worker, the unit and the browser runs) needs a migrated test
database, and migrating Lotse from scratch takes many seconds of CPU (Django renders the model
states of every operation). The first process to need one migrates as usual and keeps a copy;
every later one, also in a later run, copies it in a fraction of a second:

- SQLite: the in-memory test database is filled from a file (SQLite's backup API).
- PostgreSQL: the test database is created ``WITH TEMPLATE`` a database kept on the server.

The copy is keyed by everything migrate reads (every installed app's migration files and the
data files they load, Django's version, the database engine), so a change to any of them
migrates afresh. A file lock makes concurrent processes wait for the one that migrates.
"""

import fcntl
import hashlib
import os
import sqlite3
import tempfile
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

import django
from django.apps import apps
from django.core import management
from django.db.backends.base.creation import BaseDatabaseCreation

FOLDER = Path(tempfile.gettempdir()) / "lotse-test-templates"


def key(connection) -> str:
    digest = hashlib.sha256(f"{django.get_version()} {connection.vendor}".encode())
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.migrations")
        except ImportError:
            continue
        folders = [Path(p) for p in getattr(module, "__path__", [])]
        data = Path(config.path) / "data"
        if config.name.startswith("lotse.") and data.is_dir():
            folders.append(data)
        for folder in folders:
            for path in sorted(folder.rglob("*")):
                if path.is_file() and path.suffix != ".pyc":
                    digest.update(str(path.relative_to(folder)).encode())
                    digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def locked(name: str):
    FOLDER.mkdir(exist_ok=True)
    with open(FOLDER / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def migrate(connection, run_migrate) -> None:
    """Instead of ``run_migrate()`` on the fresh, empty test database of ``connection``."""
    name = f"{connection.vendor}-{key(connection)}"
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        _sqlite(connection, name, run_migrate)
    elif connection.vendor == "postgresql":
        _postgresql(connection, name, run_migrate)
    else:
        run_migrate()


def _sqlite(connection, name: str, run_migrate) -> None:
    template = FOLDER / f"{name}.sqlite3"
    with locked(name):
        connection.ensure_connection()
        if template.exists():
            source = sqlite3.connect(template)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
            _as_after_migrate(connection)
            return
        run_migrate()
        partial = template.with_suffix(f".{os.getpid()}.part")
        copy = sqlite3.connect(partial)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        os.replace(partial, template)


def _postgresql(connection, name: str, run_migrate) -> None:
    template = f"lotse_template_{name.split('-', 1)[1]}"
    test_db = connection.settings_dict["NAME"]
    quote = connection.ops.quote_name
    with locked(name):
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            exists = cursor.fetchone() is not None
        if not exists:
            run_migrate()
        connection.close()
        with connection._nodb_cursor() as cursor:
            if exists:
                cursor.execute(f"DROP DATABASE {quote(test_db)}")
                cursor.execute(f"CREATE DATABASE {quote(test_db)} TEMPLATE {quote(template)}")
            else:
                cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(test_db)}")
    if exists:
        _as_after_migrate(connection)


def _as_after_migrate(connection) -> None:
    """Leave the process as migrate would: its post_migrate handlers look up the content
    type of every model, which fills ContentType's cache (pinned query counts assume it)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    ContentType.objects.db_manager(connection.alias).get_for_models(
        *apps.get_models(), for_concrete_models=False
    )


def install() -> None:
    """Route the migrate of Django's ``create_test_db`` through ``migrate`` above."""
    original = BaseDatabaseCreation.create_test_db
    if getattr(original, "from_template", False):
        return

    def create_test_db(self, *args, **kwargs):
        real = management.call_command

        def call_command(command, *arguments, **options):
            if command == "migrate":
                return migrate(self.connection, lambda: real(command, *arguments, **options))
            return real(command, *arguments, **options)

        management.call_command = call_command
        try:
            return original(self, *args, **kwargs)
        finally:
            management.call_command = real

    create_test_db.from_template = True
    BaseDatabaseCreation.create_test_db = create_test_db


def copy_migrated(connection, *, sqlite_path: Path | None = None, database: str = "") -> bool:
    """Make ``sqlite_path`` (a file) or the existing, empty PostgreSQL ``database`` what
    ``lotse migrate`` leaves, from the template of this run; False if there is none yet."""
    name = f"{connection.vendor}-{key(connection)}"
    if connection.vendor == "sqlite" and sqlite_path is not None:
        template = FOLDER / f"{name}.sqlite3"
        if not template.exists():
            return False
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        source, target = sqlite3.connect(template), sqlite3.connect(sqlite_path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return True
    if connection.vendor == "postgresql" and database:
        template = f"lotse_template_{name.split('-', 1)[1]}"
        quote = connection.ops.quote_name
        with locked(name), connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if cursor.fetchone() is None:
                return False
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(database)}")
            cursor.execute(f"CREATE DATABASE {quote(database)} TEMPLATE {quote(template)}")
        return True
    return False
