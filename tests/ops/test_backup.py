"""`lotse backup` and `lotse restore`: the demo comes back elsewhere with every row, file and
search hit; a damaged archive or a non-empty installation is refused."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from lotse.core import backup
from tests import template_db
from tests.ops.backup_snapshot import snapshot

ROOT = Path(__file__).resolve().parents[2]
LOTSE = Path(sys.executable).with_name("lotse")


def files_of(data_dir: Path, media_root: Path) -> dict[str, str]:
    found = {}
    for prefix, root in {"media": media_root, "private": data_dir / "private"}.items():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                found[f"{prefix}/{path.relative_to(root).as_posix()}"] = digest
    return found


class Elsewhere:
    """Environment of a second, empty installation: its own data folder and database."""

    def __init__(self, tmp_path: Path):
        self.data_dir = tmp_path / "restored"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lotse.settings",
            "LOTSE_DATA_DIR": str(self.data_dir),
        }
        self.env.pop("DATABASE_URL", None)
        self.database = None
        if connection.vendor == "postgresql":
            db = connection.settings_dict
            self.database = f"{db['NAME']}_restored"
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.database}"')
                cursor.execute(f'CREATE DATABASE "{self.database}"')
            password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
            self.env["DATABASE_URL"] = (
                f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{self.database}"
            )

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            args, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600
        )

    def drop(self):
        if self.database:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_the_demo_restores_elsewhere_with_every_row_file_and_search_hit(tmp_path):
    call_command("demo", stdout=StringIO())
    default_storage.save("logos/wappen.png", ContentFile(b"\x89PNG\r\n\x1a\n not really"))
    archive = backup.create_backup(tmp_path)
    original = snapshot()
    original_files = files_of(Path(settings.DATA_DIR), Path(settings.MEDIA_ROOT))
    assert any(name.startswith("private/") for name in original_files)
    assert "media/logos/wappen.png" in original_files
    assert original["tables"]["search index"]["count"] > 0
    assert any(hit["ideas"] for hit in original["searches"].values())
    assert any(hit["papers"] for hit in original["searches"].values())

    manifest = backup.read_manifest(archive)
    assert manifest["database"] == connection.vendor
    assert "council.0001_initial" in manifest["migrations"]
    for name, digest in original_files.items():
        assert manifest["files"][name]["sha256"] == digest

    elsewhere = Elsewhere(tmp_path)
    try:
        # "Empty" as after `lotse migrate`: tables without data, replaced by the backup's.
        # The test databases' migrated template is exactly that (tests/template_db.py);
        # without one, migrate runs.
        if not template_db.copy_migrated(
            connection,
            sqlite_path=elsewhere.data_dir / "lotse.sqlite3",
            database=elsewhere.database or "",
        ):
            migrated = elsewhere.run(str(LOTSE), "migrate", "--noinput", "-v0")
            assert migrated.returncode == 0, migrated.stderr
        restored = elsewhere.run(str(LOTSE), "restore", str(archive))
        assert restored.returncode == 0, restored.stderr
        assert "Wiederhergestellt" in restored.stdout
        compared = elsewhere.run(sys.executable, "-m", "tests.ops.backup_snapshot")
        assert compared.returncode == 0, compared.stderr
        copy = json.loads(compared.stdout)
        assert copy["tables"] == original["tables"]
        assert copy["searches"] == original["searches"]
        assert files_of(elsewhere.data_dir, elsewhere.data_dir / "media") == original_files

        again = elsewhere.run(str(LOTSE), "restore", str(archive))
        assert again.returncode != 0
        assert "enthält schon Daten" in again.stderr
    finally:
        elsewhere.drop()


def rewritten(archive: Path, target: Path, change) -> Path:
    """A copy of ``archive`` whose members went through ``change(name, data) -> data|None``."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for info in source:
            data = change(info.name, source.extractfile(info).read())
            if data is not None:
                info.size = len(data)
                copy.addfile(info, io.BytesIO(data))
    return target


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_changes_nothing(tmp_path, body):
    default_storage.save("logos/a.png", ContentFile(b"first"))
    archive = backup.create_backup(tmp_path / "good.tar.gz")
    manifest = backup.read_manifest(archive)

    def flip(name, data):
        return data + b"!" if name == "media/logos/a.png" else data

    bad = rewritten(archive, tmp_path / "bad.tar.gz", flip)
    with pytest.raises(backup.BackupError, match="Prüfsumme"):
        backup.extract_verified(bad, manifest, tmp_path / "x")

    def drop(name, data):
        return None if name == "media/logos/a.png" else data

    short = rewritten(archive, tmp_path / "short.tar.gz", drop)
    with pytest.raises(backup.BackupError, match="fehlen"):
        backup.extract_verified(short, manifest, tmp_path / "y")

    def sneak(name, data):
        if name == backup.MANIFEST:
            changed = json.loads(data)
            changed["files"]["../evil"] = {"size": 1, "sha256": "0"}
            return json.dumps(changed).encode()
        return data

    with pytest.raises(backup.BackupError):
        backup.restore_backup(rewritten(archive, tmp_path / "sneak.tar.gz", sneak), force=True)
    # Nothing was touched: the body is still there.
    assert type(body).objects.filter(pk=body.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_data_and_a_foreign_archive(tmp_path, body):
    archive = backup.create_backup(tmp_path / "b.tar.gz")
    with pytest.raises(backup.BackupError, match="enthält schon Daten"):
        backup.restore_backup(archive)
    with pytest.raises(backup.BackupError, match="kein Lotse-Backup"):
        backup.read_manifest(tmp_path / "nothing.tar.gz")

    def newer(name, data):
        if name == backup.MANIFEST:
            changed = json.loads(data)
            changed["migrations"].append("core.9999_from_the_future")
            return json.dumps(changed).encode()
        return data

    with pytest.raises(backup.BackupError, match="neueren Lotse-Version"):
        backup.restore_backup(rewritten(archive, tmp_path / "n.tar.gz", newer), force=True)


@pytest.mark.django_db
def test_restore_rebuilds_the_search_indexes_and_empties_the_cache(body):
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache

    from lotse.council.models import Paper
    from lotse.council.search import search_papers
    from lotse.participation.search import similar
    from lotse.search.models import SearchEntry
    from tests.council.factories import PaperFactory
    from tests.participation.factories import IdeaFactory, ProcessFactory

    idea = IdeaFactory(process=ProcessFactory(body=body), title="Glasfaser für alle Schulen")
    paper = PaperFactory(body=body, name="Glasfaserausbau im Gewerbegebiet")
    SearchEntry.objects.all().delete()
    cache.set("cockpit", "stale")
    assert similar(AnonymousUser(), body, "Glasfaser") == []

    indexed = backup.rebuild_derived()

    assert indexed == {"search": 2}
    assert [hit.pk for hit in similar(AnonymousUser(), body, "Glasfaser")] == [idea.pk]
    assert list(search_papers(Paper.objects.all(), "Glasfaser", body)) == [paper]
    assert cache.get("cockpit") is None
