"""What every bench shares: a Django set up on its own database, a client whose queries can be
counted, and the timing of one page; and over HTTP, the real server with its floors beside it
(``ServedWithFloors``, ``http_load``, ``interleaved``, ``print_beside``, worker memory)."""

import gc
import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path


def setup_django() -> None:
    """Configure Lotse for a bench: a fresh SQLite file in a temporary directory unless
    DATABASE_URL is set, migrated, with the cache table."""
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("LOTSE_DATA_DIR", tempfile.mkdtemp(prefix="lotse-bench-"))
    os.environ.setdefault("LOTSE_STATIC_MANIFEST", "0")
    os.environ.setdefault("LOTSE_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "lotse.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def measuring_client():
    """A test client on one kept connection (as in tests), so queries can be counted."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import Client

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # As lotse.wsgi does at start-up: what is loaded by now (here also the data the bench
    # built) stays out of the collector's full passes, as in a server process; else a full
    # pass over the bench's own objects lands in a request now and then (+100 ms).
    gc.collect()
    gc.freeze()
    return Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)


@dataclass
class Timing:
    p50: float
    p95: float
    per_second: float
    queries: int


def time_page(client, url: str, requests: int) -> Timing | int:
    """Server time of ``url`` over ``requests`` requests, or the HTTP status if it fails."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        return response.status_code
    queries = len(captured)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        # Streaming responses (exports) do their work while being read.
        if response.streaming:
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return Timing(
        p50=statistics.median(timings),
        p95=timings[max(int(len(timings) * 0.95) - 1, 0)],
        per_second=1000 / statistics.mean(timings),
        queries=queries,
    )


def failure(status: int) -> str:
    return "missing" if status == 404 else f"HTTP {status}"


def print_peak_memory() -> None:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_mb:.0f} MB (whole process)")


# --- Over HTTP: the real server beside its floors --------------------------------------------
#
# ``ServedWithFloors`` runs Lotse as ``make run`` serves it (``python -m lotse.serve``:
# gunicorn gthread, the task worker) with one more URL, ``/_floor/`` (a fixed small page behind
# the whole middleware stack, ``bench/floor_settings.py``), and beside it a bare Django hello
# without middleware in a second server of the same configuration (``bench/bare_settings.py``).
# ``http_load`` is the load tool (threads, one new connection per request, as phones do);
# ``interleaved`` runs the measures in turn (A, floor, hello, A, floor, hello …) so that on a
# shared machine each figure and its floor see the same noise; ``print_beside`` prints each
# figure with the floor and the ratio.

ROOT = Path(__file__).resolve().parents[1]
FLOOR_PATH = "/_floor/"
HELLO_PATH = "/hello/"


def liveserver():
    """``tests/voting/liveserver.py`` (ServerDatabase, LiveServer, Client): no Django inside."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.voting import liveserver as module

    return module


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)] if ordered else 0.0


@dataclass
class Load:
    """What a load run saw from the clients' side (times in ms, wall in s)."""

    requests: int
    errors: int
    p50: float
    p95: float
    p99: float
    wall: float
    per_second: float
    statuses: dict


def summarize(answers: list, wall: float, ok: tuple = (200,)) -> Load:
    """``answers``: liveserver ``Answer`` objects or the OSError a request raised."""
    latencies = [a.seconds * 1000 for a in answers if hasattr(a, "seconds")]
    statuses = Counter(getattr(a, "status", "no answer") for a in answers)
    return Load(
        requests=len(answers),
        errors=sum(n for status, n in statuses.items() if status not in ok),
        p50=statistics.median(latencies) if latencies else 0.0,
        p95=percentile(latencies, 0.95),
        p99=percentile(latencies, 0.99),
        wall=wall,
        per_second=len(answers) / wall if wall else 0.0,
        statuses=dict(statuses),
    )


def http_load(
    port: int,
    path: str,
    *,
    requests: int,
    concurrency: int,
    sessions: list[str] | tuple = (),
    method: str = "GET",
    data: dict | None = None,
    ok: tuple = (200,),
) -> Load:
    """``requests`` requests to ``path`` from ``concurrency`` threads that start at the same
    moment; request n is sent by the browser of ``sessions[n % len(sessions)]`` (signed in,
    with a CSRF cookie and token) or by an anonymous one."""
    module = liveserver()
    clients = [module.Client(port, s) for s in sessions] or [module.Client(port)]
    workers = max(1, min(concurrency, requests))
    start = threading.Barrier(workers)
    started = threading.local()

    def one(number: int):
        if not getattr(started, "done", False):
            start.wait()
            started.done = True
        try:
            return clients[number % len(clients)].request(
                method, path, data if method == "POST" else None
            )
        except OSError as error:
            return error

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        answers = list(pool.map(one, range(requests)))
    return summarize(answers, time.perf_counter() - began, ok)


class _Beside:
    """What a second server needs of a ServerDatabase: its environment and a log folder."""

    def __init__(self, database, settings: str):
        self.directory = Path(tempfile.mkdtemp(prefix="lotse-floor-"))
        self.env = {**database.env, "DJANGO_SETTINGS_MODULE": settings}


class ServedWithFloors:
    """Lotse with ``/_floor/`` and the bare hello, both on free ports (never 8000)::

    database = liveserver().ServerDatabase("bench")   # SQLite, or DATABASE_URL's cluster
    database.migrate()
    with ServedWithFloors(database) as served:
        a = lambda: http_load(served.lotse.port, "/x/", requests=200, concurrency=4)
        figures = interleaved({"x": a, **served.floors(requests=200, concurrency=4)}, 3)
        print_beside(figures)
        print_worker_memory(served)
    """

    def __init__(
        self,
        database,
        workers: int = 2,
        threads: int = 16,
        hello: bool = True,
        lean: bool = False,
    ):
        module = liveserver()
        pythonpath = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
        database.env["PYTHONPATH"] = pythonpath
        database.env["DJANGO_SETTINGS_MODULE"] = "bench.floor_settings"
        self.lotse = module.LiveServer(database, workers=workers, threads=threads)
        self.bare = None
        if hello:
            self._beside = _Beside(database, "bench.bare_settings")
            self.bare = module.LiveServer(self._beside, workers=workers, threads=threads)
        # ``lean``: a third server, Lotse with a cast that skips the middleware
        # (``bench/lean_settings.py``), for the voting bench.
        self.lean = None
        if lean:
            self._lean = _Beside(database, "bench.lean_settings")
            self.lean = module.LiveServer(self._lean, workers=workers, threads=threads)

    def start(self) -> "ServedWithFloors":
        self.lotse.start()
        for server in (self.bare, self.lean):
            if server is not None:
                server.start()
        return self

    def stop(self) -> None:
        self.lotse.stop()
        if self.bare is not None:
            self.bare.stop()
            shutil.rmtree(self._beside.directory, ignore_errors=True)
        if self.lean is not None:
            self.lean.stop()
            shutil.rmtree(self._lean.directory, ignore_errors=True)

    def __enter__(self) -> "ServedWithFloors":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def floors(self, **load) -> dict:
        """The floor measures for ``interleaved``, with the same ``http_load`` arguments as
        the figure they stand beside (requests, concurrency, sessions, method, data)."""
        measures = {"floor": lambda: http_load(self.lotse.port, FLOOR_PATH, **load)}
        if self.bare is not None:
            measures["hello"] = lambda: http_load(self.bare.port, HELLO_PATH, **load)
        return measures

    def worker_rss_mb(self) -> list[float]:
        return gunicorn_worker_rss_mb(self.lotse)


def gunicorn_worker_rss_mb(server) -> list[float]:
    """Resident memory (MB) of each gunicorn worker of a LiveServer (Linux ``/proc``)."""
    group = server.process.pid
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        ppid, pgid = int(fields[1]), int(fields[2])
        if pgid != group or "gunicorn" not in cmdline:
            continue
        rss = next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")), 0
        )
        processes[int(entry.name)] = (ppid, rss / 1024)
    # Workers are the gunicorn processes whose parent is the gunicorn master.
    return sorted(rss for ppid, rss in processes.values() if ppid in processes)


def print_worker_memory(served) -> None:
    sizes = served.worker_rss_mb()
    shown = ", ".join(f"{mb:.0f} MB" for mb in sizes) or "none found"
    verdict = "under" if sizes and max(sizes) < 200 else "NOT under"
    print(f"gunicorn workers' memory (RSS) after the bench: {shown} ({verdict} 200 MB each)")


def interleaved(measures: dict, rounds: int) -> dict[str, list[Load]]:
    """Run each measure once per round, in turn (A, floor, hello, A, floor, hello …)."""
    figures: dict[str, list[Load]] = {label: [] for label in measures}
    for _round in range(rounds):
        for label, measure in measures.items():
            figures[label].append(measure())
    return figures


def median_of(loads: list[Load]) -> Load:
    """The round with the median p95 (a real round, so its figures belong together)."""
    return sorted(loads, key=lambda load: load.p95)[len(loads) // 2]


def print_beside(figures: dict[str, list[Load]], floor: str = "floor", title: str = "") -> None:
    """Each round of each measure, with the same round's floor and the ratios: p95 and p99
    over the floor's (lower is better), requests per second over the floor's (higher is
    better). Then the median round of each."""
    if title:
        print(title)
    print(
        f"{'round':>5} {'what':<28}{'n':>6}{'err':>5}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'wall s':>8}{'req/s':>8}{'p95×fl':>8}{'p99×fl':>8}{'rps/fl':>8}"
    )
    floors = figures.get(floor, [])

    def row(number, label, load, base):
        print(
            f"{number:>5} {label:<28}{load.requests:>6}{load.errors:>5}{load.p50:>8.1f}"
            f"{load.p95:>8.1f}{load.p99:>8.1f}{load.wall:>8.2f}{load.per_second:>8.0f}"
            f"{load.p95 / max(base.p95, 0.001):>8.2f}{load.p99 / max(base.p99, 0.001):>8.2f}"
            f"{load.per_second / max(base.per_second, 0.001):>8.2f}"
        )

    for number in range(len(floors)):
        for label, loads in figures.items():
            if number < len(loads):
                row(number + 1, label, loads[number], floors[number])
    if len(floors) > 1:
        base = median_of(floors)
        for label, loads in figures.items():
            row("med", label, median_of(loads), base)
