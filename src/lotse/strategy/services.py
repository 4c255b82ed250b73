"""Writes of strategy data: each checks permission, validates, and changes in one
transaction."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core import uploads
from lotse.core.services import require
from lotse.core.text import clean_line
from lotse.strategy.models import (
    TRANSITIONS,
    ActionField,
    Goal,
    Measure,
    MeasureAttachment,
    MeasureGoal,
    MeasureStatus,
    MeasureTransition,
    Milestone,
    StatusUpdate,
    Strategy,
    is_setback,
)
from lotse.strategy.signals import strategy_adopted

STALE_AFTER_DAYS = 183  # "no update for six months"


@transaction.atomic
def save_measure(user, measure: Measure, goal_weights: dict[int, int] | None = None) -> Measure:
    """Create or update a measure; ``goal_weights`` maps goal ids to a contribution 0–3."""
    require(user, "strategy.manage_measures", measure.body)
    measure.full_clean()
    if measure.primary_field.strategy.body_id != measure.body_id:
        raise ValidationError({"primary_field": _("The action field belongs to another body.")})
    measure.save()
    if goal_weights is not None:
        set_goal_weights(measure, goal_weights)
    return measure


def set_goal_weights(measure: Measure, goal_weights: dict[int, int]) -> None:
    valid = set(
        Goal.objects.filter(strategy__body=measure.body, pk__in=goal_weights).values_list(
            "pk", flat=True
        )
    )
    MeasureGoal.objects.filter(measure=measure).exclude(goal_id__in=valid).delete()
    for goal_id in valid:
        weight = int(goal_weights[goal_id])
        if not 0 <= weight <= 3:
            raise ValidationError(_("A goal contribution is between 0 and 3."))
        MeasureGoal.objects.update_or_create(
            measure=measure, goal_id=goal_id, defaults={"weight": weight}
        )


def allowed_transitions(measure: Measure) -> list[str]:
    return [s for s in MeasureStatus.values if s in TRANSITIONS[measure.status]]


def _move(measure: Measure, new_status: str, reason: str, actor) -> MeasureTransition:
    """One step along the lifecycle, under a row lock: only allowed transitions; who, when
    and why are recorded."""
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    old = measure.status
    if new_status not in TRANSITIONS.get(old, set()):
        raise ValidationError(
            {
                "status": _("A measure cannot go from “%(old)s” to “%(new)s”.")
                % {
                    "old": MeasureStatus(old).label,
                    "new": MeasureStatus(new_status).label
                    if new_status in MeasureStatus.values
                    else new_status,
                }
            }
        )
    if is_setback(old, new_status) and not reason.strip():
        raise ValidationError({"reason": _("Please give a reason for this step back.")})
    today = timezone.localdate()
    measure.status = new_status
    if new_status == MeasureStatus.IN_PROGRESS and not measure.actual_start:
        measure.actual_start = today
    if new_status == MeasureStatus.COMPLETED and not measure.actual_end:
        measure.actual_end = today
    measure._change_reason = reason.strip()
    measure.save()
    return MeasureTransition.objects.create(
        measure=measure, from_status=old, to_status=new_status, reason=reason.strip(), actor=actor
    )


@transaction.atomic
def change_status(user, measure: Measure, new_status: str, reason: str = "") -> MeasureTransition:
    """Move a measure along its lifecycle; a setback needs a reason."""
    require(user, "strategy.manage_measures", measure.body)
    return _move(measure, new_status, reason, user)


@transaction.atomic
def apply_council_decision(
    measure: Measure, new_status: str, reason: str, actor
) -> MeasureTransition:
    """Move a measure because the council decided so (beschlossen, abgelehnt). The council's
    decision is the authority, so no staff permission is asked; the lifecycle is checked as
    in :func:`change_status` and the decision is the recorded reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Please give the decision as the reason.")})
    return _move(measure, new_status, reason, actor)


@transaction.atomic
def post_status_update(user, measure: Measure, **fields) -> StatusUpdate:
    """Record a Sachstandsmeldung; the latest one becomes the measure's current state."""
    require(user, "strategy.report_progress", measure)
    update = StatusUpdate(measure=measure, author=user, **fields)
    update.full_clean()
    update.save()
    refresh_current_state(measure)
    return update


def refresh_current_state(measure: Measure) -> None:
    latest = StatusUpdate.objects.filter(measure=measure).order_by("-reported_on", "-pk").first()
    Measure.objects.filter(pk=measure.pk).update(
        progress=latest.progress if latest else 0,
        traffic_light=latest.traffic_light if latest else "",
        last_update_on=latest.reported_on if latest else None,
    )
    if latest:
        measure.progress = latest.progress
        measure.traffic_light = latest.traffic_light
        measure.last_update_on = latest.reported_on


@transaction.atomic
def save_milestone(user, milestone: Milestone) -> Milestone:
    require(user, "strategy.report_progress", milestone.measure)
    milestone.full_clean()
    milestone.save()
    return milestone


def programme_progress(programme: Measure, children: Iterable[Measure] | None = None) -> int:
    """Progress of a programme: its projects' progress, weighted by their weight."""
    children = list(children if children is not None else programme.children.all())
    total_weight = sum(child.weight for child in children)
    if not total_weight:
        return programme.progress
    return round(sum(child.progress * child.weight for child in children) / total_weight)


def flags(measure: Measure, today: datetime.date | None = None) -> list[str]:
    """What needs attention: overdue milestones, no update for six months."""
    today = today or timezone.localdate()
    found = []
    if any(m.done_on is None and m.due_on < today for m in measure.milestones.all()):
        found.append("overdue_milestone")
    active = {MeasureStatus.DECIDED, MeasureStatus.IN_PROGRESS}
    if measure.status in active and (
        measure.last_update_on is None or (today - measure.last_update_on).days > STALE_AFTER_DAYS
    ):
        found.append("stale")
    return found


@transaction.atomic
def new_strategy_version(user, strategy: Strategy) -> Strategy:
    """Start a new draft version as a copy of ``strategy``: goals and action fields are
    copied; the old version stays as it was."""
    require(user, "strategy.manage_strategy", strategy.body)
    latest = Strategy.objects.for_body(strategy.body).order_by("-version").first()
    copy = Strategy.objects.create(
        body=strategy.body,
        title=strategy.title,
        vision=strategy.vision,
        period_start=strategy.period_start,
        period_end=strategy.period_end,
        status=Strategy.Status.DRAFT,
        version=latest.version + 1,
        previous=strategy,
    )
    for goal in strategy.goals.all():
        Goal.objects.create(
            strategy=copy,
            title=goal.title,
            description=goal.description,
            order=goal.order,
            copied_from=goal,
        )
    for field in strategy.action_fields.filter(parent__isnull=True).prefetch_related("topics"):
        new_field = ActionField.objects.create(
            strategy=copy,
            title=field.title,
            description=field.description,
            order=field.order,
            copied_from=field,
        )
        for topic in field.topics.all():
            ActionField.objects.create(
                strategy=copy,
                parent=new_field,
                title=topic.title,
                description=topic.description,
                order=topic.order,
                copied_from=topic,
            )
    return copy


def ensure_draft(strategy: Strategy) -> None:
    if strategy.status != Strategy.Status.DRAFT:
        raise ValidationError(
            _(
                "An adopted version stays as the council adopted it. Start a new version to "
                "change it."
            )
        )


@transaction.atomic
def create_first_strategy(user, strategy: Strategy) -> Strategy:
    require(user, "strategy.manage_strategy", strategy.body)
    if Strategy.objects.for_body(strategy.body).exists():
        raise ValidationError(_("This body already has a strategy; start a new version instead."))
    strategy.status = Strategy.Status.DRAFT
    strategy.version = 1
    strategy.full_clean()
    strategy.save()
    return strategy


@transaction.atomic
def save_strategy_structure(user, strategy: Strategy, forms: Iterable) -> None:
    """Save the strategy's form and its goal and action-field formsets, in a draft only."""
    require(user, "strategy.manage_strategy", strategy.body)
    ensure_draft(strategy)
    for form in forms:
        form.save()


@transaction.atomic
def adopt_strategy(user, strategy: Strategy, adopted_on: datetime.date) -> int:
    """Mark a draft as adopted (beschlossen) and move the body's measures from the goals and
    fields of earlier versions to their copies in this one. Returns how many measures moved.

    Measures whose field has no copy here (it was removed in this version) keep their old
    field, so nothing is lost; the workspace shows them under the old version's field.
    """
    require(user, "strategy.manage_strategy", strategy.body)
    ensure_draft(strategy)
    strategy.status = Strategy.Status.ADOPTED
    strategy.adopted_on = adopted_on
    strategy.full_clean()
    strategy.save()
    field_map = {
        f.copied_from_id: f.pk
        for f in ActionField.objects.filter(strategy=strategy, copied_from__isnull=False)
    }
    goal_map = {
        g.copied_from_id: g.pk
        for g in Goal.objects.filter(strategy=strategy, copied_from__isnull=False)
    }
    moved = set()
    for old_id, new_id in field_map.items():
        measures = Measure.objects.for_body(strategy.body).filter(primary_field_id=old_id)
        moved.update(measures.values_list("pk", flat=True))
        measures.update(primary_field_id=new_id)
        through = Measure.secondary_fields.through
        through.objects.filter(actionfield_id=old_id).update(actionfield_id=new_id)
    for old_id, new_id in goal_map.items():
        MeasureGoal.objects.filter(goal_id=old_id).update(goal_id=new_id)
    strategy_adopted.send(sender=Strategy, strategy=strategy, goal_map=goal_map)
    return len(moved)


# Measure attachments: documents, presentations, spreadsheets, text and images, decided by
# their content (``core.uploads``).
ATTACHMENT_TYPES = uploads.DOCUMENTS
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def add_attachment(user, measure: Measure, title: str, upload) -> MeasureAttachment:
    """Attach a file whose type its content decides (``core.uploads``); the name it is
    offered under is cleaned and fits that type."""
    require(user, "strategy.report_progress", measure)
    checked = uploads.check_upload(upload, max_bytes=MAX_ATTACHMENT_BYTES, allowed=ATTACHMENT_TYPES)
    title = clean_line(title or "").strip()
    if not title:
        raise ValidationError({"title": _("Please give the file a title.")})
    attachment = MeasureAttachment(
        measure=measure, title=title[:200], uploaded_by=user, original_name=checked.file_name
    )
    attachment.file.save(checked.file_name, ContentFile(checked.data), save=False)
    stored = attachment.file
    try:
        with transaction.atomic():
            attachment.save()
    except Exception:
        stored.delete(save=False)
        raise
    return attachment


@transaction.atomic
def remove_attachment(user, attachment: MeasureAttachment) -> None:
    require(user, "strategy.report_progress", attachment.measure)
    stored = attachment.file
    attachment.delete()
    # The file goes once the row is gone for good.
    transaction.on_commit(lambda: stored.delete(save=False))
