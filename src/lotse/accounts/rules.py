"""Who may do what, as named ``rules`` predicates. Every view and API write asks here.

Predicates take ``(user, obj)`` where obj is a Body or a row that belongs to one; a body
administrator holds every role of their body and a
site admin (``is_superuser``) every role of every body.
"""

import rules

from lotse.accounts.models import Role
from lotse.accounts.selectors import has_any_role, roles_by_body
from lotse.core.models import Body


@rules.predicate
def is_site_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def body_id_of(obj) -> int | None:
    """The body a permission object belongs to: a Body itself or any body-scoped row."""
    if obj is None:
        return None
    if isinstance(obj, Body):
        return obj.pk
    return getattr(obj, "body_id", None)


def holds_role(*roles: str):
    wanted = frozenset(roles) | {Role.BODY_ADMIN}

    @rules.predicate(name=f"holds_role({','.join(sorted(roles))})")
    def predicate(user, obj) -> bool:
        body_id = body_id_of(obj)
        if body_id is None or not user.is_authenticated or not user.is_active:
            return False
        return bool(roles_by_body(user).get(body_id, frozenset()) & wanted)

    return predicate


is_authenticated = rules.is_authenticated & rules.is_active
is_body_admin = holds_role(Role.BODY_ADMIN) | is_site_admin
is_moderator = holds_role(Role.MODERATOR) | is_site_admin
is_staff_member = holds_role(Role.STAFF, Role.PROGRAM_OWNER) | is_site_admin
is_program_owner = holds_role(Role.PROGRAM_OWNER) | is_site_admin
is_council_office = holds_role(Role.COUNCIL_OFFICE) | is_site_admin
# Roles that see internal (non-public) content of their body.
sees_internal = holds_role(Role.STAFF, Role.PROGRAM_OWNER, Role.COUNCIL_OFFICE) | is_site_admin
# Anyone with a role in the body: the internal workspace is open to them.
is_body_member = (
    holds_role(Role.MODERATOR, Role.STAFF, Role.PROGRAM_OWNER, Role.COUNCIL_OFFICE) | is_site_admin
)


@rules.predicate
def is_above_citizen(user) -> bool:
    return bool(user.is_active and has_any_role(user))


@rules.predicate
def may_hold_api_token(user) -> bool:
    """Staff-side roles (not moderators alone) may hold tokens for the write endpoints."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    staff_roles = {Role.STAFF, Role.PROGRAM_OWNER, Role.COUNCIL_OFFICE, Role.BODY_ADMIN}
    return any(roles & staff_roles for roles in roles_by_body(user).values())


# Permissions: "<app>.<action>". Later issues add their own in their app's rules.py.
rules.add_perm("core.view_body", rules.always_allow)
rules.add_perm("core.change_body", is_body_admin)
rules.add_perm("core.view_accessibility_reports", is_site_admin)
rules.add_perm("accounts.use_workspace", is_body_member)
rules.add_perm("accounts.manage_roles", is_body_admin)
rules.add_perm("accounts.manage_own_account", is_authenticated)
rules.add_perm("accounts.hold_api_token", may_hold_api_token)
rules.add_perm("accounts.moderate", is_moderator)
rules.add_perm("accounts.edit_strategy", is_program_owner | holds_role(Role.STAFF))
rules.add_perm("accounts.manage_council", is_council_office)
