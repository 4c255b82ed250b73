"""Who may see and change the district's shared work. A town's staff change only their own
town's rows; the Kreis's roles and the towns' administrations read what a town shares with
the district."""

import rules

from lotse.accounts.models import Role
from lotse.accounts.rules import is_site_admin, is_staff_member, sees_internal
from lotse.accounts.selectors import roles_by_body
from lotse.core.models import Body

ADMINISTRATION = frozenset({Role.STAFF, Role.PROGRAM_OWNER, Role.COUNCIL_OFFICE, Role.BODY_ADMIN})


def district_of(obj) -> int | None:
    """The Kreis an object belongs to: a Kreis itself, a town's Kreis, or a row's district."""
    if isinstance(obj, Body):
        return obj.pk if obj.kind == Body.Kind.KREIS else obj.parent_id
    district_id = getattr(obj, "district_id", None)
    if district_id is not None:
        return district_id
    body = getattr(obj, "body", None)
    return district_of(body) if body is not None else None


def administration_body_ids(user) -> set[int]:
    """The bodies in whose administration the user works (staff, CDO, council office,
    body administrator)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return {body_id for body_id, roles in roles_by_body(user).items() if roles & ADMINISTRATION}


@rules.predicate
def works_in_district(user, obj) -> bool:
    """The user works in the administration of the Kreis or of one of its towns: they see
    what a town shares with the district only."""
    district_id = district_of(obj)
    if district_id is None:
        return False
    ids = administration_body_ids(user)
    if not ids:
        return False
    if district_id in ids:
        return True
    return Body.objects.filter(pk__in=ids, parent_id=district_id).exists()


@rules.predicate
def is_public_entry(user, entry) -> bool:
    return bool(getattr(entry, "is_public", False))


@rules.predicate
def is_withdrawn(user, entry) -> bool:
    return getattr(entry, "withdrawn_at", None) is not None


@rules.predicate
def is_public_joint(user, joint) -> bool:
    return bool(getattr(joint, "is_public", False))


@rules.predicate
def is_town_of_a_kreis(user, obj) -> bool:
    body = obj if isinstance(obj, Body) else getattr(obj, "body", None)
    return body is not None and body.parent_id is not None


# Library entries: public ones for everyone; entries shared with the district only, for the
# administrations of the Kreis and its towns; the publisher's staff always.
rules.add_perm(
    "region.view_entry",
    is_public_entry | (~is_withdrawn & works_in_district) | sees_internal,
)
# Publish a town's measure to its district's library, change or withdraw the entry (obj: the
# measure or the entry, both rows of the town).
rules.add_perm("region.publish", is_town_of_a_kreis & is_staff_member)
# Adopt an entry into a town (obj: the adopting town).
rules.add_perm("region.adopt", is_town_of_a_kreis & is_staff_member)
# A town's links to the regional action fields (obj: the town).
rules.add_perm("region.edit_links", is_town_of_a_kreis & is_staff_member)
# Joint measures: everyone sees the public ones, the district's administrations all.
rules.add_perm("region.view_joint", is_public_joint | works_in_district | is_site_admin)
# Start a joint measure and change its title and description: staff of the lead town.
rules.add_perm("region.manage_joint", is_staff_member)
# A town's share (its own measure and budget share): staff of that town only.
rules.add_perm("region.edit_share", is_staff_member)
# The district's internal view (shared-with-district entries, all joint measures).
rules.add_perm("region.view_district_internal", works_in_district | is_site_admin)
