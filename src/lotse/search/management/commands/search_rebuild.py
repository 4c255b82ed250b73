"""``lotse search_rebuild [--body SLUG] [--kind KIND …]``: fill the one search index anew."""

import time

from django.core.management.base import BaseCommand, CommandError

from lotse.core.models import Body
from lotse.search import index
from lotse.search.registry import PROVIDERS


class Command(BaseCommand):
    help = "Rebuild the search index (all bodies, or one), e.g. after a bulk import or restore."

    def add_arguments(self, parser):
        parser.add_argument("--body", help="slug of one body")
        parser.add_argument("--kind", action="append", choices=sorted(PROVIDERS), default=None)
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        body = None
        if options["body"]:
            body = Body.objects.using(options["database"]).filter(slug=options["body"]).first()
            if body is None:
                raise CommandError(f"No body with the slug {options['body']!r}.")
        started = time.perf_counter()
        written = index.rebuild(body, options["database"], kinds=options["kind"])
        seconds = time.perf_counter() - started
        self.stdout.write(f"{written} entries indexed in {seconds:.1f} s")
