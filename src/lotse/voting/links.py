"""The live pages linked from a meeting's public page, for those who may use them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.voting.models import LiveSession, SessionState
from lotse.voting.services import run_target


def meeting_links(request, meeting) -> list[tuple[str, str]]:
    body = getattr(request, "lotse_body", None) or meeting.body
    args = (body.slug, meeting.pk)
    session = LiveSession.objects.filter(meeting=meeting).first()
    links = []
    user = request.user
    if session is not None:
        links.append((_("Live display"), reverse("voting:display", args=args)))
        if (
            session.state != SessionState.CLOSED
            and user.is_authenticated
            and session.attendance.filter(person__user=user).exists()
        ):
            links.append((_("Take part and vote"), reverse("voting:member", args=args)))
    if user.is_authenticated:
        target = run_target(meeting, session)
        if target.organization_id and user.has_perm("voting.run_meeting", target):
            links.append((_("Chair console"), reverse("voting:console", args=args)))
    return links


def running_meetings(meeting_ids: list[int]) -> set[int]:
    """The meetings among ``meeting_ids`` whose live session is open."""
    return set(
        LiveSession.objects.filter(meeting_id__in=meeting_ids, state=SessionState.OPEN).values_list(
            "meeting_id", flat=True
        )
    )
