"""Open-data downloads at a large town's scale (issue 16).

Loads the demo with ``--scale large`` (2,000 extra measures with 20 Sachstandsmeldungen each
in Musterstadt), adds ideas with ``lotse participation_scale`` and, with ``--papers``, council
papers with ``lotse council_scale`` (100,000 papers take about 11 minutes). Then prints, for
every CSV and JSON download of Musterstadt and for its catalogs: rows, size, queries, the time
to stream it to the end, and the peak of Python memory allocated while streaming it
(tracemalloc, measured in a second pass so that tracing does not slow the timed one), and
the time of a conditional GET that answers 304. Runs on a fresh SQLite file in a temporary
directory, or on the database in DATABASE_URL. It measures; it never passes or fails.

    .venv/bin/python bench/opendata.py [--ideas 50000] [--papers 0]
"""

import argparse
import time
import tracemalloc
from io import StringIO

from common import measuring_client, print_peak_memory, setup_django


def drain(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ideas", type=int, default=50_000)
    parser.add_argument("--papers", type=int, default=0)
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from lotse.opendata.datasets import DATASETS

    started = time.perf_counter()
    call_command("demo", scale="large", stdout=StringIO())
    print(f"demo --scale large: {time.perf_counter() - started:.1f} s")
    if args.ideas:
        started = time.perf_counter()
        call_command(
            "participation_scale",
            body="musterstadt",
            ideas=args.ideas,
            interactions=args.ideas,
            stdout=StringIO(),
        )
        print(f"participation_scale ({args.ideas} ideas): {time.perf_counter() - started:.1f} s")
    if args.papers:
        started = time.perf_counter()
        call_command(
            "council_scale",
            body="musterstadt",
            papers=args.papers,
            files=args.papers * 2,
            years=20,
            stdout=StringIO(),
        )
        print(f"council_scale ({args.papers} papers): {time.perf_counter() - started:.1f} s")

    client = measuring_client()
    addresses = [
        f"/musterstadt/opendata/{key}.{fmt}" for key in DATASETS for fmt in ("csv", "json")
    ]
    addresses += [
        "/musterstadt/opendata/catalog.ttl",
        "/musterstadt/opendata/catalog.jsonld",
        "/opendata/catalog.ttl",
        "/musterstadt/opendata/datapackage.json",
        "/musterstadt/opendata/",
    ]
    print(
        f"\n{'download':<50} {'rows':>8} {'MB':>7} {'queries':>8} {'ms':>8} {'peak MB':>8}"
        f" {'304 ms':>7}"
    )
    for address in addresses:
        counted = []

        def count(execute, sql, params, many, context, counted=counted):
            counted.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            started = time.perf_counter()
            response = client.get(address)
            size = drain(response)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            print(f"{address:<50} HTTP {response.status_code}")
            continue
        rows = "-"
        tracemalloc.start()
        again = client.get(address)
        if address.endswith(".csv"):
            lines = 0
            for chunk in again.streaming_content:
                lines += chunk.count(b"\r\n")
            rows = str(lines - 1)
        else:
            drain(again)
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        etag = response.get("ETag")
        not_modified = "-"
        if etag:
            started = time.perf_counter()
            check = client.get(address, headers={"If-None-Match": etag})
            drain(check)
            if check.status_code == 304:
                not_modified = f"{(time.perf_counter() - started) * 1000:.0f}"
        print(
            f"{address:<50} {rows:>8} {size / 1024 / 1024:>7.2f} {len(counted):>8} "
            f"{elapsed:>8.0f} {peak:>8.1f} {not_modified:>7}"
        )
    print_peak_memory()


if __name__ == "__main__":
    main()
