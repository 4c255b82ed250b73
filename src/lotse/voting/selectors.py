"""What the live pages show: the state of a live meeting and the results of its polls, each
shaped by the kind of poll (named: per person; open: per Fraktion; secret: totals and the
protocol that lets anyone check the count)."""

from dataclasses import dataclass, field

from django.db.models import Count
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


def stamp(session_id: int) -> str:
    """A short fingerprint of everything the live pages show: it changes with every change
    of the session (``version``) and with every vote cast in its running poll."""
    row = LiveSession.objects.filter(pk=session_id).values_list("version", flat=True).first()
    if row is None:
        return ""
    cast = (
        Poll.objects.filter(session_id=session_id, state=PollState.OPEN)
        .values_list("pk", "cast")
        .first()
    )
    return f"{row}:{cast[0]}:{cast[1]}" if cast else f"{row}"


def item_for(user, body, item: AgendaItem | None):
    """(visible, label) of an agenda item for ``user``: a non-public item shows its number
    only to those who may not see it."""
    if item is None:
        return False, ""
    if council_selectors.can_see_item(user, item):
        return True, f"{item.number} {item.name}".strip()
    return False, council_selectors.masked_label(item)


def running_poll(session: LiveSession) -> Poll | None:
    return session.polls.filter(state=PollState.OPEN).select_related("agenda_item__meeting").first()


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
    presence_options: str = ""
    deputy_options: str = ""

    @property
    def standing_label(self) -> str:
        return STANDING_LABELS[self.standing]

    @property
    def is_present(self) -> bool:
        return self.presence != Presence.ABSENT

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

    @property
    def reached(self) -> bool:
        return self.covered >= self.needed


@dataclass
class Board:
    rows: list[Row]
    summary: Summary


def _standings(session: LiveSession, with_names: bool):
    """The session's attendance and the organization's current memberships, in two
    queries whatever the number of members."""
    from lotse.council.models import Membership, MembershipRole, current_memberships

    attendance = session.attendance.all()
    if with_names:
        attendance = attendance.select_related("person").order_by(
            "person__family_name", "person__given_name", "person_id"
        )
    memberships = (
        Membership.objects.filter(organization_id=session.organization_id)
        .filter(current_memberships())
        .select_related("on_behalf_of")
        .only(
            "person_id",
            "role",
            "voting_right",
            "on_behalf_of__name",
            "on_behalf_of__short_name",
        )
        .order_by("pk")
    )
    seats, by_person = [], {}
    for membership in memberships:
        is_seat = membership.voting_right and membership.role != MembershipRole.DEPUTY_MEMBER
        if is_seat:
            seats.append(membership)
        standing = (
            SEAT
            if is_seat
            else DEPUTY
            if membership.role == MembershipRole.DEPUTY_MEMBER
            else ADVISORY
        )
        known = by_person.get(membership.person_id)
        rank = (SEAT, DEPUTY, ADVISORY).index(standing)
        if known is None or rank < known[0]:
            by_person[membership.person_id] = (rank, standing, membership.on_behalf_of)
    return list(attendance), seats, by_person


def _summary(session, rows: dict, seats: list, standing_of) -> tuple[Summary, dict, set]:
    """Counts as ``services.quorum`` does: a seat is covered by its holder present in their
    own seat, or by a present deputy standing in for them."""
    deputy_of = {
        a.deputy_for_id: a.person_id for a in rows.values() if a.is_present and a.deputy_for_id
    }
    own = stood_in = 0
    counting = set()
    for seat in seats:
        holder = rows.get(seat.person_id)
        if holder is not None and holder.is_present and not holder.deputy_for_id:
            own += 1
            counting.add(seat.person_id)
        elif seat.person_id in deputy_of:
            stood_in += 1
            counting.add(deputy_of[seat.person_id])
    present = [a for a in rows.values() if a.is_present]
    statutory = session.organization.statutory_members or len(seats)
    summary = Summary(
        seats=len(seats),
        statutory=statutory,
        needed=statutory * session.quorum_percent // 100 + 1,
        covered=own + stood_in,
        own=own,
        stood_in=stood_in,
        deputies_idle=sum(
            1 for a in present if standing_of(a.person_id) == DEPUTY and not a.deputy_for_id
        ),
        advisory=sum(1 for a in present if standing_of(a.person_id) == ADVISORY),
        present=len(present),
    )
    return summary, deputy_of, counting


def presence_summary(session: LiveSession) -> Summary:
    """The console's live status: two queries."""
    attendance, seats, by_person = _standings(session, with_names=False)
    rows = {a.person_id: a for a in attendance}

    def standing_of(person_id):
        return by_person.get(person_id, (2, ADVISORY, None))[1]

    return _summary(session, rows, seats, standing_of)[0]


def attendance_board(session: LiveSession) -> Board:
    """Every person of the organization with how they attend and what their presence
    counts for; deputies with the members they may stand in for (the seats of their
    Fraktion, or every seat when they have none). Two queries for any number of members;
    the selects' options are built here, not in the template, to keep a thousand rows
    fast."""
    attendance, seats, by_person = _standings(session, with_names=True)
    by_id = {a.person_id: a for a in attendance}

    def standing_of(person_id):
        return by_person.get(person_id, (2, ADVISORY, None))[1]

    summary, deputy_of, counting = _summary(session, by_id, seats, standing_of)
    names = {a.person_id: a.person.name for a in attendance}
    seat_names: dict[int | None, list[tuple[int, str]]] = {}
    for seat in sorted(seats, key=lambda s: names.get(s.person_id, "")):
        pair = (seat.person_id, names.get(seat.person_id, "?"))
        seat_names.setdefault(seat.on_behalf_of_id, []).append(pair)
        if seat.on_behalf_of_id is not None:
            seat_names.setdefault(None, []).append(pair)
    presence_options = {
        current: mark_safe(
            "".join(
                f'<option value="{value}"{" selected" if value == current else ""}>'
                f"{escape(label)}</option>"
                for value, label in Presence.choices
            )
        )
        for current in Presence.values
    }
    none_label = escape(_("nobody (no deputy case)"))
    rows = []
    for a in attendance:
        _rank, standing, faction = by_person.get(a.person_id, (2, ADVISORY, None))
        row = Row(
            person_id=a.person_id,
            name=names[a.person_id],
            standing=standing,
            faction=(faction.short_name or faction.name) if faction else "",
            faction_id=faction.pk if faction else None,
            presence=a.presence,
            deputy_for_id=a.deputy_for_id,
            deputy_for_name=names.get(a.deputy_for_id, "") if a.deputy_for_id else "",
            represented_by=names.get(deputy_of.get(a.person_id), ""),
            counts=a.person_id in counting,
            presence_options=presence_options[a.presence],
        )
        if standing == DEPUTY or a.deputy_for_id:
            row.candidates = seat_names.get(row.faction_id if faction else None, [])
            if a.deputy_for_id and a.deputy_for_id not in {pk for pk, _n in row.candidates}:
                row.candidates = [*row.candidates, (a.deputy_for_id, row.deputy_for_name)]
            if row.inline:
                row.deputy_options = mark_safe(
                    f'<option value="">{none_label}</option>'
                    + "".join(
                        f'<option value="{pk}"{" selected" if pk == a.deputy_for_id else ""}>'
                        f"{escape(name)}</option>"
                        for pk, name in row.candidates
                    )
                )
        rows.append(row)
    return Board(rows=rows, summary=summary)
