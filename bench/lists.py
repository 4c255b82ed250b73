"""The long lists and the pages a citizen opens most, beside the floor (issue 19, points 3
and 4), at a large town's scale: 50,000 ideas with 500,000 comments, supports and ratings
(``lotse participation_scale``) and 100,000 papers with 200,000 files (``lotse
council_scale``), on the demo's Musterstadt.

Two figures per page, for an anonymous visitor:

- **Server time** in one process (p50/p95 over ``--requests`` requests and the number of
  queries), as the other benches print it; the goal is p95 ≤ 50 ms for the lists and ≤ 80 ms
  for the pages on PostgreSQL.
- **Requests per second at concurrency 4** through the real server (``python -m
  lotse.serve``, gunicorn gthread, ``--workers`` × ``--threads``, on a free port), measured
  interleaved with the floor: a burst of ``--burst`` requests to the page, then the same to
  ``/_floor/`` (a fixed small page behind Lotse's whole middleware stack in the same
  processes, ``bench/floor_settings.py``), page, floor, … for ``--rounds`` rounds, so both
  see the same noise of a shared machine. Printed with the ratio page/floor (goal for the
  lists: ≥ 0.25) and the HTTP p95 at that concurrency.

Runs on a SQLite file in a temporary directory, or on the PostgreSQL database of
DATABASE_URL; a database filled by an earlier run (same URL) is reused as it is, so
``--ideas``/``--papers`` only matter for the first run. It measures; it never passes or
fails.

    .venv/bin/python bench/lists.py [--requests 50] [--rounds 3] [--burst 40]
        [--ideas 50000] [--interactions 500000] [--papers 100000] [--files 200000]
"""

import argparse
import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
from io import StringIO
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Timing, failure, measuring_client, print_peak_memory, setup_django

HOST = "127.0.0.1"
CONCURRENCY = 4


def time_page(client, url: str, requests: int, before=None) -> Timing | int:
    """Server time of ``url`` (as ``common.time_page``), with ``before()`` run before each
    request outside the time; the queries are the second request's (the first warms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    if before:
        before()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        return response.status_code
    queries = len(captured)  # now: the connection's log is a ring that later requests turn
    timings = []
    for _ in range(requests):
        if before:
            before()
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return Timing(
        p50=statistics.median(timings),
        p95=timings[max(int(len(timings) * 0.95) - 1, 0)],
        per_second=1000 / statistics.mean(timings),
        queries=queries,
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(min(int(len(ordered) * share + 0.5) - 1, len(ordered) - 1), 0)]


def burst(port: int, path: str, requests: int, concurrency: int) -> tuple[float, list, int]:
    """``requests`` GETs of ``path`` by ``concurrency`` clients at once (a new connection
    each, as browsers on the internet): (wall seconds, latencies in ms, failures)."""
    todo = iter(range(requests))
    lock = threading.Lock()
    latencies: list[float] = []
    failures = [0]

    def client():
        while True:
            with lock:
                if next(todo, None) is None:
                    return
            connection = http.client.HTTPConnection(HOST, port, timeout=60)
            start = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
            finally:
                connection.close()
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)
                failures[0] += not ok

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies, failures[0]


class Served:
    """Lotse with the floor view (``bench.floor_settings``) under ``python -m lotse.serve``
    on the bench's database, in a process group of its own."""

    def __init__(self, workers: int, threads: int):
        from tests.voting.liveserver import LiveServer

        root = str(Path(__file__).resolve().parents[1])
        # The server's log; on SQLite also where the database file is.
        self.directory = Path(
            os.environ.get("LOTSE_DATA_DIR") or tempfile.mkdtemp(prefix="lotse-lists-")
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.floor_settings",
            "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p),
            "LOTSE_LOG_LEVEL": "WARNING",
        }
        self.server = LiveServer(self, workers=workers, threads=threads)

    def __enter__(self):
        self.server.start()
        return self.server

    def __exit__(self, *exc):
        self.server.stop()


def renew(body) -> None:
    """What a new support, comment or rating does to the caches of the body's ideas, and an
    edited paper to the paper list's: their HTML is renewed, the large counts stay (they are
    renewed when an idea or process changes, or a paper is added or deleted). The cockpit's
    figures are left as they are."""
    from lotse.core import versioned
    from lotse.council.selectors import papers_namespace
    from lotse.participation.selectors import ideas_namespace

    versioned.bump(ideas_namespace(body.pk), papers_namespace(body.pk))
    versioned.clear_local()


def fill(args) -> None:
    from django.core.management import call_command

    from lotse.core.models import Body
    from lotse.council.management.commands.council_scale import MARK
    from lotse.council.models import Organization

    started = time.perf_counter()
    if not Body.objects.filter(slug="musterstadt").exists():
        call_command("demo", stdout=StringIO())
    out = StringIO()
    call_command(
        "participation_scale",
        body="musterstadt",
        ideas=args.ideas,
        interactions=args.interactions,
        stdout=out,
    )
    if not Organization.objects.filter(body__slug="musterstadt", name=MARK).exists():
        call_command(
            "council_scale",
            body="musterstadt",
            papers=args.papers,
            files=args.files,
            years=20,
            stdout=StringIO(),
        )
    print(f"data: {time.perf_counter() - started:.1f} s")
    # The scale commands write in bulk, which the search index does not see; a database
    # filled before the one index existed has none. The idea search must find something.
    from lotse.search import index
    from lotse.search.models import SearchEntry

    ideas = SearchEntry.objects.filter(kind="idea")
    if ideas.count() < args.ideas // 2:
        started = time.perf_counter()
        written = index.rebuild()
        print(f"search index rebuilt: {written} entries in {time.perf_counter() - started:.1f} s")


def pages() -> list[tuple[str, str, str]]:
    """(section, label, address) of what is measured."""
    from django.db.models import Count

    from lotse.council.models import Meeting
    from lotse.participation import demo
    from lotse.participation.models import Idea
    from lotse.strategy.models import Measure

    ideas = "/musterstadt/ideen/"
    papers = "/musterstadt/vorlagen/"
    discussed = (
        Idea.objects.filter(body__slug="musterstadt", process__slug=demo.SCALE_SLUG)
        .order_by("pk")
        .first()
    )
    measure = (
        Measure.objects.filter(body__slug="musterstadt", is_public=True)
        .annotate(n=Count("updates"))
        .order_by("-n", "pk")
        .first()
    )
    meeting = (
        Meeting.objects.filter(body__slug="musterstadt")
        .annotate(n=Count("agenda_items"))
        .order_by("-n", "pk")
        .first()
    )
    return [
        ("list", "ideas, newest", ideas),
        ("list", "ideas, most supported", ideas + "?sort=unterstuetzungen"),
        ("list", "ideas, page 500", ideas + "?seite=500"),
        ("list", "ideas, filter: state", ideas + "?status=angenommen"),
        ("list", "ideas, search", ideas + "?q=" + quote("Sitzbänke Marktplatz")),
        ("list", "papers, newest", papers),
        ("list", "papers, page 2000", papers + "?seite=2000"),
        ("list", "papers, filter: type", papers + "?typ=antrag"),
        ("page", "body front page", "/musterstadt/"),
        ("page", "measure", measure.get_absolute_url()),
        ("page", "meeting", meeting.get_absolute_url()),
        (
            "page",
            f"idea, {discussed.comment_count} comments",
            discussed.get_absolute_url(),
        ),
        ("page", "cockpit", "/musterstadt/cockpit/"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50, help="per page, in process")
    parser.add_argument("--rounds", type=int, default=3, help="page/floor alternations")
    parser.add_argument("--burst", type=int, default=40, help="requests per burst")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--ideas", type=int, default=50_000)
    parser.add_argument("--interactions", type=int, default=500_000)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=200_000)
    parser.add_argument("--no-http", action="store_true", help="server time only")
    args = parser.parse_args()

    setup_django()
    from django.db import connection

    from lotse.core.models import Body
    from lotse.council.models import Paper
    from lotse.participation.models import Idea

    fill(args)
    measured = pages()
    print(
        f"Lotse lists and pages bench: Musterstadt with "
        f"{Idea.objects.filter(body__slug='musterstadt').count()} ideas and "
        f"{Paper.objects.filter(body__slug='musterstadt').count()} papers, anonymous visitor, "
        f"database {connection.vendor}"
    )

    print(
        f"\nServer time in one process ({args.requests} requests per page): cold = the "
        "cached HTML renewed before each request (as after a support or an edited paper), "
        "warm = from the cache"
    )
    print(
        f"{'page':<30}{'cold p50':>9}{'cold p95':>9}{'queries':>8}"
        f"{'warm p50':>9}{'warm p95':>9}{'queries':>8}  address"
    )
    client = measuring_client()
    body = Body.objects.get(slug="musterstadt")
    for _section, label, url in measured:
        cold = time_page(client, url, args.requests, before=lambda: renew(body))
        warm = time_page(client, url, args.requests)
        if isinstance(cold, int) or isinstance(warm, int):
            print(f"{label:<30}{failure(cold if isinstance(cold, int) else warm):>18}  {url}")
            continue
        print(
            f"{label:<30}{cold.p50:>9.2f}{cold.p95:>9.2f}{cold.queries:>8}"
            f"{warm.p50:>9.2f}{warm.p95:>9.2f}{warm.queries:>8}  {url}"
        )
    connection.close()
    if args.no_http:
        print_peak_memory()
        return

    print(
        f"\nThrough the server at concurrency {CONCURRENCY} (gunicorn {args.workers} workers × "
        f"{args.threads} threads), interleaved with /_floor/: {args.rounds} rounds of "
        f"{args.burst} requests each"
    )
    with Served(args.workers, args.threads) as server:
        for _ in range(2):  # warm both workers: templates, translations, connections
            burst(server.port, "/_floor/", 8, CONCURRENCY)
            for _section, _label, url in measured:
                burst(server.port, url, 4, CONCURRENCY)
        results = {url: {"page": [0.0, [], 0], "floor": [0.0, [], 0]} for *_x, url in measured}
        for _round in range(args.rounds):
            for _section, _label, url in measured:
                for what, path in (("page", url), ("floor", "/_floor/")):
                    wall, latencies, failed = burst(server.port, path, args.burst, CONCURRENCY)
                    figures = results[url][what]
                    figures[0] += wall
                    figures[1].extend(latencies)
                    figures[2] += failed
        print(
            f"{'page':<30}{'req/s':>8}{'p95 ms':>8}{'floor req/s':>13}{'floor p95':>11}"
            f"{'ratio':>7}{'errors':>8}"
        )
        for _section, label, url in measured:
            page, floor = results[url]["page"], results[url]["floor"]
            rate = len(page[1]) / page[0]
            floor_rate = len(floor[1]) / floor[0]
            print(
                f"{label:<30}{rate:>8.1f}{percentile(page[1], 0.95):>8.1f}"
                f"{floor_rate:>13.1f}{percentile(floor[1], 0.95):>11.1f}"
                f"{rate / floor_rate:>7.2f}{page[2] + floor[2]:>8}"
            )
        failed = server.server_errors()
        print(f"5xx answers in the server log: {len(failed)}")
        for line in failed[:5]:
            print("  " + line)
    print_peak_memory()


if __name__ == "__main__":
    sys.exit(main())
