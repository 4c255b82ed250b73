from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import BodyFactory, BodyRoleFactory, KreisFactory, UserFactory, add_totp
from tests.strategy.factories import ActionFieldFactory, MeasureFactory, StrategyFactory


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


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo, loaded once for a test module and rolled back after its last test.

    Loading the demo takes seconds; the demo tests read it or check that a second load
    changes nothing. Each test's own transaction nests inside this one as a savepoint, so
    what one test changes is gone before the next."""
    from django.db import connections, transaction

    with django_db_blocker.unblock():
        blocks = [transaction.atomic(using=alias) for alias in connections]
        for block in blocks:
            block.__enter__()
        try:
            call_command("demo", stdout=StringIO())
            yield
        finally:
            for alias in connections:
                transaction.set_rollback(True, using=alias)
            for block in reversed(blocks):
                block.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _fresh_local_caches():
    """Each test's database starts afresh; so does the process's memory of cached HTML
    and namespace versions (core.versioned)."""
    from lotse.core import versioned

    versioned.clear_local()
    yield
    versioned.clear_local()
