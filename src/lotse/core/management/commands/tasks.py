"""``lotse tasks``: look at background tasks and retry the failed ones.

lotse tasks                    # waiting, running and failed tasks, and the worker's heartbeat
lotse tasks --failed           # the failed tasks with their error
lotse tasks retry ID [ID ...]  # put failed tasks back into the queue
lotse tasks retry --all-failed
lotse tasks reclaim            # now: tasks left running by a dead worker (the worker does it too)
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from lotse.core import worker
from lotse.core.management.checks import require_migrated


class Command(BaseCommand):
    help = "List background tasks (--failed: the failed ones) or retry failed tasks (retry)."

    def add_arguments(self, parser):
        parser.add_argument(
            "action", nargs="?", choices=["list", "retry", "reclaim"], default="list"
        )
        parser.add_argument("ids", nargs="*", help="ids of failed tasks to retry")
        parser.add_argument("--failed", action="store_true", help="list failed tasks only")
        parser.add_argument("--all-failed", action="store_true", help="retry every failed task")
        parser.add_argument("--limit", type=int, default=50, help="list at most this many")

    def handle(self, *args, action, ids, failed, all_failed, limit, **options):
        require_migrated()
        if not worker.uses_database_queue():
            raise CommandError(
                "Tasks do not run through the database here (TASKS backend is not "
                "django_tasks_db), so there is nothing to list or retry."
            )
        if action == "retry":
            return self.retry(ids, all_failed)
        if action == "reclaim":
            return self.reclaim()
        if ids or all_failed:
            raise CommandError("Ids and --all-failed go with 'retry', e.g. lotse tasks retry ID.")
        self.list(failed, limit)

    def list(self, failed_only: bool, limit: int) -> None:
        from django_tasks_db.models import DBTaskResult

        state = worker.queue_state()
        heartbeat = worker.last_heartbeat()
        if not failed_only:
            oldest = state["oldest_waiting_seconds"]
            self.stdout.write(
                f"waiting: {state['waiting']}"
                + (f" (oldest {oldest} s)" if oldest is not None else "")
                + f", running: {state['running']}"
                + (f" (orphaned: {state['orphaned']})" if state["orphaned"] else "")
                + f", failed: {state['failed']}"
            )
            if state["orphaned"]:
                self.stdout.write(
                    "orphaned: running on a worker without a heartbeat for "
                    f"{worker.reclaim_after():.0f} s; `lotse worker` reclaims them "
                    "(or run `lotse tasks reclaim`)"
                )
            if heartbeat is None:
                self.stdout.write("worker: no heartbeat recorded (is `lotse worker` running?)")
            else:
                age = round((timezone.now() - heartbeat["at"]).total_seconds())
                self.stdout.write(f"worker: last heartbeat {age} s ago (pid {heartbeat['pid']})")
        rows = DBTaskResult.objects.failed() if failed_only else DBTaskResult.objects.all()
        rows = rows.order_by("-enqueued_at")[:limit]
        orphaned = {row.pk for row in worker.orphaned_tasks()} if state["orphaned"] else set()
        for row in rows:
            when = timezone.localtime(row.finished_at or row.enqueued_at).strftime("%Y-%m-%d %H:%M")
            status = "ORPHANED" if row.pk in orphaned else row.status
            line = f"{row.id}  {status:<10} {when}  {row.task_path}"
            if row.status == "FAILED":
                last = (row.traceback or "").strip().splitlines()[-1:] or [row.exception_class_path]
                line += f"\n    {last[0][:200]}"
            self.stdout.write(line)
        if failed_only and not rows:
            self.stdout.write("No failed tasks.")

    def reclaim(self) -> None:
        reclaimed = worker.reclaim_orphaned_tasks()
        for row in reclaimed:
            self.stdout.write(f"{row['id']}  {row['task_path']}: {row['action']}")
        self.stdout.write(f"{len(reclaimed)} orphaned task(s) reclaimed.")

    def retry(self, ids: list[str], all_failed: bool) -> None:
        from django_tasks_db.models import DBTaskResult

        if not ids and not all_failed:
            raise CommandError("Say which: lotse tasks retry ID [ID ...] or --all-failed.")
        failed = DBTaskResult.objects.failed()
        if not all_failed:
            try:
                chosen = list(failed.filter(pk__in=ids).values_list("pk", flat=True))
            except Exception as error:
                raise CommandError(f"Not a task id: {error}") from error
            missing = {str(i) for i in ids} - {str(pk) for pk in chosen}
            if missing:
                raise CommandError(
                    "Not failed tasks (unknown, waiting, running or done): "
                    + ", ".join(sorted(missing))
                )
            failed = failed.filter(pk__in=chosen)
        with transaction.atomic():
            count = failed.update(
                status="READY",
                started_at=None,
                finished_at=None,
                return_value=None,
                exception_class_path="",
                traceback="",
                run_after=timezone.now(),
            )
        self.stdout.write(f"{count} task(s) queued again.")
