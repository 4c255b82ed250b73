"""What the administration does with ideas: the official answer (Stellungnahme), state
changes, merging duplicates, and turning an idea into a measure (or linking one)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lotse.participation.models import (
    Follow,
    Idea,
    IdeaState,
    NotificationKind,
    Support,
)
from lotse.participation.notifications import notify
from lotse.strategy.models import Measure
from lotse.strategy.services import save_measure

# States staff set by hand; "merged" only comes from merge_idea.
MANUAL_STATES = [s for s in IdeaState.values if s != IdeaState.MERGED]
# An answer moves a fresh idea to "under review", never back from a later state.
FRESH_STATES = {IdeaState.SUBMITTED}


def _require(user, idea: Idea) -> None:
    if not user.has_perm("participation.answer_idea", idea.body):
        raise PermissionDenied


def _locked(idea: Idea) -> Idea:
    return Idea.objects.select_for_update().select_related("body", "process").get(pk=idea.pk)


def _save(idea: Idea, user, reason: str) -> None:
    idea._change_reason = reason[:100]
    idea._history_user = user
    idea.save()


def _people(idea: Idea) -> list:
    """The author first, then everyone following the idea."""
    followers = [f.user for f in Follow.objects.filter(idea=idea).select_related("user")]
    return [idea.author, *followers]


@transaction.atomic
def answer_idea(user, idea: Idea, text: str) -> Idea:
    """Publish (or correct) the official answer. A submitted idea is then under review."""
    _require(user, idea)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Please write the answer.")})
    idea = _locked(idea)
    idea.answer = text
    idea.answered_at = timezone.now()
    idea.answered_by = user
    if idea.state in FRESH_STATES:
        idea.state = IdeaState.IN_REVIEW
    idea.clean()
    _save(idea, user, "official answer")
    with translation.override("de"):
        notify(
            _people(idea),
            body=idea.body,
            kind=NotificationKind.IDEA_ANSWERED,
            title=_("Official answer to “%(title)s”") % {"title": idea.title},
            text=text[:1000],
            url=idea.get_absolute_url(),
            exclude=user,
        )
    return idea


@transaction.atomic
def change_state(user, idea: Idea, state: str, reason: str = "") -> Idea:
    """Move an idea to another state; a rejection needs a reason, which its author reads."""
    _require(user, idea)
    if state not in MANUAL_STATES:
        raise ValidationError({"state": _("Choose one of the offered states.")})
    reason = (reason or "").strip()
    if state == IdeaState.REJECTED and not reason:
        raise ValidationError({"reason": _("A rejection needs a reason.")})
    idea = _locked(idea)
    if idea.state == IdeaState.MERGED:
        raise ValidationError(_("A merged idea keeps its state; change the idea it went into."))
    old = idea.state
    idea.state = state
    idea.state_reason = reason
    idea.clean()
    _save(idea, user, reason or f"{old} → {state}")
    if old != state:
        with translation.override("de"):
            text = _("Reason: %(reason)s") % {"reason": reason} if reason else ""
            notify(
                _people(idea),
                body=idea.body,
                kind=NotificationKind.IDEA_STATE,
                title=_("“%(title)s” is now: %(state)s")
                % {"title": idea.title, "state": IdeaState(state).label},
                text=text,
                url=idea.get_absolute_url(),
                exclude=user,
            )
    return idea


def merge_target(idea: Idea, into: Idea) -> Idea:
    """The idea a merge really goes into: ``into``, or the end of its merge chain."""
    seen = {idea.pk}
    into = Idea.objects.get(pk=into.pk)
    while into.state == IdeaState.MERGED and into.merged_into_id:
        if into.pk in seen:
            break
        seen.add(into.pk)
        into = Idea.objects.get(pk=into.merged_into_id)
    if into.pk in seen:
        raise ValidationError({"into": _("An idea cannot be merged into itself.")})
    return into


def recount_supports(idea: Idea) -> int:
    count = Support.objects.filter(idea=idea).count()
    Idea.objects.filter(pk=idea.pk).update(support_count=count)
    idea.support_count = count
    return count


@transaction.atomic
def merge_idea(user, idea: Idea, into: Idea) -> Idea:
    """Merge a duplicate into another idea of the same body. Its supports move over, counted
    once per person; its followers follow the other idea too; ideas merged into it earlier
    now point to the new one."""
    _require(user, idea)
    if into.body_id != idea.body_id:
        raise ValidationError({"into": _("The other idea belongs to another body.")})
    idea = _locked(idea)
    if idea.state == IdeaState.MERGED:
        raise ValidationError(_("This idea has already been merged."))
    into = merge_target(idea, into)
    into = _locked(into)
    supporters = set(Support.objects.filter(idea=into).values_list("user_id", flat=True))
    moving = Support.objects.filter(idea=idea).exclude(user_id__in=supporters)
    moving.update(idea=into)
    Support.objects.filter(idea=idea).delete()
    followers = Follow.objects.filter(idea=idea).values_list("user_id", flat=True)
    Follow.objects.bulk_create(
        [Follow(user_id=pk, idea=into) for pk in followers], ignore_conflicts=True
    )
    Idea.objects.filter(merged_into=idea).update(merged_into=into)
    recount_supports(idea)
    recount_supports(into)
    idea.state = IdeaState.MERGED
    idea.merged_into = into
    idea.clean()
    _save(idea, user, f"merged into #{into.pk}")
    with translation.override("de"):
        notify(
            _people(idea),
            body=idea.body,
            kind=NotificationKind.IDEA_STATE,
            title=_("“%(title)s” has been merged with “%(into)s”")
            % {"title": idea.title, "into": into.title},
            text=_("Your support now counts for the other idea; the discussion continues there."),
            url=into.get_absolute_url(),
            exclude=user,
        )
    return idea


def measure_origin(idea: Idea) -> str:
    with translation.override("de"):
        return (
            _("Idea #%(number)s from the participation process “%(process)s”")
            % {"number": idea.pk, "process": idea.process.title}
        )[:300]


def measure_initial(idea: Idea) -> dict:
    """A measure form prefilled from the idea."""
    from django.conf import settings

    with translation.override("de"):
        link = _("From the idea “%(title)s”: %(url)s") % {
            "title": idea.title,
            "url": settings.BASE_URL + idea.get_absolute_url(),
        }
    initial = {
        "title": idea.title[:200],
        "description": f"{idea.text}\n\n{link}",
        "origin": measure_origin(idea),
        "is_public": True,
        "weight": 1,
    }
    if idea.action_field_id:
        initial["primary_field"] = idea.action_field_id
    return initial


def _accept_for_measure(user, idea: Idea, measure: Measure, created: bool) -> Idea:
    idea.measure = measure
    if idea.state != IdeaState.IMPLEMENTED:
        idea.state = IdeaState.ACCEPTED
        idea.state_reason = ""
    idea.clean()
    _save(idea, user, f"measure #{measure.pk}")
    with translation.override("de"):
        if created:
            title = _("A measure has been made from “%(title)s”") % {"title": idea.title}
        else:
            title = _("“%(title)s” is part of the measure “%(measure)s”") % {
                "title": idea.title,
                "measure": measure.title,
            }
        notify(
            _people(idea),
            body=idea.body,
            kind=NotificationKind.MEASURE,
            title=title,
            text=_("You can follow its progress on the page of the measure."),
            url=measure.get_absolute_url() if measure.is_public else idea.get_absolute_url(),
            exclude=user,
        )
    return idea


def _refuse_merged(idea: Idea) -> None:
    if idea.state == IdeaState.MERGED:
        raise ValidationError(
            _("This idea has been merged; work with the idea it was merged into.")
        )


@transaction.atomic
def create_measure_from_idea(
    user, idea: Idea, measure_data: "dict | Measure", goal_weights: dict | None = None
) -> Measure:
    """Create a measure from an idea (``measure_data``: field values, or an unsaved measure
    from the measure form) and link both; the idea is then accepted."""
    _require(user, idea)
    idea = _locked(idea)
    _refuse_merged(idea)
    if isinstance(measure_data, Measure):
        measure = measure_data
        measure.body = idea.body
    else:
        values = {**measure_initial(idea), **measure_data}
        field = values.pop("primary_field", None)
        if field is not None and not hasattr(field, "pk"):
            values["primary_field_id"] = field
        elif field is not None:
            values["primary_field"] = field
        measure = Measure(body=idea.body, **values)
    if not measure.origin:
        measure.origin = measure_origin(idea)
    if not measure.primary_field_id:
        raise ValidationError({"primary_field": _("Choose the action field of the measure.")})
    save_measure(user, measure, goal_weights)
    _accept_for_measure(user, idea, measure, created=True)
    return measure


@transaction.atomic
def link_measure(user, idea: Idea, measure: Measure) -> Idea:
    """Link an idea to an existing measure of the same body; the idea is then accepted."""
    _require(user, idea)
    if not user.has_perm("strategy.manage_measures", idea.body):
        raise PermissionDenied
    if measure.body_id != idea.body_id:
        raise ValidationError({"measure": _("The measure belongs to another body.")})
    idea = _locked(idea)
    _refuse_merged(idea)
    return _accept_for_measure(user, idea, measure, created=False)
