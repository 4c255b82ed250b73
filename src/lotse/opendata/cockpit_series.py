"""The City Cockpit's key figures at the end of each of the last 24 months, from history.

The cockpit shows today's figures (``reporting.cockpit``); this series goes back month by month
with what Lotse kept: the Sachstandsmeldungen (progress and traffic light on their day), the
state changes of the measures (``MeasureTransition``), the decisions with their
Beschlusskontrolle (due and done days) and the ideas (submitted and answered). It counts what
the cockpit counts: the public measures of the current strategy, the decisions a citizen may
see, the ideas of published processes. Six queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from lotse.core.models import Body
from lotse.council.models import FollowUpState
from lotse.council.selectors import visible_decisions
from lotse.participation.selectors import public_ideas
from lotse.reporting.cockpit import month_ends, progress_over_time
from lotse.reporting.figures import public_measures
from lotse.strategy.models import MeasureStatus, MeasureTransition, StatusUpdate
from lotse.strategy.selectors import current_strategy

CHUNK = 2000


def _index(ends: list[datetime.date], day: datetime.date) -> int | None:
    """The position of the first month end on or after ``day`` (None: after the last)."""
    for position, end in enumerate(ends):
        if day <= end:
            return position
    return None


def _month_of(ends: list[datetime.date], day: datetime.date) -> int | None:
    """The position of the month ``day`` falls in (None: before the first or after today)."""
    position = _index(ends, day)
    if position is None:
        return None
    first = ends[position].replace(day=1)
    return position if day >= first else None


def _share(part: int, whole: int) -> Decimal | None:
    return Decimal(str(round(100 * part / whole, 1))) if whole else None


def series(body: Body, today: datetime.date) -> list[tuple]:
    ends = month_ends(today)
    count = len(ends)
    local = timezone.localdate
    strategy = current_strategy(body)
    measures = public_measures(body, strategy)

    # Measures: when each came into being (created, or its first report or state change if
    # that is earlier, e.g. after an import) and its state now.
    since: dict[int, datetime.date] = {}
    status_now: dict[int, str] = {}
    for pk, created_at, status in measures.values_list("pk", "created_at", "status").iterator(
        chunk_size=CHUNK
    ):
        since[pk] = local(created_at)
        status_now[pk] = status

    # The traffic light of the latest Sachstand on or before each month end.
    light_at: dict[int, list[str | None]] = {}
    for measure_id, reported_on, light in (
        StatusUpdate.objects.filter(measure__in=measures, reported_on__lte=today)
        .order_by("measure_id", "reported_on", "pk")
        .values_list("measure_id", "reported_on", "traffic_light")
        .iterator(chunk_size=CHUNK)
    ):
        since[measure_id] = min(since[measure_id], reported_on)
        position = _index(ends, reported_on)
        row = light_at.setdefault(measure_id, [None] * count)
        for later in range(position, count):
            row[later] = light

    # The state at each month end: the latest change on or before it; before the first
    # change, the state that change left; without any change, the state now.
    status_at: dict[int, list[str | None]] = {}
    for measure_id, at, from_status, to_status in (
        MeasureTransition.objects.filter(measure__in=measures)
        .order_by("measure_id", "at", "pk")
        .values_list("measure_id", "at", "from_status", "to_status")
        .iterator(chunk_size=CHUNK)
    ):
        day = local(at)
        since[measure_id] = min(since[measure_id], day)
        row = status_at.setdefault(measure_id, [None] * count)
        position = _index(ends, day)
        for earlier in range(position if position is not None else count):
            if row[earlier] is None:
                row[earlier] = from_status
        if position is not None:
            for later in range(position, count):
                row[later] = to_status

    existing = [0] * count
    completed = [0] * count
    lights = {light: [0] * count for light in ("gruen", "gelb", "rot", "")}
    for pk, first in since.items():
        start = _index(ends, first)
        if start is None:
            continue
        for position in range(start, count):
            existing[position] += 1
            status = (status_at.get(pk) or [None] * count)[position] or status_now[pk]
            if status == MeasureStatus.COMPLETED:
                completed[position] += 1
            light = (light_at.get(pk) or [None] * count)[position] or ""
            lights[light if light in lights else ""][position] += 1

    # Decisions per month, and the follow-ups overdue at each month end: not done by then
    # and past their due date.
    decisions = [0] * count
    overdue = [0] * count
    for date, state, due, done in (
        visible_decisions(AnonymousUser(), body)
        .values_list("date", "follow_up__state", "follow_up__due_date", "follow_up__done_on")
        .iterator(chunk_size=CHUNK)
    ):
        if date is None:
            continue
        month = _month_of(ends, date)
        if month is not None:
            decisions[month] += 1
        if state is None or due is None or (state == FollowUpState.DONE and done is None):
            continue
        finished = done if state == FollowUpState.DONE and done else None
        for position, end in enumerate(ends):
            if date <= end and due < end and (finished is None or finished > end):
                overdue[position] += 1

    # Ideas submitted and answered per month.
    submitted = [0] * count
    answered = [0] * count
    for created_at, answered_at in (
        public_ideas(body).values_list("created_at", "answered_at").iterator(chunk_size=CHUNK)
    ):
        month = _month_of(ends, local(created_at))
        if month is not None:
            submitted[month] += 1
        if answered_at is not None:
            month = _month_of(ends, local(answered_at))
            if month is not None:
                answered[month] += 1

    # The cockpit's own figure: mean progress of today's measures (0 without a report yet).
    progress = progress_over_time(measures, today)
    return [
        (
            end,
            Decimal(str(progress[position]["mean_progress"])),
            existing[position],
            completed[position],
            _share(completed[position], existing[position]),
            lights["gruen"][position],
            lights["gelb"][position],
            lights["rot"][position],
            lights[""][position],
            decisions[position],
            overdue[position],
            submitted[position],
            answered[position],
        )
        for position, end in enumerate(ends)
    ]


def rows(body: Body) -> Iterator[tuple]:
    yield from series(body, timezone.localdate())
