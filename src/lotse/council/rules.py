"""Who may do what in the council part. Objects are a Body or a body-owned row.

Non-public agenda items, their papers, files and decisions are for the members of the
organization concerned, the council office and the administration's staff (GO NRW practice);
everyone else sees such an item as "nicht öffentlich" with its number only.
"""

import rules

from lotse.accounts.rules import is_council_office, is_staff_member

MEMBER_CACHE = "_lotse_council_organizations"


def member_organization_ids(user) -> frozenset[int]:
    """Organizations in which the user (through a linked Person) holds a current seat; one
    query per request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, MEMBER_CACHE, None)
    if cached is None:
        from lotse.council.models import Membership, current_memberships

        cached = frozenset(
            Membership.objects.filter(person__user=user)
            .filter(current_memberships())
            .values_list("organization_id", flat=True)
        )
        setattr(user, MEMBER_CACHE, cached)
    return cached


@rules.predicate
def is_council_member(user, obj) -> bool:
    """A current member of any organization of the object's body (for a Body) or of the
    organization the object belongs to (an Organization, or anything with organization_ids)."""
    if not user.is_authenticated:
        return False
    mine = member_organization_ids(user)
    ids = getattr(obj, "organization_ids", None)
    if ids is not None:
        return bool(mine & set(ids))
    if getattr(obj, "_meta", None) and obj._meta.model_name == "organization":
        return obj.pk in mine
    return False


# Sees non-public items of the body (members additionally see their own organizations').
rules.add_perm("council.view_non_public", is_council_office | is_staff_member)
rules.add_perm("council.view_member_items", is_council_member)
# Papers: the administration drafts them and signs off; the council office releases them.
rules.add_perm("council.edit_papers", is_staff_member | is_council_office)
rules.add_perm("council.sign_off", is_staff_member | is_council_office)
rules.add_perm("council.release_papers", is_council_office)
# Meetings, agendas and decisions: the council office (Sitzungsdienst).
rules.add_perm("council.manage_meetings", is_council_office)
rules.add_perm("council.record_decisions", is_council_office)
# Beschlusskontrolle: the responsible units report progress, the council office oversees.
rules.add_perm("council.manage_follow_ups", is_staff_member | is_council_office)
