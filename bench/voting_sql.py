"""The cast's one PostgreSQL statement alone, without HTTP: 1,000 members of a secret poll
cast at ``--threads`` connections at once, and the same with two variants for comparison,
each on a fresh poll, in turn (``--rounds``):

- ``share``: the statement as Lotse runs it (the running poll share-locked, the poll's row
  left alone);
- ``no lock``: without the share lock (unsafe against a concurrent close: the floor of what
  the lock costs);
- ``counter``: the former design, which also incremented the poll's counter with an UPDATE
  (a row lock every vote waited for, until the previous vote's commit).

Prints the wall time and the latency p50/p99 per variant. Needs DATABASE_URL (PostgreSQL);
a fresh database is created beside it and dropped afterwards.

    DATABASE_URL=postgresql://… .venv/bin/python bench/voting_sql.py [--threads 32]
"""

import argparse
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import percentile
from tests.voting.liveserver import ServerDatabase


def statements() -> dict[str, str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
    import django

    django.setup()
    from lotse.voting import services

    names = {
        **services._tables(),
        "true": "true",
        "skip": " FOR UPDATE SKIP LOCKED",
        "p": "%(poll)s",
        "u": "%(user)s",
        "k": "%(kind)s",
        "o": "%(option)s",
        "pivot": "%(pivot)s",
        "running": "SELECT 1 FROM l",
    }
    fill = services._FILL_BALLOT_POSTGRESQL.format(**names)
    share = services._CAST_POSTGRESQL.format(**names, fill=fill)
    assert " FOR SHARE)" in share
    unlocked = share.replace(" FOR SHARE)", ")")
    counter = unlocked.replace(
        "SELECT (SELECT count(*) FROM v),",
        ', c AS (UPDATE "voting_poll" SET "cast" = "cast" + 1 WHERE id = %(poll)s '
        "AND state = 'laeuft' AND EXISTS (SELECT 1 FROM b) RETURNING id)\n"
        "SELECT (SELECT count(*) FROM v), (SELECT count(*) FROM c),",
    )
    return {"share": share, "no lock": unlocked, "counter": counter}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("DATABASE_URL (PostgreSQL) is needed")
    import psycopg

    database = ServerDatabase("castsql")
    try:
        database.migrate()
        variants = statements()
        print(f"{args.members} casts of a secret poll at {args.threads} connections")
        print(f"{'round':>5} {'variant':<9}{'wall s':>8}{'p50 ms':>8}{'p99 ms':>8}{'voted':>7}")
        for number in range(args.rounds):
            for name, sql in variants.items():
                fixture = database.committee(args.members, "geheim")
                poll = fixture["poll"]
                users = [
                    user
                    for (user,) in database.rows(
                        "SELECT person.user_id FROM voting_voter voter JOIN council_person "
                        "person ON person.id = voter.cast_by_id WHERE voter.poll_id = %s",
                        poll,
                    )
                ]
                local = threading.local()
                opened = []

                def cast(user, sql=sql, poll=poll, local=local, opened=opened):
                    if not hasattr(local, "connection"):
                        local.connection = psycopg.connect(database.url, autocommit=True)
                        opened.append(local.connection)
                    params = {
                        "poll": poll,
                        "user": user,
                        "kind": "geheim",
                        "option": "ja",
                        "pivot": uuid.uuid4(),
                    }
                    started = time.perf_counter()
                    local.connection.execute(sql, params).fetchone()
                    return (time.perf_counter() - started) * 1000

                with ThreadPoolExecutor(args.threads) as pool:
                    began = time.perf_counter()
                    latencies = list(pool.map(cast, users))
                    wall = time.perf_counter() - began
                for connection in opened:
                    connection.close()
                voted = database.value(
                    "SELECT count(*) FROM voting_voter WHERE poll_id = %s AND has_voted", poll
                )
                print(
                    f"{number + 1:>5} {name:<9}{wall:>8.2f}{percentile(latencies, 0.5):>8.1f}"
                    f"{percentile(latencies, 0.99):>8.1f}{voted:>7}"
                )
    finally:
        database.drop()


if __name__ == "__main__":
    main()
