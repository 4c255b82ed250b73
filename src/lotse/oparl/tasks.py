"""Background work of the OParl app (run by ``lotse db_worker``)."""

import contextlib

from django_tasks import task

from lotse.core.worker import register_reclaim
from lotse.oparl.client import FetchError


@task()
def oparl_import(run_id: int) -> None:
    from lotse.oparl.models import ImportRun
    from lotse.oparl.services import run_import

    run = ImportRun.objects.select_related("body").get(pk=run_id)
    with contextlib.suppress(FetchError):  # the run's report says why
        run_import(run)


def _reclaimed(args, kwargs, retried: bool, reason: str) -> None:
    """The worker died mid-import: the import is idempotent (objects are matched by their
    OParl ids), so the run waits for the next worker and starts again."""
    from django.utils.translation import gettext as _

    from lotse.oparl.models import ImportRun

    run_id = args[0] if args else kwargs["run_id"]
    ImportRun.objects.filter(pk=run_id, state=ImportRun.State.RUNNING).update(
        state=ImportRun.State.QUEUED, progress=_("Waiting to be tried again")
    )


register_reclaim(oparl_import, retry=True, on_reclaim=_reclaimed)
