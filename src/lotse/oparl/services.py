"""Starting and running OParl imports (the command and the staff page share this)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from lotse.core.services import require
from lotse.oparl.client import Fetcher, FetchError
from lotse.oparl.importer import Importer
from lotse.oparl.models import ImportRun


def run_import(run: ImportRun, *, delay: float = 0.0, max_file_bytes=None, fetcher=None) -> dict:
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.RUNNING)

    def progress(step: str) -> None:
        ImportRun.objects.filter(pk=run.pk).update(progress=step)

    fetcher = fetcher or Fetcher(delay=delay)
    importer = Importer(
        run.body,
        fetcher,
        since=run.since,
        dry_run=run.dry_run,
        with_files=run.with_files,
        max_file_bytes=max_file_bytes,
        progress=progress,
    )
    try:
        importer.run(run.url)
    except FetchError as problem:
        importer.report.reject(problem.url, "System", problem.reason)
        _finish(run, importer, ImportRun.State.FAILED)
        raise
    finally:
        fetcher.close()
    return _finish(run, importer, ImportRun.State.DONE)


def _finish(run: ImportRun, importer: Importer, state) -> dict:
    report = importer.report.as_dict()
    ImportRun.objects.filter(pk=run.pk).update(
        state=state, report=report, progress="", finished_at=timezone.now()
    )
    return report


def start_import(user, body, *, url: str, since=None, dry_run=False, with_files=True) -> ImportRun:
    """The council office starts an import; a background task runs it."""
    require(user, "council.manage_meetings", body)
    from lotse.oparl import tasks

    run = ImportRun.objects.create(
        body=body, url=url, since=since, dry_run=dry_run, with_files=with_files, started_by=user
    )
    transaction.on_commit(lambda: tasks.oparl_import.enqueue(run.pk))
    return run
