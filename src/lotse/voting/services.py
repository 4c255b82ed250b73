"""Running a meeting live: open and close it, attendance, quorum, conflicts of interest, and
polls from creation to the decision they write.

Every change bumps ``LiveSession.version`` in the same transaction, so the pages of every app
process learn of it from the database. Casting a vote is the one hot path: it writes only the
voter's mark and the vote (or ballot), never the poll's row. On PostgreSQL it first takes a
share lock on the running poll's row (``FOR SHARE``, ``state = laeuft``): votes share it with
each other, and the closing of the poll (an UPDATE of that row) waits for the votes in flight,
while a vote that comes after the close finds the poll closed. On SQLite every write takes the
whole database, so the vote's own check of the state in its write suffices. The counts are
taken from the voted-list and the ballots at the close; no vote slips in after it, and none
that got a success answer is lost or counted twice.
"""

import contextlib
import fcntl
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, connections, router, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from lotse.council.models import (
    AgendaItem,
    DecisionOutcome,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
    Organization,
    Person,
    current_memberships,
)
from lotse.council.services import write_decision
from lotse.voting import selectors
from lotse.voting.majority import Count as Tally
from lotse.voting.majority import is_adopted
from lotse.voting.models import (
    Attendance,
    Ballot,
    Conflict,
    LiveSession,
    Majority,
    Poll,
    PollKind,
    PollState,
    Presence,
    QuorumException,
    SessionState,
    Vote,
    VoteOption,
    Voter,
)

RUNNING = (PollState.OPEN,)


class VoteRefused(Exception):
    """A vote that is not taken, with the German reason to show. ``has_voter``: the user
    holds a place on the poll's voter list (so is a member present when it opened)."""

    def __init__(self, message, has_voter: bool = False):
        super().__init__(message)
        self.has_voter = has_voter


def _require(user, session_or_poll) -> None:
    if not user.has_perm("voting.run_meeting", session_or_poll):
        raise PermissionDenied


def _bump(session: LiveSession) -> None:
    LiveSession.objects.filter(pk=session.pk).update(version=F("version") + 1)
    selectors.forget_stamp(session.pk)


def seats(organization: Organization) -> list[Membership]:
    """The current seats with a vote: members with voting right, deputies not counted."""
    return list(
        Membership.objects.filter(organization=organization, voting_right=True)
        .exclude(role=MembershipRole.DEPUTY_MEMBER)
        .filter(current_memberships())
        .select_related("person", "on_behalf_of")
        .order_by("person__family_name", "person__given_name", "pk")
    )


def statutory_members(organization: Organization, seat_count: int | None = None) -> int:
    if organization.statutory_members:
        return organization.statutory_members
    return seat_count if seat_count is not None else len(seats(organization))


def person_of(user, body_id: int) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(body_id=body_id, user=user).first()


# The session


def first_organization(meeting: Meeting) -> Organization | None:
    """Whose members meet live: the meeting's first organization by id (from the page's
    prefetched list where there is one)."""
    return min(meeting.organizations.all(), key=lambda o: o.pk, default=None)


def run_target(meeting: Meeting, session: LiveSession | None) -> LiveSession:
    """What ``voting.run_meeting`` is asked about: the meeting's live session, or before it
    exists an unsaved one for the organization that would meet."""
    return session or LiveSession(
        body_id=meeting.body_id, meeting=meeting, organization=first_organization(meeting)
    )


@transaction.atomic
def start_session(user, meeting: Meeting, organization: Organization | None = None) -> LiveSession:
    """The live session of a meeting, created on first use with every member of the
    organization listed as absent."""
    session = LiveSession.objects.filter(meeting=meeting).first()
    if session is not None:
        _require(user, session)
        return session
    organization = organization or first_organization(meeting)
    if organization is None or organization.body_id != meeting.body_id:
        raise ValidationError(_("The meeting has no organization of this body."))
    session = LiveSession(body_id=meeting.body_id, meeting=meeting, organization=organization)
    _require(user, session)
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    session.save()
    people = Membership.objects.filter(organization=organization).filter(current_memberships())
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, person_id=person_id)
            for person_id in sorted(set(people.values_list("person_id", flat=True)))
        ]
    )
    return session


@transaction.atomic
def open_session(user, session: LiveSession) -> LiveSession:
    _require(user, session)
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    if session.state != SessionState.PREPARED:
        raise ValidationError(_("The meeting has already been opened."))
    session.state = SessionState.OPEN
    session.opened_at, session.opened_by = timezone.now(), user
    session.version += 1
    session.save()
    return session


@transaction.atomic
def close_session(user, session: LiveSession) -> LiveSession:
    _require(user, session)
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    if session.state != SessionState.OPEN:
        raise ValidationError(_("The meeting is not open."))
    if session.polls.filter(state=PollState.OPEN).exists():
        raise ValidationError(_("Close the running poll first."))
    session.state = SessionState.CLOSED
    session.closed_at, session.closed_by = timezone.now(), user
    session.current_item = None
    session.version += 1
    session.save()
    Meeting.objects.filter(pk=session.meeting_id).exclude(state=MeetingState.CANCELLED).update(
        state=MeetingState.HELD
    )
    return session


def _require_open(session: LiveSession) -> None:
    if session.state != SessionState.OPEN:
        raise ValidationError(_("The meeting is not open."))


@transaction.atomic
def set_current_item(user, session: LiveSession, item: AgendaItem | None) -> LiveSession:
    _require(user, session)
    _require_open(session)
    if item is not None and item.meeting_id != session.meeting_id:
        raise ValidationError(_("The item belongs to another meeting."))
    session.current_item = item
    session.save(update_fields=["current_item"])
    _bump(session)
    return session


# Attendance and quorum


@transaction.atomic
def set_presence(
    user, session: LiveSession, person: Person, presence: str, deputy_for: Person | None = None
) -> Attendance:
    """The chair records a person's presence (in the room, online, absent), optionally as the
    deputy of an absent member."""
    _require(user, session)
    return _set_presence(user, session, person, presence, deputy_for)


@transaction.atomic
def check_in(user, session: LiveSession, presence: str = Presence.ONLINE) -> Attendance:
    """A member checks in (online) or out themselves; the room is marked by the chair."""
    person = person_of(user, session.body_id)
    if person is None or not session.attendance.filter(person=person).exists():
        raise PermissionDenied
    if presence not in (Presence.ONLINE, Presence.ABSENT):
        raise ValidationError(_("Members check in online; the chair marks who is in the room."))
    current = session.attendance.get(person=person)
    return _set_presence(user, session, person, presence, current.deputy_for)


def _set_presence(user, session, person, presence, deputy_for) -> Attendance:
    if presence not in Presence.values:
        raise ValidationError({"presence": _("Choose in the room, online or absent.")})
    if session.state == SessionState.CLOSED:
        raise ValidationError(_("The meeting is closed."))
    attendance = Attendance.objects.select_for_update().filter(session=session, person=person)
    attendance = attendance.first()
    if attendance is None:
        raise ValidationError(_("This person is not a member of the organization."))
    if deputy_for is not None:
        if deputy_for.pk == person.pk:
            raise ValidationError({"deputy_for": _("A person cannot stand in for themselves.")})
        if not session.attendance.filter(person=deputy_for).exists():
            raise ValidationError({"deputy_for": _("Choose a member of the organization.")})
        if deputy_for.pk not in {seat.person_id for seat in seats(session.organization)}:
            raise ValidationError(
                {"deputy_for": _("Only a member with a vote can be stood in for.")}
            )
        taken = session.attendance.filter(deputy_for=deputy_for).exclude(person=person)
        if taken.exists():
            raise ValidationError({"deputy_for": _("Someone already stands in for this member.")})
    attendance.presence = presence
    attendance.deputy_for = deputy_for
    attendance.recorded_by = user
    attendance.recorded_at = timezone.now()
    attendance.save()
    _bump(session)
    return attendance


KEEP = object()  # ``set_attendance``: leave whom a person stands in for as it is


@transaction.atomic
def set_attendance(user, session: LiveSession, changes: dict, since=None) -> list[Attendance]:
    """The chair saves the whole attendance at once: ``changes`` maps a person's id to
    ``(presence, deputy_for_id)`` (``deputy_for_id`` None for their own seat, or ``KEEP``).
    One transaction, one history row per changed person, the same number of queries for any
    number of members.

    A row that someone else changed after ``since`` (the moment the chair's form was shown,
    e.g. a member who checked in online meanwhile) is not overwritten; the result's
    ``skipped`` names those people."""
    _require(user, session)
    if session.state == SessionState.CLOSED:
        raise ValidationError(_("The meeting is closed."))
    rows = {
        row.person_id: row
        for row in Attendance.objects.select_for_update()
        .filter(session=session)
        .select_related("person")
    }
    seat_ids = {seat.person_id for seat in seats(session.organization)}
    errors, wanted = [], {}
    for person_id, (presence, deputy_for_id) in changes.items():
        row = rows.get(person_id)
        if row is None:
            errors.append(_("A person who is not a member of the organization was sent."))
            continue
        if presence not in Presence.values:
            errors.append(_("%(person)s: choose in the room, online or absent.") % _named(row))
            continue
        if deputy_for_id is KEEP:
            deputy_for_id = row.deputy_for_id
        if deputy_for_id is not None:
            if deputy_for_id == person_id:
                errors.append(_("%(person)s cannot stand in for themselves.") % _named(row))
                continue
            if deputy_for_id not in seat_ids:
                errors.append(
                    _("%(person)s: only a member with a vote can be stood in for.") % _named(row)
                )
                continue
        wanted[person_id] = (presence, deputy_for_id)
    # Whom each member's deputy is after the save, to refuse two deputies for one seat.
    standing_in: dict[int, int] = {}
    for person_id, row in rows.items():
        presence, deputy_for_id = wanted.get(person_id, (row.presence, row.deputy_for_id))
        if deputy_for_id is None:
            continue
        if deputy_for_id in standing_in:
            errors.append(
                _("%(person)s: someone already stands in for %(member)s.")
                % {**_named(row), "member": rows[deputy_for_id].person.name}
            )
        standing_in[deputy_for_id] = person_id
    if errors:
        raise ValidationError(errors)
    now, changed, skipped = timezone.now(), [], []
    for person_id, (presence, deputy_for_id) in wanted.items():
        row = rows[person_id]
        if (row.presence, row.deputy_for_id) == (presence, deputy_for_id):
            continue
        if since is not None and row.recorded_at is not None and row.recorded_at > since:
            skipped.append(row.person.name)
            continue
        row.presence, row.deputy_for_id = presence, deputy_for_id
        row.recorded_by, row.recorded_at = user, now
        changed.append(row)
    if changed:
        bulk_update_with_history(
            changed,
            Attendance,
            ["presence", "deputy_for", "recorded_by", "recorded_at"],
            default_user=user,
            default_date=now,
        )
        _bump(session)
    result = AttendanceSaved(changed)
    result.skipped = skipped
    return result


class AttendanceSaved(list):
    """The rows ``set_attendance`` changed; ``skipped`` names those changed by someone else
    meanwhile and left as they were."""

    skipped: list[str]


def _named(row: Attendance) -> dict:
    return {"person": row.person.name}


@dataclass(frozen=True)
class Quorum:
    present: int  # seats whose holder or deputy is present
    statutory: int
    needed: int  # present seats needed for a quorum

    @property
    def reached(self) -> bool:
        return self.present >= self.needed


def quorum(session: LiveSession) -> Quorum:
    """Beschlussfähigkeit: more than ``quorum_percent`` of the statutory members present
    (a present deputy counts for the absent member)."""
    holders = seats(session.organization)
    attendance = {a.person_id: a for a in session.attendance.all()}
    covered = 0
    deputies = {a.deputy_for_id for a in attendance.values() if a.is_present and a.deputy_for_id}
    for seat in holders:
        own = attendance.get(seat.person_id)
        if (own is not None and own.is_present and not own.deputy_for_id) or (
            seat.person_id in deputies
        ):
            covered += 1
    statutory = statutory_members(session.organization, len(holders))
    needed = statutory * session.quorum_percent // 100 + 1
    return Quorum(present=covered, statutory=statutory, needed=needed)


@transaction.atomic
def establish_quorum(user, session: LiveSession) -> Quorum:
    """Record "Beschlussfähigkeit festgestellt" with the count; refused without a quorum."""
    _require(user, session)
    _require_open(session)
    state = quorum(session)
    if not state.reached:
        raise ValidationError(
            _("No quorum: %(present)s members present, %(needed)s needed.")
            % {"present": state.present, "needed": state.needed}
        )
    session.quorum_established_at = timezone.now()
    session.quorum_established_by = user
    session.quorum_present = state.present
    # A quorum established again ends an earlier finding that it was lacking.
    session.quorum_failed_at = session.quorum_failed_by = None
    session.save(
        update_fields=[
            "quorum_established_at",
            "quorum_established_by",
            "quorum_present",
            "quorum_failed_at",
            "quorum_failed_by",
        ]
    )
    _bump(session)
    return state


@transaction.atomic
def find_no_quorum(user, session: LiveSession) -> Quorum:
    """Record the chair's finding that the meeting is not beschlussfähig (§ 49 Abs. 1 GO
    NRW). From then on no poll starts, until the quorum is established again or the chair
    records a case in which the law lets the meeting decide regardless."""
    _require(user, session)
    _require_open(session)
    state = quorum(session)
    session.quorum_failed_at, session.quorum_failed_by = timezone.now(), user
    session.quorum_established_at = session.quorum_established_by = None
    session.quorum_present = state.present
    session.save()
    _bump(session)
    return state


@transaction.atomic
def record_quorum_exception(user, session: LiveSession, case: str, reason: str) -> LiveSession:
    """The chair records why the meeting decides without a quorum, e.g. a second meeting on
    the same items whose invitation pointed this out (§ 49 Abs. 2 GO NRW); an empty
    ``case`` withdraws it. Kept in the session's history with who and when."""
    _require(user, session)
    _require_open(session)
    reason = reason.strip()
    if case and case not in QuorumException.values:
        raise ValidationError({"case": _("Choose a case the law provides for.")})
    if case and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Give the reason, e.g. the first meeting, the items and the invitation "
                    "with its notice."
                )
            }
        )
    session.quorum_exception = case
    session.quorum_exception_reason = reason if case else ""
    session.save()
    _bump(session)
    return session


@transaction.atomic
def declare_conflict(
    user, session: LiveSession, item: AgendaItem, person: Person | None = None
) -> Conflict:
    """A member declares themselves befangen for an item (or the chair records it)."""
    mine = person_of(user, session.body_id)
    if person is None or (mine is not None and person.pk == mine.pk):
        person = mine
        if person is None or not session.attendance.filter(person=person).exists():
            raise PermissionDenied
    else:
        _require(user, session)
    if item.meeting_id != session.meeting_id:
        raise ValidationError(_("The item belongs to another meeting."))
    conflict, _created = Conflict.objects.get_or_create(
        session=session,
        agenda_item=item,
        person=person,
        defaults={"declared_at": timezone.now(), "declared_by": user},
    )
    _bump(session)
    return conflict


# Polls


@transaction.atomic
def create_poll(
    user, session: LiveSession, item: AgendaItem, kind: str, motion: str, majority: str
) -> Poll:
    _require(user, session)
    _require_open(session)
    errors = {}
    if item.meeting_id != session.meeting_id:
        errors["agenda_item"] = _("The item belongs to another meeting.")
    if kind not in PollKind.values:
        errors["kind"] = _("Choose open, named, secret or show of hands.")
    if majority not in Majority.values:
        errors["majority"] = _("Choose the majority needed.")
    if not motion.strip():
        errors["motion"] = _("Please write the motion to vote on.")
    if errors:
        raise ValidationError(errors)
    return Poll.objects.create(
        body_id=session.body_id,
        session=session,
        agenda_item=item,
        kind=kind,
        motion=motion.strip(),
        majority=majority,
        created_by=user,
    )


def eligible_voters(session: LiveSession, item: AgendaItem) -> list[Voter]:
    """Who may vote on ``item`` now: seat holders with voting right who are present and not
    befangen, and for an absent holder the present deputy standing in (not befangen)."""
    attendance = {a.person_id: a for a in session.attendance.all()}
    conflicted = set(Conflict.objects.filter(agenda_item=item).values_list("person_id", flat=True))
    deputy_of = {
        a.deputy_for_id: a.person_id
        for a in attendance.values()
        if a.is_present and a.deputy_for_id
    }
    voters, voices = [], set()
    for seat in seats(session.organization):
        own = attendance.get(seat.person_id)
        if own is not None and own.is_present and not own.deputy_for_id:
            caster = seat.person_id
        else:
            caster = deputy_of.get(seat.person_id)
        if caster is None or caster in conflicted or caster in voices:
            continue
        voices.add(caster)
        voters.append(
            Voter(person_id=seat.person_id, cast_by_id=caster, faction_id=seat.on_behalf_of_id)
        )
    return voters


@transaction.atomic
def open_poll(user, poll: Poll) -> Poll:
    """Start the poll: the voter list is fixed now (for a secret poll with one blank ballot
    per voter). A show of hands has no list; the chair enters the counts."""
    _require(user, poll)
    poll = Poll.objects.select_for_update().select_related("session").get(pk=poll.pk)
    session = poll.session
    _require_open(session)
    if poll.state != PollState.CREATED:
        raise ValidationError(_("Only a newly created poll can be started."))
    if session.quorum_lacking:
        raise ValidationError(
            _(
                "The meeting has been found not beschlussfähig (§ 49 GO NRW): no poll can start. "
                "Establish the quorum again when enough members are present, or record the "
                "case in which the meeting may decide regardless."
            )
        )
    if session.polls.filter(state=PollState.OPEN).exists():
        raise ValidationError(_("Another poll is running; close it first."))
    holders = seats(session.organization)
    poll.statutory_members = statutory_members(session.organization, len(holders))
    poll.present = quorum(session).present
    if poll.kind == PollKind.ANALOG:
        poll.eligible = None
    else:
        voters = eligible_voters(session, poll.agenda_item)
        for voter in voters:
            voter.poll = poll
        Voter.objects.bulk_create(voters)
        poll.eligible = len(voters)
        if poll.kind == PollKind.SECRET:
            Ballot.objects.bulk_create([Ballot(poll=poll) for _voter in voters])
    poll.state = PollState.OPEN
    poll.opened_at, poll.opened_by = timezone.now(), user
    poll.save()
    _bump(session)
    return poll


def cast_vote(user, poll: Poll, option: str) -> None:
    """Cast the user's vote (or their vote as a deputy). Raises VoteRefused with the reason;
    on success the vote is committed before this returns.

    One short write that leaves the poll's row as it is: the voter's mark on the voted-list
    (``has_voted``, set only where it was not, while the poll runs) and the vote (a Vote row,
    unique per voter) or the filling of a random blank ballot. Nothing counts the votes while
    the poll runs; the close counts the voted-list and the ballots. On PostgreSQL all of it is
    a single statement whose first step is a share lock on the running poll's row: concurrent
    votes do not wait for each other, a close waits for the votes in flight, and a vote after
    the close finds the poll closed and writes nothing. On SQLite the writes of votes queue on
    a file lock instead of the busy handler's sleeps; the database's write lock keeps a vote
    and the close apart."""
    if option not in VoteOption.values:
        raise VoteRefused(_("Choose yes, no or abstention."))
    if not user.is_authenticated:
        raise VoteRefused(_("Please sign in to vote."))
    connection = connections[router.db_for_write(Poll)]
    if connection.vendor == "postgresql":
        taken, running, has_voted = _cast_in_one_statement(connection, user, poll, option)
    else:
        with _vote_lock(connection):
            taken = _cast_in_steps(connection, user, poll, option)
        running, has_voted = None, None
    if not taken:
        if running is None:  # read only after the refusal
            running, has_voted = _state(user, poll)
        raise _refusal(running, has_voted)
    selectors.forget_stamp(poll.session_id)


def _state(user, poll: Poll) -> tuple[bool, bool | None]:
    """Whether the poll runs, and whether the user has voted (None: not on its list)."""
    running = (
        Poll.objects.filter(pk=poll.pk, state=PollState.OPEN, kind=poll.kind)
        .exclude(kind=PollKind.ANALOG)
        .exists()
    )
    voter = Voter.objects.filter(poll_id=poll.pk, cast_by__user=user).first()
    return running, None if voter is None else voter.has_voted


def _refusal(running: bool, has_voted: bool | None) -> VoteRefused:
    """Why a vote was not taken."""
    listed = has_voted is not None
    if not running:
        return VoteRefused(_("This poll is not open for votes."), listed)
    if not listed:
        return VoteRefused(_("You are not entitled to vote in this poll."))
    if has_voted:
        return VoteRefused(_("You have already voted. A cast vote is final."), listed)
    return VoteRefused(_("No blank ballot is left for this poll."), listed)


def _tables() -> dict[str, str]:
    return {
        "poll": connection_quote(Poll._meta.db_table),
        "voter": connection_quote(Voter._meta.db_table),
        "ballot": connection_quote(Ballot._meta.db_table),
        "vote": connection_quote(Vote._meta.db_table),
        "person": connection_quote(Person._meta.db_table),
    }


def connection_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# The voter's mark: only a voter of this user (seat holder or deputy) not yet marked, while
# the poll runs and is of the kind the vote is written for (a ballot or a Vote row).
# ``{running}``: on PostgreSQL the share-locked running poll (``l``), on SQLite the poll read
# in the write transaction.
_MARK = """
    UPDATE {voter} SET has_voted = {true}
    WHERE poll_id = {p} AND NOT has_voted
      AND cast_by_id IN (SELECT id FROM {person} WHERE user_id = {u})
      AND EXISTS ({running})
    RETURNING id"""
_RUNNING = (
    "SELECT 1 FROM {poll} WHERE id = {p} AND state = 'laeuft' AND kind = {k} AND kind <> 'analog'"
)
# A blank ballot at random: the first blank one at or after a random key, else the first.
_BLANK = """
    SELECT id FROM {ballot} WHERE poll_id = {p} AND option = '' AND id >= {pivot}
    ORDER BY id LIMIT 1{skip}"""
_FIRST_BLANK = """
    SELECT id FROM {ballot} WHERE poll_id = {p} AND option = '' ORDER BY id LIMIT 1{skip}"""

# Only table names from the models and placeholders are put into the statements. The share
# lock (``l``) is taken before anything is written: the close's UPDATE of the poll waits for
# it, and a vote that finds the poll updated meanwhile checks the state again on the newest
# row (READ COMMITTED), so it either ends before the close counts or finds the poll closed.
_CAST_POSTGRESQL = (
    "WITH l AS ("  # noqa: S608
    + _RUNNING
    + " FOR SHARE), v AS ("
    + _MARK
    + """), b AS ({fill})
    SELECT (SELECT count(*) FROM v),
           -- A mark without its vote or ballot fails the statement, so nothing of it stays:
           -- 1 / 0.
           1 / (1 - (SELECT count(*) FROM v) + (SELECT count(*) FROM b)),
           -- For the reason of a refusal, as the statement found them: the poll runs; the
           -- user has voted (NULL: not on the list).
           EXISTS (SELECT 1 FROM l),
           (SELECT bool_or(has_voted) FROM {voter} WHERE poll_id = {p}
              AND cast_by_id IN (SELECT id FROM {person} WHERE user_id = {u}))"""
)
_FILL_BALLOT_POSTGRESQL = (
    "UPDATE {ballot} SET option = {o} WHERE option = '' AND EXISTS (SELECT 1 FROM v) "  # noqa: S608
    "AND id = COALESCE((" + _BLANK + "), (" + _FIRST_BLANK + ")) RETURNING id"
)
_INSERT_VOTE_POSTGRESQL = (
    "INSERT INTO {vote} (poll_id, voter_id, option, cast_at) SELECT {p}, id, {o}, now() FROM v "
    "ON CONFLICT (voter_id) DO NOTHING RETURNING id"
)


def _cast_in_one_statement(connection, user, poll: Poll, option: str):
    """(taken, the poll runs, the user has voted or None)."""
    fill = _FILL_BALLOT_POSTGRESQL if poll.kind == PollKind.SECRET else _INSERT_VOTE_POSTGRESQL
    names = {
        **_tables(),
        "true": "true",
        "skip": " FOR UPDATE SKIP LOCKED",
        "p": "%(poll)s",
        "u": "%(user)s",
        "k": "%(kind)s",
        "o": "%(option)s",
        "pivot": "%(pivot)s",
    }
    names["running"] = "SELECT 1 FROM l"
    sql = _CAST_POSTGRESQL.format(**names, fill=fill.format(**names))
    params = {
        "poll": poll.pk,
        "user": user.pk,
        "kind": poll.kind,
        "option": option,
        "pivot": uuid.uuid4(),
    }
    # Outside a transaction the statement is its own (autocommit): the share lock is released
    # by the database at its end. Inside one (tests, callers), a savepoint.
    try:
        with (
            transaction.atomic(using=connection.alias)
            if connection.in_atomic_block
            else _nothing(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
            voted, _ok, running, has_voted = cursor.fetchone()
    except DataError:  # the 1 / 0: marked, but no vote or ballot written (rolled back)
        return False, None, None
    return bool(voted), running, has_voted


@contextlib.contextmanager
def _nothing():
    yield


def _cast_in_steps(connection, user, poll: Poll, option: str) -> bool:
    names = {**_tables(), "true": "1", "skip": "", "p": "%s", "u": "%s", "k": "%s", "pivot": "%s"}
    names["running"] = _RUNNING.format(**names)
    pivot = Ballot._meta.pk.get_db_prep_value(uuid.uuid4(), connection)
    try:
        return _steps(connection, names, user, poll, option, pivot)
    except _Undo:  # rolled back
        return False


def _steps(connection, names, user, poll, option, pivot) -> bool:
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(_MARK.format(**names), [poll.pk, user.pk, poll.pk, poll.kind])
        marked = cursor.fetchall()
        if len(marked) != 1:
            return False
        if poll.kind == PollKind.SECRET:
            cursor.execute(
                f"UPDATE {names['ballot']} SET option = %s WHERE option = '' AND id = COALESCE(("  # noqa: S608
                + _BLANK.format(**names)
                + "), ("
                + _FIRST_BLANK.format(**names)
                + "))",
                [option, poll.pk, pivot, poll.pk],
            )
            if cursor.rowcount != 1:
                raise _Undo
        else:
            Vote.objects.using(connection.alias).create(
                poll_id=poll.pk, voter_id=marked[0][0], option=option, cast_at=timezone.now()
            )
    return True


class _Undo(Exception):
    pass


@contextlib.contextmanager
def _vote_lock(connection):
    """SQLite: votes write one after another, queued on an exclusive lock of a file beside
    the database (``flock`` wakes the next at once; SQLite's busy handler would sleep up to
    100 ms between tries). Inside a transaction already (tests) nothing is taken."""
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.in_atomic_block or not name or name == ":memory:" or "mode=memory" in name:
        yield
        return
    with open(name + ".votes.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _counts(poll: Poll) -> dict[str, int]:
    rows = Ballot if poll.kind == PollKind.SECRET else Vote
    found = dict(
        rows.objects.filter(poll=poll)
        .exclude(option="")
        .values_list("option")
        .annotate(n=Count("pk"))
        .values_list("option", "n")
    )
    return {option: found.get(option, 0) for option in VoteOption.values}


@transaction.atomic
def close_poll(user, poll: Poll) -> Poll:
    """Stop the poll, count, apply the majority rule and write the agenda item's decision.
    The conditional UPDATE of the poll waits for the votes in flight (their share lock on
    PostgreSQL, the database's write lock on SQLite); none is taken after it. The votes are
    counted here, once: the voted-list and the ballots (or votes) must agree."""
    _require(user, poll)
    now = timezone.now()
    if poll.kind == PollKind.ANALOG:
        raise ValidationError(_("Enter the counts of the show of hands instead."))
    closed = Poll.objects.filter(pk=poll.pk, state=PollState.OPEN).update(
        state=PollState.CLOSED, closed_at=now, closed_by=user
    )
    if not closed:
        raise ValidationError(_("This poll is not running."))
    poll = Poll.objects.select_related("session", "agenda_item__meeting").get(pk=poll.pk)
    counts = _counts(poll)
    voted = Voter.objects.filter(poll=poll, has_voted=True).count()
    counted = sum(counts.values())
    if voted != counted:
        raise RuntimeError(f"poll {poll.pk}: voted-list {voted}, ballots or votes {counted}")
    poll.cast = voted
    return _finish(user, poll, counts)


@transaction.atomic
def enter_show_of_hands(user, poll: Poll, yes: int, no: int, abstain: int) -> Poll:
    """The chair enters the counts of a show of hands (for items decided in the room)."""
    _require(user, poll)
    poll = Poll.objects.select_for_update().select_related("session").get(pk=poll.pk)
    if poll.kind != PollKind.ANALOG or poll.state != PollState.OPEN:
        raise ValidationError(_("Counts are entered for a running show of hands only."))
    if min(yes, no, abstain) < 0:
        raise ValidationError(_("Counts cannot be negative."))
    if poll.present is not None and yes + no + abstain > poll.present:
        raise ValidationError(
            _("More votes than members present (%(present)s).") % {"present": poll.present}
        )
    poll.state, poll.closed_at, poll.closed_by = PollState.CLOSED, timezone.now(), user
    poll.cast = yes + no + abstain
    return _finish(
        user, poll, {VoteOption.YES: yes, VoteOption.NO: no, VoteOption.ABSTAIN: abstain}
    )


def _finish(user, poll: Poll, counts: dict[str, int]) -> Poll:
    poll.yes = counts[VoteOption.YES]
    poll.no = counts[VoteOption.NO]
    poll.abstain = counts[VoteOption.ABSTAIN]
    tally = Tally(
        yes=poll.yes,
        no=poll.no,
        abstain=poll.abstain,
        present=poll.present or 0,
        statutory=poll.statutory_members,
    )
    poll.adopted = is_adopted(poll.majority, tally)
    item = poll.agenda_item
    if not hasattr(item, "decision"):
        recorded = write_decision(
            user,
            item,
            DecisionOutcome.ADOPTED if poll.adopted else DecisionOutcome.REJECTED,
            resolution_text=poll.motion if poll.adopted else "",
            votes_for=poll.yes,
            votes_against=poll.no,
            abstentions=poll.abstain,
            unanimous=tally.unanimous,
            date=timezone.localdate(),
        )
        poll.decision = recorded.decision
    poll.save()
    _bump(poll.session)
    return poll


@transaction.atomic
def publish_poll(user, poll: Poll) -> Poll:
    """Show the result on the public display (named: per person; open: per Fraktion;
    secret: totals)."""
    _require(user, poll)
    poll = Poll.objects.select_for_update().select_related("session").get(pk=poll.pk)
    if poll.state != PollState.CLOSED:
        raise ValidationError(_("Only a closed poll can be published."))
    poll.state, poll.published_at, poll.published_by = PollState.PUBLISHED, timezone.now(), user
    poll.save()
    _bump(poll.session)
    return poll


@transaction.atomic
def cancel_poll(user, poll: Poll) -> Poll:
    """Cancel a poll that has not closed; its votes are discarded with it. The conditional
    UPDATE waits for votes in flight, like closing."""
    _require(user, poll)
    cancelled = Poll.objects.filter(
        pk=poll.pk, state__in=[PollState.CREATED, PollState.OPEN]
    ).update(state=PollState.CANCELLED, cancelled_at=timezone.now(), cancelled_by=user)
    if not cancelled:
        raise ValidationError(_("A closed poll cannot be cancelled."))
    poll = Poll.objects.select_related("session").get(pk=poll.pk)
    Vote.objects.filter(poll=poll).delete()
    Ballot.objects.filter(poll=poll).delete()
    poll.save()  # a history row for the cancellation
    _bump(poll.session)
    return poll
