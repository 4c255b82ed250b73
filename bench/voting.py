"""Digital voting under load: the real server (``python -m lotse.serve``: gunicorn gthread,
2 workers × 16 threads, and the task worker) on a fresh database, and 60, 500 and 1,000
members of one committee voting at once over HTTP, each with a signed-in session.

Each vote is sent as the browser's confirmation sends it (htmx: ``HX-Request``, answered
200 with the fragment in place of the form) and, in a second poll, as a form without
JavaScript (answered 303 to the member page, which the bench does not load); ``--send``
chooses. Prints per poll: votes accepted (200 or 303), counted after the close, refused (409:
a tenth of the members press again after their vote), errors (anything else, 5xx
included), the latency
p50/p99 of all answers and the p99 of the accepted casts as the member sees it, the wall time
from the first vote to the last answer,
and the time from the chair's close to the result on the public display (close, publish,
the display's live part showing it). Runs on a SQLite file in a temporary directory, or on a
fresh database on the PostgreSQL cluster of DATABASE_URL (dropped afterwards). It measures;
it never passes or fails.

After each poll (``--rounds`` per size) the same members post once, at the same concurrency,
to two floors, and the figures are printed side by side with the ratios (``common.py``:
``ServedWithFloors``, ``print_beside``): ``/_floor/``, a fixed small page behind Lotse's
whole middleware stack in the same gunicorn processes (``bench/floor_settings.py``), and a
bare Django hello without middleware on a second server of the same configuration
(``bench/bare_settings.py``). Between them, a third reference: the same poll once more with
the votes answered without the middleware (``bench/lean_urls.py``: the session and user as
Django's authentication reads them, the token, the poll, the cast's one statement and the
fragment; send ``lean``), which shows what the vote itself costs through gunicorn. At the
end, the resident memory of each gunicorn worker.

Then the chair's console at the size of an assembly (``--console 1000`` members, the poll
running): the page's size, its time through the server (median of five), and the server
time and number of queries measured in a process on the same database.

    .venv/bin/python bench/voting.py [--voters 60 1000] [--clients 100] [--console 1000]
"""

import argparse
import json
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import (
    Load,
    ServedWithFloors,
    http_load,
    percentile,
    print_beside,
    print_worker_memory,
)
from tests.voting.liveserver import Client, LiveServer, ServerDatabase, option_for


def run_poll(
    database: ServerDatabase,
    server: LiveServer,
    voters: int,
    clients: int,
    kind: str,
    htmx: bool = True,
    cast_server: LiveServer | None = None,
):
    """One poll: the members vote through ``cast_server`` (default: ``server``), the chair
    closes and publishes through ``server``."""
    fixture = database.committee(voters, kind)
    port = (cast_server or server).port
    members = [Client(port, voter["session"]) for voter in fixture["voters"]]
    again = set(range(0, voters, 10))  # a tenth press the button a second time
    start = threading.Barrier(min(clients, voters))
    started = threading.local()

    def vote(number: int) -> list:
        if not getattr(started, "done", False):
            start.wait()  # every client thread begins at the same moment
            started.done = True
        results = []
        for _attempt in range(2 if number in again else 1):
            try:
                results.append(members[number].vote(fixture, option_for(number), htmx=htmx))
            except OSError as error:
                results.append(error)
        return results

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=min(clients, voters)) as pool:
        answers = [answer for batch in pool.map(vote, range(voters)) for answer in batch]
    wall = time.perf_counter() - began

    statuses = Counter(getattr(answer, "status", "no answer") for answer in answers)
    latencies = [answer.seconds * 1000 for answer in answers if hasattr(answer, "seconds")]
    ok = 200 if htmx else 303
    casts = [answer.seconds * 1000 for answer in answers if getattr(answer, "status", 0) == ok]
    chair = Client(server.port, fixture["chair"])
    closing = time.perf_counter()
    closed = chair.post(fixture["urls"]["close"], {})
    published = chair.post(fixture["urls"]["publish"], {})
    while "live-result" not in chair.get(fixture["urls"]["display"]).body:
        if time.perf_counter() - closing > 60:
            break
    to_result = (time.perf_counter() - closing) * 1000
    counted = database.value(
        "SELECT COALESCE(yes, 0) + COALESCE(no, 0) + COALESCE(abstain, 0) FROM voting_poll "
        "WHERE id = %s",
        fixture["poll"],
    )
    errors = sum(n for status, n in statuses.items() if status not in (ok, 409))
    if closed.status != 302 or published.status != 302:
        errors += 1
    return {
        "sessions": [voter["session"] for voter in fixture["voters"]],
        "voters": voters,
        "accepted": statuses[ok],
        "counted": counted,
        "refused": statuses[409],
        "errors": errors,
        "p50": statistics.median(latencies),
        "p99": percentile(latencies, 0.99),
        "cast_p99": percentile(casts, 0.99),
        "wall": wall,
        "per_second": len(answers) / wall,
        "to_result": to_result,
        "statuses": statuses,
        # The votes as a load figure, beside the floors' (the casts: answers 200 or 303).
        "load": Load(
            requests=len(casts),
            errors=errors,
            p50=statistics.median(casts) if casts else 0.0,
            p95=percentile(casts, 0.95),
            p99=percentile(casts, 0.99),
            wall=wall,
            per_second=len(answers) / wall,
            statuses=dict(statuses),
        ),
    }


def print_row(send: str, row: dict) -> None:
    print(
        f"{send:>5}{row['voters']:>7}{row['accepted']:>9}{row['counted']:>8}"
        f"{row['refused']:>8}{row['errors']:>7}{row['p50']:>9.0f}"
        f"{row['p99']:>9.0f}{row['cast_p99']:>9.0f}{row['wall']:>8.2f}"
        f"{row['per_second']:>9.1f}{row['to_result']:>17.0f}"
    )
    if row["errors"]:
        print(f"        answers: {dict(row['statuses'])}")


CONSOLE_PROBE = """
import json, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
client.cookies[%(cookie)r] = %(session)r
client.get(%(url)r)  # warm: templates, translations
times = []
for _ in range(5):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        page = client.get(%(url)r)
        times.append(time.perf_counter() - started)
times.sort()
print(json.dumps({"status": page.status_code, "bytes": len(page.content),
                  "ms": times[2] * 1000, "queries": len(queries)}))
"""


def console(database: ServerDatabase, server: LiveServer, members: int) -> dict:
    """The chair's console of a committee of ``members`` in session with a running poll."""
    fixture = database.committee(members, "offen")
    chair = Client(server.port, fixture["chair"], cookie=fixture["cookie"])
    chair.get(fixture["urls"]["console"])
    answers = sorted(
        (chair.get(fixture["urls"]["console"]) for _ in range(5)), key=lambda a: a.seconds
    )
    probe = CONSOLE_PROBE % {
        "cookie": fixture["cookie"],
        "session": fixture["chair"],
        "url": fixture["urls"]["console"],
    }
    inside = json.loads(database.lotse("shell", "-c", probe).strip().splitlines()[-1])
    return {
        "members": members,
        "status": answers[2].status,
        "kb": len(answers[2].body.encode()) / 1024,
        "http_ms": answers[2].seconds * 1000,
        "server_ms": inside["ms"],
        "queries": inside["queries"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, nargs="*", default=[60, 1000])
    parser.add_argument("--clients", type=int, default=100, help="members voting at once")
    parser.add_argument("--kind", default="geheim", choices=["offen", "namentlich", "geheim"])
    parser.add_argument(
        "--send",
        default="both",
        choices=["htmx", "form", "both"],
        help="htmx: as the browser (200, fragment); form: without JavaScript (303)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="polls per size, each followed by the floors (0: no floors)",
    )
    parser.add_argument(
        "--console", type=int, nargs="*", default=[1000], help="members for the console figures"
    )
    args = parser.parse_args()

    database = ServerDatabase("bench")
    try:
        started = time.perf_counter()
        database.migrate()
        print(f"migrate: {time.perf_counter() - started:.1f} s")
        # Lotse with the floor view beside its pages in the same processes, and the bare hello.
        with ServedWithFloors(
            database,
            workers=args.workers,
            threads=args.threads,
            hello=bool(args.rounds),
            lean=bool(args.rounds),
        ) as served:
            server = served.lotse
            print(
                f"Lotse voting bench: {args.kind} poll, database {database.vendor}, gunicorn "
                f"{args.workers} workers × {args.threads} threads, up to {args.clients} "
                "members voting at once"
            )
            # Warm every worker thread (connections, templates) before anything is measured.
            warm = database.committee(min(args.clients, 100), "offen")
            sessions = [voter["session"] for voter in warm["voters"]]
            http_load(
                server.port,
                "/_floor/",
                requests=4 * len(sessions),
                concurrency=len(sessions),
                sessions=sessions,
                method="POST",
                data={"option": "ja"},
            )
            if served.lean is not None:  # its threads too, with a poll of their own
                run_poll(
                    database, server, len(sessions), args.clients, "offen", cast_server=served.lean
                )
            ways = {"htmx": [True], "form": [False], "both": [True, False]}[args.send]
            print(
                f"{'send':>5}{'voters':>7}{'accepted':>9}{'counted':>8}{'refused':>8}{'errors':>7}"
                f"{'p50 ms':>9}{'p99 ms':>9}{'cast p99':>9}{'wall s':>8}{'votes/s':>9}"
                f"{'close→result ms':>17}"
            )
            beside = {}
            for voters in args.voters:
                concurrency = min(args.clients, voters)
                labels = {True: "vote (htmx, 200)", False: "vote (form, 303)"}
                lean = "vote without middleware"
                figures = {
                    **{labels[way]: [] for way in ways},
                    lean: [],
                    "floor": [],
                    "hello": [],
                }
                for number in range(max(args.rounds, 1)):
                    # Both ways in turn, the other first in every second round.
                    for way in ways if number % 2 == 0 else ways[::-1]:
                        row = run_poll(database, server, voters, args.clients, args.kind, htmx=way)
                        print_row("htmx" if way else "form", row)
                        figures[labels[way]].append(row["load"])
                    if not args.rounds:
                        continue
                    # The same poll with the votes answered without the middleware
                    # (bench/lean_urls.py): the vote's own cost through gunicorn.
                    row = run_poll(
                        database,
                        server,
                        voters,
                        args.clients,
                        args.kind,
                        htmx=True,
                        cast_server=served.lean,
                    )
                    print_row("lean", row)
                    figures[lean].append(row["load"])
                    # Interleaved: the floors right after the polls, by the same members at the
                    # same concurrency, one POST each (with session and CSRF token, as a vote).
                    for label, measure in served.floors(
                        requests=voters,
                        concurrency=concurrency,
                        sessions=row["sessions"],
                        method="POST",
                        data={"option": option_for(voters), "confirmed": "1"},
                    ).items():
                        figures[label].append(measure())
                if args.rounds:
                    beside[voters] = figures
            for voters, figures in beside.items():
                print_beside(
                    figures,
                    title=(
                        f"\n{voters} members at concurrency {min(args.clients, voters)}, "
                        "interleaved (vote, floor, hello; same members; one POST each; "
                        "vote = the accepted casts)"
                    ),
                )
            if args.console:
                print("\nChair console, poll running (median of five; server = in process)")
                print(
                    f"{'members':>8}{'status':>7}{'KB':>8}{'http ms':>9}{'server ms':>10}"
                    f"{'queries':>8}"
                )
                for members in args.console:
                    row = console(database, server, members)
                    print(
                        f"{row['members']:>8}{row['status']:>7}{row['kb']:>8.0f}"
                        f"{row['http_ms']:>9.0f}{row['server_ms']:>10.0f}{row['queries']:>8}"
                    )
            print_worker_memory(served)
            failed = server.server_errors()
            print(f"5xx answers in the server log: {len(failed)}")
            for line in failed[:5]:
                print("  " + line)
            if failed:
                causes = Counter(
                    line.strip()
                    for line in server.log.read_text(errors="replace").splitlines()
                    if line.startswith(("django.", "sqlite3.", "psycopg.", "OperationalError"))
                )
                for cause, times in causes.most_common(3):
                    print(f"  {times} × {cause}")
    finally:
        database.drop()


if __name__ == "__main__":
    sys.exit(main())
