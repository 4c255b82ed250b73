"""A confirmed measure import is background work: the task checks every row again and saves
all or nothing, the import page polls its progress (htmx), and shows the counts or the
problems by row in German; a task run again after its worker died never imports twice."""

from types import SimpleNamespace

import pytest

from lotse.core.jobs import JobState
from lotse.strategy import exchange, tasks, views_exchange
from lotse.strategy.models import Measure, MeasureImport
from tests.strategy.test_exchange import to_csv, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(body, make_member):
    return make_member(body, "staff")


def job_url(body, job):
    return f"/{body.slug}/verwaltung/massnahmen/import/{job.pk}/"


def confirm_later(client, body, preview, monkeypatch):
    """Confirm with the task only queued (as with a real worker), returning the job."""
    queued = []
    monkeypatch.setattr(
        views_exchange,
        "tasks",
        SimpleNamespace(apply_measure_import=SimpleNamespace(enqueue=queued.append)),
    )
    digest = preview.context["confirm_form"].initial["digest"]
    response = client.post(
        f"/{body.slug}/verwaltung/massnahmen/import/bestaetigen/", {"digest": digest}
    )
    job = MeasureImport.objects.get()
    assert queued == [job.pk]
    assert response.status_code == 302 and response["Location"] == job_url(body, job)
    return job


def test_the_import_page_shows_progress_then_the_counts(client, body, field, staff, monkeypatch):
    client.force_login(staff)
    rows = [{"Titel": f"Maßnahme {i}", "Handlungsfeld": field.title} for i in range(3)]
    job = confirm_later(client, body, upload(client, body, to_csv(rows)), monkeypatch)
    assert job.state == JobState.QUEUED and job.table["rows"]
    assert not Measure.objects.exists()
    page = client.get(job_url(body, job)).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'id="import-progress"' in page
    assert "wartet: Wartet auf den Hintergrunddienst" in page
    steps = []
    original = MeasureImport.report_progress

    def record(pk, progress, step, **fields):
        steps.append((progress, step))
        original(pk, progress, step, **fields)

    monkeypatch.setattr(MeasureImport, "report_progress", record)
    assert tasks.apply_measure_import.call(job.pk) == JobState.DONE
    assert [p for p, _ in steps] == sorted(p for p, _ in steps)
    assert steps[0][1] == "Prüfe Zeile 1 von 3" and "Speichere 3 Maßnahmen" in steps[-1][1]
    assert Measure.objects.count() == 3
    job.refresh_from_db()
    assert job.counts == {"create": 3, "update": 0, "unchanged": 0} and job.table == {}
    part = client.get(job_url(body, job), HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in part and "3 Maßnahmen neu angelegt" in part
    # Run again (as after a worker died past the commit): nothing is imported twice.
    tasks._import_reclaimed([job.pk], {}, True, "")
    assert tasks.apply_measure_import.call(job.pk) == "skipped"
    assert Measure.objects.count() == 3


def test_a_failed_import_saves_nothing_and_lists_the_rows_in_german(
    client, body, field, staff, monkeypatch
):
    client.force_login(staff)
    rows = [{"Titel": f"Maßnahme {i}", "Handlungsfeld": field.title} for i in range(3)]
    job = confirm_later(client, body, upload(client, body, to_csv(rows)), monkeypatch)
    field.delete()  # changed meanwhile: the rows no longer fit
    assert tasks.apply_measure_import.call(job.pk) == JobState.FAILED
    assert not Measure.objects.exists()
    page = client.get(job_url(body, job)).content.decode()
    assert "wurde nicht importiert" in page and "Zeile 2" in page and "Zeile 4" in page


def test_a_technical_error_rolls_back_and_says_so(client, body, field, staff, monkeypatch):
    client.force_login(staff)
    rows = [{"Titel": f"Maßnahme {i}", "Handlungsfeld": field.title} for i in range(3)]
    job = confirm_later(client, body, upload(client, body, to_csv(rows)), monkeypatch)
    calls = []
    original = exchange._apply_row

    def breaks_on_the_last(user, row):
        calls.append(row)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        original(user, row)

    monkeypatch.setattr(exchange, "_apply_row", breaks_on_the_last)
    assert tasks.apply_measure_import.call(job.pk) == JobState.FAILED
    assert not Measure.objects.exists()
    job.refresh_from_db()
    assert "technischer Fehler" in job.error and "Nichts wurde importiert" in job.error


def test_others_cannot_watch_an_import(
    client, body, other_body, field, staff, make_member, monkeypatch
):
    client.force_login(staff)
    rows = [{"Titel": "Neu", "Handlungsfeld": field.title}]
    job = confirm_later(client, body, upload(client, body, to_csv(rows)), monkeypatch)
    assert client.get(f"/{other_body.slug}/verwaltung/massnahmen/import/{job.pk}/").status_code in (
        403,
        404,
    )
    client.force_login(make_member(other_body, "staff"))
    assert client.get(job_url(body, job)).status_code == 403


def test_an_import_whose_worker_died_runs_again(client, body, field, staff, monkeypatch):
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, get_date_max

    from lotse.core import worker

    client.force_login(staff)
    rows = [{"Titel": "Neu", "Handlungsfeld": field.title}]
    job = confirm_later(client, body, upload(client, body, to_csv(rows)), monkeypatch)
    MeasureImport.objects.filter(pk=job.pk).update(state=JobState.RUNNING, progress=30)
    row = DBTaskResult.objects.create(
        status="RUNNING",
        task_path=tasks.apply_measure_import.module_path,
        args_kwargs={"args": [job.pk], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=["killed"],
    )
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert worker.reclaim_orphaned_tasks()[0]["action"] == "queued again"
    job.refresh_from_db()
    assert job.state == JobState.QUEUED
    assert tasks.apply_measure_import.call(job.pk) == JobState.DONE
    assert Measure.objects.filter(title="Neu").count() == 1


def test_the_import_page_lists_the_latest_imports(
    client, body, other_body, staff, django_assert_num_queries
):
    for number in range(7):
        MeasureImport.objects.create(body=body, created_by=staff, filename=f"datei-{number}.csv")
    MeasureImport.objects.create(body=other_body, filename="fremd.csv")
    client.force_login(staff)
    page = client.get(f"/{body.slug}/verwaltung/massnahmen/import/").content.decode()
    assert "Letzte Importe" in page and "datei-6.csv" in page and "datei-2.csv" in page
    assert "datei-1.csv" not in page and "fremd.csv" not in page
    # One query for the list, however many imports there are.
    MeasureImport.objects.create(body=body, created_by=staff, filename="datei-7.csv")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(f"/{body.slug}/verwaltung/massnahmen/import/")
    for number in range(8, 12):
        MeasureImport.objects.create(body=body, created_by=staff, filename=f"datei-{number}.csv")
    with django_assert_num_queries(len(first)):
        client.get(f"/{body.slug}/verwaltung/massnahmen/import/")
