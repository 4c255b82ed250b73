"""Background work of strategy (run by ``lotse worker``): applying a confirmed measure import.

The check of every row and the all-or-nothing save run here, not in the request, and the
``MeasureImport`` row says how far it got. The job is marked done in the same transaction that
saves the measures, so a task run again after its worker died never imports twice."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from lotse.core.jobs import JobState
from lotse.core.worker import register_reclaim

logger = logging.getLogger(__name__)


def _fail(job_id: int, error: str, row_errors=()) -> str:
    from lotse.strategy.models import MeasureImport

    MeasureImport.objects.filter(pk=job_id).update(
        state=JobState.FAILED,
        step=_("Failed"),
        error=error,
        row_errors=[
            {"row": e.row, "column": e.column, "message": str(e.message)} for e in row_errors
        ],
        table={},
        finished_at=timezone.now(),
    )
    return JobState.FAILED


@task()
def apply_measure_import(job_id: int) -> str:
    """Check the stored table once more against the current data and save it, all or
    nothing, recording each step; on failure nothing is saved and the job says why."""
    from lotse.strategy import exchange
    from lotse.strategy.models import MeasureImport

    with translation.override("de"):
        claimed = MeasureImport.objects.filter(pk=job_id, state=JobState.QUEUED).update(
            state=JobState.RUNNING, progress=5, step=_("Reading the file")
        )
        if not claimed:
            return "skipped"
        job = MeasureImport.objects.select_related("body", "created_by").get(pk=job_id)
        table = exchange.Table.from_json(job.table)
        total = len(table.rows)

        def checked(done: int, rows: int) -> None:
            MeasureImport.report_progress(
                job_id,
                5 + round(45 * done / max(rows, 1)),
                _("Checking row %(done)s of %(total)s") % {"done": done + 1, "total": rows},
            )

        try:
            user = job.created_by
            if user is None or not user.has_perm("strategy.manage_measures", job.body):
                raise PermissionDenied
            plan = exchange.plan_import(user, job.body, table, progress=checked)
            if plan.errors:
                raise exchange.ImportRejected(plan.errors)
            MeasureImport.report_progress(
                job_id,
                55,
                _("Saving %(count)s measures (all or nothing)") % {"count": len(plan.pending)},
            )
            with transaction.atomic():
                counts = exchange.apply_import(user, plan)
                MeasureImport.objects.filter(pk=job_id).update(
                    state=JobState.DONE,
                    progress=100,
                    step=_("Done"),
                    counts=counts,
                    table={},
                    finished_at=timezone.now(),
                )
        except PermissionDenied:
            return _fail(job_id, _("You are no longer allowed to import measures."))
        except exchange.FileRejected as error:
            return _fail(job_id, str(error))
        except exchange.ImportRejected as error:
            return _fail(
                job_id,
                _(
                    "The file was not imported. Nothing has been changed; the problems are "
                    "listed by row."
                ),
                error.errors,
            )
        except Exception:
            logger.exception("Measure import %s (%s rows) failed.", job_id, total)
            return _fail(
                job_id,
                _(
                    "A technical error occurred. Nothing has been imported; please try again "
                    "later or tell the administrators."
                ),
            )
        return JobState.DONE


def _import_reclaimed(args, kwargs, retried: bool, reason: str) -> None:
    """The worker died mid-import: nothing was saved (or the job would be done), so the job
    waits for the next worker."""
    from lotse.strategy.models import MeasureImport

    job_id = args[0] if args else kwargs["job_id"]
    MeasureImport.objects.filter(pk=job_id, state=JobState.RUNNING).update(
        state=JobState.QUEUED, progress=0, step=_("Waiting to be tried again")
    )


register_reclaim(apply_measure_import, retry=True, on_reclaim=_import_reclaimed)
