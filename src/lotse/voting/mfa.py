"""Who must use a second factor because of council meetings: the chair and deputy chair of an
organization (they run binding votes), and members with a vote where their body asks for it
(``Body.voters_need_mfa``). The council office holds a role and is covered by accounts."""

from django.db.models import Q

from lotse.council.models import Membership, MembershipRole, current_memberships


def needs_mfa_for_meetings(user) -> bool:
    if not user.is_authenticated:
        return False
    return (
        Membership.objects.filter(person__user=user)
        .filter(current_memberships())
        .filter(
            Q(role__in=[MembershipRole.CHAIR, MembershipRole.DEPUTY_CHAIR])
            | Q(voting_right=True, organization__body__voters_need_mfa=True)
        )
        .exists()
    )
