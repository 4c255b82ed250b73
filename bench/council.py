"""Server time of the council pages at a city's scale over twenty years (issue 5: 100,000
papers, 200,000 files).

Loads the demo, fills Musterstadt with ``lotse council_scale`` and prints p50/p95 server time,
requests per second (one process) and query count of the paper list, the paper search (words,
words in files only, an exact reference), a paper's page, the body's calendar feed and the
paper list of the API, for an anonymous visitor and for the council office (who sees
non-public papers), and the process's peak memory. Runs on a fresh SQLite file in a temporary
directory, or on the database in DATABASE_URL. It measures; it never passes or fails.

    .venv/bin/python bench/council.py [--requests 50] [--papers 100000] [--files 200000]
"""

import argparse
import sys
import time
from io import StringIO
from urllib.parse import quote

from common import failure, measuring_client, print_peak_memory, setup_django, time_page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=200_000)
    parser.add_argument("--years", type=int, default=20)
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from lotse.accounts.models import BodyRole
    from lotse.core.models import Body
    from lotse.council.models import File, Organization, Paper

    started = time.perf_counter()
    call_command("demo", stdout=StringIO())
    print(f"demo: {time.perf_counter() - started:.1f} s")
    from lotse.council.management.commands.council_scale import MARK

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

    body = Body.objects.get(slug="musterstadt")
    papers = Paper.objects.filter(body=body)
    paper = papers.filter(is_public=True, files__isnull=False).order_by("-date", "-pk").first()
    office = (
        BodyRole.objects.filter(body=body, role="council_office").select_related("user").first()
    )
    base = f"/{body.slug}/vorlagen/"
    pages = [
        base,
        base + "?seite=200",
        base + "?q=" + quote("Straßenbeleuchtung Marktplatz"),
        base + "?q=" + quote("Glasfasernetze"),
        base + "?q=" + quote("Gutachten Wartung"),  # words of the files
        base + "?q=" + quote(paper.reference),
        f"{base}{paper.pk}/",
        f"/{body.slug}/sitzungen/kalender.ics",
        f"/api/v1/bodies/{body.slug}/council/papers",
        f"/api/v1/bodies/{body.slug}/council/papers?q=" + quote("Breitbandausbau"),
    ]
    print(
        f"Lotse council bench: Musterstadt with {papers.count()} papers and "
        f"{File.objects.filter(body=body).count()} files, database {connection.vendor}"
    )
    client = measuring_client()
    for who in ("anonymous", "council office"):
        if who == "council office":
            if office is None:
                print("(no council office account in the demo)")
                break
            from allauth.mfa.models import Authenticator

            # As after setting up an authenticator app, which staff-side roles must have.
            Authenticator.objects.get_or_create(
                user=office.user,
                type=Authenticator.Type.TOTP,
                defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}},
            )
            client.force_login(office.user)
        print(f"\n{who}")
        print(f"{'page':<72}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'queries':>9}")
        for url in pages:
            timing = time_page(client, url, args.requests)
            if isinstance(timing, int):
                print(f"{url:<72}{failure(timing):>14}")
                continue
            print(
                f"{url:<72}{args.requests:>5}{timing.p50:>9.2f}{timing.p95:>9.2f}"
                f"{timing.per_second:>9.1f}{timing.queries:>9}"
            )
    print_peak_memory()


if __name__ == "__main__":
    sys.exit(main())
