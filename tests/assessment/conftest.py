import pytest

from tests.strategy.factories import ActionFieldFactory, MeasureFactory, StrategyFactory


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


@pytest.fixture
def candidate(field):
    """A measure under review: what the Lenkungsgremium ranks."""
    return MeasureFactory(primary_field=field, status="in_pruefung", title="Kandidat")


@pytest.fixture
def staff(body, make_member):
    return make_member(body, "staff")


@pytest.fixture
def owner(body, make_member):
    return make_member(body, "program_owner")
