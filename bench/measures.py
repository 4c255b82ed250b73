"""Server time of the measure pages at a large town's scale (PRODUCT.md: 2,000 measures).

Loads the demo with ``--scale large`` (2,000 extra measures with 20 Sachstandsmeldungen each
in Musterstadt) and prints p50/p95 server time, requests per second (one process), query
count per page and the process's peak memory. A page that does not exist (404) is reported as
"missing". Runs on a fresh SQLite file in a temporary directory, or on the database in
DATABASE_URL. It measures; it never passes or fails.

    .venv/bin/python bench/measures.py [--requests 100]
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from io import StringIO


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
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

    from lotse.strategy.demo import SCALE_ORIGIN
    from lotse.strategy.models import Measure, MeasureStatus, StatusUpdate

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    out = StringIO()
    call_command("demo", scale="large", stdout=out)
    print(f"demo --scale large: {time.perf_counter() - started:.1f} s in total")
    for line in out.getvalue().splitlines():
        if "Lastprofil" in line:
            print(line.strip())

    # The detail page of a generated measure: 20 updates, milestones, transitions.
    large = (
        Measure.objects.filter(
            body__slug="musterstadt",
            origin=SCALE_ORIGIN,
            is_public=True,
            status=MeasureStatus.IN_PROGRESS,
        )
        .order_by("pk")
        .first()
    )

    # Keep one connection across requests, as the test client does, so queries are counted.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    base = "/musterstadt/massnahmen/"
    pages = [
        (base, args.requests),
        (base + "?status=in_umsetzung", args.requests),
        (base + "?ampel=rot", args.requests),
        (base + "?q=Schule", args.requests),
        (base + "?seite=10", args.requests),
        (f"{base}{large.pk}/", args.requests),
        (base + "export.csv", max(5, args.requests // 10)),
    ]
    measures = Measure.objects.filter(body__slug="musterstadt").count()
    updates = StatusUpdate.objects.filter(measure__body__slug="musterstadt").count()
    print(
        f"Lotse measure bench: Musterstadt with {measures} measures and {updates} status "
        f"updates, anonymous visitor, database {connection.vendor}"
    )
    print(f"{'page':<48}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'queries':>9}")
    for url, requests in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            outcome = "missing" if response.status_code == 404 else f"HTTP {response.status_code}"
            print(f"{url:<48}{outcome:>14}")
            continue
        query_count = len(queries)
        timings = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(url)
            # Streaming responses (exports) do their work while being read.
            if response.streaming:
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
        rps = 1000 / statistics.mean(timings)
        print(f"{url:<48}{requests:>5}{p50:>9.2f}{p95:>9.2f}{rps:>9.1f}{query_count:>9}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_mb:.0f} MB (whole process)")


if __name__ == "__main__":
    sys.exit(main())
