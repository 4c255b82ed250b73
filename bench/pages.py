"""Server time of the foundation's pages at district scale (PRODUCT.md: 10–20 bodies).

Prints p50/p95 server time, requests per second (one process), query count per page and the
process's peak memory. Runs on a fresh SQLite file in a temporary directory, or on the
database in DATABASE_URL. It measures; it never passes or fails.

    .venv/bin/python bench/pages.py [--requests 200]
"""

import argparse
import sys
from io import StringIO

from common import failure, measuring_client, print_peak_memory, setup_django, time_page

BODIES = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from lotse.core.models import Body

    call_command("demo", stdout=StringIO())
    kreis = Body.objects.get(slug="musterkreis")
    for n in range(Body.objects.count(), BODIES):
        Body.objects.get_or_create(
            slug=f"benchstadt-{n}",
            defaults={
                "name": f"Stadt Benchstadt {n}",
                "short_name": f"Benchstadt {n}",
                "kind": Body.Kind.STADT,
                "ags": f"05999{n + 100:03d}",
                "rgs": f"059990000{n + 100:03d}",
                "parent": kreis,
            },
        )

    client = measuring_client()
    pages = [
        "/",
        "/musterkreis/",
        "/musterstadt/",
        "/impressum/",
        "/barrierefreiheit/",
        "/health",
        "/api/v1/bodies",
        "/api/v1/openapi.json",
    ]
    print(
        f"Lotse bench: {Body.objects.count()} bodies, {args.requests} requests per page, "
        f"database {connection.vendor}"
    )
    print(f"{'page':<24}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'queries':>9}")
    for url in pages:
        timing = time_page(client, url, args.requests)
        if isinstance(timing, int):
            print(f"{url:<24}{failure(timing):>14}")
            continue
        print(
            f"{url:<24}{timing.p50:>9.2f}{timing.p95:>9.2f}{timing.per_second:>9.0f}"
            f"{timing.queries:>9}"
        )
    print_peak_memory()


if __name__ == "__main__":
    sys.exit(main())
