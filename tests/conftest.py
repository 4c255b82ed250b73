import os
from io import StringIO

import pytest
from django.core.management import call_command

from tests import template_db
from tests.factories import BodyFactory, BodyRoleFactory, KreisFactory, UserFactory, add_totp
from tests.strategy.factories import ActionFieldFactory, MeasureFactory, StrategyFactory

if os.environ.get("LOTSE_TEST_FRESH_MIGRATE") != "1":
    template_db.install()


@pytest.fixture
def body(db):
    return BodyFactory()


@pytest.fixture
def other_body(db):
    return BodyFactory()


@pytest.fixture
def kreis(db):
    return KreisFactory()


@pytest.fixture
def citizen(db):
    return UserFactory()


@pytest.fixture
def make_member(db):
    """A user holding `role` in `body`, with TOTP set up unless asked otherwise."""

    def make(body, role, totp=True):
        user = BodyRoleFactory(body=body, role=role).user
        if totp:
            add_totp(user)
        return user

    return make


@pytest.fixture
def site_admin(db):
    user = UserFactory(is_superuser=True, is_staff=True)
    add_totp(user)
    return user


# Strategy data of the body fixture, for every app that builds on measures.


@pytest.fixture
def strategy(body):
    return StrategyFactory(body=body)


@pytest.fixture
def field(strategy):
    return ActionFieldFactory(strategy=strategy)


@pytest.fixture
def measure(field):
    return MeasureFactory(primary_field=field)


@pytest.fixture
def internal_measure(field):
    return MeasureFactory(primary_field=field, is_public=False, title="Interne Maßnahme")


# Participation data of the body fixture.


@pytest.fixture
def process(body, field):
    from tests.participation.factories import ProcessFactory

    made = ProcessFactory(body=body)
    made.action_fields.add(field)
    return made


@pytest.fixture
def idea(process, field):
    from tests.participation.factories import IdeaFactory

    return IdeaFactory(process=process, action_field=field)


class _SharedDemo:
    """The demo, loaded once per test process for all modules that read it.

    Loading the demo takes seconds, and seven modules read it. It is loaded inside an open
    transaction on every connection; each test's own transaction nests inside as a savepoint,
    so what one test changes is gone before the next. The first module that does not use it
    rolls it back (``_no_demo_unless_asked``), so no other test ever sees it; with xdist the
    demo modules run one after another on one worker (``pytest_xdist_make_scheduler``), so the
    demo is loaded once per run, and without xdist once per stretch of demo modules."""

    blocks: list | None = None

    @classmethod
    def ensure(cls):
        if cls.blocks is not None:
            return
        from django.db import connections, transaction

        cls.blocks = [transaction.atomic(using=alias) for alias in connections]
        for block in cls.blocks:
            block.__enter__()
        try:
            call_command("demo", stdout=StringIO())
        except BaseException:
            cls.drop()
            raise

    @classmethod
    def drop(cls):
        if cls.blocks is None:
            return
        from django.db import connections, transaction

        for alias in connections:
            transaction.set_rollback(True, using=alias)
        for block in reversed(cls.blocks):
            block.__exit__(None, None, None)
        cls.blocks = None


def uses_demo(module) -> bool:
    marks = getattr(module, "pytestmark", [])
    marks = marks if isinstance(marks, list) else [marks]
    return any(mark.name == "usefixtures" and "demo_data" in mark.args for mark in marks)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo, for a module marked ``pytestmark = pytest.mark.usefixtures("demo_data")``
    (the module must be named ``test_demo*.py`` so xdist runs it with the other demo modules).
    """
    with django_db_blocker.unblock():
        _SharedDemo.ensure()
    yield


@pytest.fixture(scope="module", autouse=True)
def _no_demo_unless_asked(request, django_db_blocker):
    if _SharedDemo.blocks is not None and not uses_demo(request.module):
        with django_db_blocker.unblock():
            _SharedDemo.drop()
    yield


@pytest.fixture(scope="session", autouse=True)
def _drop_the_demo_at_the_end(django_db_blocker):
    yield
    if _SharedDemo.blocks is not None:
        with django_db_blocker.unblock():
            _SharedDemo.drop()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Like ``--dist loadscope``, but every ``test_demo*.py`` module is one work unit, so
    the demo they share is loaded once per run (see ``_SharedDemo``)."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class DemoModulesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            if module.rsplit("/", 1)[-1].startswith("test_demo"):
                return "demo modules"
            return super()._split_scope(nodeid)

    return DemoModulesTogether(config, log)


@pytest.fixture(autouse=True)
def _fresh_local_caches(monkeypatch):
    """Each test's database starts afresh; so does the process's memory of cached HTML
    and namespace versions (core.versioned). Bodies are looked up on every request here
    (core.bodies), so a pinned query count is the most a page costs; tests/core/test_bodies.py
    turns the memory on."""
    from django.conf import settings

    from lotse.core import versioned

    monkeypatch.setattr(settings, "LOTSE_BODY_CACHE_SECONDS", 0)
    versioned.clear_local()
    yield
    versioned.clear_local()
