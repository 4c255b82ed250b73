import pytest

from tests.strategy.factories import MeasureFactory


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
