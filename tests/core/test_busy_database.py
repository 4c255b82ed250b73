"""A write that cannot get the database answers 503 "bitte erneut versuchen" with Retry-After,
never a 500; the SQLite settings that avoid it apply."""

import json
import sqlite3

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from lotse.core.middleware import is_busy_database_error
from tests.factories import UserFactory
from tests.participation.factories import IdeaFactory

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="holds a lock through Python's sqlite3"
)


@sqlite_only
@pytest.mark.django_db
def test_sqlite_connection_uses_immediate_transactions_and_a_busy_timeout():
    connection.ensure_connection()
    assert connection.transaction_mode == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL, together with WAL


@pytest.mark.django_db
def test_sqlite_file_database_runs_in_wal_mode(tmp_path, settings):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    options = dict(settings.DATABASES["default"].get("OPTIONS", {}))
    if "init_command" not in options:
        pytest.skip("the default database is not SQLite")
    wrapper = DatabaseWrapper(
        {**settings.DATABASES["default"], "NAME": str(tmp_path / "wal.sqlite3"), "TEST": {}},
        alias="wal_check",
    )
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        wrapper.close()


@pytest.fixture
def write_lock(transactional_db):
    """Another connection that holds the write lock of the test database."""
    name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    target = test_name if connection.creation.is_in_memory_db(test_name) else name
    other = sqlite3.connect(target, uri=target.startswith("file:"), timeout=0)
    other.isolation_level = None

    def hold():
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE participation_follow SET id = id")

    yield hold
    other.execute("ROLLBACK") if other.in_transaction else None
    other.close()


@sqlite_only
def test_a_write_that_finds_the_database_locked_answers_503_in_german(client, write_lock):
    idea = IdeaFactory()
    user = UserFactory()
    client.force_login(user)
    url = reverse("participation:idea_follow", args=[idea.process.body.slug, idea.pk])
    write_lock()
    response = client.post(url, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    text = response.content.decode()
    assert "Bitte versuchen Sie es" in text
    assert "erneut" in text


@sqlite_only
def test_the_api_answers_a_locked_database_with_json(client, write_lock):
    from lotse.core.middleware import busy_response

    request = client.get("/").wsgi_request
    request.path = "/api/v1/anything"
    response = busy_response(request)
    assert response.status_code == 503
    assert json.loads(response.content)["code"] == "busy"
    assert response["Retry-After"] == "5"


@pytest.mark.parametrize(
    ("message", "sqlstate", "busy"),
    [
        ("database is locked", None, True),
        ("database table is locked", None, True),
        ("could not serialize access", "40001", True),
        ("deadlock detected", "40P01", True),
        ("canceling statement due to lock timeout", "55P03", True),
        ("canceling statement due to lock timeout", "57014", True),
        ("canceling statement due to statement timeout", "57014", False),
        ("no such table: x", None, False),
    ],
)
def test_which_database_errors_mean_busy(message, sqlstate, busy):
    error = OperationalError(message)
    if sqlstate:
        cause = Exception(message)
        cause.sqlstate = sqlstate
        error.__cause__ = cause
    assert is_busy_database_error(error) is busy
    assert is_busy_database_error(ValueError("database is locked")) is False
