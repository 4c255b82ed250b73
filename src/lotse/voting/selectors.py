"""What the live pages show: the state of a live meeting and the results of its polls, each
shaped by the kind of poll (named: per person; open: per Fraktion; secret: totals and the
protocol that lets anyone check the count)."""

import threading
import time
from dataclasses import dataclass, field

from django.db.models import Count, F, Func, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lotse.council import selectors as council_selectors
from lotse.council.models import AgendaItem, Meeting
from lotse.voting.models import (
    Ballot,
    LiveSession,
    Poll,
    PollKind,
    PollState,
    Presence,
    Vote,
    VoteOption,
    Voter,
)

SHOWN = (PollState.PUBLISHED,)


def session_of(meeting: Meeting) -> LiveSession | None:
    return (
        LiveSession.objects.filter(meeting=meeting)
        .select_related("organization", "current_item", "meeting")
        .first()
    )


def _voted(**where) -> Coalesce:
    """The number of voters marked as having voted among ``where`` (with outer references),
    as a subquery."""
    return Coalesce(
        Subquery(
            Voter.objects.filter(has_voted=True, **where)
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT"))
            .values("n")
        ),
        0,
    )


def _stamped(sessions):
    """``sessions`` with what the stamp is made of: (id, version, running poll, voted)."""
    running = Poll.objects.filter(session=OuterRef("pk"), state=PollState.OPEN).order_by()
    return sessions.annotate(
        running=Subquery(running.values("pk")[:1]),
        # One poll runs at a time in a session (a constraint).
        voted=_voted(poll__session=OuterRef("pk"), poll__state=PollState.OPEN),
    ).values_list("pk", "version", "running", "voted")


def _text(version, poll, voted) -> str:
    return f"{version}:{poll}:{voted}" if poll else f"{version}"


def stamp(session_id: int) -> str:
    """A short fingerprint of everything the live pages show: it changes with every change
    of the session (``version``) and with every vote cast in its running poll (the size of
    its voted-list). One query."""
    row = _stamped(LiveSession.objects.filter(pk=session_id)).first()
    return _text(*row[1:]) if row else ""


def meeting_stamp(body_slug: str, meeting_pk: int) -> tuple[int, str] | None:
    """(the live session's id, its stamp) for the meeting ``meeting_pk`` of the body
    ``body_slug``; None if it has no live session (or is not that body's). One query."""
    sessions = LiveSession.objects.filter(meeting_id=meeting_pk, body__slug=body_slug)
    row = _stamped(sessions).first()
    return (row[0], _text(*row[1:])) if row else None


# The stamp as last read in this process, shared by its event streams and stamp polls: a
# whole assembly's live pages cost one small read per meeting and second, not one each.
STAMP_MAX_AGE = 1.0
_stamps: dict[tuple[str, int], tuple[float, int, str]] = {}
_stamps_lock = threading.Lock()


def shared_stamp(body_slug: str, meeting_pk: int) -> str | None:
    """``meeting_stamp`` at most ``STAMP_MAX_AGE`` seconds old (None: no live session), read
    by one thread of the process while the others wait for its answer; no query while it is
    fresh. Changes made in this process are seen at once (``forget_stamp``); those of other
    processes within the second, as the streams poll."""
    key = (body_slug, meeting_pk)
    hit = _stamps.get(key)
    if hit is not None and time.monotonic() - hit[0] < STAMP_MAX_AGE:
        return hit[2]
    with _stamps_lock:
        hit = _stamps.get(key)
        if hit is not None and time.monotonic() - hit[0] < STAMP_MAX_AGE:
            return hit[2]
        read_at = time.monotonic()
        found = meeting_stamp(body_slug, meeting_pk)
        if found is None:  # not kept: a session created meanwhile is found at once
            _stamps.pop(key, None)
            return None
        if len(_stamps) > 1000:
            _stamps.clear()
        _stamps[key] = (read_at, *found)
        return found[1]


def forget_stamp(session_id: int) -> None:
    for key, hit in list(_stamps.items()):
        if hit[1] == session_id:
            _stamps.pop(key, None)


# What a cast needs of a poll never changes once it exists (its kind, meeting, body and
# motion; its state is checked by the cast's own write), so each process reads it once. A
# poll saved in this process is read again; a cast checks the kind in its write as well.
_polls: dict[int, tuple] = {}


def poll_for_cast(body_slug: str, meeting_pk: int, poll_pk: int) -> Poll | None:
    """The poll ``poll_pk`` if it belongs to that meeting of that body, else None."""
    row = _polls.get(poll_pk)
    if row is None or row[0] != meeting_pk or row[1] != body_slug:
        row = (
            Poll.objects.filter(pk=poll_pk)
            .values_list(
                "session__meeting_id", "body__slug", "kind", "session_id", "agenda_item_id",
                "body_id", "motion",
            )
            .first()
        )  # fmt: skip
        if row is None:
            return None
        if len(_polls) > 1000:
            _polls.clear()
        _polls[poll_pk] = row
    meeting_id, slug, kind, session_id, item_id, body_id, motion = row
    if meeting_id != meeting_pk or slug != body_slug:
        return None
    return Poll(
        pk=poll_pk,
        kind=kind,
        session_id=session_id,
        agenda_item_id=item_id,
        body_id=body_id,
        motion=motion,
    )


def forget_poll(poll_pk: int) -> None:
    _polls.pop(poll_pk, None)


def item_for(user, body, item: AgendaItem | None):
    """(visible, label) of an agenda item for ``user``: a non-public item shows its number
    only to those who may not see it."""
    if item is None:
        return False, ""
    if council_selectors.can_see_item(user, item):
        return True, f"{item.number} {item.name}".strip()
    return False, council_selectors.masked_label(item)


def running_poll(session: LiveSession) -> Poll | None:
    """The running poll, with ``voted``: the votes cast so far (its voted-list)."""
    return (
        session.polls.filter(state=PollState.OPEN)
        .select_related("agenda_item__meeting")
        .annotate(voted=_voted(poll=OuterRef("pk")))
        .first()
    )


@dataclass
class Result:
    poll: Poll
    totals: list[tuple[str, int]]
    eligible: int | None
    voted: int
    ballots: int | None = None  # secret polls: ballots counted
    by_person: list[tuple[str, str, str]] = field(default_factory=list)  # name, faction, vote
    by_faction: list[tuple[str, dict[str, int]]] = field(default_factory=list)

    @property
    def checks_out(self) -> bool:
        """The secret poll's protocol: as many ballots counted as the voted-list holds."""
        return self.ballots is None or self.ballots == self.voted


def result(poll: Poll) -> Result:
    totals = [
        (VoteOption.YES.label, poll.yes or 0),
        (VoteOption.NO.label, poll.no or 0),
        (VoteOption.ABSTAIN.label, poll.abstain or 0),
    ]
    if poll.kind == PollKind.ANALOG:
        return Result(poll=poll, totals=totals, eligible=poll.present, voted=poll.cast)
    voted = Voter.objects.filter(poll=poll, has_voted=True).count()
    shown = Result(poll=poll, totals=totals, eligible=poll.eligible, voted=voted)
    if poll.kind == PollKind.SECRET:
        shown.ballots = Ballot.objects.filter(poll=poll).exclude(option="").count()
        return shown
    labels = dict(VoteOption.choices)
    if poll.kind == PollKind.NAMED:
        votes = {
            voter_id: labels[option]
            for voter_id, option in Vote.objects.filter(poll=poll).values_list("voter_id", "option")
        }
        voters = Voter.objects.filter(poll=poll).select_related("person", "cast_by", "faction")
        for voter in voters.order_by("person__family_name", "person__given_name"):
            name = voter.person.name
            if voter.cast_by_id != voter.person_id:
                name = _("%(member)s (represented by %(deputy)s)") % {
                    "member": name,
                    "deputy": voter.cast_by.name,
                }
            faction = voter.faction.short_name or voter.faction.name if voter.faction else ""
            shown.by_person.append((name, faction, votes.get(voter.pk, "–")))
        return shown
    rows = (
        Vote.objects.filter(poll=poll)
        .values_list("voter__faction__name", "option")
        .annotate(n=Count("pk"))
        .order_by("voter__faction__name", "option")
    )
    factions: dict[str, dict[str, int]] = {}
    for faction, option, n in rows:
        counts = factions.setdefault(faction or "", dict.fromkeys(VoteOption.values, 0))
        counts[option] = n
    shown.by_faction = sorted(factions.items())
    return shown


# The chair's attendance board

# A deputy's choice of whom to stand in for is a select in the row up to this many
# candidates (a council's Fraktion); beyond it, the row links a page with the full choice,
# so a large assembly's page stays small.
INLINE_CANDIDATES = 40

SEAT, DEPUTY, ADVISORY = "stimme", "vertretung", "beratend"
STANDING_LABELS = {
    SEAT: _lazy("with a vote"),
    DEPUTY: _lazy("deputy"),
    ADVISORY: _lazy("advisory, no vote"),
}

# The attendance form's short codes of the presence, to keep a thousand rows small.
PRESENCE_CODES = {"s": Presence.ROOM, "o": Presence.ONLINE, "a": Presence.ABSENT}
CODE_OF = {value: code for code, value in PRESENCE_CODES.items()}


@dataclass
class Row:
    person_id: int
    name: str
    standing: str  # SEAT, DEPUTY or ADVISORY
    faction: str
    faction_id: int | None
    presence: str
    deputy_for_id: int | None
    deputy_for_name: str = ""
    represented_by: str = ""  # a seat's present deputy
    counts: bool = False  # the row makes a seat count for the quorum
    candidates: list[tuple[int, str]] | None = None  # whom a deputy may stand in for

    @property
    def standing_label(self) -> str:
        return STANDING_LABELS[self.standing]

    @property
    def inline(self) -> bool:
        return self.candidates is not None and len(self.candidates) <= INLINE_CANDIDATES


@dataclass
class Summary:
    """Who is present, told apart the way the quorum counts them."""

    seats: int  # seats with a vote
    statutory: int
    needed: int
    covered: int  # seats whose holder or deputy is present
    own: int  # of them, held by the member in person
    stood_in: int  # of them, by a deputy
    deputies_idle: int  # deputies present who stand in for nobody
    advisory: int  # present without a vote
    present: int  # everyone marked present
    # Whether ``statutory`` is the number set for the organization (gesetzliche
    # Mitgliederzahl) rather than the seats with a vote counted.
    statutory_set: bool = False
    quorum_percent: int = 50

    @property
    def reached(self) -> bool:
        return self.covered >= self.needed


@dataclass
class Board:
    rows: list[Row]
    summary: Summary

    def html(self, deputy_url) -> str:
        """The table's rows, built here rather than in a template loop: a thousand rows in a
        few milliseconds. ``deputy_url(person_id)`` is the page of a long deputy choice.
        Options go without their optional end tag, which HTML allows, to keep them small."""
        presence = {
            current: "".join(
                f'<option value="{code}"{" selected" if value == current else ""}>'
                f"{escape(Presence(value).label)}"
                for code, value in PRESENCE_CODES.items()
            )
            for current in Presence.values
        }
        labels = {key: escape(label) for key, label in STANDING_LABELS.items()}
        nobody = escape(_("nobody (no deputy case)"))
        choose, yes = escape(_("choose")), escape(_("yes"))
        parts = []
        for row in self.rows:
            pk = row.person_id
            standing = labels[row.standing]
            if row.faction:
                standing += ", " + escape(row.faction)
            if row.candidates is None:
                deputy = ""
            elif row.inline:
                deputy = (
                    f'<select name="d{pk}" aria-labelledby="a{pk} cd">'
                    f'<option value="">{nobody}'
                    + "".join(
                        f'<option value="{other}"'
                        f"{' selected' if other == row.deputy_for_id else ''}>"
                        f"{escape(name)}"
                        for other, name in row.candidates
                    )
                    + "</select>"
                )
            else:
                deputy = (
                    f'{escape(row.deputy_for_name or "–")} <a href="{deputy_url(pk)}">{choose}</a>'
                )
            if row.counts:
                counts = yes
            elif row.represented_by:
                counts = escape(_("by %(name)s") % {"name": row.represented_by})
            else:
                counts = ""
            parts.append(
                f'<tr><th scope="row" id="a{pk}">{escape(row.name)}</th><td>{standing}</td>'
                f'<td><select name="p{pk}" aria-labelledby="a{pk} cp">{presence[row.presence]}'
                f"</select></td><td>{deputy}</td><td>{counts}</td></tr>\n"
            )
        return mark_safe("".join(parts))  # every value above is escaped


@dataclass(frozen=True)
class _Attending:
    person_id: int
    presence: str
    deputy_for_id: int | None
    name: str = ""

    @property
    def is_present(self) -> bool:
        return self.presence != Presence.ABSENT


def _standings(session: LiveSession, with_names: bool):
    """The session's attendance and the organization's current memberships as plain
    values, in two queries whatever the number of members."""
    from lotse.council.models import Membership, MembershipRole, current_memberships

    attendance = session.attendance.all()
    if with_names:
        rows = attendance.order_by(
            "person__family_name", "person__given_name", "person_id"
        ).values_list(
            "person_id",
            "presence",
            "deputy_for_id",
            "person__title",
            "person__given_name",
            "person__family_name",
        )
        attending = [
            _Attending(pid, presence, deputy, " ".join(p for p in names if p))
            for pid, presence, deputy, *names in rows
        ]
    else:
        attending = [
            _Attending(*values)
            for values in attendance.values_list("person_id", "presence", "deputy_for_id")
        ]
    memberships = (
        Membership.objects.filter(organization_id=session.organization_id)
        .filter(current_memberships())
        .order_by("pk")
        .values_list(
            "person_id",
            "role",
            "voting_right",
            "on_behalf_of_id",
            "on_behalf_of__name",
            "on_behalf_of__short_name",
        )
    )
    seats, by_person = [], {}
    for person_id, role, voting_right, faction_id, faction, short in memberships:
        is_seat = voting_right and role != MembershipRole.DEPUTY_MEMBER
        if is_seat:
            seats.append((person_id, faction_id))
        standing = SEAT if is_seat else DEPUTY if role == MembershipRole.DEPUTY_MEMBER else ADVISORY
        known = by_person.get(person_id)
        rank = (SEAT, DEPUTY, ADVISORY).index(standing)
        if known is None or rank < known[0]:
            by_person[person_id] = (rank, standing, faction_id, short or faction or "")
    return attending, seats, by_person


NO_STANDING = (2, ADVISORY, None, "")


def _summary(session, rows: dict, seats: list, by_person: dict):
    """Counts as ``services.quorum`` does: a seat is covered by its holder present in their
    own seat, or by a present deputy standing in for them."""
    deputy_of = {
        a.deputy_for_id: a.person_id for a in rows.values() if a.is_present and a.deputy_for_id
    }
    own = stood_in = 0
    counting = set()
    for person_id, _faction in seats:
        holder = rows.get(person_id)
        if holder is not None and holder.is_present and not holder.deputy_for_id:
            own += 1
            counting.add(person_id)
        elif person_id in deputy_of:
            stood_in += 1
            counting.add(deputy_of[person_id])
    present = [a for a in rows.values() if a.is_present]
    standing = {pid: by_person.get(pid, NO_STANDING)[1] for pid in rows}
    statutory = session.organization.statutory_members or len(seats)
    summary = Summary(
        seats=len(seats),
        statutory=statutory,
        needed=statutory * session.quorum_percent // 100 + 1,
        covered=own + stood_in,
        own=own,
        stood_in=stood_in,
        deputies_idle=sum(
            1 for a in present if standing[a.person_id] == DEPUTY and not a.deputy_for_id
        ),
        advisory=sum(1 for a in present if standing[a.person_id] == ADVISORY),
        present=len(present),
        statutory_set=bool(session.organization.statutory_members),
        quorum_percent=session.quorum_percent,
    )
    return summary, deputy_of, counting


def presence_summary(session: LiveSession) -> Summary:
    """The console's live status: two queries."""
    attending, seats, by_person = _standings(session, with_names=False)
    return _summary(session, {a.person_id: a for a in attending}, seats, by_person)[0]


def attendance_board(session: LiveSession) -> Board:
    """Every person of the organization with how they attend and what their presence
    counts for; deputies with the members they may stand in for (the seats of their
    Fraktion, or every seat when they have none). Two queries for any number of members."""
    attending, seats, by_person = _standings(session, with_names=True)
    by_id = {a.person_id: a for a in attending}
    summary, deputy_of, counting = _summary(session, by_id, seats, by_person)
    names = {a.person_id: a.name for a in attending}
    seat_names: dict[int | None, list[tuple[int, str]]] = {}
    for person_id, faction_id in sorted(seats, key=lambda seat: names.get(seat[0], "")):
        pair = (person_id, names.get(person_id, "?"))
        seat_names.setdefault(faction_id, []).append(pair)
        if faction_id is not None:
            seat_names.setdefault(None, []).append(pair)
    rows = []
    for a in attending:
        _rank, standing, faction_id, faction = by_person.get(a.person_id, NO_STANDING)
        row = Row(
            person_id=a.person_id,
            name=a.name,
            standing=standing,
            faction=faction,
            faction_id=faction_id,
            presence=a.presence,
            deputy_for_id=a.deputy_for_id,
            deputy_for_name=names.get(a.deputy_for_id, "") if a.deputy_for_id else "",
            represented_by=names.get(deputy_of.get(a.person_id), ""),
            counts=a.person_id in counting,
        )
        if standing == DEPUTY or a.deputy_for_id:
            row.candidates = seat_names.get(faction_id, [])
            if a.deputy_for_id and a.deputy_for_id not in {pk for pk, _n in row.candidates}:
                row.candidates = [*row.candidates, (a.deputy_for_id, row.deputy_for_name)]
        rows.append(row)
    return Board(rows=rows, summary=summary)
