"""``lotse worker``: django-tasks-db's ``db_worker`` that stays up and says so.

- A heartbeat thread records every ``LOTSE_WORKER_HEARTBEAT_SECONDS`` (10) in the shared cache
  that this worker is alive; ``/health`` reads it. On its way out (Ctrl+C, SIGTERM, an error)
  the worker records that it stopped, so ``/health`` answers 503 at once until a worker beats
  again; a killed worker's heartbeat goes stale after ``LOTSE_HEALTH_WORKER_STALE_AFTER``.
- When it starts and then every ``LOTSE_TASK_RECLAIM_AFTER`` seconds it reclaims tasks left
  "running" by a worker that died (no heartbeat for that long): queued again where that is
  safe, otherwise failed with a German reason (``lotse.core.worker.reclaim_orphaned_tasks``).
- A database error outside a task (the database restarted, a connection dropped, a lock that
  outlasted the timeout) does not end the worker: it logs, drops its connections, waits (1 s,
  doubling up to 30 s) and goes on. Errors inside a task fail only that task, as before.

``make run`` (``lotse.serve``) starts it and restarts it should it still exit.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.db import DatabaseError, connections
from django_tasks_db.management.commands import db_worker

from lotse.core import worker as health

logger = logging.getLogger("lotse.worker")

MAX_BACKOFF = 30.0


class SupervisedWorker(db_worker.Worker):
    sleep = staticmethod(time.sleep)

    def run(self) -> None:
        backoff = 1.0
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return
            except DatabaseError as error:
                if time.monotonic() - started > 60:
                    backoff = 1.0
                logger.warning(
                    "Worker %s: database error (%s); reconnecting in %.0f s.",
                    self.worker_id,
                    error,
                    backoff,
                )
                connections.close_all()
                self.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)


def _reclaim(worker_id: str) -> None:
    try:
        for reclaimed in health.reclaim_orphaned_tasks():
            logger.warning(
                "Worker %s: task %s (%s) of a dead worker %s.",
                worker_id,
                reclaimed["id"],
                reclaimed["task_path"],
                reclaimed["action"],
            )
    except Exception as error:  # tried again at the next period
        logger.warning("Worker %s: reclaiming orphaned tasks failed (%s).", worker_id, error)


def _heartbeat(worker_id: str, stop: threading.Event) -> None:
    interval = health.heartbeat_interval()
    reclaim_every = max(health.reclaim_after(), interval)
    next_reclaim = time.monotonic() + reclaim_every
    while not stop.is_set():
        try:
            health.beat(worker_id)
            if time.monotonic() >= next_reclaim:
                next_reclaim = time.monotonic() + reclaim_every
                _reclaim(worker_id)
        except Exception as error:  # a missed beat is logged, never fatal
            logger.warning("Worker %s: heartbeat not recorded (%s).", worker_id, error)
        finally:
            # This thread's own connection; closed so SQLite sees no idle reader.
            connections.close_all()
        stop.wait(interval)


class Command(db_worker.Command):
    help = (
        "Run the background task worker: database worker with a heartbeat for /health that "
        "survives database errors."
    )

    def handle(self, *args, **options):
        from lotse.core.management.checks import require_migrated

        require_migrated()
        worker_id = options["worker_id"]
        replaced = os.environ.get("LOTSE_REPLACES_WORKER")
        if replaced and replaced != worker_id:
            # `make run` restarted this worker: the one before it has exited (perhaps killed,
            # unable to say so), so its running tasks need no wait for a stale heartbeat.
            try:
                health.stopped(replaced, overall=False)
            except Exception as error:
                logger.warning(
                    "Worker %s: could not record %s as stopped (%s).", worker_id, replaced, error
                )
        _reclaim(worker_id)
        connections.close_all()
        stop = threading.Event()
        beat = threading.Thread(
            target=_heartbeat, args=(worker_id, stop), name="lotse-heartbeat", daemon=True
        )
        beat.start()
        original = db_worker.Worker
        db_worker.Worker = SupervisedWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
            stop.set()
            beat.join(timeout=5)
            try:
                health.stopped(worker_id)
            except Exception as error:  # the heartbeat then simply goes stale
                logger.warning("Worker %s: exit not recorded (%s).", worker_id, error)
