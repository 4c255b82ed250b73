"""Server time of the idea platform at a large town's scale (PRODUCT.md: 50,000 ideas,
500,000 comments, supports and ratings).

Loads the demo, fills Musterstadt with ``lotse participation_scale`` and prints p50/p95 server
time, requests per second (one process) and query count of the idea list (each sort, a
search), an idea with 200 comments and the similar-idea lookup (the endpoint and the
``search.similar`` function itself), and the process's peak memory. A page that does not exist
(404) is reported as "missing". Runs on a fresh SQLite file in a temporary directory, or on the
database in DATABASE_URL. It measures; it never passes or fails.

    .venv/bin/python bench/participation.py [--requests 100] [--ideas 50000]
"""

import argparse
import statistics
import sys
import time
from io import StringIO
from urllib.parse import quote

from common import failure, measuring_client, print_peak_memory, setup_django, time_page

# Titles as people type them: complete, unfinished, with umlauts written out, and rare.
TITLES = [
    "Mehr Sitzbänke am Marktplatz",
    "Kostenloses WLAN im Stadtpa",
    "Strassenbeleuchtung an der Hauptstrasse",
    "Trinkbrunnen Schulen",
    "Hundewiese am Rheinufer",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--ideas", type=int, default=50_000)
    parser.add_argument("--interactions", type=int, default=500_000)
    args = parser.parse_args()

    setup_django()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from lotse.core.models import Body
    from lotse.participation import demo, search, views_search
    from lotse.participation.models import Comment, Idea, Rating, Support

    started = time.perf_counter()
    call_command("demo", stdout=StringIO())
    print(f"demo: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    out = StringIO()
    call_command(
        "participation_scale",
        body="musterstadt",
        ideas=args.ideas,
        interactions=args.interactions,
        stdout=out,
    )
    print(f"participation_scale: {time.perf_counter() - started:.1f} s")
    for line in out.getvalue().splitlines():
        if "Lastprofil" in line:
            print(line.strip())

    body = Body.objects.get(slug="musterstadt")
    ideas = Idea.objects.filter(body=body)
    interactions = (
        Comment.objects.filter(idea__body=body).count()
        + Support.objects.filter(idea__body=body).count()
        + Rating.objects.filter(idea__body=body).count()
    )
    discussed = ideas.filter(process__slug=demo.SCALE_SLUG).order_by("pk").first()
    # The bench asks far more often than a person types; the limit's cost stays measured.
    views_search.SIMILAR_RATE = "1000000/m"

    client = measuring_client()
    base = "/musterstadt/ideen/"
    similar = base + "aehnliche/?title="
    pages = [
        (base, args.requests),
        *[
            (f"{base}?sort={sort}", args.requests)
            for sort in ("neueste", "unterstuetzungen", "diskussion", "bewertung")
        ],
        (base + "?q=" + quote("Sitzbänke Marktplatz"), args.requests),
        (base + "?q=" + quote("WLAN") + "&sort=unterstuetzungen", args.requests),
        (f"{base}{discussed.pk}/", args.requests),
        *[(similar + quote(title), args.requests) for title in TITLES[:3]],
    ]
    print(
        f"Lotse participation bench: Musterstadt with {ideas.count()} ideas and "
        f"{interactions} comments, supports and ratings, anonymous visitor, "
        f"database {connection.vendor}"
    )
    print(f"{'page':<72}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'queries':>9}")
    for url, requests in pages:
        timing = time_page(client, url, requests)
        if isinstance(timing, int):
            print(f"{url:<72}{failure(timing):>14}")
            continue
        print(
            f"{url:<72}{requests:>5}{timing.p50:>9.2f}{timing.p95:>9.2f}"
            f"{timing.per_second:>9.1f}{timing.queries:>9}"
        )

    anonymous = AnonymousUser()
    for title in TITLES:
        timings = []
        for _ in range(args.requests):
            begin = time.perf_counter()
            hits = search.similar(anonymous, body, title)
            timings.append((time.perf_counter() - begin) * 1000)
        timings.sort()
        p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
        label = f"search.similar({title!r}) → {len(hits)} hits"
        print(f"{label:<72}{args.requests:>5}{statistics.median(timings):>9.2f}{p95:>9.2f}")
    print_peak_memory()


if __name__ == "__main__":
    sys.exit(main())
