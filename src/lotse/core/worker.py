"""What ``/health`` and the operators need to know about background work: the task worker's
heartbeat (a key in the shared cache that ``lotse worker`` refreshes) and the state of the
queue of django-tasks' database backend."""

from __future__ import annotations

import datetime
import os

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "lotse:worker:heartbeat"


def heartbeat_interval() -> float:
    return float(os.environ.get("LOTSE_WORKER_HEARTBEAT_SECONDS", "10"))


def worker_stale_after() -> float:
    """Seconds without a heartbeat after which ``/health`` says the worker is down."""
    return float(os.environ.get("LOTSE_HEALTH_WORKER_STALE_AFTER", "60"))


def queue_stuck_after() -> float:
    """Seconds a ready task may wait before ``/health`` says the queue is stuck."""
    return float(os.environ.get("LOTSE_HEALTH_QUEUE_STUCK_AFTER", "300"))


def beat(worker_id: str, *, now: datetime.datetime | None = None) -> None:
    """Record that worker ``worker_id`` is alive (kept a day, so an old one shows as stale)."""
    now = now or timezone.now()
    cache.set(
        HEARTBEAT_KEY,
        {"worker_id": worker_id, "pid": os.getpid(), "at": now.isoformat()},
        timeout=24 * 3600,
    )


def last_heartbeat() -> dict | None:
    value = cache.get(HEARTBEAT_KEY)
    if not isinstance(value, dict) or "at" not in value:
        return None
    try:
        return {**value, "at": datetime.datetime.fromisoformat(value["at"])}
    except ValueError:
        return None


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
        "failed": DBTaskResult.objects.failed().count(),
    }
