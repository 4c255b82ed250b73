import pytest

from lotse.ozg import catalogue
from lotse.ozg.models import Service
from tests.factories import BodyFactory


@pytest.fixture
def loaded(db):
    """The shipped catalogue (the migration loads it; a flush by an earlier test may not)."""
    catalogue.ensure_loaded()


@pytest.fixture
def town(loaded, kreis):
    return BodyFactory(parent=kreis, name="Stadt Testheim", short_name="Testheim")


@pytest.fixture
def staff(town, make_member):
    return make_member(town, "staff")


@pytest.fixture
def wohngeld(loaded):
    return Service.objects.get(ozg_id=10092)


@pytest.fixture
def parkausweis(loaded):
    return Service.objects.get(ozg_id=10173)
