"""The permission matrix: role × action, in the own body and in another body."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory

ROLES = [
    "anonymous",
    "citizen",
    "moderator",
    "staff",
    "program_owner",
    "council_office",
    "body_admin",
    "site_admin",
]

# action -> roles that may do it in their own body
MATRIX = {
    "core.view_body": set(ROLES),
    "core.change_body": {"body_admin", "site_admin"},
    "accounts.manage_roles": {"body_admin", "site_admin"},
    "accounts.use_workspace": {
        "moderator",
        "staff",
        "program_owner",
        "council_office",
        "body_admin",
        "site_admin",
    },
    "accounts.moderate": {"moderator", "body_admin", "site_admin"},
    "accounts.edit_strategy": {"staff", "program_owner", "body_admin", "site_admin"},
    "accounts.manage_council": {"council_office", "body_admin", "site_admin"},
}
# actions not tied to a body
GLOBAL = {
    "accounts.hold_api_token": {
        "staff",
        "program_owner",
        "council_office",
        "body_admin",
        "site_admin",
    },
    "accounts.manage_own_account": set(ROLES) - {"anonymous"},
    "core.view_accessibility_reports": {"site_admin"},
}


def make_user(role, body, make_member):
    if role == "anonymous":
        return AnonymousUser()
    if role == "citizen":
        return UserFactory()
    if role == "site_admin":
        return UserFactory(is_superuser=True)
    return make_member(body, role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_matrix_in_own_body(role, action, body, make_member):
    user = make_user(role, body, make_member)
    assert user.has_perm(action, body) is (role in MATRIX[action])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_roles_do_not_carry_over_to_another_body(role, action, body, other_body, make_member):
    user = make_user(role, body, make_member)
    expected = role in MATRIX[action] and (action == "core.view_body" or role == "site_admin")
    assert user.has_perm(action, other_body) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(GLOBAL))
def test_matrix_without_body(role, action, body, make_member):
    user = make_user(role, body, make_member)
    assert user.has_perm(action) is (role in GLOBAL[action])


@pytest.mark.django_db
def test_deactivated_user_loses_every_role(body, make_member):
    user = make_member(body, "body_admin")
    user.is_active = False
    assert not user.has_perm("accounts.manage_roles", body)
