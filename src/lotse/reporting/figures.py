"""The figures of a status report: one JSON-serialisable snapshot (``build``) of the public
measures, ideas and council decisions of a period, stored in ``StatusReport.snapshot`` at
publishing and drawn live for drafts and the cockpit; ``charts`` draws it.

What counts, so every page, PDF and the cockpit agree:

- Measures: the public measures of the body's current strategy; a topic's measure counts under
  its top-level action field. Status, progress and traffic light are as at the period end (the
  latest StatusUpdate on or before it, else 0 % and no light; the status of the latest
  MeasureTransition on or before it, else the current status).
- Started/finished: ``actual_start``/``actual_end`` in the period, else the day of the
  transition into work/to completion.
- Milestones: *missed* are due in the period and were not done by their due date (done late,
  or still open at the period end); *reached* are the others done in the period.
- Ideas: the public ones (published process, not hidden); received = submitted in the period,
  answered = answered in the period, to_measures = received or answered in the period and taken
  up in a public measure.
- Decisions: those a citizen may see, dated in the period; their follow-ups as at ``as_of``.
- Meetings ahead: not cancelled, starting after ``as_of`` (after now when that is today).

Everything is read in a fixed number of bulk queries and aggregated in Python, so the number
of queries does not grow with the measures."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core.models import Body
from lotse.council.models import (
    DecisionOutcome,
    FollowUpState,
    Meeting,
    MeetingState,
    follow_up_standing,
)
from lotse.council.selectors import visible_decisions
from lotse.participation.selectors import public_ideas
from lotse.reporting import charts as chart_kit
from lotse.reporting.periods import Period
from lotse.strategy.models import (
    ActionField,
    Measure,
    MeasureStatus,
    MeasureTransition,
    Milestone,
    StatusUpdate,
    TrafficLight,
)
from lotse.strategy.selectors import current_strategy

SCHEMA = 1
MEETINGS_AHEAD = 10
LIGHTS = ("gruen", "gelb", "rot", "")


def _light_label(light: str) -> str:
    if not light:
        return _("no status yet")
    return str(TrafficLight(light).label)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01")))


def _mean(values: list[int]) -> float:
    return round(sum(values) / len(values), 1) if values else 0.0


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _previous(previous) -> dict | None:
    if previous is None:
        return None
    return {
        "id": previous.pk,
        "number": previous.number,
        "label": previous.label,
        "period_label": Period(previous.period_start, previous.period_end).label,
    }


def _field_tree(strategy, action_field_id: int | None) -> tuple[list[dict], dict[int, int]]:
    """Top-level fields in order, and a map of every field id to its top-level field id."""
    if strategy is None:
        return [], {}
    rows = list(
        ActionField.objects.filter(strategy=strategy)
        .order_by("order", "pk")
        .values("id", "title", "parent_id")
    )
    by_id = {row["id"]: row for row in rows}

    def top(field_id: int) -> int:
        seen = set()
        while by_id[field_id]["parent_id"] and field_id not in seen:
            seen.add(field_id)
            field_id = by_id[field_id]["parent_id"]
        return field_id

    top_of = {row["id"]: top(row["id"]) for row in rows}
    tops = [row for row in rows if row["parent_id"] is None]
    if action_field_id is not None:
        wanted = top_of.get(action_field_id)
        tops = [row for row in tops if row["id"] == wanted]
        # A field of another strategy selects nothing; a topic narrows to that topic (and its
        # own topics) under its top-level field.
        top_of = {i: t for i, t in top_of.items() if _under(i, action_field_id, by_id)}
    return tops, top_of


def _under(field_id: int, ancestor: int, by_id: dict) -> bool:
    seen = set()
    while field_id is not None and field_id not in seen:
        if field_id == ancestor:
            return True
        seen.add(field_id)
        field_id = by_id[field_id]["parent_id"]
    return False


def _state_at_end(ids, measures: dict[int, dict], end: datetime.date) -> dict[int, dict]:
    """Per measure at the period end: the status (from the latest transition on or before it;
    with only later transitions, the state the first of them left; without any, the current
    one) and the days it started and was completed: ``actual_start``/``actual_end`` where set,
    else the day of the transition into work or to completion."""
    end_at = _aware(end + datetime.timedelta(days=1))
    before: dict[int, str] = {}
    after: dict[int, str] = {}
    started_on: dict[int, datetime.date] = {}
    completed_on: dict[int, datetime.date] = {}
    transitions = (
        MeasureTransition.objects.filter(measure_id__in=ids)
        .order_by("at", "pk")
        .values_list("measure_id", "at", "from_status", "to_status")
    )
    for measure_id, at, from_status, to_status in transitions:
        if at >= end_at:
            after.setdefault(measure_id, from_status)
            continue
        before[measure_id] = to_status
        day = timezone.localdate(at)
        if to_status == MeasureStatus.IN_PROGRESS:
            started_on.setdefault(measure_id, day)
        elif to_status == MeasureStatus.COMPLETED:
            completed_on[measure_id] = day
    return {
        pk: {
            "status": before.get(pk) or after.get(pk) or row["status"],
            "started_on": row["actual_start"] or started_on.get(pk),
            "completed_on": row["actual_end"] or completed_on.get(pk),
        }
        for pk, row in measures.items()
    }


def public_measures(body: Body, strategy):
    """The measures a report and the cockpit count: the public ones of the strategy."""
    if strategy is None:
        return Measure.objects.none()
    return Measure.objects.for_body(body).filter(is_public=True, primary_field__strategy=strategy)


def _measures(body: Body, strategy, field_ids: set[int] | None, start, end):
    """The public measures of the strategy by id (ordered by title), each with its latest
    status update on or before ``end`` (progress, traffic light) and the text of the latest one
    in the period; and their ids as a subquery for the other reads, so no list of ids is sent.
    The updates are read by correlated subqueries: one row per measure instead of every
    update of its history."""
    if strategy is None:
        return {}, Measure.objects.none().values("pk")
    qs = public_measures(body, strategy)
    if field_ids is not None:
        qs = qs.filter(primary_field_id__in=field_ids)
    latest = StatusUpdate.objects.filter(measure_id=OuterRef("pk"), reported_on__lte=end).order_by(
        "-reported_on", "-pk"
    )
    rows = (
        qs.order_by("title", "pk")
        .annotate(
            progress_at_end=Subquery(latest.values("progress")[:1]),
            light_at_end=Subquery(latest.values("traffic_light")[:1]),
            text_in_period=Subquery(latest.filter(reported_on__gte=start).values("text")[:1]),
        )
        .values(
            "id",
            "title",
            "status",
            "primary_field_id",
            "actual_start",
            "actual_end",
            "budget_planned",
            "budget_spent",
            "progress_at_end",
            "light_at_end",
            "text_in_period",
        )
    )
    return {row["id"]: row for row in rows}, qs.values("pk")


def _milestones(ids, start, end) -> tuple[dict, dict]:
    """Per measure: milestones reached in the period, and those due in it but not done by
    their due date (done later, or still open at the period end). A milestone is in one list
    at most: done late within the period counts as missed, with the day it was done."""
    reached: dict[int, list] = defaultdict(list)
    missed: dict[int, list] = defaultdict(list)
    rows = (
        Milestone.objects.filter(measure_id__in=ids)
        .filter(Q(due_on__range=(start, end)) | Q(done_on__range=(start, end)))
        .order_by("due_on", "pk")
        .values_list("measure_id", "title", "due_on", "done_on")
    )
    for measure_id, title, due_on, done_on in rows:
        done_by_end = done_on if done_on and done_on <= end else None
        if start <= due_on <= end and (done_by_end is None or done_by_end > due_on):
            missed[measure_id].append(
                {
                    "title": title,
                    "due_on": due_on.isoformat(),
                    "done_on": done_by_end.isoformat() if done_by_end else None,
                }
            )
        elif done_by_end and done_by_end >= start:
            reached[measure_id].append(
                {"title": title, "due_on": due_on.isoformat(), "done_on": done_by_end.isoformat()}
            )
    return reached, missed


def _ideas(body: Body, start, end, top_of: dict[int, int], filtered: bool):
    """Ideas received (submitted in the period), answered (in the period) and taken up in a
    public measure (received or answered in the period): overall and per top-level field."""
    start_at, end_at = _aware(start), _aware(end + datetime.timedelta(days=1))
    rows = (
        public_ideas(body)
        .filter(
            Q(created_at__gte=start_at, created_at__lt=end_at)
            | Q(answered_at__gte=start_at, answered_at__lt=end_at)
        )
        .values_list("action_field_id", "created_at", "answered_at", "measure__is_public")
    )
    total = {"received": 0, "answered": 0, "to_measures": 0}
    per_field: dict[int, dict] = defaultdict(
        lambda: {"received": 0, "answered": 0, "to_measures": 0}
    )
    for field_id, created_at, answered_at, to_public_measure in rows:
        top = top_of.get(field_id) if field_id else None
        if filtered and top is None:
            continue
        counts = [total] + ([per_field[top]] if top is not None else [])
        for bucket in counts:
            if start_at <= created_at < end_at:
                bucket["received"] += 1
            if answered_at and start_at <= answered_at < end_at:
                bucket["answered"] += 1
            if to_public_measure:
                bucket["to_measures"] += 1
    return total, per_field


def _decisions(body: Body, start, end, as_of) -> list[dict]:
    rows = (
        visible_decisions(AnonymousUser(), body)
        .filter(date__range=(start, end))
        .order_by("date", "number", "pk")
        .values(
            "pk",
            "number",
            "date",
            "outcome",
            "agenda_item__name",
            "agenda_item__meeting_id",
            "agenda_item__consultation__paper__reference",
            "agenda_item__consultation__organization__name",
            "follow_up__pk",
            "follow_up__state",
            "follow_up__due_date",
            "follow_up__done_on",
        )
    )
    slug = body.slug
    decisions = []
    for row in rows:
        follow_up = None
        if row["follow_up__pk"]:
            state, due = row["follow_up__state"], row["follow_up__due_date"]
            standing = follow_up_standing(state, due, row["follow_up__done_on"], as_of)
            follow_up = {
                "state": state,
                "state_label": str(FollowUpState(state).label),
                "due_date": due.isoformat() if due else None,
                "overdue": standing == "open_overdue",
                "done_on_time": standing == "done_on_time",
            }
        decisions.append(
            {
                "number": row["number"],
                "date": row["date"].isoformat(),
                "title": row["agenda_item__name"],
                "paper_reference": row["agenda_item__consultation__paper__reference"] or "",
                "organization": row["agenda_item__consultation__organization__name"] or "",
                "outcome": row["outcome"],
                "outcome_label": str(DecisionOutcome(row["outcome"]).label),
                "path": reverse(
                    "council:meeting",
                    kwargs={"body_slug": slug, "pk": row["agenda_item__meeting_id"]},
                ),
                "follow_up": follow_up,
            }
        )
    return decisions


def _meetings_ahead(body: Body, as_of: datetime.date) -> list[dict]:
    if as_of == timezone.localdate():
        after = timezone.now()
    else:
        after = _aware(as_of + datetime.timedelta(days=1))
    meetings = (
        Meeting.objects.for_body(body)
        .filter(start__gte=after)
        .exclude(state=MeetingState.CANCELLED)
        .order_by("start", "pk")
        .prefetch_related("organizations")[:MEETINGS_AHEAD]
    )
    return [
        {
            "name": meeting.name,
            "start": timezone.localtime(meeting.start).isoformat(),
            "organizations": sorted(o.name for o in meeting.organizations.all()),
            "path": reverse("council:meeting", kwargs={"body_slug": body.slug, "pk": meeting.pk}),
        }
        for meeting in meetings
    ]


def build(
    body: Body,
    start: datetime.date,
    end: datetime.date,
    *,
    as_of: datetime.date | None = None,
    previous=None,
    action_field_id: int | None = None,
) -> dict:
    """The snapshot of ``body`` for the period ``start``–``end`` (see the module docstring).
    ``previous`` is a published StatusReport whose snapshot gives the earlier progress by
    measure id; ``action_field_id`` narrows the measures and ideas (not the decisions) to one
    action field or topic."""
    as_of = as_of or timezone.localdate()
    strategy = current_strategy(body)
    tops, top_of = _field_tree(strategy, action_field_id)
    filtered = action_field_id is not None
    measures, ids = _measures(body, strategy, set(top_of) if filtered else None, start, end)
    states = _state_at_end(ids, measures, end)
    reached, missed = _milestones(ids, start, end)
    ideas, ideas_per_field = _ideas(body, start, end, top_of, filtered)
    decisions = _decisions(body, start, end, as_of)

    previous_snapshot = (previous.snapshot or {}) if previous is not None else {}
    previous_progress = {
        measure["id"]: measure["progress"]
        for field in previous_snapshot.get("fields", [])
        for measure in field.get("measures", [])
    }
    path_of = _measure_path(body)
    # Labels once per call, not once per measure.
    status_labels = {value: str(label) for value, label in MeasureStatus.choices}
    light_labels = {light: _light_label(light) for light in LIGHTS}
    by_field: dict[int, list[dict]] = defaultdict(list)
    status_counts: dict[str, int] = defaultdict(int)
    light_counts: dict[str, int] = defaultdict(int)
    started = finished = 0
    for pk, row in measures.items():
        state = states[pk]
        status = state["status"]
        progress, light = row["progress_at_end"] or 0, row["light_at_end"] or ""
        before = previous_progress.get(pk)
        status_counts[status] += 1
        light_counts[light] += 1
        if state["started_on"] and start <= state["started_on"] <= end:
            started += 1
        completed_on = state["completed_on"]
        if status == MeasureStatus.COMPLETED and completed_on and start <= completed_on <= end:
            finished += 1
        top = top_of.get(row["primary_field_id"])
        by_field[top].append(
            {
                "id": pk,
                "title": row["title"],
                "path": path_of(pk),
                "status": status,
                "status_label": status_labels[status],
                "progress": progress,
                "progress_previous": before,
                "progress_change": None if before is None else progress - before,
                "traffic_light": light,
                "traffic_light_label": light_labels[light],
                "last_update": row["text_in_period"] or "",
                "budget_planned": _money(row["budget_planned"]),
                "budget_spent": _money(row["budget_spent"]),
                "milestones_reached": reached.get(pk, []),
                "milestones_missed": missed.get(pk, []),
            }
        )

    fields = [
        {
            "id": top["id"],
            "title": top["title"],
            "comment": "",
            "mean_progress": _mean([m["progress"] for m in by_field.get(top["id"], [])]),
            "ideas": dict(
                ideas_per_field.get(top["id"], {"received": 0, "answered": 0, "to_measures": 0})
            ),
            "measures": by_field.get(top["id"], []),
        }
        for top in tops
    ]
    previous_mean = None
    if previous_snapshot:
        if filtered:
            previous_mean = next(
                (
                    f["mean_progress"]
                    for f in previous_snapshot.get("fields", [])
                    if tops and f["id"] == tops[0]["id"]
                ),
                None,
            )
        else:
            previous_mean = previous_snapshot.get("summary", {}).get("mean_progress")

    follow_ups = [d["follow_up"] for d in decisions if d["follow_up"]]
    # Kept aside for the summary only; the schema's follow-up has no such key.
    on_time = sum(1 for f in follow_ups if f.pop("done_on_time"))
    summary = {
        "measures": len(measures),
        "by_status": [
            {"status": value, "label": str(label), "count": status_counts.get(value, 0)}
            for value, label in MeasureStatus.choices
        ],
        "started": started,
        "finished": finished,
        "mean_progress": _mean([m["progress"] for ms in by_field.values() for m in ms]),
        "mean_progress_previous": previous_mean,
        "traffic_lights": [
            {"light": light, "label": _light_label(light), "count": light_counts.get(light, 0)}
            for light in LIGHTS
        ],
        "ideas": ideas,
        "decisions": len(decisions),
        "follow_ups": {
            "open": sum(1 for f in follow_ups if f["state"] != FollowUpState.DONE),
            "overdue": sum(1 for f in follow_ups if f["overdue"]),
            "done": sum(1 for f in follow_ups if f["state"] == FollowUpState.DONE),
            "done_on_time": on_time,
        },
    }
    return {
        "schema": SCHEMA,
        "body": {"name": body.name, "slug": body.slug},
        "period": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "label": Period(start, end).label,
        },
        "as_of": as_of.isoformat(),
        "previous": _previous(previous),
        "summary": summary,
        "fields": fields,
        "decisions": decisions,
        "meetings_ahead": _meetings_ahead(body, as_of),
        "intro": "",
    }


def _measure_path(body: Body):
    """Measure page addresses without reversing the URL once per measure."""
    marker = 999999937
    template = reverse("strategy:measure", kwargs={"body_slug": body.slug, "pk": marker})
    head, tail = template.split(str(marker), 1)
    return lambda pk: f"{head}{pk}{tail}"


def charts(snapshot: dict, prefix: str = "report") -> list[chart_kit.Chart]:
    """The charts of a snapshot: measures by status, traffic lights, mean progress per action
    field. The same charts serve the report page, its PDF and the cockpit."""
    summary = snapshot["summary"]
    by_status = chart_kit.bar_chart(
        f"{prefix}-status",
        _("Measures by status"),
        [(row["label"], row["count"]) for row in summary["by_status"]],
        column=_("Measures"),
    )
    lights = chart_kit.bar_chart(
        f"{prefix}-lights",
        _("Measures by traffic light"),
        [(row["label"], row["count"]) for row in summary["traffic_lights"]],
        column=_("Measures"),
        colours=[
            chart_kit.TRAFFIC_LIGHT_COLOURS.get(row["light"], chart_kit.GREY)
            for row in summary["traffic_lights"]
        ],
    )
    progress = chart_kit.bar_chart(
        f"{prefix}-progress",
        _("Mean progress per action field"),
        [(field["title"], field["mean_progress"]) for field in snapshot["fields"]],
        column=_("Mean progress"),
        unit="%",
        max_value=100,
        colour=chart_kit.GREEN,
    )
    return [by_status, lights, progress]
