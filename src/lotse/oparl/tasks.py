"""Background work of the OParl app (run by ``lotse db_worker``)."""

import contextlib

from django_tasks import task

from lotse.oparl.client import FetchError


@task()
def oparl_import(run_id: int) -> None:
    from lotse.oparl.models import ImportRun
    from lotse.oparl.services import run_import

    run = ImportRun.objects.select_related("body").get(pk=run_id)
    with contextlib.suppress(FetchError):  # the run's report says why
        run_import(run)
