"""The OZG pages at a district's scale: 20 bodies (a Kreis and 19 towns), each with all 557
OZG services assessed and a year of history (two ratings per service).

Prints p50/p95 server time and queries of the public OZG page of a town (plain and searched),
the Kreis page that compares its towns, the Kreis cockpit with its OZG section, the staff
workspace (all services in one table), the CSV export and the open-data download. Runs on a
fresh SQLite file in a temporary directory, or on the database in DATABASE_URL. It measures;
it never passes or fails.

    .venv/bin/python bench/ozg.py [--requests 10] [--bodies 20]
"""

import argparse
import datetime
import os
import random
import time

from common import failure, measuring_client, print_peak_memory, setup_django, time_page


def fill(bodies: int) -> tuple:
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from lotse.core.models import Body
    from lotse.ozg.models import Assessment, Service, Solution

    kreis = Body.objects.create(
        slug="benchkreis",
        name="Benchkreis",
        short_name="Benchkreis",
        kind=Body.Kind.KREIS,
        ags="05998000",
        rgs="059980000000",
    )
    towns = [
        Body.objects.create(
            slug=f"benchstadt-{n}",
            name=f"Stadt Bench {n}",
            short_name=f"Bench {n}",
            kind=Body.Kind.STADT,
            parent=kreis,
            ags=f"05998{n:03d}",
            rgs=f"059980000{n:03d}",
        )
        for n in range(1, bodies)
    ]
    services = list(Service.objects.all())
    rng = random.Random(7)
    solutions = [Solution.EFA, Solution.LAND, Solution.OWN]
    start = time.perf_counter()
    for body in [kreis, *towns]:
        rows = []
        for service in services:
            level = rng.choice([0, 1, 1, 2, 2, 3, 3, 3, 4])
            rows.append(
                Assessment(
                    body=body,
                    service=service,
                    maturity=level,
                    maturity_model="ozg-bund:1",
                    solution=rng.choice(solutions) if level >= 2 else "",
                    online_url=f"https://{body.slug}.example/{service.ozg_id}"
                    if level >= 2
                    else "",
                    digital_end_to_end=level >= 3 and rng.random() < 0.5,
                )
            )
        made = bulk_create_with_history(rows, Assessment, batch_size=500)
        # A second rating half a year ago, so progress over time has a course.
        for assessment in made:
            assessment.maturity = max(0, assessment.maturity - 1)
        earlier = timezone.now() - datetime.timedelta(days=180)
        Assessment.history.bulk_history_create(made, default_date=earlier)
    print(
        f"filled {bodies} bodies × {len(services)} services in {time.perf_counter() - start:.1f} s"
    )
    return kreis, towns[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--bodies", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("LOTSE_MFA_REQUIRED", "0")
    setup_django()
    from lotse.accounts.models import BodyRole, User

    kreis, town = fill(args.bodies)
    client = measuring_client()
    pages = [
        ("town OZG page", f"/{town.slug}/ozg/"),
        ("town OZG page, search", f"/{town.slug}/ozg/?q=Wohngeld"),
        ("Kreis OZG page (compares towns)", f"/{kreis.slug}/ozg/"),
        ("Kreis cockpit", f"/{kreis.slug}/cockpit/"),
        ("town CSV export", f"/{town.slug}/ozg/export.csv"),
        ("open data ozg-leistungen.csv", f"/{town.slug}/opendata/ozg-leistungen.csv"),
    ]
    print(f"{'page':<36} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, url in pages:
        result = time_page(client, url, args.requests)
        if isinstance(result, int):
            print(f"{label:<36} {failure(result)}")
            continue
        print(f"{label:<36} {result.p50:8.1f} {result.p95:8.1f} {result.queries:8d}")
    user = User.objects.create_user(email="bench@ozg.example", password="x")
    BodyRole.objects.create(user=user, body=town, role="staff")
    client.force_login(user)
    result = time_page(client, f"/{town.slug}/verwaltung/ozg/", args.requests)
    label = "staff workspace (557 rows)"
    if isinstance(result, int):
        print(f"{label:<36} {failure(result)}")
    else:
        print(f"{label:<36} {result.p50:8.1f} {result.p95:8.1f} {result.queries:8d}")
    print_peak_memory()


if __name__ == "__main__":
    main()
