"""A task whose worker was killed mid-run does not stay "running" forever: when a worker starts
and periodically, tasks of a worker without a recent heartbeat go back to waiting (if safe to
retry) or fail with a German reason; `lotse tasks` and /health show them meanwhile."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from lotse.core import worker
from lotse.core.management.commands import worker as worker_command


def _running(task_path, args, *, worker_id="dead", started_seconds_ago=600):
    row = DBTaskResult.objects.create(
        status="RUNNING",
        task_path=task_path,
        args_kwargs={"args": args, "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=[worker_id],
    )
    started = timezone.now() - datetime.timedelta(seconds=started_seconds_ago)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=started)
    return row


def _tasks(*args) -> str:
    out = io.StringIO()
    call_command("tasks", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def database_queue(monkeypatch):
    monkeypatch.setattr(worker, "uses_database_queue", lambda: True)


@pytest.mark.django_db
def test_a_dead_workers_task_fails_with_a_german_reason(client, database_queue):
    worker.beat("dead", now=timezone.now() - datetime.timedelta(seconds=300))
    worker.beat("alive")
    lost = _running("lotse.core.tasks.mail_accessibility_report", [1])
    busy = _running("lotse.core.tasks.mail_accessibility_report", [2], worker_id="alive")
    fresh = _running("lotse.core.tasks.mail_accessibility_report", [3], started_seconds_ago=5)

    # Meanwhile `lotse tasks` and /health say so.
    listing = _tasks()
    assert "orphaned: 1" in listing and f"{lost.id}  ORPHANED" in listing
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["tasks"]["orphaned"] == 1
    assert response.json()["tasks"]["state"] == "orphaned"

    assert worker.reclaim_orphaned_tasks() == [
        {"id": str(lost.id), "task_path": lost.task_path, "action": "failed"}
    ]
    lost.refresh_from_db()
    assert lost.status == "FAILED" and lost.exception_class_path == worker.LOST_EXCEPTION
    assert "Hintergrunddienst" in lost.traceback
    # A task of a live worker, and one just claimed, are left alone.
    assert DBTaskResult.objects.get(pk=busy.pk).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=fresh.pk).status == "RUNNING"
    assert "Hintergrunddienst" in _tasks("--failed")
    assert client.get("/health").json()["tasks"]["orphaned"] == 0
    # Nothing is reclaimed twice.
    assert worker.reclaim_orphaned_tasks() == []


@pytest.mark.django_db
def test_a_task_without_any_heartbeat_is_reclaimed_and_the_threshold_is_configurable(
    monkeypatch,
):
    row = _running("lotse.core.tasks.mail_accessibility_report", [1], started_seconds_ago=100)
    monkeypatch.setenv("LOTSE_TASK_RECLAIM_AFTER", "200")
    assert worker.reclaim_orphaned_tasks() == []
    monkeypatch.setenv("LOTSE_TASK_RECLAIM_AFTER", "50")
    assert [r["id"] for r in worker.reclaim_orphaned_tasks()] == [str(row.id)]


@pytest.mark.django_db
def test_a_task_safe_to_retry_waits_again_and_the_worker_reclaims_on_start(monkeypatch):
    row = _running("lotse.participation.tasks.mail_notifications", [[1, 2]])
    # What `lotse worker` does when it starts.
    worker_command._reclaim("new")
    row.refresh_from_db()
    assert row.status == "READY" and row.started_at is None
    assert DBTaskResult.objects.ready().filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_lotse_tasks_reclaim(database_queue):
    row = _running("lotse.core.tasks.mail_accessibility_report", [1])
    assert f"{row.id}  lotse.core.tasks.mail_accessibility_report: failed" in _tasks("reclaim")
    assert "0 orphaned task(s) reclaimed" in _tasks("reclaim")


@pytest.mark.django_db
def test_a_worker_that_exits_says_so_and_its_task_is_reclaimed_at_once(client, database_queue):
    worker.beat("leaving")
    row = _running("lotse.participation.tasks.mail_notifications", [[1]], worker_id="leaving")
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now())
    assert client.get("/health").status_code == 200
    worker.stopped("leaving")
    response = client.get("/health")
    assert response.status_code == 503 and response.json()["worker"]["state"] == "down"
    assert [r["id"] for r in worker.reclaim_orphaned_tasks()] == [str(row.id)]
    assert DBTaskResult.objects.get(pk=row.pk).status == "READY"
    worker.beat("next")  # the restarted worker
    assert client.get("/health").status_code == 200


@pytest.fixture
def in_the_tests_transaction(monkeypatch):
    """Run the worker command inside the test's transaction: no heartbeat thread (it would
    write through a connection of its own, which on PostgreSQL commits past the test and leaves
    a stopped worker for later tests' /health) and no closing of the test's connection."""
    monkeypatch.setattr(worker_command, "_heartbeat", lambda worker_id, stop: None)
    monkeypatch.setattr(worker_command.connections, "close_all", lambda: None)


@pytest.mark.django_db
def test_the_worker_command_records_its_exit(monkeypatch, in_the_tests_transaction):
    from django_tasks_db.management.commands import db_worker

    def exits(self, *args, **options):
        raise SystemExit(0)  # as db_worker does on SIGTERM between tasks

    monkeypatch.setattr(db_worker.Command, "handle", exits)
    monkeypatch.setattr(worker_command, "_reclaim", lambda worker_id: None)
    with pytest.raises(SystemExit):
        worker_command.Command().handle(worker_id="w-exit")
    assert worker.last_heartbeat()["stopped"] is True
    assert worker.worker_heartbeats(["w-exit"])["w-exit"]["stopped"] is True


def test_make_run_tells_a_restarted_worker_whom_it_replaces(monkeypatch):
    from lotse import serve

    started = []

    class Process:
        returncode = None

        def poll(self):
            return self.returncode

    def popen(command, env=None):
        started.append((command, env))
        return Process()

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    helper = serve.Helper("task worker", ["lotse", "worker"], worker_ids=True, clock=lambda: 0.0)
    helper.start()
    first_id = started[0][0][-1]
    assert started[0][0][:3] == ["lotse", "worker", "--worker-id"]
    assert "LOTSE_REPLACES_WORKER" not in started[0][1]
    helper.process.returncode = -9
    helper.check()
    helper.restart_at = 0.0
    helper.check()
    assert started[1][1]["LOTSE_REPLACES_WORKER"] == first_id
    assert started[1][0][-1] != first_id


@pytest.mark.django_db
def test_a_restarted_worker_reclaims_the_killed_ones_tasks_at_once(
    monkeypatch, in_the_tests_transaction
):
    from django_tasks_db.management.commands import db_worker

    worker.beat("killed")  # fresh: killed a second ago, it could not say so
    row = _running("lotse.participation.tasks.mail_notifications", [[1]], worker_id="killed")
    monkeypatch.setenv("LOTSE_REPLACES_WORKER", "killed")
    monkeypatch.setattr(db_worker.Command, "handle", lambda self, *a, **o: None)
    worker_command.Command().handle(worker_id="restarted")
    assert DBTaskResult.objects.get(pk=row.pk).status == "READY"


@pytest.mark.django_db
def test_an_oparl_import_whose_worker_died_waits_for_the_next(body):
    from lotse.oparl.models import ImportRun

    run = ImportRun.objects.create(
        body=body, url="https://oparl.example/system", state=ImportRun.State.RUNNING
    )
    row = _running("lotse.oparl.tasks.oparl_import", [run.pk])
    assert worker.reclaim_orphaned_tasks()[0]["action"] == "queued again"
    run.refresh_from_db()
    assert DBTaskResult.objects.get(pk=row.pk).status == "READY"
    assert run.state == ImportRun.State.QUEUED and run.progress == "Wartet auf einen neuen Versuch"
