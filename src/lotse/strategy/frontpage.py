"""Front-page block of the strategy: the newest Sachstandsmeldungen of public measures."""

from __future__ import annotations

from lotse.core.frontpage import by_id
from lotse.strategy.models import StatusUpdate

SHOWN = 5


def newest_updates(bodies, today):
    """The newest status updates of public measures; one query."""
    updates = list(
        StatusUpdate.objects.filter(measure__body__in=bodies, measure__is_public=True)
        .select_related("measure")
        .order_by("-reported_on", "-pk")[:SHOWN]
    )
    bodies_by_id = by_id(bodies)
    for update in updates:
        update.front_body = bodies_by_id[update.measure.body_id]
    return {"updates": updates}
