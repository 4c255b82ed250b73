"""The district's pages at the scale of a district installation (PRODUCT.md: 10–20 bodies).

Builds a Kreis with ``--towns`` towns (default 19, so 20 bodies), each with a strategy, its
links to the five regional fields and ``--measures`` public measures with a status update;
each town publishes ``--entries`` of them to the library, every other town adopts one entry
of each neighbour, and ``--joints`` joint measures involve all towns. Then prints p50/p95
server time and the query count of the library (unfiltered and filtered), an entry with its
adoptions, a joint measure, the Kreis strategy page with the contributions, the Kreis cockpit
and the regional Sachstandsbericht (which builds the half-year report figures of every body).
Runs on a fresh SQLite file in a temporary directory, or on the database in DATABASE_URL. It
measures; it never passes or fails.

    .venv/bin/python bench/region.py [--towns 19] [--measures 100] [--entries 5] [--requests 10]

At the defaults (20 bodies, 1,900 measures, 95 entries, 19 adoptions, 3 joint measures of all
towns; SQLite, 2 shared CPU cores under load, 5 requests), p50 server time and queries:
library 154 ms / 9, filtered 83 ms / 9, entry 58 ms / 14, joint measure 30 ms / 4, Kreis
strategy 549 ms / 15 (2,033 ms before the contributions listed at most five measures per town
and field), Kreis cockpit 232 ms (454 queries on the first, uncached request: the towns'
cockpit figures), regional report 769 ms / 174 (the report figures of each of the 20 bodies,
about 8 queries each).
"""

import argparse
import time

from common import failure, measuring_client, print_peak_memory, setup_django, time_page

REGIONAL = [
    "Nachhaltigkeit und Klimaschutz",
    "Intelligente Mobilität",
    "Lebensqualität und Teilhabe",
    "Smart Economy",
    "Bildung und Kultur",
]


def build(towns: int, measures: int, entries: int, joints: int):
    from lotse.accounts.models import BodyRole, User
    from lotse.core.models import Body
    from lotse.region import services
    from lotse.region.models import LibraryEntry
    from lotse.strategy.models import ActionField, Measure, StatusUpdate, Strategy

    kreis = Body.objects.create(
        name="Benchkreis",
        short_name="Benchkreis",
        slug="benchkreis",
        kind="kreis",
        ags="05990000",
        rgs="059900000000",
    )
    strategy = Strategy.objects.create(body=kreis, title="Region", status="beschlossen")
    regional = [
        ActionField.objects.create(strategy=strategy, title=t, order=i)
        for i, t in enumerate(REGIONAL)
    ]
    bodies, staff, fields = [], {}, {}
    for n in range(1, towns + 1):
        town = Body.objects.create(
            name=f"Stadt Bench {n}",
            short_name=f"Bench {n}",
            slug=f"bench-{n}",
            kind="stadt",
            ags=f"05990{n:03d}",
            rgs=f"05990{n:04d}{n:03d}",
            parent=kreis,
        )
        user = User.objects.create_user(f"staff{n}@bench.example", "x")
        BodyRole.objects.create(user=user, body=town, role="staff")
        own = Strategy.objects.create(body=town, title="Strategie", status="beschlossen")
        own_fields = [
            ActionField.objects.create(strategy=own, title=f"Feld {k}", order=k) for k in range(4)
        ]
        created = Measure.objects.bulk_create(
            Measure(
                body=town,
                title=f"Maßnahme {n}-{k}",
                primary_field=own_fields[k % 4],
                status="in_umsetzung",
                progress=(k * 7) % 100,
            )
            for k in range(measures)
        )
        StatusUpdate.objects.bulk_create(
            StatusUpdate(measure=m, progress=m.progress, traffic_light="gruen") for m in created
        )
        services.set_field_links(
            user,
            town,
            {
                f.pk: [regional[i % 5].pk, regional[(i + 1) % 5].pk]
                for i, f in enumerate(own_fields)
            },
        )
        for k in range(entries):
            services.publish_to_library(
                user,
                LibraryEntry(measure=created[k], effort="gering", regional_field=regional[k % 5]),
            )
        bodies.append(town)
        staff[town.pk] = user
        fields[town.pk] = own_fields[0]
    entries_by_town = {
        t.pk: list(LibraryEntry.objects.filter(body=t).order_by("pk")) for t in bodies
    }
    for i, town in enumerate(bodies):
        neighbour = bodies[(i + 1) % len(bodies)]
        services.adopt(staff[town.pk], entries_by_town[neighbour.pk][0], town, fields[town.pk])
    for j in range(joints):
        lead = bodies[j % len(bodies)]
        lead_measure = Measure.objects.filter(body=lead).order_by("pk")[entries + j]
        services.start_joint_measure(staff[lead.pk], lead_measure, bodies)
    return kreis, entries_by_town[bodies[0].pk][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--towns", type=int, default=19)
    parser.add_argument("--measures", type=int, default=100)
    parser.add_argument("--entries", type=int, default=5)
    parser.add_argument("--joints", type=int, default=3)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    setup_django()
    from lotse.region.models import JointMeasure

    start = time.perf_counter()
    kreis, entry = build(args.towns, args.measures, args.entries, args.joints)
    print(
        f"{args.towns + 1} bodies, {args.towns * args.measures} measures, "
        f"{args.towns * args.entries} library entries, built in "
        f"{time.perf_counter() - start:.1f} s"
    )
    joint = JointMeasure.objects.first()
    client = measuring_client()
    slug = kreis.slug
    for label, url in [
        ("library", f"/{slug}/bibliothek/"),
        ("library, filtered", f"/{slug}/bibliothek/?aufwand=gering&fortschritt=25"),
        ("library entry", f"/{slug}/bibliothek/{entry.pk}/"),
        ("joint measure", f"/{slug}/bibliothek/gemeinsam/{joint.pk}/"),
        ("Kreis strategy", f"/{slug}/strategie/"),
        ("Kreis cockpit", f"/{slug}/cockpit/"),
        ("regional report", f"/{slug}/berichte/region/"),
    ]:
        timing = time_page(client, url, args.requests)
        if isinstance(timing, int):
            print(f"  {label:<20} {failure(timing)}")
            continue
        print(
            f"  {label:<20} p50 {timing.p50:7.1f} ms  p95 {timing.p95:7.1f} ms  "
            f"{timing.queries:3d} queries"
        )
    print_peak_memory()


if __name__ == "__main__":
    main()
