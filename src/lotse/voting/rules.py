"""Who may run a live meeting: the council office, or the chair and deputy chair of the
organization that meets. Who may vote is not a rule but the poll's voter list (``Voter``),
fixed when the poll opens."""

import rules

from lotse.accounts.rules import is_council_office
from lotse.council.models import Membership, MembershipRole, current_memberships


def _session_of(obj):
    return getattr(obj, "session", obj)


@rules.predicate
def chairs_the_organization(user, obj) -> bool:
    """Holds the Vorsitz or stellvertretenden Vorsitz of the session's organization today."""
    if not user.is_authenticated or obj is None:
        return False
    session = _session_of(obj)
    organization_id = getattr(session, "organization_id", None)
    if organization_id is None:
        return False
    return (
        Membership.objects.filter(
            person__user=user,
            organization_id=organization_id,
            role__in=[MembershipRole.CHAIR, MembershipRole.DEPUTY_CHAIR],
        )
        .filter(current_memberships())
        .exists()
    )


rules.add_perm("voting.run_meeting", is_council_office | chairs_the_organization)
