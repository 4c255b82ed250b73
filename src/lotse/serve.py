"""Serve Lotse locally as it runs in production: gunicorn for the web, the task worker beside
it, and the participation scheduler that enqueues the daily notification digest at 07:00
(installations with cron can run ``lotse send_digests`` instead and start the server with
``--no-scheduler``). ``make run`` uses this; Ctrl+C stops all three.

The worker and the scheduler are supervised: one that exits is started again after a pause
(1 s, doubling up to 60 s while it keeps failing; back to 1 s once it ran a minute), and each
exit and restart is logged. If the web server exits, everything stops.

A task worker that dies without saying so (SIGKILL, out of memory) leaves a fresh heartbeat
behind; the process manager records its exit on its behalf (``lotse.core.worker.record_exit``)
so ``/health`` answers 503 from then until the replacement beats. That runs in a thread with a
bounded wait (``RECORD_TIMEOUT``); the restart waits for it, and a database that cannot be
reached is logged and does not stop the restarts."""

import argparse
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MIN_BACKOFF = 1.0
MAX_BACKOFF = 60.0
# A helper that ran this long is considered healthy again: its next restart is quick.
STABLE_AFTER = 60.0
# Seconds the restart of a dead worker waits for its exit to be recorded (SQLite's busy
# timeout is 20 s; a PostgreSQL host that drops packets would hang far longer).
RECORD_TIMEOUT = 25.0


def log(message: str) -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    print(f"[{stamp}] lotse serve: {message}", file=sys.stderr, flush=True)


@dataclass
class Helper:
    """A process that should always run: started again with backoff when it exits."""

    name: str
    command: list[str]
    clock: object = time.monotonic
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff: float = MIN_BACKOFF
    restart_at: float | None = None
    restarts: int = field(default=0)
    # For the task worker: each start gets its own --worker-id, and a restarted worker is told
    # the id of the one that exited (LOTSE_REPLACES_WORKER), whose running tasks it reclaims at
    # once instead of after its heartbeat went stale (a killed worker cannot say it stopped).
    worker_ids: bool = False
    worker_id: str | None = None
    # Called with the id of a worker that exited (``record_worker_exit`` in ``make run``), in
    # a thread of its own unless ``background`` is off (the tests: one database connection).
    on_exit: Callable[[str], None] | None = None
    background: bool = True
    recording: threading.Thread | None = None
    recording_until: float = 0.0

    def start(self) -> None:
        if not self.worker_ids:
            # The commands come from this virtualenv's bin directory, not from user input.
            self.process = subprocess.Popen(self.command)  # noqa: S603
        else:
            env = dict(os.environ)
            if self.worker_id:
                env["LOTSE_REPLACES_WORKER"] = self.worker_id
            self.worker_id = secrets.token_hex(12)
            command = [*self.command, "--worker-id", self.worker_id]
            self.process = subprocess.Popen(command, env=env)  # noqa: S603
        self.started_at = self.clock()
        self.restart_at = None

    def check(self) -> None:
        """Restart the process when it has exited and its pause is over."""
        now = self.clock()
        if self.restart_at is not None:
            if now >= self.restart_at and not self.recording_pending(now):
                self.restarts += 1
                log(f"starting {self.name} again (restart {self.restarts})")
                self.start()
            return
        if self.process is None or self.process.poll() is None:
            return
        if now - self.started_at >= STABLE_AFTER:
            self.backoff = MIN_BACKOFF
        log(
            f"{self.name} exited with code {self.process.returncode}; "
            f"restarting in {self.backoff:.0f} s"
        )
        self.restart_at = now + self.backoff
        self.backoff = min(self.backoff * 2, MAX_BACKOFF)
        if self.worker_id and self.on_exit is not None:
            self.record_exit(self.worker_id, now)

    def record_exit(self, worker_id: str, now: float) -> None:
        def record() -> None:
            try:
                self.on_exit(worker_id)
            except Exception as error:  # the database may be down: restarting matters more
                log(f"could not record the exit of {self.name} {worker_id} ({error!r})")

        if not self.background:
            record()
            return
        self.recording = threading.Thread(target=record, name="lotse-record-exit", daemon=True)
        self.recording_until = now + RECORD_TIMEOUT
        self.recording.start()

    def recording_pending(self, now: float) -> bool:
        """Whether the restart should still wait for the exit to be recorded: a replacement
        that beats first would be followed by "stopped" and /health would say down."""
        if self.recording is None or not self.recording.is_alive():
            self.recording = None
            return False
        if now < self.recording_until:
            return True
        log(f"recording the exit of {self.name} takes over {RECORD_TIMEOUT:.0f} s; not waiting")
        self.recording = None
        return False

    def stop(self) -> None:
        self.restart_at = None
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self, timeout: float = 10) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def record_worker_exit(worker_id: str) -> None:
    """Record in the shared cache (the database by default) that task worker ``worker_id``
    has exited, unless it did so itself; Django is set up in this process the first time."""
    setup_django()
    from django.db import connections

    from lotse.core import worker

    try:
        if worker.record_exit(worker_id):
            log(f"recorded the exit of task worker {worker_id}; /health says it is down")
    finally:
        # This thread's connections: no idle reader for SQLite, no idle PostgreSQL session.
        connections.close_all()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    parser.add_argument("--workers", default=os.environ.get("LOTSE_WEB_WORKERS", "2"))
    parser.add_argument("--threads", default=os.environ.get("LOTSE_WEB_THREADS", "16"))
    parser.add_argument(
        "--no-scheduler",
        action="store_true",
        help="Do not start the digest scheduler (e.g. when cron runs `lotse send_digests`).",
    )
    args = parser.parse_args()

    bin_dir = os.path.dirname(sys.executable)
    lotse = os.path.join(bin_dir, "lotse")
    helpers = [
        Helper("task worker", [lotse, "worker"], worker_ids=True, on_exit=record_worker_exit)
    ]
    if not args.no_scheduler:
        helpers.append(Helper("scheduler", [lotse, "participation_scheduler"]))
    try:
        # Now rather than when a worker dies, so its exit is recorded at once.
        setup_django()
    except Exception as error:
        log(f"Django could not be set up here; exits of killed workers go unrecorded ({error!r})")
    for helper in helpers:
        helper.start()
    web = subprocess.Popen(  # noqa: S603
        [
            os.path.join(bin_dir, "gunicorn"),
            "lotse.wsgi",
            "--bind",
            f"{args.host}:{args.port}",
            "--workers",
            str(args.workers),
            # Threads, so the live meeting pages' event streams do not hold a whole worker.
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--access-logfile",
            "-",
        ]
    )
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True
        for helper in helpers:
            helper.stop()
        if web.poll() is None:
            web.terminate()

    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        while not stopping:
            if web.poll() is not None:
                code = web.returncode
                break
            for helper in helpers:
                helper.check()
            time.sleep(0.5)
    except KeyboardInterrupt:
        code = 0
    finally:
        stop()
        for helper in helpers:
            helper.wait()
        try:
            web.wait(timeout=10)
        except subprocess.TimeoutExpired:
            web.kill()
    return code


if __name__ == "__main__":
    sys.exit(main())
