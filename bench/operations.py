"""Does the installation keep working on its own? The real server (``python -m lotse.serve``,
as ``make run`` starts it, with the supervised task worker) on a fresh SQLite file that only
``lotse migrate`` set up, with the demo loaded:

1. the programme owner publishes the demo's report (a background task, the draft's page
   polls its progress) while the members of a committee vote at once over HTTP;
2. the task worker is killed: the process manager starts it again and ``/health`` stays ok;
3. the task worker hangs (SIGSTOP) while work waits: ``/health`` answers 503; it is killed,
   comes back, the queue drains and ``/health`` is ok again.

Prints what happened with times and status counts. It measures; it never passes or fails.

    .venv/bin/python bench/operations.py [--voters 60] [--scale normal|large]

On 2026-12-02 (SQLite, 2 shared cores under a load average of about 11): the publish request
answered 302 in 332 ms, the report was published by the task 12.0 s later while 60 members
voted (60 × 303, no error); the killed worker was running again after 1.5 s; hung, /health
answered 503 ("worker": "down") after 8.5 s with thresholds of 10 s; killed while hung, it came
back, /health was 200 after 11.3 s and the queue had drained (the second report published)
after 22.5 s. No 5xx answer other than /health's 503.
"""

import argparse
import http.client
import json
import os
import signal
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.voting.liveserver import HOST, Client, LiveServer, ServerDatabase, option_for

SESSION = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from lotse.core.models import Body
from lotse.reporting import periods, services
from django.utils import timezone
user = get_user_model().objects.get(email="cdo@musterstadt.example")
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
body = Body.objects.get(slug="musterstadt")
drafts = [services.create_draft(user, body, periods.last_half_year(timezone.localdate()),
          title=f"Sachstandsbericht (Betriebstest {n})").pk for n in (1, 2)]
print(store.session_key, *drafts)
"""


def health(port: int) -> tuple[int, dict]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", "/health")
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def polled(port: int, session: str, path: str) -> tuple[int, str]:
    """The progress part as htmx asks for it."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(
            "GET", path, headers={"Cookie": f"sessionid={session}", "HX-Request": "true"}
        )
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def worker_pids(group: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            if command[-2:-1] == [b"worker"] and os.getpgid(int(entry.name)) == group:
                pids.append(int(entry.name))
        except (OSError, IndexError):
            continue
    return pids


def wait_for(condition, seconds: float, step: float = 0.5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=60)
    parser.add_argument("--scale", choices=["normal", "large"], default="normal")
    args = parser.parse_args()

    database = ServerDatabase("ops")
    database.env.update(
        LOTSE_MFA_REQUIRED="0",
        LOTSE_WORKER_HEARTBEAT_SECONDS="2",
        LOTSE_HEALTH_WORKER_STALE_AFTER="10",
        LOTSE_HEALTH_QUEUE_STUCK_AFTER="10",
    )
    started = time.perf_counter()
    database.lotse("migrate", "--noinput")  # alone: it creates the cache table too
    database.lotse("demo", "--scale", args.scale)
    print(f"migrate + demo ({args.scale}): {time.perf_counter() - started:.0f} s")
    session, draft, second = database.lotse("shell", "-c", SESSION).strip().splitlines()[-1].split()
    fixture = database.committee(args.voters, "geheim")
    server = LiveServer(database).start()
    try:
        owner = Client(server.port, session)
        base = f"/musterstadt/verwaltung/berichte/{draft}/"
        print(f"/health at start: {health(server.port)}")

        # 1. Publish while the committee votes.
        members = [Client(server.port, voter["session"]) for voter in fixture["voters"]]
        answers: list = []

        def vote(number: int):
            try:
                return members[number].vote(fixture, option_for(number)).status
            except OSError as error:
                return type(error).__name__

        began = time.perf_counter()
        publish = owner.post(base + "veroeffentlichen/", {})
        print(
            f"publish request: {publish.status} in {publish.seconds * 1000:.0f} ms "
            f"-> {publish.headers.get('Location')}"
        )
        with ThreadPoolExecutor(max_workers=min(args.voters, 50)) as pool:
            voting = pool.map(vote, range(args.voters))
            steps = []

            def done():
                status, text = polled(server.port, session, base + "veroeffentlichung/")
                if status == 200:
                    step = text.split('for="publication-progress">')[1].split("</label>")[0]
                    if not steps or steps[-1] != step:
                        steps.append(step)
                return status == 204 and "veroeffentlich" not in text

            finished = wait_for(done, 600, 0.3)
            answers = list(voting)
        published = time.perf_counter() - began
        state = database.rows(
            "SELECT status, number, pdf_sha256 FROM reporting_statusreport WHERE id = %s", draft
        )[0]
        print(f"progress seen: {' | '.join(steps)}")
        print(
            f"published: {bool(finished)} after {published:.1f} s, report {state[0]} "
            f"no. {state[1]}, PDF {'stored' if state[2] else 'missing'}"
        )
        print(f"votes while publishing: {dict(Counter(answers))} (303 = counted)")

        # 2. Kill the task worker: it comes back.
        group = server.process.pid
        first = worker_pids(group)
        os.kill(first[0], signal.SIGKILL)
        killed = time.perf_counter()
        back = wait_for(lambda: [p for p in worker_pids(group) if p not in first], 30, 0.2)
        print(
            f"worker {first[0]} killed; new worker {back} after "
            f"{time.perf_counter() - killed:.1f} s; /health {health(server.port)[0]}"
        )

        # 3. The worker hangs while work waits: /health turns 503; killed, it comes back.
        os.kill(back[0], signal.SIGSTOP)
        hung = time.perf_counter()
        queued = owner.post(f"/musterstadt/verwaltung/berichte/{second}/veroeffentlichen/", {})
        down = wait_for(lambda: (h := health(server.port))[0] == 503 and h, 60)
        print(
            f"worker hung, second report queued ({queued.status}); /health "
            f"{down[0] if down else 'still 200'} after {time.perf_counter() - hung:.1f} s: "
            f"{json.dumps(down[1]) if down else ''}"
        )
        os.kill(back[0], signal.SIGKILL)
        recovered = time.perf_counter()
        ok = wait_for(lambda: health(server.port)[0] == 200, 300)
        print(
            f"worker killed while hung; /health {'200' if ok else 'still 503'} after "
            f"{time.perf_counter() - recovered:.1f} s"
        )

        def drained():
            tasks = health(server.port)[1].get("tasks", {})
            return tasks.get("waiting") == 0 and tasks.get("running") == 0 and tasks

        tasks = wait_for(drained, 300)
        second_state = database.value(
            "SELECT status FROM reporting_statusreport WHERE id = %s", second
        )
        print(
            f"queue drained after {time.perf_counter() - recovered:.1f} s: {tasks}; "
            f"second report {second_state}"
        )
        restarts = [line for line in server.log_tail(400).splitlines() if "lotse serve:" in line]
        print("process manager:", *restarts, sep="\n  ")
        errors = [line for line in server.server_errors() if "/health" not in line]
        print(f"5xx answers other than /health: {len(errors)}", *errors[:10], sep="\n  ")
    finally:
        server.stop()
        database.drop()


if __name__ == "__main__":
    threading.excepthook = lambda hook: None
    main()
