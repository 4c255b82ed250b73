"""Browser tests: Playwright drives Debian's Chromium against a live Lotse with the demo.

They run in their own pytest process (see the Makefile): the demo is loaded once into the
test database and stays for the whole session, which the other tests must not see.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
# here are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LOTSE_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_modify_db_settings, django_db_blocker):
    """Create the test databases. pytest-django creates them only for tests marked
    django_db; these tests share one database for the session instead (one per xdist
    worker: django_db_modify_db_settings gives each its own name)."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False)
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()
        teardown_databases(config, verbosity=0)


def _end_other_sessions():
    """End connections the live server's request threads left open (PostgreSQL refuses to
    drop a database that is in use)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
    connection.close()


@pytest.fixture(scope="session")
def server(django_db_setup, django_db_blocker):
    """A live server on the test database, with the demo loaded once."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    assert "memory" in name or "test" in name, f"refusing to run on {name}"
    with django_db_blocker.unblock():
        call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command("createcachetable", verbosity=0)
        live = LiveServer("127.0.0.1")
        yield live
        live.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see .ci/run).")
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `npm ci` (make test does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visitor:
    """One browser tab with helpers for what every page test asks."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.csp_violations: list[str] = []
        self.console_errors: list[str] = []
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.csp_violations.append(message.text)
        if message.type == "error" and "404" not in message.text:
            self.console_errors.append(message.text)

    def goto(self, path):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return response

    def axe_violations(self):
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} -> "
            + "; ".join(node["target"][0] for node in v["nodes"][:5])
            for v in result["violations"]
        ]

    def login(self, email, password):
        self.goto("/konto/login/")
        self.page.fill("#id_login", email)
        self.page.fill("#id_password", password)
        self.page.click("form[action='/konto/login/'] button[type=submit]")


@pytest.fixture
def orm(server, django_db_blocker):
    """Lets a browser test read or prepare rows in the shared test database."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def visitor(server, browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    # Injected through the DevTools protocol, which the page's CSP does not govern.
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    yield Visitor(page, server.url)
    context.close()
