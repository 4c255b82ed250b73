"""Writes of council work: papers with co-signing and release, their Beratungsfolge, agendas,
decisions and their Beschlusskontrolle. Each service checks permission, validates and
changes in one transaction; the models keep their history."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from lotse.core.models import Body
from lotse.core.services import require
from lotse.council.models import (
    ADOPTING,
    AgendaItem,
    Consultation,
    ConsultationRole,
    Decision,
    DecisionOutcome,
    FollowUp,
    FollowUpNote,
    FollowUpState,
    Meeting,
    MeetingState,
    NumberSequence,
    Organization,
    Paper,
    PaperState,
    PaperType,
    Signoff,
    SignoffState,
)
from lotse.council.numbering import give_number
from lotse.strategy.models import Measure, MeasureStatus, OrgUnit
from lotse.strategy.services import apply_council_decision


def _same_body(body_id: int, errors: dict, **rows) -> None:
    for name, row in rows.items():
        if row is not None and row.body_id != body_id:
            errors[name] = _("This belongs to another body.")


def _refuse_if_released(paper: Paper) -> None:
    if paper.is_released:
        raise ValidationError(
            _(
                "A released paper cannot be changed any more. Create an Ergänzungsvorlage "
                "(supplementary paper) instead."
            ),
            code="released",
        )


# Papers and co-signing


@transaction.atomic
def save_paper(user, paper: Paper, measure_ids: Iterable[int] | None = None) -> Paper:
    """Create or update a paper that is not released yet; ``measure_ids`` replaces its linked
    measures. The state and the reference number are not set here, only by the services that
    route and release the paper."""
    require(user, "council.edit_papers", paper.body)
    if paper.pk:
        stored = Paper.objects.select_for_update().get(pk=paper.pk)
        _refuse_if_released(stored)
        paper.state, paper.reference = stored.state, stored.reference
        paper.released_at, paper.released_by = stored.released_at, stored.released_by
    else:
        paper.state, paper.reference = PaperState.DRAFT, ""
    errors: dict = {}
    _same_body(
        paper.body_id,
        errors,
        originator_unit=paper.originator_unit,
        originator_organization=paper.originator_organization,
        reporter=paper.reporter,
        follow_up_unit=paper.follow_up_unit,
        supplements=paper.supplements,
    )
    if paper.follow_up_wanted:
        if not paper.follow_up_unit_id:
            errors["follow_up_unit"] = _("Name the unit that reports on the follow-up.")
        if not paper.follow_up_due:
            errors["follow_up_due"] = _("Give the date the follow-up is due.")
    measures = None
    if measure_ids is not None:
        wanted = set(measure_ids)
        measures = list(Measure.objects.for_body(paper.body).filter(pk__in=wanted))
        if len(measures) != len(wanted):
            errors["measures"] = _("Choose only measures of this body.")
    if errors:
        raise ValidationError(errors)
    paper.full_clean()
    paper.save()
    if measures is not None:
        paper.measures.set(measures)
    return paper


@transaction.atomic
def request_signoffs(
    user, paper: Paper, unit_ids: Iterable[int], required: bool = True
) -> list[Signoff]:
    """Route a paper to units for co-signing (Mitzeichnung); the paper is then in co-signing.
    A unit already asked keeps its answer; only whether it is required changes."""
    require(user, "council.edit_papers", paper.body)
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    _refuse_if_released(paper)
    wanted = set(unit_ids)
    units = list(OrgUnit.objects.for_body(paper.body).filter(pk__in=wanted))
    if not wanted or len(units) != len(wanted):
        raise ValidationError({"units": _("Choose one or more units of this body.")})
    signoffs = []
    for unit in units:
        signoff, created = Signoff.objects.get_or_create(
            paper=paper, unit=unit, defaults={"required": required}
        )
        if not created and signoff.required != required:
            signoff.required = required
            signoff.save()
        signoffs.append(signoff)
    if paper.state != PaperState.SIGNING:
        paper.state = PaperState.SIGNING
        paper._change_reason = _("Routed for co-signing")
        paper.save()
    return signoffs


@transaction.atomic
def sign_off(user, signoff: Signoff, state: str, comment: str = "") -> Signoff:
    """A unit's answer to a co-signing request: approved, approved with a comment, refused.
    A comment or refusal needs its text."""
    signoff = Signoff.objects.select_for_update().select_related("paper").get(pk=signoff.pk)
    require(user, "council.sign_off", signoff.paper)
    _refuse_if_released(signoff.paper)
    answers = {SignoffState.APPROVED, SignoffState.COMMENTED, SignoffState.REFUSED}
    if state not in answers:
        raise ValidationError({"state": _("Approve, approve with a comment, or refuse.")})
    comment = comment.strip()
    if state in (SignoffState.COMMENTED, SignoffState.REFUSED) and not comment:
        raise ValidationError({"comment": _("Please write your comment or the reason.")})
    signoff.state = state
    signoff.comment = comment
    signoff.signed_by = user
    signoff.signed_at = timezone.now()
    signoff.save()
    return signoff


@transaction.atomic
def release_paper(user, paper: Paper) -> Paper:
    """Release (Freigabe) a paper once every required unit has signed: it gets its reference
    number from the body's pattern and the paper's year, and is fixed from then on."""
    require(user, "council.release_papers", paper.body)
    return release_paper_checked_elsewhere(user, paper)


@transaction.atomic
def release_paper_checked_elsewhere(user, paper: Paper) -> Paper:
    """``release_paper`` for a service that asked its own permission first (reporting puts a
    published status report before a committee in one step)."""
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    if paper.is_released:
        raise ValidationError(_("This paper is already released."), code="released")
    missing = [
        str(signoff.unit)
        for signoff in paper.signoffs.filter(required=True).select_related("unit")
        if not signoff.is_given
    ]
    if missing:
        raise ValidationError(
            _("The paper can be released once these units have signed: %(units)s.")
            % {"units": ", ".join(missing)},
            code="signoffs_missing",
        )
    paper.reference = give_number(
        paper.body,
        NumberSequence.Kind.PAPER,
        paper.date,
        taken=lambda number: Paper.objects.filter(body=paper.body, reference=number).exists(),
    )
    paper.state = PaperState.RELEASED
    paper.released_at = timezone.now()
    paper.released_by = user
    paper._change_reason = _("Released")
    paper.save()
    return paper


@transaction.atomic
def create_supplement(user, paper: Paper) -> Paper:
    """Start an Ergänzungsvorlage to a released paper, as a draft holding the original's
    text to change; the original stays as released."""
    require(user, "council.edit_papers", paper.body)
    paper = Paper.objects.get(pk=paper.pk)
    if not paper.is_released:
        raise ValidationError(
            _("Only a released paper gets a supplement; change the draft itself."),
            code="not_released",
        )
    supplement = Paper.objects.create(
        body=paper.body,
        paper_type=PaperType.SUPPLEMENT,
        name=paper.name,
        is_public=paper.is_public,
        originator_unit=paper.originator_unit,
        originator_organization=paper.originator_organization,
        reporter=paper.reporter,
        decision_proposal=paper.decision_proposal,
        reasoning=paper.reasoning,
        follow_up_wanted=paper.follow_up_wanted,
        follow_up_unit=paper.follow_up_unit,
        follow_up_due=paper.follow_up_due,
        supplements=paper,
    )
    supplement.related_papers.set(paper.related_papers.all())
    supplement.measures.set(paper.measures.all())
    return supplement


# Beratungsfolge and agendas


@transaction.atomic
def add_consultation(
    user,
    paper: Paper,
    organization: Organization,
    role: str,
    authoritative: bool = False,
    planned_date: datetime.date | None = None,
    is_public: bool = True,
) -> Consultation:
    """Append an organization to the paper's Beratungsfolge."""
    require(user, "council.edit_papers", paper.body)
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    if organization.body_id != paper.body_id:
        raise ValidationError({"organization": _("This belongs to another body.")})
    last = paper.consultations.aggregate(last=Max("order"))["last"] or 0
    consultation = Consultation(
        paper=paper,
        organization=organization,
        role=role,
        authoritative=authoritative,
        planned_date=planned_date,
        is_public=is_public,
        order=last + 1,
    )
    consultation.full_clean()
    consultation.save()
    return consultation


def _agenda_number(is_public: bool, position: int) -> str:
    return f"{'Ö' if is_public else 'N'} {position}"


def _renumber(meeting: Meeting) -> list[AgendaItem]:
    items = list(meeting.agenda_items.order_by("order", "pk"))
    # Public part first, each part in its present order (the sort is stable).
    items.sort(key=lambda item: not item.is_public)
    if not items:
        return items
    # Move every item out of the way first, so the unique (meeting, order) never clashes.
    offset = max(max(item.order for item in items), len(items)) + 1
    before = {item.pk: item.number for item in items}
    AgendaItem.objects.filter(meeting=meeting).update(order=F("order") + offset)
    counters = {True: 0, False: 0}
    renamed, kept = [], []
    for order, item in enumerate(items, start=1):
        counters[item.is_public] += 1
        item.order = order
        item.number = _agenda_number(item.is_public, counters[item.is_public])
        (renamed if item.number != before[item.pk] else kept).append(item)
    # bulk updates skip auto_now: OParl's ``modified`` of the items and their meeting.
    now = timezone.now()
    for item in items:
        item.updated_at = now
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=now)
    if kept:
        AgendaItem.objects.bulk_update(kept, ["order", "updated_at"])
    if renamed:
        bulk_update_with_history(
            renamed,
            AgendaItem,
            ["order", "number", "updated_at"],
            default_change_reason=_("Agenda renumbered"),
        )
    return items


@transaction.atomic
def renumber_agenda(meeting: Meeting) -> list[AgendaItem]:
    """Number the agenda as German practice does: the public part "Ö 1", "Ö 2" …, then the
    non-public part "N 1" …; the order runs on through both parts."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    return _renumber(meeting)


@transaction.atomic
def put_on_agenda(
    user, paper: Paper, meeting: Meeting, is_public: bool | None = None
) -> AgendaItem:
    """Put a released paper on a meeting's agenda, at the end of the public or non-public
    part. The item treats the paper's planned consultation in one of the meeting's
    organizations; if there is none, one is appended to the Beratungsfolge."""
    require(user, "council.manage_meetings", meeting)
    return put_on_agenda_checked_elsewhere(paper, meeting, is_public)


@transaction.atomic
def put_on_agenda_checked_elsewhere(
    paper: Paper, meeting: Meeting, is_public: bool | None = None
) -> AgendaItem:
    """``put_on_agenda`` for a service that asked its own permission first."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    paper = Paper.objects.get(pk=paper.pk)
    if paper.body_id != meeting.body_id:
        raise ValidationError(_("The paper belongs to another body."))
    if not paper.is_released:
        raise ValidationError(
            _("Only a released paper can be put on an agenda."), code="not_released"
        )
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."), code="cancelled")
    if AgendaItem.objects.filter(meeting=meeting, consultation__paper=paper).exists():
        raise ValidationError(_("The paper is already on this meeting's agenda."), code="twice")
    organizations = list(meeting.organizations.order_by("pk"))
    if not organizations:
        raise ValidationError(_("The meeting has no organization."), code="no_organization")
    consultation = (
        paper.consultations.filter(organization__in=organizations, meeting__isnull=True)
        .order_by("order", "pk")
        .first()
    )
    if consultation is None:
        # A paper treated again (e.g. after vertagt) keeps its role in that organization.
        earlier = (
            paper.consultations.filter(organization__in=organizations).order_by("-order").first()
        )
        last = paper.consultations.aggregate(last=Max("order"))["last"] or 0
        consultation = Consultation(
            paper=paper,
            organization=earlier.organization if earlier else organizations[0],
            role=earlier.role if earlier else ConsultationRole.PRELIMINARY,
            authoritative=earlier.authoritative if earlier else False,
            is_public=earlier.is_public if earlier else paper.is_public,
            order=last + 1,
        )
    consultation.meeting = meeting
    consultation.save()
    if is_public is None:
        is_public = paper.is_public and consultation.is_public
    last = meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=last + 1,
        name=paper.name,
        is_public=is_public,
        consultation=consultation,
    )
    _renumber(meeting)
    item.refresh_from_db()
    return item


# Decisions and Beschlusskontrolle


@dataclass
class RecordedDecision:
    """A recorded decision and what followed from it: the measures moved, the measures left
    as they were (with why) and the follow-up, if one was wanted."""

    decision: Decision
    moved: list[Measure] = field(default_factory=list)
    skipped: list[tuple[Measure, str]] = field(default_factory=list)
    follow_up: FollowUp | None = None


@transaction.atomic
def record_decision(
    user,
    agenda_item: AgendaItem,
    outcome: str,
    resolution_text: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
    unanimous: bool = False,
    referred_to: Organization | None = None,
    date: datetime.date | None = None,
) -> RecordedDecision:
    """Record the decision on an agenda item. A final (authoritative) decision moves the
    paper's linked measures: adopted → beschlossen, rejected → abgelehnt, with the decision
    number as the reason in their history; if the paper wants a Beschlusskontrolle, an
    adopted final decision gets its follow-up."""
    require(user, "council.record_decisions", agenda_item.meeting)
    return write_decision(
        user,
        agenda_item,
        outcome,
        resolution_text=resolution_text,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        unanimous=unanimous,
        referred_to=referred_to,
        date=date,
    )


@transaction.atomic
def write_decision(
    user,
    agenda_item: AgendaItem,
    outcome: str,
    resolution_text: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
    unanimous: bool = False,
    referred_to: Organization | None = None,
    date: datetime.date | None = None,
) -> RecordedDecision:
    """``record_decision`` without its permission check, for callers that checked their own
    (a closed poll of a live meeting writes its result through here)."""
    meeting = agenda_item.meeting
    agenda_item = AgendaItem.objects.select_for_update().get(pk=agenda_item.pk)
    if Decision.objects.filter(agenda_item=agenda_item).exists():
        raise ValidationError(_("A decision on this item is already recorded."), code="twice")
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."), code="cancelled")
    if outcome not in DecisionOutcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if unanimous:
        if votes_against:
            raise ValidationError(
                {"votes_against": _("A unanimous decision has no votes against.")}
            )
        votes_against = 0
    if referred_to is not None and referred_to.body_id != meeting.body_id:
        raise ValidationError({"referred_to": _("This belongs to another body.")})
    date = date or timezone.localdate(meeting.start)
    decision = Decision(
        body=meeting.body,
        agenda_item=agenda_item,
        outcome=outcome,
        referred_to=referred_to,
        resolution_text=resolution_text.strip(),
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        unanimous=unanimous,
        date=date,
        created_by=user,
    )
    decision.full_clean(exclude=["number"])
    decision.number = give_number(
        meeting.body,
        NumberSequence.Kind.DECISION,
        date,
        taken=lambda number: Decision.objects.filter(body=meeting.body, number=number).exists(),
    )
    decision.save()
    result = DecisionOutcome(outcome).label
    if referred_to is not None:
        result = f"{result} {referred_to.name}"
    agenda_item.result = str(result)[:200]
    agenda_item.resolution_text = decision.resolution_text
    agenda_item._change_reason = _("Decision %(number)s") % {"number": decision.number}
    agenda_item.save()
    recorded = RecordedDecision(decision=decision)
    consultation = agenda_item.consultation
    if consultation is None or not consultation.authoritative:
        return recorded
    paper = consultation.paper
    target = (
        MeasureStatus.DECIDED
        if outcome in ADOPTING
        else MeasureStatus.REJECTED
        if outcome == DecisionOutcome.REJECTED
        else None
    )
    if target is not None:
        reason = _("Decision %(number)s (%(organization)s, %(date)s)") % {
            "number": decision.number,
            "organization": consultation.organization.name,
            "date": date_format(date, "SHORT_DATE_FORMAT"),
        }
        for measure in paper.measures.order_by("pk"):
            if measure.status == target:
                recorded.skipped.append((measure, _("already in this state")))
                continue
            try:
                apply_council_decision(measure, target, reason, user)
            except ValidationError as error:
                recorded.skipped.append((measure, " ".join(error.messages)))
            else:
                measure.refresh_from_db()
                recorded.moved.append(measure)
    if paper.follow_up_wanted and outcome in ADOPTING:
        recorded.follow_up = FollowUp.objects.create(
            body=meeting.body,
            decision=decision,
            unit=paper.follow_up_unit,
            due_date=paper.follow_up_due,
        )
    return recorded


@transaction.atomic
def add_follow_up_note(user, follow_up: FollowUp, text: str) -> FollowUpNote:
    """A progress note on a follow-up."""
    require(user, "council.manage_follow_ups", follow_up)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Please describe the progress.")})
    return FollowUpNote.objects.create(follow_up=follow_up, text=text, author=user)


@transaction.atomic
def set_follow_up_state(
    user, follow_up: FollowUp, state: str, today: datetime.date | None = None
) -> FollowUp:
    """Move a follow-up to offen, in Umsetzung or erledigt; erledigt records the day."""
    require(user, "council.manage_follow_ups", follow_up)
    if state not in FollowUpState.values:
        raise ValidationError({"state": _("Choose a state.")})
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    follow_up.state = state
    if state == FollowUpState.DONE:
        follow_up.done_on = follow_up.done_on or today or timezone.localdate()
    else:
        follow_up.done_on = None
    follow_up.save()
    return follow_up


def overdue_follow_ups(body: Body, today: datetime.date | None = None) -> QuerySet[FollowUp]:
    """The body's follow-ups past their due date and not done, the oldest first."""
    today = today or timezone.localdate()
    return (
        FollowUp.objects.for_body(body)
        .filter(~Q(state=FollowUpState.DONE), due_date__lt=today)
        .select_related("decision", "unit")
        .order_by("due_date", "pk")
    )
