"""The OParl endpoint at a city's scale (issue 15, point 7: 100,000 papers, 200,000 files).

Loads the demo, fills Musterstadt with ``lotse council_scale`` and prints p50/p95 server time
and query count of list pages (first page, a page deep in the list, a ``modified_since`` page)
and of single objects, then the time of a full crawl of the paper, meeting and file lists
of every list (every page, as a synchronising client does first) and of an incremental crawl
of every list with ``modified_since`` after 100 papers and 10 meetings changed. It measures;
it never passes or fails. With ``LOTSE_DATA_DIR`` (SQLite) or ``DATABASE_URL`` set, a second
run reuses the data of the first.

    .venv/bin/python bench/oparl.py [--requests 50] [--papers 100000] [--files 200000]
                                    [--crawl-limit 500]
"""

import argparse
import datetime
import gc
import time
from io import StringIO
from urllib.parse import quote

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
    parser.add_argument(
        "--crawl-limit", type=int, default=0, help="limit for the full crawl (default: none)"
    )
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.utils import timezone

    from lotse.council.management.commands.council_scale import MARK
    from lotse.council.models import AgendaItem, Meeting, Organization, Paper, PaperState
    from lotse.oparl.queries import KINDS

    if Organization.objects.filter(body__slug="musterstadt", name=MARK).exists():
        print("demo and council_scale: reusing the data of an earlier run")
    else:
        started = time.perf_counter()
        call_command("demo", stdout=StringIO())
        print(f"demo: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
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

    def meetings_middle() -> int:
        meetings = Meeting.objects.filter(body__slug="musterstadt").order_by("pk")
        return meetings.values_list("pk", flat=True)[meetings.count() // 2]

    client = measuring_client()
    client.get(f"{BASE}/system")  # load the views and URLs, then freeze as lotse.wsgi does
    gc.collect()
    gc.freeze()
    lists = f"{BASE}/body/musterstadt"
    since = (timezone.now() - datetime.timedelta(days=365 * 5)).isoformat(timespec="seconds")
    recent = (timezone.now() - datetime.timedelta(hours=1)).isoformat(timespec="seconds")
    items = AgendaItem.objects.filter(meeting__body__slug="musterstadt").order_by("pk")
    item_middle = items.values_list("pk", flat=True)[items.count() // 2]
    urls = [
        f"{lists}/paper",
        f"{lists}/paper?after={middle}",
        f"{lists}/paper?modified_since={quote(since)}",
        f"{lists}/paper?modified_since={quote(recent)}",
        f"{lists}/paper?omit_internal=true",
        f"{lists}/meeting",
        f"{lists}/meeting?after={meetings_middle()}",
        f"{lists}/agendaitem",
        f"{lists}/agendaitem?after={item_middle}",
        f"{lists}/consultation",
        f"{lists}/consultation?after={middle}",
        f"{lists}/file",
        f"{lists}/file?after=100000",
        f"{lists}/file?modified_since={quote(recent)}",
        f"{lists}/organization",
        f"{lists}/person",
        f"{lists}/membership",
        f"{lists}/legislativeterm",
        f"{lists}/location",
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

    limit = f"?limit={args.crawl_limit}" if args.crawl_limit else ""
    print(f"\nfull crawl ({'limit ' + str(args.crawl_limit) if limit else 'default limits'}):")
    total = 0.0
    for name in KINDS:
        objects, pages, seconds = crawl(client, f"{lists}/{name}{limit}")
        total += seconds
        print(f"  {name:<16}{objects:>9} objects {pages:>6} pages {seconds:>8.1f} s")
    print(f"  {'all lists':<16}{total:>40.1f} s")

    mark = timezone.now().replace(microsecond=0)
    time.sleep(1.1)
    for row in public[:100]:
        row.name = row.name + " (geändert)"
        row.save()
    for meeting in Meeting.objects.filter(body__slug="musterstadt").order_by("-pk")[:10]:
        meeting.name = meeting.name + " (verlegt)"
        meeting.save()
    stamp = quote(mark.isoformat())
    print("\nincremental crawl (modified_since, after 100 papers and 10 meetings changed):")
    total = 0.0
    for name in KINDS:
        objects, pages, seconds = crawl(client, f"{lists}/{name}?modified_since={stamp}")
        total += seconds
        print(f"  {name:<16}{objects:>9} objects {pages:>6} pages {seconds:>8.2f} s")
    print(f"  {'all lists':<16}{total:>40.2f} s")
    print_peak_memory()


if __name__ == "__main__":
    main()
