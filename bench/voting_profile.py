"""Where the time of one vote goes: a committee in session (``lotse voting_fixture``), then in
this process, through the whole middleware stack with CSRF checks on, as the server runs it:

- the floor (``/_floor/``, the same signed-in member posting a fixed small page),
- a cast (POST with ``confirmed``, sent by htmx as the browser's confirmation does: answered
  200 with the fragment in place), each with its SQL statements,
- what follows it (the member page a form without JavaScript is redirected to, the live
  parts and the stamp the live pages poll),

each the median of ``--repeat`` members, and a pyinstrument profile of casts when
pyinstrument is installed (a dev tool: ``pip install pyinstrument``).

    .venv/bin/python bench/voting_profile.py [--members 60] [--kind geheim] [--profile]
"""

import argparse
import io
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=60)
    parser.add_argument("--kind", default="geheim")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("LOTSE_DATA_DIR", tempfile.mkdtemp(prefix="lotse-profile-"))
    os.environ.setdefault("LOTSE_STATIC_MANIFEST", "0")
    os.environ.setdefault("LOTSE_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.floor_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    out = io.StringIO()
    call_command("voting_fixture", members=args.members, kind=args.kind, stdout=out)
    fixture = json.loads(out.getvalue())

    def member(number: int) -> Client:
        client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
        token = secrets.token_hex(16)
        client.cookies["csrftoken"] = token
        client.cookies[fixture["cookie"]] = fixture["voters"][number]["session"]
        client.token = token
        return client

    def post(client, url, data, htmx=False):
        headers = {"HX-Request": "true"} if htmx else {}
        return client.post(url, {**data, "csrfmiddlewaretoken": client.token}, headers=headers)

    stamp_url = fixture["urls"]["display"].replace("live/stand/", "live/stempel/")
    steps = {
        "floor POST (signed in)": lambda c, n: post(c, "/_floor/", {"option": "ja"}),
        "cast POST (htmx)": lambda c, n: post(
            c, fixture["urls"]["cast"], {"option": "ja", "confirmed": "1"}, htmx=True
        ),
        "cast again (409, htmx)": lambda c, n: post(
            c, fixture["urls"]["cast"], {"option": "ja", "confirmed": "1"}, htmx=True
        ),
        "cast again (409, form)": lambda c, n: post(
            c, fixture["urls"]["cast"], {"option": "ja", "confirmed": "1"}
        ),
        "member page (no JS: 303)": lambda c, n: c.get(fixture["urls"]["member"]),
        "member live part": lambda c, n: c.get(fixture["urls"]["member"] + "stand/"),
        "display live part": lambda c, n: c.get(fixture["urls"]["display"]),
        "stamp (signed in)": lambda c, n: c.get(stamp_url),
        # As live.js polls it: without cookies (the stamp is public).
        "stamp (polling, no cookies)": lambda c, n: Client(HTTP_HOST="127.0.0.1").get(stamp_url),
    }
    clients = [member(n) for n in range(1, min(args.repeat + 1, args.members))]
    # warm up: templates, translations, connections
    clients[0].get("/_floor/")
    post(clients[0], "/_floor/", {})
    print(
        f"One vote, in process ({connection.vendor}, {args.kind} poll of {args.members}); "
        f"median of {len(clients)} members"
    )
    print(f"{'step':<28}{'status':>7}{'ms':>8}{'queries':>8}")
    queries_of = {}
    for label, step in steps.items():
        times, statuses = [], set()
        for number, client in enumerate(clients):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = step(client, number)
                times.append((time.perf_counter() - started) * 1000)
            statuses.add(response.status_code)
            queries_of[label] = [q["sql"] for q in captured.captured_queries]
        status = ",".join(str(s) for s in sorted(statuses))
        print(f"{label:<28}{status:>7}{statistics.median(times):>8.2f}{len(queries_of[label]):>8}")
    for label in ("floor POST (signed in)", "cast POST (htmx)"):
        print(f"\nSQL of one {label}:")
        for sql in queries_of[label]:
            print("  " + (sql if len(sql) < 160 else sql[:157] + "..."))

    if args.profile:
        try:
            from pyinstrument import Profiler
        except ImportError:
            print("\n(pyinstrument is not installed: no profile)")
            return
        out = io.StringIO()
        call_command("voting_fixture", members=args.members, kind=args.kind, stdout=out)
        fixture.update(json.loads(out.getvalue()))
        clients = [member(n) for n in range(1, args.members)]
        for label, url, data in (
            ("floor", "/_floor/", {"option": "nein"}),
            ("cast", fixture["urls"]["cast"], {"option": "nein", "confirmed": "1"}),
            ("cast again (409)", fixture["urls"]["cast"], {"option": "ja", "confirmed": "1"}),
        ):
            profiler = Profiler(interval=0.0002)
            profiler.start()
            for client in clients:
                post(client, url, data, htmx=True)
            profiler.stop()
            print(f"\nProfile of {len(clients)} × {label}:")
            print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
