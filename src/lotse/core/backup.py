"""Backup and restore of a whole installation: database, uploaded media and private files.

One archive (``.tar.gz``) holds

- ``database/lotse.sqlite3`` (SQLite, copied with its online backup API, so a consistent
  snapshot is taken while the server and the task worker keep writing) or
  ``database/lotse.pgdump`` (PostgreSQL, ``pg_dump`` in its custom format, itself one
  consistent snapshot);
- ``media/…`` (``MEDIA_ROOT``: logos, impact attachments) and ``private/…`` (``DATA_DIR/private``:
  measure and council attachments, idea images, report PDFs);
- ``manifest.json``: the versions of Lotse, Django and Python, the database vendor, the
  applied migrations and the size and SHA-256 of every other member.

The database is copied first and the files after it. Files are written once under random
names and never changed in place, so every file the database snapshot refers to is in the
archive (a file uploaded meanwhile is an unused extra).

Restoring verifies every checksum before it changes anything, refuses a database that holds
data (unless forced), loads the database, puts the files back, migrates an older backup to
the current schema and rebuilds what is derived from the data: the search indexes of ideas,
measures and papers, and the cache.

django-dbbackup was considered: it writes the database and the media as separate files,
backs up only the default storage (not ``private/``), has no manifest with checksums and
knows nothing about derived data to rebuild; what Lotse needs of it is the few calls below.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/lotse.sqlite3"
PG_MEMBER = "database/lotse.pgdump"
CHUNK = 1024 * 1024
# Tables that ``migrate`` itself fills: an installation with rows only here is still empty.
BOOKKEEPING_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "django_site"}
)
# Reference data that ``migrate`` itself loads (e.g. the OZG catalogue): an empty installation
# has it, so it does not count as data; apps name their tables in ``AppConfig.ready``.
REFERENCE_TABLES: set[str] = set()


def register_reference_tables(*tables: str) -> None:
    REFERENCE_TABLES.update(tables)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (in German)."""


@dataclass
class RestoreResult:
    files: int = 0
    indexed: dict[str, int] = field(default_factory=dict)
    migrated: list[str] = field(default_factory=list)


def file_roots() -> dict[str, Path]:
    """The folders whose files belong into a backup, by their name in the archive."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "private": Path(settings.DATA_DIR) / "private",
    }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def default_name() -> str:
    return f"lotse-backup-{datetime.now(UTC):%Y%m%d-%H%M%S}.tar.gz"


# ---------------------------------------------------------------------------------------------
# Database: dump and load per vendor


def _vendor(using: str = "default") -> str:
    vendor = connections[using].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Datenbank „{vendor}“ wird nicht unterstützt.")
    return vendor


def _sqlite_source(using: str) -> tuple[sqlite3.Connection, bool]:
    """The connection to copy from, and whether it is a new one (to be closed afterwards).

    A file gets its own connection, which sees the last committed state (WAL lets writers go
    on meanwhile). An in-memory database (tests) exists only in Django's connection."""
    connection = connections[using]
    if connection.is_in_memory_db():
        if connection.in_atomic_block:
            # SQLite answers "locked" to a backup of a connection that is writing.
            raise BackupError("Ein Backup ist innerhalb einer Transaktion nicht möglich.")
        connection.ensure_connection()
        return connection.connection, False
    name = str(connection.settings_dict["NAME"])
    return sqlite3.connect(name, uri=name.startswith("file:")), True


def _pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore`` from PATH, else the newest of Debian's PostgreSQL versions."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise BackupError(
            f"{name} fehlt. Bitte die PostgreSQL-Client-Programme installieren "
            "(Debian: apt-get install postgresql-client)."
        )
    return str(candidates[-1])


def _pg_conninfo(using: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the database and the environment with its password."""
    params = connections[using].get_connection_params()
    parts = {
        "dbname": params.get("dbname") or connections[using].settings_dict["NAME"],
        "host": params.get("host"),
        "port": params.get("port"),
        "user": params.get("user"),
    }
    conninfo = " ".join(
        f"{key}='{str(value).replace(chr(92), chr(92) * 2).replace(chr(39), chr(92) + chr(39))}'"
        for key, value in parts.items()
        if value
    )
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    return conninfo, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} ist fehlgeschlagen: {done.stderr.strip()}")


def dump_database(target: Path, using: str = "default") -> str:
    """Write a consistent copy of the database to ``target``; returns its archive name."""
    vendor = _vendor(using)
    if vendor == "sqlite":
        source, own = _sqlite_source(using)
        copy = sqlite3.connect(target)
        try:
            # One step copies every page under one read transaction: one committed state.
            source.backup(copy)
        finally:
            copy.close()
            if own:
                source.close()
        return SQLITE_MEMBER
    conninfo, env = _pg_conninfo(using)
    _run(
        [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
         f"--file={target}", f"--dbname={conninfo}"],
        env,
    )  # fmt: skip
    return PG_MEMBER


def load_database(source: Path, vendor: str, using: str = "default") -> None:
    """Replace the database's content with the dump at ``source``."""
    connection = connections[using]
    connection.close()
    if vendor == "sqlite":
        dump = sqlite3.connect(source)
        name = str(connection.settings_dict["NAME"])
        target = sqlite3.connect(name, uri=name.startswith("file:"))
        try:
            # The backup API writes the pages into the live file (and its WAL), so no stale
            # journal of the old content survives, as it could with a file copy.
            dump.backup(target)
        finally:
            target.close()
            dump.close()
        return
    # What is there goes first: the tables migrate created in an "empty" installation (maybe
    # of a newer version, with tables the backup does not know), or the data --force replaces.
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if tables:
            quoted = ", ".join(connection.ops.quote_name(table) for table in tables)
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
    connection.close()
    conninfo, env = _pg_conninfo(using)
    _run(
        [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
         "--exit-on-error", f"--dbname={conninfo}", str(source)],
        env,
    )  # fmt: skip


def applied_migrations(using: str = "default") -> list[str]:
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def data_tables(using: str = "default") -> list[str]:
    """Tables of the installation that hold data, i.e. rows beyond migrate's bookkeeping."""
    connection = connections[using]
    cache_tables = {
        str(config.get("LOCATION"))
        for config in settings.CACHES.values()
        if config["BACKEND"].endswith("DatabaseCache")
    }
    full = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            if table in BOOKKEEPING_TABLES or table in REFERENCE_TABLES or table in cache_tables:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                full.append(table)
    return full


# ---------------------------------------------------------------------------------------------
# Writing a backup


class _HashingReader:
    """A file object that hashes what tarfile reads from it."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, path.relative_to(root).as_posix()


def _add(archive: tarfile.TarFile, path: Path, name: str) -> dict | None:
    """Add ``path`` as ``name``; returns its manifest entry, or None if it vanished."""
    try:
        handle = open(path, "rb")  # noqa: SIM115
    except FileNotFoundError:
        return None
    with handle:
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = 0o600
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    return {"size": info.size, "sha256": reader.digest.hexdigest()}


def create_backup(destination: Path | str | None = None, using: str = "default") -> Path:
    """Write a backup archive; ``destination`` may be a file or an existing folder (default:
    ``DATA_DIR/backups``). Returns the archive's path."""
    if destination is None:
        destination = Path(settings.DATA_DIR) / "backups"
        destination.mkdir(parents=True, exist_ok=True)
    destination = Path(destination)
    if destination.is_dir():
        destination = destination / default_name()
    vendor = _vendor(using)
    manifest = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "lotse": settings.VERSION,
        "django": django.get_version(),
        "python": platform.python_version(),
        "database": vendor,
        "migrations": applied_migrations(using),
        "files": {},
    }
    partial = destination.with_name(destination.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="lotse-backup-") as work:
        dump = Path(work) / "database"
        member = dump_database(dump, using)
        # The archive holds personal data: readable by the owner only.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                manifest["files"][member] = _add(tar, dump, member)
                for prefix, root in file_roots().items():
                    for path, relative in _files(root):
                        entry = _add(tar, path, f"{prefix}/{relative}")
                        if entry is not None:
                            manifest["files"][f"{prefix}/{relative}"] = entry
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(data), 0o600
                info.mtime = int(datetime.now(UTC).timestamp())
                tar.addfile(info, _HashingReader(_BytesReader(data)))
            partial.replace(destination)
        finally:
            partial.unlink(missing_ok=True)
    return destination


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.position = data, 0

    def read(self, size=-1):
        end = len(self.data) if size is None or size < 0 else self.position + size
        chunk = self.data[self.position : end]
        self.position += len(chunk)
        return chunk


# ---------------------------------------------------------------------------------------------
# Restoring


def read_manifest(archive: Path | str) -> dict:
    try:
        with tarfile.open(archive, "r:*") as tar:
            handle = tar.extractfile(MANIFEST)
            if handle is None:
                raise KeyError(MANIFEST)
            manifest = json.load(handle)
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as error:
        raise BackupError(f"{archive} ist kein Lotse-Backup ({error}).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unbekanntes Backup-Format {manifest.get('format')!r}.")
    return manifest


def _safe(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"Unzulässiger Pfad im Backup: {name}")
    return path


def extract_verified(archive: Path | str, manifest: dict, target: Path) -> None:
    """Extract every member listed in the manifest into ``target``, checking size and SHA-256;
    anything missing, extra or altered stops the restore before it changes anything."""
    listed = manifest["files"]
    seen: set[str] = set()
    with tarfile.open(archive, "r:*") as tar:
        for info in tar:
            if info.name == MANIFEST:
                continue
            if info.name not in listed or not info.isfile():
                raise BackupError(f"Nicht im Manifest: {info.name}")
            path = target / _safe(info.name)
            path.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(info)
            digest = hashlib.sha256()
            with open(path, "wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            expected = listed[info.name]
            if digest.hexdigest() != expected["sha256"] or path.stat().st_size != expected["size"]:
                raise BackupError(f"Prüfsumme stimmt nicht: {info.name}")
            seen.add(info.name)
    missing = set(listed) - seen
    if missing:
        raise BackupError(f"Im Backup fehlen {len(missing)} Dateien, z. B. {min(missing)}.")


def _check_migrations(manifest: dict, using: str) -> None:
    loader = MigrationLoader(connections[using], ignore_no_migrations=True, load=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupError(
            "Das Backup stammt von einer neueren Lotse-Version "
            f"({manifest['lotse']}); unbekannte Migrationen: {', '.join(unknown[:5])}."
        )


def _replace_folder(source: Path, target: Path) -> int:
    """Make ``target``'s content that of ``source`` (the folder itself may be a mount)."""
    target.mkdir(parents=True, exist_ok=True)
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if not source.is_dir():
        return 0
    shutil.copytree(source, target, dirs_exist_ok=True)
    return sum(1 for path in target.rglob("*") if path.is_file())


def rebuild_derived(using: str = "default") -> dict[str, int]:
    """Everything computed from the data anew: the search indexes and the cache."""
    from lotse.search import index

    indexed = {"search": index.rebuild(using=using)}
    call_command("createcachetable", database=using, verbosity=0)
    for alias in settings.CACHES:
        caches[alias].clear()
    return indexed


def restore_backup(
    archive: Path | str, *, force: bool = False, using: str = "default"
) -> RestoreResult:
    """Bring the installation back to the state in ``archive``."""
    manifest = read_manifest(archive)
    vendor = _vendor(using)
    if manifest["database"] != vendor:
        raise BackupError(
            f"Das Backup enthält eine {manifest['database']}-Datenbank, diese Installation "
            f"nutzt {vendor}. Bitte DATABASE_URL passend setzen."
        )
    _check_migrations(manifest, using)
    if not force:
        full = data_tables(using)
        if full:
            raise BackupError(
                "Die Datenbank enthält schon Daten (z. B. in "
                f"{', '.join(full[:3])}). Wiederherstellen nur in eine leere Installation "
                "oder mit --force, das alles ersetzt."
            )
        for name, root in file_roots().items():
            if any(_files(root)):
                raise BackupError(
                    f"Der Ordner {root} ({name}) enthält schon Dateien. Wiederherstellen nur in "
                    "eine leere Installation oder mit --force, das alles ersetzt."
                )
    result = RestoreResult()
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="restore-", dir=settings.DATA_DIR) as work:
        staged = Path(work)
        extract_verified(archive, manifest, staged)
        member = SQLITE_MEMBER if vendor == "sqlite" else PG_MEMBER
        if member not in manifest["files"]:
            raise BackupError("Das Backup enthält keine Datenbank.")
        load_database(staged / member, vendor, using)
        for name, root in file_roots().items():
            result.files += _replace_folder(staged / name, root)
    before = set(applied_migrations(using))
    call_command("migrate", database=using, interactive=False, verbosity=0)
    result.migrated = sorted(set(applied_migrations(using)) - before)
    result.indexed = rebuild_derived(using)
    return result
