"""``lotse participation_scheduler``: enqueue the daily digest every morning, so a plain
``make run`` (or any installation without cron) sends digests.

It only enqueues; the task worker (``lotse db_worker``) sends. Several schedulers may run (one
per app server): the cache (a database table shared by all processes) lets only the first of
them enqueue a given day's digest, and the digest claims each notification before mailing it,
so nobody gets a mail twice. A scheduler started after the hour catches up on the same day.
"""

import time
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.utils import timezone

from lotse.participation.tasks import send_daily_digests

DIGEST_HOUR = 7
# How long to sleep at most between checks, so clock changes (summer time) do no harm.
MAX_SLEEP = 15 * 60


def due(now: datetime, hour: int = DIGEST_HOUR) -> bool:
    return timezone.localtime(now).hour >= hour


def next_run(now: datetime, hour: int = DIGEST_HOUR) -> datetime:
    local = timezone.localtime(now)
    run = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if run <= local:
        run += timedelta(days=1)
    return run


def enqueue_if_due(now: datetime | None = None, hour: int = DIGEST_HOUR) -> bool:
    """Enqueue today's digest once it is due, unless a scheduler already did. Returns
    whether this call enqueued it."""
    now = now or timezone.now()
    if not due(now, hour):
        return False
    key = f"lotse:participation:digest:{timezone.localdate(now).isoformat()}"
    if not cache.add(key, "1", timeout=3 * 24 * 3600):
        return False
    send_daily_digests.enqueue()
    return True


class Command(BaseCommand):
    help = "Enqueue the daily notification digest at 07:00 (Europe/Berlin) every day."

    def add_arguments(self, parser):
        parser.add_argument("--hour", type=int, default=DIGEST_HOUR)
        parser.add_argument("--once", action="store_true", help="Check once and exit.")

    def handle(self, *args, hour: int = DIGEST_HOUR, once: bool = False, **options):
        from lotse.core.management.checks import require_migrated

        require_migrated()
        try:
            while True:
                if enqueue_if_due(hour=hour):
                    self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M} Digest eingeplant.")
                if once:
                    return
                wait = (next_run(timezone.now(), hour) - timezone.localtime()).total_seconds()
                time.sleep(max(1.0, min(wait, MAX_SLEEP)))
        except KeyboardInterrupt:
            # Ctrl+C in `make run` reaches every process of the group; stop quietly.
            return
