"""Run Lotse for real, as ``make run`` serves it, on a database of its own, and talk to it
over HTTP as many members at once. Used by test_guarantees.py and bench/voting.py, so it
imports neither Django nor pytest.

The server is ``python -m lotse.serve`` (gunicorn gthread, 2 workers, and the task worker) in
its own process group, so a test can kill all of it at once with SIGKILL. Its database is a
temporary SQLite file, or, when DATABASE_URL is set, a fresh database on that PostgreSQL
cluster, dropped again at the end.
"""

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class ServerDatabase:
    """A database only the live server and its helpers use."""

    def __init__(self, label: str = "live"):
        self.directory = Path(tempfile.mkdtemp(prefix=f"lotse-{label}-"))
        self.url = os.environ.get("DATABASE_URL", "")
        if self.url:
            parts = urlsplit(self.url)
            suffix = os.environ.get("LOTSE_TEST_DB_SUFFIX", "x")
            self.name = f"{parts.path.lstrip('/')}_{label}_{suffix}_{os.getpid()}"
            # The cluster's own database: the one in DATABASE_URL need not exist.
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            self.url = urlunsplit(parts._replace(path="/" + self.name))
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')
            self._admin(f'CREATE DATABASE "{self.name}"')
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lotse.settings",
            "LOTSE_DATA_DIR": str(self.directory),
            "LOTSE_STATIC_MANIFEST": "0",
            "LOTSE_LOG_LEVEL": "WARNING",
            "DATABASE_URL": self.url,
        }

    @property
    def vendor(self) -> str:
        return "postgresql" if self.url else "sqlite"

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(statement)

    def lotse(self, *args: str) -> str:
        """Run a ``lotse`` management command on this database; its standard output."""
        done = subprocess.run(
            [str(BIN / "lotse"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"lotse {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def migrate(self) -> None:
        self.lotse("migrate", "--noinput")
        self.lotse("createcachetable")

    def copy_of(self, source) -> None:
        """Start as a copy of a migrated database instead of migrating (half a minute):
        ``source`` is an open sqlite3 connection, or the name of a PostgreSQL database no one
        is connected to."""
        if self.url:
            # Connections a finished test left behind would block the copy.
            self._admin(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{source}' AND pid <> pg_backend_pid()"
            )
            self._admin(f'DROP DATABASE "{self.name}"')
            self._admin(f'CREATE DATABASE "{self.name}" TEMPLATE "{source}"')
            return
        target = sqlite3.connect(self.directory / "lotse.sqlite3")
        try:
            source.backup(target)
        finally:
            target.close()

    def committee(self, members: int, kind: str = "geheim", ineligible: bool = False) -> dict:
        """A committee in session with a running poll (see ``lotse voting_fixture``)."""
        args = ["voting_fixture", "--members", str(members), "--kind", kind]
        if ineligible:
            args.append("--ineligible")
        return json.loads(self.lotse(*args))

    def rows(self, sql: str, *params) -> list[tuple]:
        """Read the database directly (``%s`` placeholders), beside the server."""
        if self.url:
            import psycopg

            with psycopg.connect(self.url) as connection:
                return connection.execute(sql, params).fetchall()
        connection = sqlite3.connect(self.directory / "lotse.sqlite3", timeout=30)
        try:
            return connection.execute(sql.replace("%s", "?"), params).fetchall()
        finally:
            connection.close()

    def value(self, sql: str, *params):
        return self.rows(sql, *params)[0][0]

    def drop(self) -> None:
        if self.url:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.directory, ignore_errors=True)


class LiveServer:
    """``python -m lotse.serve`` on a free port, in a process group of its own."""

    def __init__(self, database: ServerDatabase, workers: int = 2, threads: int = 16):
        self.database = database
        self.workers, self.threads = workers, threads
        self.port = free_port()
        self.log = database.directory / "server.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "LiveServer":
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "lotse.serve",
                    "--host",
                    HOST,
                    "--port",
                    str(self.port),
                    "--workers",
                    str(self.workers),
                    "--threads",
                    str(self.threads),
                    "--no-scheduler",
                ],
                env={**self.database.env, "LOTSE_BASE_URL": f"http://{HOST}:{self.port}"},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at once:\n{self.log_tail()}")
            try:
                if Client(self.port).get("/health").status:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not answer within a minute:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL to the whole process group: gunicorn's master, its workers, the task
        worker. Nothing gets to clean up or flush."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        else:
            with contextlib.suppress(ProcessLookupError):  # anything left behind
                os.killpg(self.process.pid, signal.SIGKILL)

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def server_errors(self) -> list[str]:
        """Access-log lines of answers with a 5xx status."""
        return [
            line
            for line in self.log.read_text(errors="replace").splitlines()
            if re.search(r'" 5\d\d ', line)
        ]


class Answer:
    def __init__(self, status: int, headers: dict, body: str, seconds: float):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds


class Client:
    """One browser: its cookies (a session, the CSRF token) and a new connection for each
    request, as a member's phone on the mobile network would."""

    def __init__(self, port: int, session: str | None = None, cookie: str = "sessionid"):
        self.port = port
        # Django accepts any well-formed secret as the CSRF cookie, as the page's form would
        # hand it out; the form field repeats it.
        self.csrf = secrets.token_hex(16)
        self.cookies = {"csrftoken": self.csrf}
        if session:
            self.cookies[cookie] = session

    def request(
        self, method: str, path: str, data: dict | None = None, extra: dict | None = None
    ) -> Answer:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        headers.update(extra or {})
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": self.csrf})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            connection.close()
        seconds = time.perf_counter() - start
        return Answer(response.status, dict(response.getheaders()), text, seconds)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Answer:
        return self.request("POST", path, data)

    def vote(self, fixture: dict, option: str, htmx: bool = False) -> Answer:
        """The confirmed vote: as a form without JavaScript (303), or ``htmx`` as the
        browser's confirmation sends it (200 and the fragment in place)."""
        extra = {"HX-Request": "true", "HX-Target": "cast-answer"} if htmx else None
        return self.request(
            "POST", fixture["urls"]["cast"], {"option": option, "confirmed": "1"}, extra
        )


OPTIONS = ("ja", "nein", "enthaltung")


def option_for(number: int) -> str:
    return OPTIONS[number % 3]
