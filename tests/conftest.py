import pytest

from tests.factories import BodyFactory, BodyRoleFactory, KreisFactory, UserFactory, add_totp


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
