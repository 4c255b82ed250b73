"""Running a meeting live: attendance, quorum, polls of every kind, and the decision a closed
poll writes. Each guarantee of issue 6 point 8 that does not need a real server is here."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.council.models import Decision, DecisionOutcome, MeetingState
from lotse.voting import services
from lotse.voting.models import (
    Ballot,
    Majority,
    PollKind,
    PollState,
    Presence,
    SessionState,
    Vote,
    Voter,
)
from lotse.voting.services import VoteRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair(committee):
    return committee.seats[0].user


@pytest.fixture
def session(committee, chair):
    return services.open_session(chair, services.start_session(chair, committee.meeting))


def attend(session, chair, people, presence=Presence.ROOM):
    for person in people:
        services.set_presence(chair, session, person, presence)


def poll_of(session, chair, committee, kind=PollKind.OPEN, majority=Majority.SIMPLE):
    poll = services.create_poll(chair, session, committee.item, kind, "Wir stimmen zu.", majority)
    return services.open_poll(chair, poll)


def test_only_the_chair_or_council_office_runs_the_meeting(committee, citizen, body, make_member):
    with pytest.raises(PermissionDenied):
        services.start_session(committee.seats[1].user, committee.meeting)
    with pytest.raises(PermissionDenied):
        services.start_session(citizen, committee.meeting)
    office = make_member(body, "council_office")
    session = services.start_session(office, committee.meeting)
    assert session.organization == committee.organization
    # Everyone with a seat, the deputy and the advisory member are listed, absent.
    assert session.attendance.count() == 7
    assert set(session.attendance.values_list("presence", flat=True)) == {Presence.ABSENT}


def test_quorum_needs_more_than_half_of_the_statutory_members(session, chair, committee):
    attend(session, chair, committee.seats[:2])
    assert services.quorum(session).present == 2
    assert not services.quorum(session).reached
    with pytest.raises(ValidationError, match=r"beschlussfähig|No quorum"):
        services.establish_quorum(chair, session)
    # The deputy, present for an absent member, counts for that seat.
    services.set_presence(chair, session, committee.deputy, Presence.ONLINE, committee.seats[4])
    assert services.quorum(session).present == 3
    established = services.establish_quorum(chair, session)
    assert established.reached
    session.refresh_from_db()
    assert session.quorum_present == 3
    assert session.quorum_established_by == chair


def test_members_check_in_online_themselves_but_not_into_the_room(session, committee):
    member = committee.seats[2].user
    services.check_in(member, session)
    assert session.attendance.get(person=committee.seats[2]).presence == Presence.ONLINE
    with pytest.raises(ValidationError):
        services.check_in(member, session, Presence.ROOM)


def test_outsiders_cannot_check_in(session, citizen):
    with pytest.raises(PermissionDenied):
        services.check_in(citizen, session)


def test_eligible_are_present_seats_not_befangen_and_deputies_for_absent_members(
    session, chair, committee
):
    attend(session, chair, committee.seats[:3])
    attend(session, chair, [committee.advisory])
    services.set_presence(chair, session, committee.deputy, Presence.ONLINE, committee.seats[4])
    services.declare_conflict(committee.seats[2].user, session, committee.item)
    poll = poll_of(session, chair, committee)
    voters = {(v.person_id, v.cast_by_id) for v in Voter.objects.filter(poll=poll)}
    seats = committee.seats
    assert voters == {
        (seats[0].pk, seats[0].pk),
        (seats[1].pk, seats[1].pk),
        (seats[4].pk, committee.deputy.pk),
    }
    assert poll.eligible == 3
    assert poll.statutory_members == 5


def test_a_vote_counts_once_and_a_second_is_refused(session, chair, committee):
    attend(session, chair, committee.seats)
    poll = poll_of(session, chair, committee)
    services.cast_vote(committee.seats[1].user, poll, "ja")
    with pytest.raises(VoteRefused, match=r"bereits|already"):
        services.cast_vote(committee.seats[1].user, poll, "nein")
    assert Vote.objects.filter(poll=poll).count() == 1
    assert Voter.objects.filter(poll=poll, has_voted=True).count() == 1
    poll.refresh_from_db()
    assert poll.cast == 0  # a vote never writes the poll's row; the close counts
    assert services.close_poll(chair, poll).cast == 1


def test_nobody_ineligible_can_vote(session, chair, committee, citizen, make_member, body):
    attend(session, chair, committee.seats[:4])
    attend(session, chair, [committee.advisory])
    services.declare_conflict(committee.seats[3].user, session, committee.item)
    outsider = make_member(body, "council_office")
    poll = poll_of(session, chair, committee)
    from django.contrib.auth.models import AnonymousUser

    for user in (
        committee.seats[4].user,  # absent
        committee.seats[3].user,  # befangen
        committee.advisory.user,  # no voting right
        committee.deputy.user,  # deputy for nobody
        citizen,  # not a member
        outsider,  # council office: runs meetings, has no seat
        AnonymousUser(),
    ):
        with pytest.raises(VoteRefused):
            services.cast_vote(user, poll, "ja")
    assert not Voter.objects.filter(poll=poll, has_voted=True).exists()
    assert not Vote.objects.filter(poll=poll).exists()


def test_votes_after_close_are_refused(session, chair, committee):
    attend(session, chair, committee.seats)
    poll = poll_of(session, chair, committee)
    services.cast_vote(committee.seats[1].user, poll, "ja")
    services.close_poll(chair, poll)
    with pytest.raises(VoteRefused, match=r"nicht geöffnet|not open"):
        services.cast_vote(committee.seats[2].user, poll, "ja")


def test_open_poll_writes_the_decision_with_counts(session, chair, committee):
    attend(session, chair, committee.seats)
    poll = poll_of(session, chair, committee)
    for person, option in zip(
        committee.seats, ["ja", "ja", "ja", "nein", "enthaltung"], strict=True
    ):
        services.cast_vote(person.user, poll, option)
    poll = services.close_poll(chair, poll)
    assert (poll.yes, poll.no, poll.abstain, poll.adopted) == (3, 1, 1, True)
    decision = Decision.objects.get(agenda_item=committee.item)
    assert decision == poll.decision
    assert decision.outcome == DecisionOutcome.ADOPTED
    assert (decision.votes_for, decision.votes_against, decision.abstentions) == (3, 1, 1)
    assert not decision.unanimous
    assert decision.number


def test_unanimous_and_rejected(session, chair, committee):
    attend(session, chair, committee.seats)
    poll = poll_of(session, chair, committee, majority=Majority.TWO_THIRDS_STATUTORY)
    for person in committee.seats[:3]:
        services.cast_vote(person.user, poll, "ja")
    poll = services.close_poll(chair, poll)
    # 3 of 5 statutory members is short of two thirds (4), though everyone voted yes.
    assert poll.adopted is False
    decision = poll.decision
    assert decision.outcome == DecisionOutcome.REJECTED
    assert decision.unanimous


def test_secret_ballots_hold_no_link_to_the_voter(session, chair, committee):
    attend(session, chair, committee.seats)
    poll = poll_of(session, chair, committee, kind=PollKind.SECRET)
    assert Ballot.objects.filter(poll=poll, option="").count() == 5
    for person, option in zip(committee.seats[:4], ["ja", "nein", "ja", "enthaltung"], strict=True):
        services.cast_vote(person.user, poll, option)
    assert not Vote.objects.filter(poll=poll).exists()
    field_names = {f.name for f in Ballot._meta.get_fields()}
    assert field_names == {"id", "poll", "option"}
    poll = services.close_poll(chair, poll)
    assert (poll.yes, poll.no, poll.abstain) == (2, 1, 1)
    voted = Voter.objects.filter(poll=poll, has_voted=True).count()
    filled = Ballot.objects.filter(poll=poll).exclude(option="").count()
    assert voted == filled == poll.cast == 4


def test_show_of_hands_is_entered_by_the_chair(session, chair, committee):
    attend(session, chair, committee.seats[:4])
    poll = poll_of(session, chair, committee, kind=PollKind.ANALOG)
    with pytest.raises(VoteRefused):
        services.cast_vote(committee.seats[1].user, poll, "ja")
    with pytest.raises(ValidationError, match=r"anwesend|present"):
        services.enter_show_of_hands(chair, poll, 4, 1, 0)
    poll = services.enter_show_of_hands(chair, poll, 2, 2, 0)
    assert poll.adopted is False  # a tie fails
    assert poll.decision.outcome == DecisionOutcome.REJECTED


def test_poll_lifecycle_is_kept_with_who_and_when(session, chair, committee):
    attend(session, chair, committee.seats)
    poll = poll_of(session, chair, committee)
    services.cast_vote(committee.seats[1].user, poll, "ja")
    services.close_poll(chair, poll)
    poll = services.publish_poll(chair, poll)
    assert poll.state == PollState.PUBLISHED
    assert poll.created_by == poll.opened_by == poll.closed_by == poll.published_by == chair
    assert poll.opened_at <= poll.closed_at <= poll.published_at
    states = list(poll.history.order_by("history_date").values_list("state", flat=True))
    assert states == ["angelegt", "laeuft", "geschlossen", "veroeffentlicht"]


def test_only_one_poll_runs_at_a_time_and_cancelling_discards_votes(session, chair, committee):
    attend(session, chair, committee.seats)
    poll = poll_of(session, chair, committee)
    services.cast_vote(committee.seats[1].user, poll, "ja")
    second = services.create_poll(
        chair, session, committee.item, PollKind.OPEN, "Änderungsantrag", Majority.SIMPLE
    )
    with pytest.raises(ValidationError):
        services.open_poll(chair, second)
    services.cancel_poll(chair, poll)
    assert not Vote.objects.filter(poll=poll).exists()
    with pytest.raises(VoteRefused):
        services.cast_vote(committee.seats[2].user, poll, "ja")
    services.open_poll(chair, second)


def test_closing_the_meeting_marks_it_held(session, chair, committee):
    services.close_session(chair, session)
    session.refresh_from_db()
    committee.meeting.refresh_from_db()
    assert session.state == SessionState.CLOSED
    assert committee.meeting.state == MeetingState.HELD


def test_every_change_bumps_the_version(session, chair, committee):
    before = type(session).objects.get(pk=session.pk).version
    services.set_presence(chair, session, committee.seats[1], Presence.ONLINE)
    services.set_current_item(chair, session, committee.item)
    after = type(session).objects.get(pk=session.pk).version
    assert after == before + 2
