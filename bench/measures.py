"""Server time of the measure pages at a large town's scale (PRODUCT.md: 2,000 measures).

Loads the demo with ``--scale large`` (2,000 extra measures with 20 Sachstandsmeldungen each
in Musterstadt) and prints p50/p95 server time, requests per second (one process), query
count per page and the process's peak memory. A page that does not exist (404) is reported as
"missing". Runs on a fresh SQLite file in a temporary directory, or on the database in
DATABASE_URL. It measures; it never passes or fails.

    .venv/bin/python bench/measures.py [--requests 100]
"""

import argparse
import sys
import time
from io import StringIO

from common import failure, measuring_client, print_peak_memory, setup_django, time_page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from lotse.strategy.demo import SCALE_ORIGIN
    from lotse.strategy.models import Measure, MeasureStatus, StatusUpdate

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

    client = measuring_client()
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
        timing = time_page(client, url, requests)
        if isinstance(timing, int):
            print(f"{url:<48}{failure(timing):>14}")
            continue
        print(
            f"{url:<48}{requests:>5}{timing.p50:>9.2f}{timing.p95:>9.2f}"
            f"{timing.per_second:>9.1f}{timing.queries:>9}"
        )
    print_peak_memory()


if __name__ == "__main__":
    sys.exit(main())
