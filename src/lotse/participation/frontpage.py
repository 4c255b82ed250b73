"""Front-page block of participation: what citizens can take part in now, and until when."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone

from lotse.core.frontpage import by_id
from lotse.participation.models import Phase, PhaseKind

SHOWN = 5


def open_now(bodies, today):
    """Published processes whose current phase lets citizens act, the soonest deadline first;
    one query."""
    now = timezone.now()
    phases = list(
        Phase.objects.filter(
            process__body__in=bodies,
            process__is_published=True,
            kind__in=[PhaseKind.COLLECT, PhaseKind.COMMENT_RATE],
            start__lte=now,
        )
        .filter(Q(end__isnull=True) | Q(end__gt=now))
        .select_related("process")
        .order_by(F("end").asc(nulls_last=True), "process__title", "pk")[:SHOWN]
    )
    bodies_by_id = by_id(bodies)
    for phase in phases:
        phase.front_body = bodies_by_id[phase.process.body_id]
    return {"phases": phases}
