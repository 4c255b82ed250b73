"""The live meeting demo: a meeting of the Unterausschuss Digitalisierung today, its live
session prepared, the chair and five members with demo logins that need no TOTP; loaded
twice without duplicates; and the done-when flow over HTTP with those logins."""

import datetime
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from lotse.accounts.demo import DEMO_PASSWORD
from lotse.accounts.models import BodyRole, User
from lotse.council.models import Meeting, MembershipRole
from lotse.voting import demo as voting_demo
from lotse.voting.models import Ballot, LiveSession, Poll, PollState, Presence, SessionState
from tests.factories import add_totp

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]

CHAIR = "ratsmitglied@musterstadt.example"


def load_demo():
    call_command("demo", stdout=StringIO())


def counts():
    models = [*apps.get_app_config("voting").get_models(), Meeting, User]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def meeting():
    return Meeting.objects.get(name=voting_demo.MEETING_NAME)


def url(meeting, path=""):
    return f"/{meeting.body.slug}/sitzungen/{meeting.pk}/{path}"


def test_demo_is_ready_to_run_live_and_loads_twice(meeting, client):
    """Loading the demo is slow, so one test checks everything after the first load."""
    check_meeting_is_ready_to_run_live(meeting)
    check_logins_are_the_chair_and_voting_members_without_totp(meeting, client)
    check_loads_twice_and_an_untouched_meeting_moves_to_today(meeting)


def check_meeting_is_ready_to_run_live(meeting):
    assert timezone.localdate(meeting.start) == timezone.localdate()
    assert meeting.is_hybrid
    committee = meeting.organizations.get()
    assert committee.name == "Unterausschuss Digitalisierung"
    items = list(meeting.agenda_items.order_by("order"))
    assert len(items) >= 3
    assert [item.is_public for item in items].count(False) == 1
    assert not any(hasattr(item, "decision") for item in items)

    session = LiveSession.objects.get(meeting=meeting)
    assert session.state == SessionState.PREPARED
    assert session.organization == committee
    assert not session.polls.exists()
    members = set(committee.memberships.values_list("person_id", flat=True))
    attendance = session.attendance.all()
    assert {a.person_id for a in attendance} == members
    assert {a.presence for a in attendance} == {Presence.ABSENT}


def check_logins_are_the_chair_and_voting_members_without_totp(meeting, client):
    session = LiveSession.objects.get(meeting=meeting)
    chair = User.objects.get(email=CHAIR)
    assert (
        chair.council_persons.get()
        .memberships.filter(organization=session.organization, role=MembershipRole.CHAIR)
        .exists()
    )
    assert chair.has_perm("voting.run_meeting", session)

    listed = [email for _label, email in voting_demo.demo_logins()]
    assert len(listed) == len(set(listed)) >= 3
    for email in listed:
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        person = user.council_persons.get(body=meeting.body)
        seat = person.memberships.get(organization=session.organization)
        assert seat.voting_right and seat.role != MembershipRole.DEPUTY_MEMBER
        assert not user.has_perm("voting.run_meeting", session)
        assert not BodyRole.objects.filter(user=user).exists()
        # Signed in, the member page opens: no TOTP set-up is asked first.
        client.force_login(user)
        response = client.get(url(meeting, "abstimmen/"))
        assert response.status_code == 200, email
        assert person.name in response.content.decode()
    assert not BodyRole.objects.filter(user=chair).exists()


def check_loads_twice_and_an_untouched_meeting_moves_to_today(meeting):
    first = counts()
    printed = StringIO()
    call_command("demo", "--logins", stdout=printed)  # the second load, as `make run` does
    assert counts() == first
    listed = printed.getvalue()
    for email in ("sitzungsdienst@musterstadt.example", CHAIR, "mitglied1@musterstadt.example"):
        assert email in listed

    earlier = meeting.start - datetime.timedelta(days=3)
    Meeting.objects.filter(pk=meeting.pk).update(start=earlier, end=earlier)
    load_demo()
    meeting.refresh_from_db()
    assert timezone.localdate(meeting.start) == timezone.localdate()
    assert counts() == first

    # Once the chair has touched it, the meeting keeps its date.
    LiveSession.objects.filter(meeting=meeting).update(version=1)
    Meeting.objects.filter(pk=meeting.pk).update(start=earlier, end=earlier)
    load_demo()
    meeting.refresh_from_db()
    assert meeting.start == earlier


def test_done_when_flow_with_the_demo_logins(meeting, client):
    """As chair: open, mark attendance, open a secret poll; three members vote; close and
    publish; the display shows totals only and the meeting page the decision."""
    session = LiveSession.objects.get(meeting=meeting)
    item = meeting.agenda_items.get(number="Ö 2")
    members = [User.objects.get(email=email) for _label, email in voting_demo.demo_logins()]
    # The chair runs binding votes and so has set up a second factor; the demo's voting
    # members of Musterstadt vote without one (the demo switches Body.voters_need_mfa off).
    add_totp(User.objects.get(email=CHAIR))
    client.force_login(User.objects.get(email=CHAIR))
    client.post(url(meeting, "sitzungsleitung/eroeffnen/"))
    for user in [User.objects.get(email=CHAIR), *members[:3]]:
        person = user.council_persons.get()
        response = client.post(
            url(meeting, "sitzungsleitung/anwesenheit/"),
            {"person": person.pk, "presence": Presence.ROOM, "deputy_for": ""},
        )
        assert response.status_code == 302
    client.post(url(meeting, "sitzungsleitung/top/"), {"agenda_item": item.pk})
    client.post(
        url(meeting, "sitzungsleitung/abstimmung/"),
        {
            "agenda_item": item.pk,
            "motion": "Der Unterausschuss empfiehlt die Richtlinie.",
            "kind": "geheim",
            "majority": "einfach",
        },
    )
    poll = Poll.objects.get(session=session)
    client.post(url(meeting, f"sitzungsleitung/abstimmungen/{poll.pk}/starten/"))
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN and poll.eligible == 4

    for user, option in zip(members[:3], ["ja", "ja", "nein"], strict=True):
        client.force_login(user)
        cast = url(meeting, f"abstimmen/stimme/{poll.pk}/")
        assert client.post(cast, {"option": option}).status_code == 200  # the confirmation
        assert client.post(cast, {"option": option, "confirmed": "1"}).status_code == 303
        assert client.post(cast, {"option": "nein", "confirmed": "1"}).status_code == 409

    client.logout()
    client.force_login(User.objects.get(email=CHAIR))
    client.post(url(meeting, f"sitzungsleitung/abstimmungen/{poll.pk}/schliessen/"))
    client.post(url(meeting, f"sitzungsleitung/abstimmungen/{poll.pk}/veroeffentlichen/"))
    poll.refresh_from_db()
    assert (poll.state, poll.yes, poll.no, poll.abstain) == (PollState.PUBLISHED, 2, 1, 0)
    assert Ballot.objects.filter(poll=poll).exclude(option="").count() == 3

    client.logout()
    display = client.get(url(meeting, "live/")).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", display))
    assert "Angenommen" in text
    for user in members[:3]:
        assert user.council_persons.get().family_name not in text
    page = client.get(url(meeting)).content.decode()
    decision = item.decision
    assert decision.votes_for == 2 and decision.votes_against == 1
    assert decision.number in page
