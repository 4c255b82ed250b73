"""Writes of the council office's meeting work (Sitzungsdienst): meetings and their state,
building the agenda, and the reads of the Beschlusskontrolle report. Every change a calendar
program sees (time, place, state, agenda) raises the meeting's iCalendar SEQUENCE."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core.models import Body
from lotse.core.services import require
from lotse.council import selectors, services
from lotse.council.models import (
    AgendaItem,
    Decision,
    FollowUp,
    FollowUpState,
    Meeting,
    MeetingState,
    Organization,
    Paper,
)

# Fields of a meeting that appear in its iCalendar event.
CALENDAR_FIELDS = ("name", "start", "end", "location", "state")

# Which state a meeting may move to from which; a cancelled meeting stays as it is.
STATE_CHANGES = {
    MeetingState.PLANNED: {MeetingState.INVITED, MeetingState.HELD, MeetingState.CANCELLED},
    MeetingState.INVITED: {MeetingState.HELD, MeetingState.CANCELLED},
    MeetingState.HELD: set(),
    MeetingState.CANCELLED: set(),
}


def _bump(meeting: Meeting) -> None:
    """Tell calendar programs the event changed, without a history row of its own."""
    Meeting.objects.filter(pk=meeting.pk).update(
        sequence=F("sequence") + 1, updated_at=timezone.now()
    )


def _refuse_if_cancelled(meeting: Meeting) -> None:
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."), code="cancelled")


@transaction.atomic
def save_meeting(user, meeting: Meeting, organization_ids: Iterable[int]) -> Meeting:
    """Create or change a meeting of one or more organizations of its body. The state is
    changed only through ``set_meeting_state``."""
    require(user, "council.manage_meetings", meeting.body)
    wanted = set(organization_ids)
    organizations = list(Organization.objects.for_body(meeting.body).filter(pk__in=wanted))
    errors: dict = {}
    if not wanted or len(organizations) != len(wanted):
        errors["organizations"] = _("Choose one or more organizations of this body.")
    if meeting.legislative_term_id and meeting.legislative_term.body_id != meeting.body_id:
        errors["legislative_term"] = _("This belongs to another body.")
    if errors:
        raise ValidationError(errors)
    changed = False
    if meeting.pk:
        stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
        meeting.state, meeting.sequence = stored.state, stored.sequence
        changed = any(getattr(stored, name) != getattr(meeting, name) for name in CALENDAR_FIELDS)
        if changed:
            meeting.sequence += 1
    else:
        meeting.state, meeting.sequence = MeetingState.PLANNED, 0
    meeting.full_clean()
    meeting.save()
    if set(meeting.organizations.values_list("pk", flat=True)) != wanted:
        meeting.organizations.set(organizations)
    return meeting


@transaction.atomic
def set_meeting_state(user, meeting: Meeting, state: str) -> Meeting:
    """Invite to, hold or cancel a meeting. Cancelling keeps the meeting and its agenda, so
    calendars show it as cancelled (STATUS:CANCELLED) instead of losing it."""
    require(user, "council.manage_meetings", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if state not in STATE_CHANGES.get(meeting.state, set()):
        raise ValidationError(
            _("A meeting that is %(current)s cannot be set to %(state)s.")
            % {
                "current": meeting.get_state_display(),
                "state": MeetingState(state).label if state in MeetingState.values else state,
            },
            code="state",
        )
    meeting.state = state
    meeting.sequence += 1
    meeting._change_reason = MeetingState(state).label
    meeting.save()
    return meeting


def _agenda_meeting(user, meeting: Meeting) -> Meeting:
    require(user, "council.manage_meetings", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_cancelled(meeting)
    return meeting


def _item_of(meeting: Meeting, item: AgendaItem) -> AgendaItem:
    try:
        return AgendaItem.objects.select_for_update().get(pk=item.pk, meeting=meeting)
    except AgendaItem.DoesNotExist:
        raise ValidationError(_("This item is not on the meeting's agenda.")) from None


@transaction.atomic
def put_paper_on_agenda(
    user, paper: Paper, meeting: Meeting, is_public: bool | None = None
) -> AgendaItem:
    """``services.put_on_agenda`` and tell the calendars."""
    item = services.put_on_agenda(user, paper, meeting, is_public)
    _bump(meeting)
    return item


@transaction.atomic
def add_agenda_item(user, meeting: Meeting, name: str, is_public: bool = True) -> AgendaItem:
    """A plain item without a paper (e.g. "Mitteilungen der Verwaltung") at the end of its
    part of the agenda."""
    meeting = _agenda_meeting(user, meeting)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Please give the item a title.")})
    last = meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting, order=last + 1, name=name, is_public=is_public
    )
    services.renumber_agenda(meeting)
    _bump(meeting)
    item.refresh_from_db()
    return item


@transaction.atomic
def move_agenda_item(user, item: AgendaItem, up: bool) -> AgendaItem:
    """Swap an item with its neighbour in the same part (public or non-public)."""
    meeting = _agenda_meeting(user, item.meeting)
    item = _item_of(meeting, item)
    neighbours = meeting.agenda_items.filter(is_public=item.is_public)
    if up:
        other = neighbours.filter(order__lt=item.order).order_by("-order").first()
    else:
        other = neighbours.filter(order__gt=item.order).order_by("order").first()
    if other is None:
        return item
    first, second = item.order, other.order
    # Through a free order, so the unique (meeting, order) never clashes.
    free = (meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0) + 1
    AgendaItem.objects.filter(pk=item.pk).update(order=free)
    AgendaItem.objects.filter(pk=other.pk).update(order=first)
    AgendaItem.objects.filter(pk=item.pk).update(order=second)
    services.renumber_agenda(meeting)
    _bump(meeting)
    item.refresh_from_db()
    return item


@transaction.atomic
def set_agenda_item_public(user, item: AgendaItem, is_public: bool) -> AgendaItem:
    """Move an item into the public or the non-public part (at its end)."""
    meeting = _agenda_meeting(user, item.meeting)
    item = _item_of(meeting, item)
    if item.is_public == is_public:
        return item
    last = meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0
    item.is_public = is_public
    item.order = last + 1
    item._change_reason = _("Public") if is_public else _("Not public")
    item.save()
    services.renumber_agenda(meeting)
    _bump(meeting)
    item.refresh_from_db()
    return item


@transaction.atomic
def remove_agenda_item(user, item: AgendaItem) -> None:
    """Take an item off the agenda. Its consultation stays in the paper's Beratungsfolge as
    planned; an item with a recorded decision stays."""
    meeting = _agenda_meeting(user, item.meeting)
    item = _item_of(meeting, item)
    if Decision.objects.filter(agenda_item=item).exists():
        raise ValidationError(
            _("A decision on this item is recorded; it stays on the agenda."), code="decided"
        )
    consultation = item.consultation
    item.delete()
    if (
        consultation is not None
        and consultation.meeting_id == meeting.pk
        and not consultation.agenda_items.exists()
    ):
        consultation.meeting = None
        consultation.planned_date = timezone.localdate(meeting.start)
        consultation.save()
    services.renumber_agenda(meeting)
    _bump(meeting)


# Reads of the Beschlusskontrolle


def follow_ups(
    body: Body,
    *,
    unit=None,
    organization: Organization | None = None,
    show: str = "open",
    today: datetime.date | None = None,
) -> QuerySet[FollowUp]:
    """The body's follow-ups for the council office's list: ``show`` is "open" (not done),
    "overdue" or "all"; filtered by responsible unit and the organization that decided."""
    today = today or timezone.localdate()
    rows = FollowUp.objects.for_body(body)
    if show == "open":
        rows = rows.exclude(state=FollowUpState.DONE)
    elif show == "overdue":
        rows = rows.filter(~Q(state=FollowUpState.DONE), due_date__lt=today)
    if unit is not None:
        rows = rows.filter(unit=unit)
    if organization is not None:
        held = Meeting.objects.filter(organizations=organization).values("pk")
        rows = rows.filter(decision__agenda_item__meeting__in=held)
    return rows.select_related(
        "unit",
        "decision__agenda_item__meeting",
        "decision__agenda_item__consultation__paper",
    ).order_by(F("due_date").asc(nulls_last=True), "pk")


def report_follow_ups(
    user, body: Body, organization: Organization | None = None
) -> QuerySet[FollowUp]:
    """The public Beschlusskontrolle report: follow-ups of the decisions the user may see,
    by due date."""
    decisions = selectors.visible_decisions(user, body)
    rows = FollowUp.objects.for_body(body).filter(decision__in=decisions.values("pk"))
    if organization is not None:
        held = Meeting.objects.filter(organizations=organization).values("pk")
        rows = rows.filter(decision__agenda_item__meeting__in=held)
    return rows.select_related(
        "unit",
        "decision__referred_to",
        "decision__agenda_item__meeting",
        "decision__agenda_item__consultation__paper",
    ).order_by(F("due_date").asc(nulls_last=True), "pk")
