"""Front-page blocks of the council: the next meetings and the latest public decisions."""

from __future__ import annotations

from django.utils import timezone

from lotse.core.frontpage import by_id
from lotse.council.models import Decision, Meeting, MeetingState

SHOWN = 5


def next_meetings(bodies, today):
    """Meetings from now on that are not cancelled, soonest first; one query."""
    meetings = list(
        Meeting.objects.filter(body__in=bodies, start__gte=timezone.now())
        .exclude(state=MeetingState.CANCELLED)
        .order_by("start", "pk")
        .only("pk", "body_id", "name", "start", "location", "is_hybrid")[:SHOWN]
    )
    bodies_by_id = by_id(bodies)
    for meeting in meetings:
        meeting.front_body = bodies_by_id[meeting.body_id]
    return {"meetings": meetings}


def latest_decisions(bodies, today):
    """The newest decisions on public agenda items (what everyone may read); one query."""
    decisions = list(
        Decision.objects.filter(body__in=bodies, agenda_item__is_public=True)
        .select_related("agenda_item__meeting")
        .order_by("-date", "-pk")[:SHOWN]
    )
    bodies_by_id = by_id(bodies)
    for decision in decisions:
        decision.front_body = bodies_by_id[decision.body_id]
    return {"decisions": decisions}
