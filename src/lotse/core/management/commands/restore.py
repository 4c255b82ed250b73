"""``lotse restore ARCHIVE``: bring a backup back into an empty installation."""

from django.core.management.base import BaseCommand, CommandError

from lotse.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restores a backup written by `lotse backup` into this installation (DATABASE_URL, "
        "LOTSE_DATA_DIR): verifies every checksum, loads the database and the files, migrates "
        "and rebuilds the search indexes and the cache. Refuses an installation that holds "
        "data unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The backup archive (.tar.gz).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the data of an installation that is not empty.",
        )

    def handle(self, *args, **options):
        try:
            result = restore_backup(options["archive"], force=options["force"])
        except (BackupError, OSError) as error:
            raise CommandError(f"Wiederherstellung fehlgeschlagen: {error}") from error
        indexed = sum(result.indexed.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wiederhergestellt: Datenbank, {result.files} Dateien, {indexed} Einträge im "
                f"Suchindex neu aufgebaut"
                + (f", {len(result.migrated)} Migrationen nachgeholt." if result.migrated else ".")
            )
        )
