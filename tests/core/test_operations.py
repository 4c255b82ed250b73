"""Operations: the supervised worker (restart with backoff, reconnect after database errors,
heartbeat), /health with the task queue, `lotse tasks` and commands on an unmigrated database."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult, get_date_max

from lotse import serve
from lotse.core import worker
from lotse.core.management.commands.worker import SupervisedWorker


def _task_row(status="READY", age_seconds=0, **fields):
    row = DBTaskResult.objects.create(
        status=status,
        task_path="lotse.core.tasks.mail_accessibility_report",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        **fields,
    )
    when = timezone.now() - datetime.timedelta(seconds=age_seconds)
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=when)
    return row


@pytest.fixture
def database_queue(monkeypatch):
    monkeypatch.setattr(worker, "uses_database_queue", lambda: True)


# --- the process manager ------------------------------------------------------------------


class FakeProcess:
    def __init__(self, command):
        self.command, self.returncode = command, None

    def poll(self):
        return self.returncode


def test_serve_restarts_an_exited_helper_with_growing_backoff(monkeypatch, capsys):
    now = [0.0]
    started = []

    def popen(command):
        started.append(FakeProcess(command))
        return started[-1]

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    helper = serve.Helper("task worker", ["lotse", "worker"], clock=lambda: now[0])
    helper.start()
    helper.check()
    assert len(started) == 1  # running: nothing to do
    started[-1].returncode = 1
    helper.check()
    assert "task worker exited with code 1; restarting in 1 s" in capsys.readouterr().err
    helper.check()
    assert len(started) == 1  # waits for its pause
    now[0] = 1.0
    helper.check()
    assert len(started) == 2 and "starting task worker again (restart 1)" in capsys.readouterr().err
    started[-1].returncode = 1
    helper.check()
    assert "restarting in 2 s" in capsys.readouterr().err
    now[0] = 3.0
    helper.check()
    assert len(started) == 3
    # A helper that ran for a minute is restarted quickly again.
    now[0] = 3.0 + serve.STABLE_AFTER
    started[-1].returncode = 0
    helper.check()
    assert "restarting in 1 s" in capsys.readouterr().err


# --- the worker -------------------------------------------------------------------------


def test_the_worker_reconnects_after_a_database_error(monkeypatch):
    calls, pauses = [], []

    def run(self):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(db_worker.Worker, "run", run)
    supervised = SupervisedWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w1",
        excluded_queue_names=[],
    )
    supervised.sleep = pauses.append
    supervised.run()
    assert len(calls) == 3 and pauses == [1.0, 2.0]


@pytest.mark.django_db
def test_the_heartbeat_is_read_back():
    assert worker.last_heartbeat() is None
    worker.beat("w1")
    beat = worker.last_heartbeat()
    assert beat["worker_id"] == "w1" and (timezone.now() - beat["at"]).total_seconds() < 60


# --- /health ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_reports_queue_and_worker(client, database_queue):
    worker.beat("w1")
    _task_row(age_seconds=5)
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["cache"] == "ok"
    assert body["tasks"]["waiting"] == 1 and body["tasks"]["oldest_waiting_seconds"] >= 5
    assert body["worker"]["state"] == "ok"


@pytest.mark.django_db
def test_health_is_503_when_the_queue_is_stuck(client, database_queue, monkeypatch):
    worker.beat("w1")
    _task_row(age_seconds=400)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["tasks"]["state"] == "stuck"
    assert response.json()["problems"] == ["tasks"]
    monkeypatch.setenv("LOTSE_HEALTH_QUEUE_STUCK_AFTER", "600")
    assert client.get("/health").status_code == 200


@pytest.mark.django_db
def test_health_is_503_when_the_worker_is_down(client, database_queue, monkeypatch):
    worker.beat("w1", now=timezone.now() - datetime.timedelta(seconds=120))
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["worker"] == {"state": "down", "last_heartbeat_seconds": 120}
    monkeypatch.setenv("LOTSE_HEALTH_WORKER_STALE_AFTER", "300")
    assert client.get("/health").status_code == 200


# --- lotse tasks ------------------------------------------------------------------------


def _run(*args) -> str:
    out = io.StringIO()
    call_command("tasks", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_tasks_lists_and_retries_failed_tasks(database_queue):
    failed = _task_row(
        status="FAILED", exception_class_path="builtins.RuntimeError", traceback="RuntimeError: x"
    )
    other = _task_row(status="FAILED", traceback="ValueError: y")
    done = _task_row(status="SUCCESSFUL")
    listing = _run("--failed")
    assert str(failed.id) in listing and "RuntimeError: x" in listing
    assert str(done.id) not in listing
    assert "failed: 2" in _run()
    with pytest.raises(CommandError, match="Not failed tasks"):
        _run("retry", str(done.id))
    assert "1 task(s) queued again" in _run("retry", str(failed.id))
    failed.refresh_from_db()
    assert failed.status == "READY" and failed.traceback == ""
    assert DBTaskResult.objects.ready().filter(pk=failed.pk).exists()
    assert "1 task(s) queued again" in _run("retry", "--all-failed")
    assert DBTaskResult.objects.get(pk=other.pk).status == "READY"
    assert "No failed tasks." in _run("--failed")


@pytest.mark.django_db
def test_tasks_says_when_the_queue_is_not_in_the_database():
    with pytest.raises(CommandError, match="django_tasks_db"):
        _run()


# --- plain habits ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_commands_on_an_unmigrated_database_say_what_to_run(monkeypatch):
    from lotse.core.management import checks

    monkeypatch.setattr(checks, "unapplied_migrations", lambda alias="default": ["core.0001"])
    for command in ("demo", "send_digests", "tasks"):
        with pytest.raises(CommandError, match="lotse migrate"):
            call_command(command, stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_migrate_creates_the_cache_table():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE lotse_cache")
    call_command("migrate", verbosity=0)
    assert "lotse_cache" in connection.introspection.table_names()
