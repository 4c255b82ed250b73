"""What the live pages show: the state of a live meeting and the results of its polls, each
shaped by the kind of poll (named: per person; open: per Fraktion; secret: totals and the
protocol that lets anyone check the count)."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from lotse.council import selectors as council_selectors
from lotse.council.models import AgendaItem, Meeting
from lotse.voting.models import (
    Ballot,
    LiveSession,
    Poll,
    PollKind,
    PollState,
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
