"""What ``/health`` and the operators need to know about background work: the task worker's
heartbeat (a key in the shared cache that ``lotse worker`` refreshes, one per worker and the
latest of all), the state of the queue of django-tasks' database backend, and the reclaiming
of tasks whose worker died while running them.

A task marked running by a worker whose heartbeat is older than ``LOTSE_TASK_RECLAIM_AFTER``
seconds (default: ``LOTSE_HEALTH_WORKER_STALE_AFTER``) will never finish. ``lotse worker``
looks for such tasks when it starts and every reclaim period while it runs: a task registered
as safe to retry (``register_reclaim(task, retry=True)``) goes back to waiting, any other is
marked failed with a German reason. An app may pass ``on_reclaim`` to put its own job row
(what a page shows) in the same state."""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger("lotse.worker")

HEARTBEAT_KEY = "lotse:worker:heartbeat"
WORKER_KEY = "lotse:worker:heartbeat:{}"
# The exception class recorded on a task that was failed because its worker died.
LOST_EXCEPTION = "lotse.core.worker.WorkerLost"


def heartbeat_interval() -> float:
    return float(os.environ.get("LOTSE_WORKER_HEARTBEAT_SECONDS", "10"))


def worker_stale_after() -> float:
    """Seconds without a heartbeat after which ``/health`` says the worker is down."""
    return float(os.environ.get("LOTSE_HEALTH_WORKER_STALE_AFTER", "60"))


def queue_stuck_after() -> float:
    """Seconds a ready task may wait before ``/health`` says the queue is stuck."""
    return float(os.environ.get("LOTSE_HEALTH_QUEUE_STUCK_AFTER", "300"))


def reclaim_after() -> float:
    """Seconds without a heartbeat after which a worker's running tasks are reclaimed."""
    return float(os.environ.get("LOTSE_TASK_RECLAIM_AFTER", "") or worker_stale_after())


def beat(worker_id: str, *, now: datetime.datetime | None = None) -> None:
    """Record that worker ``worker_id`` is alive (kept a day, so an old one shows as stale)."""
    now = now or timezone.now()
    value = {"worker_id": worker_id, "pid": os.getpid(), "at": now.isoformat()}
    cache.set_many({HEARTBEAT_KEY: value, WORKER_KEY.format(worker_id): value}, timeout=24 * 3600)


def stopped(worker_id: str, *, now: datetime.datetime | None = None, overall: bool = True) -> None:
    """Record that worker ``worker_id`` has exited: its running tasks (if any) can be
    reclaimed at once, and (``overall``) ``/health`` says the worker is down until a worker
    beats again."""
    now = now or timezone.now()
    value = {"worker_id": worker_id, "pid": os.getpid(), "at": now.isoformat(), "stopped": True}
    keys = {WORKER_KEY.format(worker_id): value}
    if overall:
        keys[HEARTBEAT_KEY] = value
    cache.set_many(keys, timeout=24 * 3600)


def record_exit(worker_id: str, *, now: datetime.datetime | None = None) -> bool:
    """Record the exit of worker ``worker_id`` on its behalf (``make run``'s process manager
    does when it sees the worker die): a killed worker (SIGKILL, out of memory) cannot say it
    stopped, and its fresh heartbeat would keep ``/health`` at 200 until it goes stale.

    Nothing is written when the worker recorded its exit itself. The latest heartbeat (what
    ``/health`` reads) says "stopped" unless another worker has beaten since ``now`` (the
    moment of the death; a replacement already running stays "ok"). Returns whether it wrote."""
    now = now or timezone.now()
    own = _parse(cache.get(WORKER_KEY.format(worker_id)))
    if own is not None and own.get("stopped"):
        return False
    latest = last_heartbeat()
    overall = latest is None or latest.get("worker_id") == worker_id or latest["at"] <= now
    stopped(worker_id, now=now, overall=overall)
    return True


def _parse(value) -> dict | None:
    if not isinstance(value, dict) or "at" not in value:
        return None
    try:
        return {**value, "at": datetime.datetime.fromisoformat(value["at"])}
    except ValueError:
        return None


def worker_heartbeats(worker_ids) -> dict[str, dict]:
    """The last heartbeat of each of ``worker_ids`` that has one."""
    ids = sorted(set(worker_ids))
    found = cache.get_many([WORKER_KEY.format(i) for i in ids])
    beats = {}
    for worker_id in ids:
        value = _parse(found.get(WORKER_KEY.format(worker_id)))
        if value is not None:
            beats[worker_id] = value
    return beats


def last_heartbeat() -> dict | None:
    value = cache.get(HEARTBEAT_KEY)
    return _parse(value)


def uses_database_queue() -> bool:
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return backend.startswith("django_tasks_db.")


def queue_state(*, now: datetime.datetime | None = None) -> dict:
    """Waiting (ready) tasks, the age in seconds of the oldest, running and failed tasks."""
    from django.db.models import Min
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    ready = DBTaskResult.objects.ready()
    figures = ready.aggregate(oldest=Min("enqueued_at"))
    oldest = figures["oldest"]
    return {
        "waiting": ready.count(),
        "oldest_waiting_seconds": round((now - oldest).total_seconds()) if oldest else None,
        "running": DBTaskResult.objects.running().count(),
        "orphaned": len(orphaned_tasks(now=now)),
        "failed": DBTaskResult.objects.failed().count(),
    }


# --------------------------------------------------------------------------- reclaiming

_RECLAIM: dict[str, tuple[bool, Callable | None]] = {}


def register_reclaim(task, *, retry: bool, on_reclaim: Callable | None = None) -> None:
    """Say what happens to ``task`` when its worker died mid-run: ``retry=True`` only when
    running it again cannot do anything twice. ``on_reclaim(args, kwargs, retried, reason)``
    lets the app update its own job row."""
    path = task if isinstance(task, str) else task.module_path
    _RECLAIM[path] = (retry, on_reclaim)


def lost_reason() -> str:
    from django.utils.translation import gettext

    return gettext(
        "The background service stopped while this task was running, so it was "
        "cancelled. Please check what it did and start it again if needed."
    )


def orphaned_tasks(*, now: datetime.datetime | None = None) -> list:
    """Tasks marked running whose worker has stopped (its last heartbeat says so) or has not
    sent a heartbeat for ``reclaim_after()`` seconds (or never did) and that started at least
    that long ago."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    limit = reclaim_after()
    cutoff = now - datetime.timedelta(seconds=limit)
    running = list(DBTaskResult.objects.running())
    if not running:
        return []
    beats = worker_heartbeats(row.worker_ids[-1] for row in running if row.worker_ids)
    orphaned = []
    for row in running:
        beat_ = beats.get(row.worker_ids[-1]) if row.worker_ids else None
        if beat_ is not None and beat_.get("stopped"):
            orphaned.append(row)
        elif row.started_at is not None and row.started_at > cutoff:
            continue  # just claimed: its worker's first beat may be on its way
        elif beat_ is None or (now - beat_["at"]).total_seconds() > limit:
            orphaned.append(row)
    return orphaned


def reclaim_orphaned_tasks(*, now: datetime.datetime | None = None) -> list[dict]:
    """Put tasks whose worker died back into the queue (if safe) or mark them failed; returns
    what was done, one dict per task (``id``, ``task_path``, ``action``)."""
    from django.db import transaction
    from django.utils import translation
    from django_tasks_db.models import DBTaskResult

    # The apps register their tasks when their ``tasks`` modules are imported.
    autodiscover_modules("tasks")
    now = now or timezone.now()
    done = []
    for row in orphaned_tasks(now=now):
        retry, on_reclaim = _RECLAIM.get(row.task_path, (False, None))
        with translation.override("de"):
            reason = lost_reason()
        with transaction.atomic():
            still = DBTaskResult.objects.running().filter(pk=row.pk, started_at=row.started_at)
            if retry:
                changed = still.update(status="READY", started_at=None, run_after=now)
            else:
                changed = still.update(
                    status="FAILED",
                    finished_at=now,
                    return_value=None,
                    exception_class_path=LOST_EXCEPTION,
                    traceback=f"{LOST_EXCEPTION}: {reason}",
                )
        if not changed:
            continue  # finished (or reclaimed by another worker) meanwhile
        action = "queued again" if retry else "failed"
        logger.warning(
            "Task %s (%s) was running on worker %s, which sends no heartbeat: %s.",
            row.pk,
            row.task_path,
            row.worker_ids[-1] if row.worker_ids else "?",
            action,
        )
        if on_reclaim is not None:
            args_kwargs = row.args_kwargs or {}
            try:
                with translation.override("de"):
                    on_reclaim(
                        args_kwargs.get("args", []), args_kwargs.get("kwargs", {}), retry, reason
                    )
            except Exception:
                logger.exception("Reclaiming task %s: the app's job row was not updated.", row.pk)
        done.append({"id": str(row.pk), "task_path": row.task_path, "action": action})
    return done
