"""``lotse participation_scale``: fill one body with a large town's ideas and interactions,
for benchmarks (PRODUCT.md, "Scale to design for")."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from lotse.core.models import Body
from lotse.participation import demo


class Command(BaseCommand):
    help = (
        "Fills a body with many ideas and about as many comments, supports and ratings as "
        "asked (40/40/20 %), in bulk. A body filled before is left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--body", default=demo.SCALE_BODY, help="Short address of the body.")
        parser.add_argument("--ideas", type=int, default=demo.SCALE_IDEAS)
        parser.add_argument("--interactions", type=int, default=demo.SCALE_INTERACTIONS)

    def handle(self, *args, **options):
        from lotse.core.management.checks import require_migrated

        require_migrated()
        body = Body.objects.filter(slug=options["body"]).first()
        if body is None:
            raise CommandError(f"Keine Körperschaft „{options['body']}“.")
        if options["ideas"] < 1 or options["interactions"] < 0:
            raise CommandError("--ideas muss mindestens 1 sein, --interactions nicht negativ.")
        started = time.perf_counter()
        with transaction.atomic():
            demo.fill_large(body, options["ideas"], options["interactions"], self.stdout)
        if connection.vendor == "postgresql":
            # Statistics for the new rows now, as autovacuum would soon; without them the
            # first queries are planned for empty tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Fertig in {time.perf_counter() - started:.1f} s.")
