"""``lotse backup [PATH]``: one archive with the database, media, private files and a manifest."""

from django.core.management.base import BaseCommand, CommandError

from lotse.core.backup import BackupError, create_backup, read_manifest


class Command(BaseCommand):
    help = (
        "Writes a backup archive (database, media, private files, manifest with checksums) "
        "to PATH (a file or a folder; default: LOTSE_DATA_DIR/backups/). Safe while Lotse runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Archive file or folder.")

    def handle(self, *args, **options):
        try:
            archive = create_backup(options["path"])
        except (BackupError, OSError) as error:
            raise CommandError(f"Backup fehlgeschlagen: {error}") from error
        manifest = read_manifest(archive)
        files = len(manifest["files"]) - 1
        size = archive.stat().st_size / 1024 / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup geschrieben: {archive} ({size:.1f} MB, Datenbank "
                f"{manifest['database']}, {files} Dateien)."
            )
        )
