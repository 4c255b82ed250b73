"""Both ways of the search's candidate query on PostgreSQL, side by side (issue 18, "One
search"): per query of ``bench/search.py`` the matches expected from the statistics and
counted, the median time of walking the newest entries and of asking the GIN index, and the
way ``lotse.search.planner`` chooses. Reads the index already built in DATABASE_URL (run
``bench/search.py`` on it first); an anonymous visitor's match. It measures; it never passes
or fails.

    DATABASE_URL=postgresql://… .venv/bin/python bench/search_plans.py [--runs 5]
"""

import argparse
import statistics
import sys
import time

from common import setup_django

from search import QUERIES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from lotse.core.models import Body
    from lotse.search import engine, planner
    from lotse.search import text as german
    from lotse.search.index import tag

    if connection.vendor != "postgresql":
        sys.exit("bench/search_plans.py compares PostgreSQL's plans; set DATABASE_URL")
    body = Body.objects.get(slug="musterstadt")
    grants = engine.person_grants(AnonymousUser(), [body])
    public = [[tag("a", g) for g in grants], [tag("b", body.pk)]]
    sql = engine.SQL["postgresql"]
    print(f"{'query':<36}{'expected':>10}{'matches':>9}{'walk ms':>9}{'GIN ms':>9}  chosen")
    for q, filters in [(q, public) for q in QUERIES] + [
        ("Digitalisierung (art=paper)", [*public, [tag("k", "paper")]])
    ]:
        match = engine.match_expression(german.parse(q.split(" (")[0]), "postgresql", filters)
        if match is None:
            continue
        times = {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_searchentry "
                "WHERE vector @@ to_tsquery('simple'::regconfig, %s)",
                [match],
            )
            matches = cursor.fetchone()[0]
            for key in ("candidates", "candidates_rare"):
                runs = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    cursor.execute(sql[key], [match, match, engine.CAP])
                    cursor.fetchall()
                    runs.append((time.perf_counter() - started) * 1000)
                times[key] = statistics.median(runs)
        chosen = "GIN" if engine.candidates_sql(match) == "candidates_rare" else "walk"
        print(
            f"{q:<36}{planner.expected(match):>10.0f}{matches:>9}"
            f"{times['candidates']:>9.1f}{times['candidates_rare']:>9.1f}  {chosen}"
        )
    print(f"\nGIN below {planner.GIN_MAX} expected matches")


if __name__ == "__main__":
    sys.exit(main())
