"""``lotse oparl_import URL --body SLUG [--since …] [--dry-run] [--files/--no-files]``."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lotse.core.models import Body
from lotse.oparl.client import FetchError, moment
from lotse.oparl.models import ImportRun
from lotse.oparl.services import run_import


class Command(BaseCommand):
    help = "Import a body from another council information system's OParl 1.0/1.1 endpoint."

    def add_arguments(self, parser):
        parser.add_argument("url", help="URL of the OParl System or of one Body.")
        parser.add_argument("--body", required=True, help="Short address of the Lotse body.")
        parser.add_argument("--since", help="Only changes since this date-time (ISO 8601).")
        parser.add_argument("--dry-run", action="store_true", help="Check, change nothing.")
        parser.add_argument(
            "--files", action=__import__("argparse").BooleanOptionalAction, default=True
        )
        parser.add_argument("--delay", type=float, default=0.0, help="Seconds between requests.")
        parser.add_argument("--max-file-bytes", type=int, default=None)

    def handle(self, *args, **options):
        body = Body.objects.filter(slug=options["body"]).first()
        if body is None:
            raise CommandError(f"No body {options['body']!r}.")
        since = None
        if options["since"]:
            since = moment(options["since"])
            if since is None:
                raise CommandError(f"--since: not a date-time: {options['since']}")
        run = ImportRun.objects.create(
            body=body,
            url=options["url"],
            since=since,
            dry_run=options["dry_run"],
            with_files=options["files"],
        )
        try:
            report = run_import(
                run, delay=options["delay"], max_file_bytes=options["max_file_bytes"]
            )
        except FetchError as problem:
            raise CommandError(str(problem)) from problem
        for kind, counts in report["counts"].items():
            self.stdout.write(
                f"{kind:<16} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            )
        for reject in report["rejects"]:
            self.stdout.write(f"REJECTED {reject['type']} {reject['url']}: {reject['reason']}")
        self.stdout.write(json.dumps({"run": run.pk, "finished": timezone.now().isoformat()}))
