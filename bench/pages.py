"""Server time of the foundation's pages at district scale (PRODUCT.md: 10–20 bodies).

Prints p50/p95 server time, requests per second (one process), query count per page and the
process's peak memory. Runs on a fresh SQLite file in a temporary directory, or on the
database in DATABASE_URL. It measures; it never passes or fails.

    .venv/bin/python bench/pages.py [--requests 200]
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from io import StringIO

BODIES = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    os.environ.setdefault("LOTSE_DATA_DIR", tempfile.mkdtemp(prefix="lotse-bench-"))
    os.environ.setdefault("LOTSE_STATIC_MANIFEST", "0")
    os.environ.setdefault("LOTSE_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "lotse.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lotse.core.models import Body

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
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

    # Keep one connection across requests, as the test client does, so queries are counted.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client(HTTP_HOST="127.0.0.1")
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
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        query_count = len(queries)
        timings = []
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[int(len(timings) * 0.95) - 1]
        rps = 1000 / statistics.mean(timings)
        print(f"{url:<24}{p50:>9.2f}{p95:>9.2f}{rps:>9.0f}{query_count:>9}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_mb:.0f} MB (whole process)")


if __name__ == "__main__":
    sys.exit(main())
