"""The figures of the City Cockpit: the report snapshot as it is today plus progress over time,
how fast ideas get an answer, how decisions are followed up and measures per Oberziel, cached
per body and filter for at most a minute (``signals`` drops them at once on a change)."""

from __future__ import annotations

import datetime
import statistics
import uuid
from collections import defaultdict
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core.models import Body
from lotse.council.models import FollowUp, follow_up_standing
from lotse.council.selectors import visible_decisions
from lotse.participation.selectors import public_ideas
from lotse.reporting import charts, figures, periods
from lotse.strategy.models import (
    ActionField,
    Goal,
    MeasureGoal,
    MeasureStatus,
    StatusUpdate,
)
from lotse.strategy.selectors import current_strategy

# Never stale by more than this, even when a change in another process was missed.
CACHE_SECONDS = 60
MONTHS = 24
HALF_YEARS = 4


# --- Cache -----------------------------------------------------------------------------------


def _version_key(body_id: int) -> str:
    return f"lotse:cockpit:version:{body_id}"


def bump_version(body_id: int) -> None:
    """Make every cached figure of the body unreachable: the version is part of their keys."""
    cache.set(_version_key(body_id), uuid.uuid4().hex, None)


def _figures_key(body_id: int, version: str, today: datetime.date, field_id: int | None) -> str:
    return f"lotse:cockpit:{body_id}:{version}:{today.isoformat()}:{field_id or 'alle'}"


def cached_figures(
    body: Body, *, today: datetime.date, action_field_id: int | None = None
) -> dict[str, Any]:
    """``cockpit_figures`` from the cache, computed and stored on a miss."""
    return cached_figures_of([body], today=today, action_field_id=action_field_id)[body.pk]


def cached_figures_of(
    bodies: list[Body], *, today: datetime.date, action_field_id: int | None = None
) -> dict[int, dict[str, Any]]:
    """The cockpit figures of several bodies (a Kreis and its towns) in two cache reads."""
    versions = cache.get_many([_version_key(b.pk) for b in bodies])
    keys = {
        b.pk: _figures_key(b.pk, versions.get(_version_key(b.pk), "0"), today, action_field_id)
        for b in bodies
    }
    found = cache.get_many(list(keys.values()))
    result, missing = {}, {}
    for body in bodies:
        data = found.get(keys[body.pk])
        if data is None:
            data = cockpit_figures(body, today=today, action_field_id=action_field_id)
            missing[keys[body.pk]] = data
        result[body.pk] = data
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return result


# --- Figures ---------------------------------------------------------------------------------


def cockpit_figures(
    body: Body, *, today: datetime.date, action_field_id: int | None = None
) -> dict[str, Any]:
    """Everything the cockpit shows for one body, JSON-serialisable, in a number of queries
    that does not depend on the number of measures, ideas or decisions.

    Only public data counts: public measures of the current strategy, ideas of published
    processes that are not hidden, decisions a citizen may see.
    """
    strategy = current_strategy(body)
    field_choices = []
    if strategy is not None:
        field_choices = list(
            ActionField.objects.filter(strategy=strategy, parent__isnull=True)
            .order_by("order", "pk")
            .values_list("pk", "title")
        )
    field_error = action_field_id is not None and action_field_id not in {
        pk for pk, _title in field_choices
    }
    if field_error:
        action_field_id = None

    snapshot = figures.build(
        body, datetime.date(today.year, 1, 1), today, as_of=today, action_field_id=action_field_id
    )
    measures = figures.public_measures(body, strategy)
    ideas = public_ideas(body)
    if action_field_id:
        in_field = Q(primary_field_id=action_field_id) | Q(primary_field__parent_id=action_field_id)
        measures = measures.filter(in_field)
        ideas = ideas.filter(
            Q(action_field_id=action_field_id) | Q(action_field__parent_id=action_field_id)
        )
    return {
        "today": today.isoformat(),
        "field_choices": field_choices,
        "action_field_id": action_field_id,
        "field_error": field_error,
        "snapshot": snapshot,
        "progress_over_time": progress_over_time(measures, today),
        "ideas": idea_answers(ideas, today),
        "follow_ups": follow_ups_on_time(body, today),
        "goals": measures_per_goal(strategy, measures),
    }


def month_ends(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    """The ends of the last ``count`` months, oldest first; the current month ends today."""
    ends = [today]
    first = today.replace(day=1)
    while len(ends) < count:
        last = first - datetime.timedelta(days=1)
        ends.append(last)
        first = last.replace(day=1)
    return ends[::-1]


def progress_over_time(measures, today: datetime.date) -> list[dict[str, Any]]:
    """Mean progress of today's public measures at each month end: the latest Sachstand on or
    before that day, 0 for a measure without one yet. Two queries."""
    ids = list(measures.values_list("pk", flat=True))
    ends = month_ends(today)
    if not ids:
        return [{"date": end.isoformat(), "mean_progress": 0.0} for end in ends]
    updates = defaultdict(list)
    rows = (
        StatusUpdate.objects.filter(measure__in=measures, reported_on__lte=today)
        .order_by("measure_id", "reported_on", "pk")
        .values_list("measure_id", "reported_on", "progress")
    )
    for measure_id, reported_on, progress in rows:
        updates[measure_id].append((reported_on, progress))
    totals = [0] * len(ends)
    for history in updates.values():
        index, current = 0, 0
        for position, end in enumerate(ends):
            while index < len(history) and history[index][0] <= end:
                current = history[index][1]
                index += 1
            totals[position] += current
    return [
        {"date": end.isoformat(), "mean_progress": round(total / len(ids), 1)}
        for end, total in zip(ends, totals, strict=True)
    ]


def _median_days(spans: list[float]) -> float | None:
    return round(statistics.median(spans), 1) if spans else None


def half_years_up_to(today: datetime.date, count: int = HALF_YEARS) -> list[periods.Period]:
    """The half-year of ``today`` and the ``count - 1`` before it, oldest first."""
    current = periods.half_year(today.year, 1 if today.month <= 6 else 2)
    return [*reversed(periods.recent_half_years(today, count - 1)), current]


def idea_answers(ideas, today: datetime.date) -> dict[str, Any]:
    """How fast ideas get an official answer: median days from submission to answer, overall
    and per half-year (of the answer); ideas received and answered per half-year."""
    halves = half_years_up_to(today)
    answered = []
    for created_at, answered_at in ideas.filter(answered_at__isnull=False).values_list(
        "created_at", "answered_at"
    ):
        days = max(0.0, (answered_at - created_at).total_seconds() / 86400)
        answered.append((timezone.localdate(answered_at), days))
    tz = timezone.get_current_timezone()

    def start_of(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)

    received = ideas.aggregate(
        total=Count("pk"),
        **{
            f"h{index}": Count(
                "pk",
                filter=Q(
                    created_at__gte=start_of(half.start),
                    created_at__lt=start_of(half.end + datetime.timedelta(days=1)),
                ),
            )
            for index, half in enumerate(halves)
        },
    )
    per_half_year = []
    for index, half in enumerate(halves):
        spans = [days for day, days in answered if half.start <= day <= half.end]
        per_half_year.append(
            {
                "label": half.label,
                "code": half.code,
                "received": received[f"h{index}"],
                "answered": len(spans),
                "median_days": _median_days(spans),
            }
        )
    return {
        "received": received["total"],
        "answered": len(answered),
        "median_days": _median_days([days for _day, days in answered]),
        "per_half_year": per_half_year,
    }


def follow_ups_on_time(body: Body, today: datetime.date) -> dict[str, Any]:
    """The Beschlusskontrolle of the decisions a citizen may see: done by the due date, done
    late, open and overdue, open in time. A follow-up without a due date is never late."""
    decisions = visible_decisions(AnonymousUser(), body)
    counts = {"done_on_time": 0, "done_late": 0, "open_overdue": 0, "open_in_time": 0}
    rows = FollowUp.objects.filter(body=body, decision__in=decisions).values_list(
        "state", "due_date", "done_on"
    )
    for state, due_date, done_on in rows:
        counts[follow_up_standing(state, due_date, done_on, today)] += 1
    # Of those that are done or due, the share done by their due date.
    judged = counts["done_on_time"] + counts["done_late"] + counts["open_overdue"]
    counts["on_time_share"] = round(100 * counts["done_on_time"] / judged, 1) if judged else None
    counts["total"] = sum(counts[k] for k in ("done_on_time", "done_late", "open_overdue"))
    counts["total"] += counts["open_in_time"]
    return counts


def measures_per_goal(strategy, measures) -> list[dict[str, Any]]:
    """Each Oberziel of the current strategy with the number of (public, filtered) measures
    that contribute to it."""
    if strategy is None:
        return []
    counts = dict(
        MeasureGoal.objects.filter(goal__strategy=strategy, measure__in=measures, weight__gt=0)
        .values("goal_id")
        .annotate(n=Count("measure_id", distinct=True))
        .values_list("goal_id", "n")
    )
    return [
        {"id": pk, "title": title, "measures": counts.get(pk, 0)}
        for pk, title in Goal.objects.filter(strategy=strategy)
        .order_by("order", "pk")
        .values_list("pk", "title")
    ]


def key_figures(data: dict[str, Any]) -> dict[str, Any]:
    """The few numbers that stand for a body in the regional comparison."""
    summary = data["snapshot"]["summary"]
    completed = next(
        (row["count"] for row in summary["by_status"] if row["status"] == MeasureStatus.COMPLETED),
        0,
    )
    return {
        "measures": summary["measures"],
        "mean_progress": summary["mean_progress"],
        "completed": completed,
        "median_days": data["ideas"]["median_days"],
        "on_time_share": data["follow_ups"]["on_time_share"],
    }


# --- Charts ----------------------------------------------------------------------------------


def _month_label(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day:%m/%Y}"


def cockpit_charts(data: dict[str, Any]) -> dict[str, Any]:
    """The charts of one body's cockpit, by section; ``snapshot`` is the report's list."""
    result: dict[str, Any] = {"snapshot": figures.charts(data["snapshot"], prefix="cockpit")}
    result["progress"] = charts.line_chart(
        "cockpit-progress-over-time",
        _("Mean progress of the measures at the end of each month"),
        [(_month_label(p["date"]), p["mean_progress"]) for p in data["progress_over_time"]],
        column=_("Mean progress"),
        label_column=_("Month"),
        colour=charts.GREEN,
    )
    halves = data["ideas"]["per_half_year"]
    result["answer_days"] = charts.bar_chart(
        "cockpit-answer-days",
        _("Median days from submission to answer, by half-year of the answer"),
        # Half-years without an answer have no median: left out, not drawn as 0.
        [(h["label"], h["median_days"]) for h in halves if h["median_days"] is not None],
        column=_("Median days"),
        unit=_("days"),
        decimals=1,
    )
    follow = data["follow_ups"]
    result["follow_ups"] = charts.bar_chart(
        "cockpit-follow-ups",
        _("Follow-up of decisions (Beschlusskontrolle)"),
        [
            (_("done by the due date"), follow["done_on_time"]),
            (_("done late"), follow["done_late"]),
            (_("open and overdue"), follow["open_overdue"]),
            (_("open, not yet due"), follow["open_in_time"]),
        ],
        column=_("Decisions"),
        colours=[charts.GREEN, charts.YELLOW, charts.RED, charts.GREY],
    )
    result["goals"] = charts.bar_chart(
        "cockpit-goals",
        _("Measures per goal (Oberziel)"),
        [(g["title"], g["measures"]) for g in data["goals"]],
        column=_("Measures"),
    )
    return result


def regional_charts(rows: list[dict[str, Any]]) -> list[charts.Chart]:
    """Bar charts comparing the towns of a district and the district itself; a body without
    a figure (no idea answered, no follow-up due) is left out of that chart, not drawn as 0."""
    return [
        charts.bar_chart(
            "region-progress",
            _("Mean progress of the measures"),
            [(r["name"], r["figures"]["mean_progress"]) for r in rows],
            column=_("Mean progress"),
            unit="%",
            max_value=100,
            colour=charts.GREEN,
            decimals=1,
        ),
        charts.bar_chart(
            "region-completed",
            _("Measures completed"),
            [(r["name"], r["figures"]["completed"]) for r in rows],
            column=_("Measures completed"),
        ),
        charts.bar_chart(
            "region-answer-days",
            _("Median days from submission to answer of an idea"),
            [
                (r["name"], r["figures"]["median_days"])
                for r in rows
                if r["figures"]["median_days"] is not None
            ],
            column=_("Median days"),
            unit=_("days"),
            decimals=1,
        ),
        charts.bar_chart(
            "region-on-time",
            _("Decisions followed up by their due date"),
            [
                (r["name"], r["figures"]["on_time_share"])
                for r in rows
                if r["figures"]["on_time_share"] is not None
            ],
            column=_("Share on time"),
            unit="%",
            max_value=100,
            decimals=1,
        ),
    ]


def regional_view(
    kreis: Body, *, today: datetime.date
) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """One row per town of the district, then the district itself, with their key figures;
    and the full cockpit figures of each by body id (the district's serve its own page)."""
    towns = list(Body.objects.filter(parent=kreis).order_by("name"))
    bodies = [*towns, kreis]
    data = cached_figures_of(bodies, today=today)
    rows = [
        {
            "name": b.name,
            "slug": b.slug,
            "is_kreis": b.pk == kreis.pk,
            "figures": key_figures(data[b.pk]),
        }
        for b in bodies
    ]
    return rows, data
