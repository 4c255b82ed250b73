"""A task worker killed with SIGKILL cannot say it stopped: `make run`'s process manager records
its exit on its behalf, so /health answers 503 from the moment the death is seen until the
replacement beats, and a database it cannot reach does not stop the restarts."""

import signal
import sys
import threading

import pytest
from django import db
from django.db import OperationalError
from django.utils import timezone

from lotse import serve
from lotse.core import worker


@pytest.fixture
def database_queue(monkeypatch):
    monkeypatch.setattr(worker, "uses_database_queue", lambda: True)


@pytest.fixture
def keep_the_tests_connection(monkeypatch):
    # record_worker_exit closes its thread's connections; here that thread is the test's.
    monkeypatch.setattr(db.connections, "close_all", lambda: None)


SLEEPER = [sys.executable, "-c", "import time; time.sleep(300)"]


@pytest.mark.django_db
def test_a_worker_killed_with_sigkill_turns_health_503_until_the_replacement_beats(
    client, database_queue, keep_the_tests_connection, capsys
):
    now = [0.0]
    helper = serve.Helper(
        "task worker",
        SLEEPER,
        worker_ids=True,
        on_exit=serve.record_worker_exit,
        background=False,  # the test's one database connection
        clock=lambda: now[0],
    )
    children = []
    try:
        helper.start()
        children.append(helper.process)
        killed = helper.worker_id
        worker.beat(killed)  # its last heartbeat, a moment before it dies
        helper.check()
        assert client.get("/health").status_code == 200

        helper.process.send_signal(signal.SIGKILL)
        assert helper.process.wait(timeout=30) == -signal.SIGKILL
        helper.check()  # the supervisor sees the death
        assert "recorded the exit of task worker" in capsys.readouterr().err
        assert worker.worker_heartbeats([killed])[killed]["stopped"] is True
        response = client.get("/health")
        assert response.status_code == 503
        assert response.json()["worker"]["state"] == "down"
        assert response.json()["problems"] == ["worker"]

        now[0] = serve.MIN_BACKOFF
        helper.check()  # restarted, told whom it replaces
        children.append(helper.process)
        assert helper.worker_id != killed
        assert client.get("/health").status_code == 503  # not up until it beats
        worker.beat(helper.worker_id)
        assert client.get("/health").status_code == 200
    finally:
        for child in children:
            child.kill()
            child.wait(timeout=30)


@pytest.mark.django_db
def test_an_exit_the_worker_recorded_itself_is_left_alone():
    worker.beat("leaving")
    worker.stopped("leaving")
    worker.beat("next")
    assert worker.record_exit("leaving") is False
    assert worker.last_heartbeat()["worker_id"] == "next"


@pytest.mark.django_db
def test_a_replacement_that_beat_since_the_death_stays_the_latest(client, database_queue):
    died = timezone.now()
    worker.beat("killed", now=died)
    worker.beat("replacement")
    assert worker.record_exit("killed", now=died) is True
    assert worker.worker_heartbeats(["killed"])["killed"]["stopped"] is True
    assert worker.last_heartbeat()["worker_id"] == "replacement"
    assert client.get("/health").status_code == 200


class FakeProcess:
    returncode = None

    def poll(self):
        return self.returncode


@pytest.fixture
def fake_popen(monkeypatch):
    started = []

    def popen(command, env=None):
        started.append(FakeProcess())
        return started[-1]

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    return started


def test_an_unreachable_database_is_logged_and_the_worker_still_restarts(fake_popen, capsys):
    def unreachable(worker_id):
        raise OperationalError("could not connect to server")

    now = [0.0]
    helper = serve.Helper(
        "task worker",
        ["lotse", "worker"],
        worker_ids=True,
        on_exit=unreachable,
        clock=lambda: now[0],
    )
    helper.start()
    fake_popen[-1].returncode = -9
    helper.check()
    helper.recording.join(timeout=30)
    assert not helper.recording.is_alive()
    now[0] = serve.MIN_BACKOFF
    helper.check()
    assert len(fake_popen) == 2
    err = capsys.readouterr().err
    assert "could not record the exit of task worker" in err
    assert "could not connect to server" in err


def test_the_restart_waits_for_the_recording_but_not_beyond_its_bound(fake_popen, capsys):
    release = threading.Event()
    recorded = []

    def hangs(worker_id):
        release.wait(timeout=60)
        recorded.append(worker_id)

    now = [0.0]
    helper = serve.Helper(
        "task worker", ["lotse", "worker"], worker_ids=True, on_exit=hangs, clock=lambda: now[0]
    )
    helper.start()
    first = helper.worker_id
    fake_popen[-1].returncode = -9
    helper.check()
    hanging = helper.recording
    now[0] = serve.MIN_BACKOFF
    helper.check()
    assert len(fake_popen) == 1  # a replacement beating first would then be marked stopped
    now[0] = serve.RECORD_TIMEOUT + 1
    helper.check()
    assert len(fake_popen) == 2
    assert "not waiting" in capsys.readouterr().err
    release.set()
    hanging.join(timeout=30)

    # A recording that is done lets the restart go at the end of its pause.
    second = helper.worker_id
    fake_popen[-1].returncode = -9
    helper.check()
    helper.recording.join(timeout=30)
    now[0] += serve.MAX_BACKOFF
    helper.check()
    assert len(fake_popen) == 3
    assert recorded == [first, second]  # the hanging one finished before the second died


def test_the_scheduler_has_no_exit_to_record(fake_popen):
    calls = []
    helper = serve.Helper(
        "scheduler", ["lotse", "participation_scheduler"], on_exit=calls.append, clock=lambda: 0
    )
    helper.start()
    fake_popen[-1].returncode = 1
    helper.check()
    assert calls == [] and helper.recording is None
