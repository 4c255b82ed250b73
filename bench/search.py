"""Time of the one search (issue 18, point 7): the full rebuild, and query p50/p95 of the
search page at a large town's scale — papers with files (``lotse council_scale``), 2,000
measures (the demo's large strategy), ideas with comments (``lotse participation_scale``,
40 % of the interactions are comments).

The goal is p95 ≤ 150 ms on PostgreSQL and ≤ 400 ms on SQLite at 100,000 papers, 200,000
files, 2,000 measures, 50,000 ideas and 500,000 comments; ``--fraction 0.1`` builds a tenth of
that (the default, to stay bounded on a shared machine). Runs on a fresh SQLite file, or on
the database in DATABASE_URL. It measures; it never passes or fails.

    .venv/bin/python bench/search.py [--fraction 0.1] [--requests 30] [--reuse]
"""

import argparse
import sys
import time
from io import StringIO
from urllib.parse import quote

from common import failure, measuring_client, print_peak_memory, setup_django, time_page

QUERIES = [
    "Digitalisierung",  # a common word
    "Stadt",  # in nearly everything
    "Bebauungspläne",
    "Strasse",
    "Radweg",
    "Konzept",  # a compound's later part ("Radwegekonzept")
    "Netz",
    "Glasfasernetze",
    "Breitband 2024",
    '"Straßenbeleuchtung Marktplatz"',
    "Bebaungsplan",  # misspelt: "Meinten Sie …?"
    "xylophonorchester",  # nothing
]


def index_size(connection) -> int:
    """Bytes of the index: its table, full-text index and vocabulary."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('search_searchentry') "
                "+ pg_total_relation_size('search_searchword')"
            )
            return cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'search%'")
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fraction", type=float, default=0.1)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--no-compare",
        action="store_true",
        help="one rebuild only, without timing the index without compound parts",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="on DATABASE_URL: time the queries on an earlier run's data and index as they are",
    )
    args = parser.parse_args()
    f = args.fraction

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from lotse.council.management.commands.council_scale import MARK
    from lotse.council.models import Organization
    from lotse.search import index
    from lotse.search.models import SearchEntry
    from lotse.strategy import demo as strategy_demo

    reuse = (
        args.reuse
        and Organization.objects.filter(body__slug="musterstadt", name=MARK).exists()
        and SearchEntry.objects.exists()
    )
    if reuse:
        return measure(args, connection)
    started = time.perf_counter()
    call_command("demo", stdout=StringIO())
    print(f"demo: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    if Organization.objects.filter(body__slug="musterstadt", name=MARK).exists():
        print("data: reusing an earlier run's (DATABASE_URL)")
    else:
        strategy_demo.load_large(StringIO())
        call_command(
            "participation_scale",
            body="musterstadt",
            ideas=int(50_000 * f),
            interactions=int(1_250_000 * f),
            stdout=StringIO(),
        )
        call_command(
            "council_scale",
            body="musterstadt",
            papers=int(100_000 * f),
            files=int(200_000 * f),
            stdout=StringIO(),
        )
    print(f"data: {time.perf_counter() - started:.1f} s")

    # The index without compound parts first (as before they were indexed), then with them:
    # what splitting compounds costs in rebuild time and index size.
    from unittest import mock

    from lotse.search import compounds

    plain = plain_size = None
    if not args.no_compare:
        index.rebuild()  # once to warm the caches (stems, pages), so both timings are fair
        with mock.patch.object(compounds, "split_terms", lambda words: ""):
            started = time.perf_counter()
            index.rebuild()
            plain = time.perf_counter() - started
            plain_size = index_size(connection)
        compounds.parts.cache_clear()
    started = time.perf_counter()
    written = index.rebuild()
    rebuild = time.perf_counter() - started
    size = index_size(connection)
    counts = dict.fromkeys(("paper", "decision", "meeting", "measure", "idea", "comment"), 0)
    for kind in counts:
        counts[kind] = SearchEntry.objects.filter(kind=kind).count()
    print(
        f"\nLotse search bench, database {connection.vendor}, fraction {f}: "
        + ", ".join(f"{n} {kind}s" for kind, n in counts.items())
    )
    print(f"full rebuild (lotse search_rebuild): {written} entries in {rebuild:.1f} s")
    with_parts = SearchEntry.objects.exclude(parts="").count()
    print(f"index size: {size / 1e6:.1f} MB; {with_parts} entries have compound parts")
    if plain is not None:
        print(
            f"compound parts: rebuild {plain:.1f} s without, {rebuild:.1f} s with "
            f"({(rebuild / plain - 1) * 100:+.0f} %); index {plain_size / 1e6:.1f} MB without, "
            f"{size / 1e6:.1f} MB with ({(size / plain_size - 1) * 100:+.1f} %)"
        )
    return measure(args, connection)


def measure(args, connection) -> None:
    """Search-page and list-search timings, anonymous and as the council office."""
    from lotse.accounts.models import BodyRole
    from lotse.core.models import Body

    body = Body.objects.get(slug="musterstadt")
    office = (
        BodyRole.objects.filter(body=body, role="council_office").select_related("user").first()
    )
    urls = [f"/{body.slug}/suche/?q=" + quote(q) for q in QUERIES]
    urls += [
        f"/{body.slug}/suche/?q=Digitalisierung&sortierung=datum&seite=3",
        f"/{body.slug}/suche/?q=Digitalisierung&art=paper&jahr=2020",
        "/suche/?q=" + quote("Digitalisierung"),
    ]
    # The lists' own searches go through the same index (point 4): "any query" includes them.
    urls += [f"/{body.slug}/vorlagen/?q=" + quote(q) for q in ("Digitalisierung", "Netz", "Radweg")]
    urls += [
        f"/{body.slug}/vorlagen/?q=Digitalisierung&jahr=2020",
        f"/{body.slug}/vorlagen/?q=Digitalisierung&seite=30",
        f"/{body.slug}/ideen/?q=" + quote("Digitalisierung"),
        f"/{body.slug}/ideen/?q=" + quote("Straßenbeleuchtung"),
    ]
    client = measuring_client()
    worst = 0.0
    for who in ("anonymous", "council office"):
        if who == "council office":
            from allauth.mfa.models import Authenticator

            Authenticator.objects.get_or_create(
                user=office.user,
                type=Authenticator.Type.TOTP,
                defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}},
            )
            client.force_login(office.user)
        print(f"\n{who}")
        print(f"{'page':<72}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
        for url in urls:
            timing = time_page(client, url, args.requests)
            if isinstance(timing, int):
                print(f"{url:<72}{failure(timing):>14}")
                continue
            worst = max(worst, timing.p95)
            print(
                f"{url:<72}{args.requests:>5}{timing.p50:>9.2f}{timing.p95:>9.2f}{timing.queries:>9}"
            )
    goal = 150 if connection.vendor == "postgresql" else 400
    print(f"\nworst p95: {worst:.1f} ms (goal at full scale: ≤ {goal} ms)")
    print_peak_memory()


if __name__ == "__main__":
    sys.exit(main())
