"""The OParl endpoint at a city's scale (issue 15, point 7: 100,000 papers, 200,000 files).

Loads the demo, fills Musterstadt with ``lotse council_scale`` and prints p50/p95 server time
and query count of list pages (first page, a page deep in the list, a ``modified_since`` page)
and of single objects, then the time of a full crawl of the paper, meeting and file lists
(every page, as a synchronising client does first) and of an incremental crawl with
``modified_since`` after 100 papers changed. It measures; it never passes or fails.

    .venv/bin/python bench/oparl.py [--requests 50] [--papers 100000] [--files 200000]
"""

import argparse
import datetime
import time
from io import StringIO

from common import failure, measuring_client, print_peak_memory, setup_django, time_page

BASE = "/oparl/v1.1"


def crawl(client, url: str) -> tuple[int, int, float]:
    """Objects and pages of a whole list, and the seconds it took."""
    started = time.perf_counter()
    objects = pages = 0
    while url:
        page = client.get(url.replace("http://127.0.0.1", "")).json()
        objects += len(page["data"])
        pages += 1
        url = page["links"].get("next")
    return objects, pages, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=200_000)
    parser.add_argument("--years", type=int, default=20)
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.utils import timezone

    from lotse.council.management.commands.council_scale import MARK
    from lotse.council.models import Organization, Paper, PaperState

    started = time.perf_counter()
    call_command("demo", stdout=StringIO())
    print(f"demo: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    if Organization.objects.filter(body__slug="musterstadt", name=MARK).exists():
        print("council_scale: reusing the data of an earlier run (DATABASE_URL)")
    else:
        call_command(
            "council_scale",
            body="musterstadt",
            papers=args.papers,
            files=args.files,
            years=args.years,
            stdout=StringIO(),
        )
    print(f"council_scale: {time.perf_counter() - started:.1f} s")
    papers = Paper.objects.filter(body__slug="musterstadt")
    print(f"papers: {papers.count()}")
    public = papers.filter(state=PaperState.RELEASED, is_public=True).order_by("pk")
    middle = public.values_list("pk", flat=True)[public.count() // 2]
    paper = public.last()

    client = measuring_client()
    lists = f"{BASE}/body/musterstadt"
    since = (timezone.now() - datetime.timedelta(days=365 * 5)).isoformat(timespec="seconds")
    urls = [
        f"{lists}/paper",
        f"{lists}/paper?after={middle}",
        f"{lists}/paper?modified_since={since.replace('+', '%2B')}",
        f"{lists}/paper?omit_internal=true",
        f"{lists}/meeting",
        f"{lists}/agendaitem",
        f"{lists}/consultation",
        f"{lists}/file",
        f"{lists}/file?after=100000",
        f"{BASE}/paper/{paper.pk}",
        f"{BASE}/system",
    ]
    print(f"\n{'page':<72}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'queries':>9}")
    for url in urls:
        timing = time_page(client, url, args.requests)
        if isinstance(timing, int):
            print(f"{url:<72}{failure(timing):>14}")
            continue
        print(
            f"{url:<72}{args.requests:>5}{timing.p50:>9.1f}{timing.p95:>9.1f}"
            f"{timing.per_second:>9.0f}{timing.queries:>9}"
        )

    print("\nfull crawl (limit 500):")
    for name in ("paper", "meeting", "file"):
        objects, pages, seconds = crawl(client, f"{lists}/{name}?limit=500")
        print(f"  {name:<10}{objects:>9} objects {pages:>5} pages {seconds:>8.1f} s")
    mark = timezone.now().replace(microsecond=0)
    time.sleep(1.1)
    for row in public[:100]:
        row.name = row.name + " (geändert)"
        row.save()
    stamp = mark.isoformat().replace("+", "%2B")
    objects, pages, seconds = crawl(client, f"{lists}/paper?limit=500&modified_since={stamp}")
    print(
        "incremental crawl (modified_since, 100 changed papers): "
        f"{objects} objects, {pages} pages, {seconds:.2f} s"
    )
    print_peak_memory()


if __name__ == "__main__":
    main()
