"""``lotse ozg_catalogue_import FILE [FILE]``: update the OZG catalogue from newer CSVs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lotse.ozg import catalogue


class Command(BaseCommand):
    help = (
        "Updates the OZG catalogue from a newer CSV of the OZG-Leistungen "
        "(ozg_id,leistung,lebenslage,themenfeld) and, optionally, of the LeiKa services "
        "(leika_schluessel,leistung,ozg_id,typ,rechtsgrundlage). All or nothing; renamed "
        "services keep their assessments, services no longer listed are retired, not deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, change nothing."
        )
        parser.add_argument(
            "--write-data",
            action="store_true",
            help="Write the files as Lotse's shipped data file instead (for developers).",
        )

    def handle(self, *args, **options):
        if len(options["files"]) > 2:
            raise CommandError("Höchstens zwei Dateien: OZG-Leistungen und LeiKa-Leistungen.")
        try:
            data = catalogue.read_files(options["files"])
        except catalogue.CatalogueError as error:
            raise CommandError(f"Nichts geändert.\n{error}") from error
        if options["write_data"]:
            catalogue.write_data_file(data)
            self.stdout.write(f"Geschrieben: {catalogue.DATA_FILE}")
            return
        from lotse.core.management.checks import require_migrated

        require_migrated()
        changes = catalogue.preview(data) if options["dry_run"] else catalogue.apply(data)
        self.stdout.write(changes.report())
        if options["dry_run"]:
            self.stdout.write("Probelauf: nichts geändert.")
        elif not changes.any:
            self.stdout.write("Der Katalog war schon auf diesem Stand.")
        else:
            self.stdout.write(self.style.SUCCESS("Katalog aktualisiert."))
