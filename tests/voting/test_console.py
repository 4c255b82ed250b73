"""The chair console at the size of an assembly: attendance is one form, deputies choose
only among the seats they may stand in for, the page stays small, and the number of queries
does not grow with the members. And the quorum: who counts, and no poll after the chair has
found the meeting not beschlussfähig unless the law allows it (§ 49 GO NRW)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotse.council.models import (
    AgendaItem,
    Membership,
    MembershipRole,
    Organization,
    OrganizationType,
    Person,
)
from lotse.voting import selectors, services
from lotse.voting.models import Attendance, Poll, PollState, Presence, QuorumException
from tests.council.factories import MeetingFactory
from tests.factories import UserFactory, add_totp

pytestmark = pytest.mark.django_db


def url(committee, path=""):
    return f"/{committee.meeting.body.slug}/sitzungen/{committee.meeting.pk}/{path}"


def assembly(body, seats: int, deputies: int = 2, advisory: int = 1):
    """An organization with ``seats`` members with a vote in two Fraktionen, deputies of
    the second Fraktion and advisory members; the first seat chairs. Its live session,
    open."""
    organization = Organization.objects.create(body=body, name=f"Versammlung {seats}")
    factions = [
        Organization.objects.create(
            body=body, name=f"Fraktion {name}", organization_type=OrganizationType.FACTION
        )
        for name in "AB"
    ]
    count = seats + deputies + advisory
    people = Person.objects.bulk_create(
        Person(body=body, family_name=f"Mitglied {n:04d}", given_name="Ada") for n in range(count)
    )
    chair_user = UserFactory()
    add_totp(chair_user)  # whoever can run a meeting signs in with a second factor
    people[0].user = chair_user
    people[0].save(update_fields=["user"])
    memberships = []
    for n, person in enumerate(people):
        if n < seats:
            role = MembershipRole.CHAIR if n == 0 else MembershipRole.MEMBER
            memberships.append(
                Membership(
                    person=person,
                    organization=organization,
                    role=role,
                    on_behalf_of=factions[n % 2],
                )
            )
        elif n < seats + deputies:
            memberships.append(
                Membership(
                    person=person,
                    organization=organization,
                    role=MembershipRole.DEPUTY_MEMBER,
                    on_behalf_of=factions[1],
                )
            )
        else:
            memberships.append(
                Membership(
                    person=person,
                    organization=organization,
                    role=MembershipRole.ADVISORY,
                    voting_right=False,
                )
            )
    Membership.objects.bulk_create(memberships)
    meeting = MeetingFactory(body=body, organizations=[organization])
    AgendaItem.objects.create(meeting=meeting, order=1, number="Ö 1", name="Beschluss")
    session = services.start_session(chair_user, meeting)
    session = services.open_session(chair_user, session)
    return session, chair_user, people


def console(client, session):
    return client.get(f"/{session.body.slug}/sitzungen/{session.meeting_id}/sitzungsleitung/")


def test_the_console_makes_the_same_queries_for_10_and_200_members(client, body):
    counts, sizes = [], []
    for seats in (10, 200):
        session, chair, people = assembly(body, seats)
        # Some present, a deputy standing in, so every kind of row is drawn.
        services.set_attendance(
            chair,
            session,
            {p.pk: (Presence.ROOM, None) for p in people[: seats // 2]}
            | {people[seats].pk: (Presence.ONLINE, people[seats - 1].pk)},
        )
        client.force_login(chair)
        with CaptureQueriesContext(connection) as queries:
            page = console(client, session)
        assert page.status_code == 200
        counts.append(len(queries))
        sizes.append(len(page.content))
    assert counts[0] == counts[1], counts
    # Grows by the rows, not by rows × members: about 300 bytes a member.
    assert (sizes[1] - sizes[0]) / 190 < 300, sizes


def test_deputies_choose_only_among_the_seats_of_their_fraktion(client, body):
    session, chair, people = assembly(body, 10, deputies=1, advisory=1)
    client.force_login(chair)
    page = console(client, session).content.decode()
    deputy, advisory = people[10], people[11]
    # One select of deputies in the whole table: the deputy's, with Fraktion B's five seats.
    selects = re.findall(r'<select name="d(\d+)"[^>]*>(.*?)</select>', page)
    assert [int(pk) for pk, _options in selects] == [deputy.pk]
    options = re.findall(r'<option value="(\d+)"', selects[0][1])
    assert sorted(int(pk) for pk in options) == sorted(p.pk for p in people[1:10:2])
    assert f'name="d{advisory.pk}"' not in page
    assert "beratend, ohne Stimme" in page
    assert "Stellvertretung, Fraktion B" in page


def test_a_large_fraktion_is_chosen_on_a_page_of_its_own(client, body):
    session, chair, people = assembly(body, 100, deputies=1, advisory=0)
    deputy = people[100]
    client.force_login(chair)
    page = console(client, session).content.decode()
    assert f'name="d{deputy.pk}"' not in page
    link = f"/{body.slug}/sitzungen/{session.meeting_id}/sitzungsleitung/vertretung/{deputy.pk}/"
    assert link in page
    choice = client.get(link).content.decode()
    select = re.search(r'<select name="deputy_for".*?</select>', choice).group(0)
    assert select.count("<option") == 51  # nobody, and Fraktion B's 50 seats
    services.set_attendance(chair, session, {deputy.pk: (Presence.ONLINE, None)})
    client.post(link, {"deputy_for": people[1].pk})
    assert Attendance.objects.get(session=session, person=deputy).deputy_for_id == people[1].pk
    client.post(link, {"deputy_for": people[2].pk})  # Fraktion A: refused
    assert Attendance.objects.get(session=session, person=deputy).deputy_for_id == people[1].pk


def test_attendance_is_saved_at_once_and_counted_as_the_quorum_counts(client, body):
    session, chair, people = assembly(body, 10, deputies=1, advisory=1)
    deputy, advisory = people[10], people[11]
    client.force_login(chair)
    page = console(client, session).content.decode()
    since = re.search(r'name="since" value="([^"]+)"', page).group(1)
    data = {f"p{p.pk}": "a" for p in people}  # absent
    data |= {f"p{p.pk}": "s" for p in people[:5]}  # in the room: 3 of A, 2 of B
    data |= {
        f"p{deputy.pk}": "s",
        f"d{deputy.pk}": str(people[9].pk),  # B's absent seat
        f"p{advisory.pk}": "o",  # online
        "since": since,
    }
    answer = client.post(url_of(session, "sitzungsleitung/anwesenheit/"), data)
    assert answer.status_code == 302
    summary = selectors.presence_summary(session)
    assert (summary.covered, summary.own, summary.stood_in, summary.advisory) == (6, 5, 1, 1)
    assert summary.present == 7
    assert services.quorum(session).present == summary.covered
    page = console(client, session).content.decode()
    assert "6 von 10 Mitgliedern mit Stimme anwesend" in page
    assert "1 beratendes Mitglied" in page


def test_the_attendance_form_answers_htmx_with_its_part(client, body):
    session, chair, people = assembly(body, 4, deputies=0, advisory=0)
    client.force_login(chair)
    answer = client.post(
        url_of(session, "sitzungsleitung/anwesenheit/"),
        {f"p{people[1].pk}": "o"},
        HTTP_HX_REQUEST="true",
    )
    text = answer.content.decode()
    assert answer.status_code == 200
    assert text.startswith('<section id="attendance"')
    assert 'hx-swap-oob="true"' in text
    assert "1 Änderung" in text
    assert "<html" not in text


def test_a_member_who_checked_in_meanwhile_is_not_overwritten(body):
    session, chair, people = assembly(body, 4, deputies=0, advisory=0)
    from django.utils import timezone

    shown = timezone.now()
    member = people[2]
    member.user = UserFactory()
    member.save(update_fields=["user"])
    services.check_in(member.user, session)
    saved = services.set_attendance(
        chair,
        session,
        {member.pk: (Presence.ABSENT, None), people[1].pk: (Presence.ROOM, None)},
        since=shown,
    )
    assert [row.person_id for row in saved] == [people[1].pk]
    assert saved.skipped == [member.name]
    assert Attendance.objects.get(session=session, person=member).presence == Presence.ONLINE


def test_attendance_refuses_two_deputies_for_one_seat_and_a_seat_without_a_vote(body):
    session, chair, people = assembly(body, 4, deputies=2, advisory=1)
    with pytest.raises(ValidationError):
        services.set_attendance(
            chair,
            session,
            {
                people[4].pk: (Presence.ROOM, people[3].pk),
                people[5].pk: (Presence.ROOM, people[3].pk),
            },
        )
    with pytest.raises(ValidationError):
        services.set_attendance(chair, session, {people[4].pk: (Presence.ROOM, people[6].pk)})
    assert not Attendance.objects.filter(session=session, deputy_for__isnull=False).exists()


def url_of(session, path):
    return f"/{session.body.slug}/sitzungen/{session.meeting_id}/{path}"


def test_no_poll_starts_after_the_meeting_was_found_not_beschlussfaehig(client, body):
    session, chair, people = assembly(body, 10, deputies=0, advisory=0)
    services.set_attendance(chair, session, {p.pk: (Presence.ROOM, None) for p in people[:3]})
    client.force_login(chair)
    client.post(url_of(session, "sitzungsleitung/beschlussunfaehigkeit/"))
    session.refresh_from_db()
    assert session.quorum_lacking
    item = session.meeting.agenda_items.get()
    poll = services.create_poll(chair, session, item, "offen", "Zustimmung.", "einfach")
    answer = client.post(url_of(session, f"sitzungsleitung/abstimmungen/{poll.pk}/starten/"))
    assert answer.status_code == 302
    poll.refresh_from_db()
    assert poll.state == PollState.CREATED
    page = client.get(answer["Location"]).content.decode()
    assert "nicht beschlussfähig" in page
    assert "§ 49 GO NRW" in page

    # § 49 Abs. 2: the chair records the second meeting and its reason; then it may decide.
    refused = client.post(
        url_of(session, "sitzungsleitung/ausnahme/"),
        {"case": QuorumException.SECOND_MEETING, "reason": ""},
    )
    assert refused.status_code == 302
    session.refresh_from_db()
    assert session.quorum_lacking
    client.post(
        url_of(session, "sitzungsleitung/ausnahme/"),
        {
            "case": QuorumException.SECOND_MEETING,
            "reason": "Zweite Sitzung zu Ö 1 nach der Sitzung vom 3. November; Hinweis in "
            "der Ladung vom 10. November.",
        },
    )
    session.refresh_from_db()
    assert not session.quorum_lacking
    assert session.history.filter(quorum_exception=QuorumException.SECOND_MEETING).exists()
    services.open_poll(chair, poll)
    assert Poll.objects.get(pk=poll.pk).state == PollState.OPEN


def test_a_quorum_established_again_lets_polls_start(body):
    session, chair, people = assembly(body, 10, deputies=0, advisory=0)
    services.find_no_quorum(chair, session)
    session.refresh_from_db()
    item = session.meeting.agenda_items.get()
    poll = services.create_poll(chair, session, item, "offen", "Zustimmung.", "einfach")
    with pytest.raises(ValidationError, match="§ 49 GO NRW"):
        services.open_poll(chair, poll)
    services.set_attendance(chair, session, {p.pk: (Presence.ROOM, None) for p in people[:6]})
    services.establish_quorum(chair, session)
    session.refresh_from_db()
    assert not session.quorum_lacking
    assert services.open_poll(chair, poll).state == PollState.OPEN


def test_the_running_meeting_is_listed_under_today_as_running(client, body):
    import datetime

    from django.utils import timezone

    session, _chair, _people = assembly(body, 4, deputies=0, advisory=0)
    meeting = session.meeting
    meeting.start = timezone.now() - datetime.timedelta(days=1)  # began before midnight
    meeting.end = None
    meeting.state = "eingeladen"
    meeting.save()
    page = client.get(f"/{body.slug}/sitzungen/").content.decode()
    today, past = page.split("Vergangene Sitzungen")
    assert "Heute / laufend" in today
    assert meeting.name in today and meeting.name not in past
    row = re.search(rf"{re.escape(meeting.name)}.*?</tr>", today, re.S).group(0)
    assert "läuft" in row and "eingeladen" not in row


def test_the_member_page_names_the_item_of_the_running_poll_and_plurals_are_right(
    client, committee
):
    chair = committee.seats[0].user
    session = services.open_session(chair, services.start_session(chair, committee.meeting))
    services.set_attendance(chair, session, {committee.seats[0].pk: (Presence.ROOM, None)})
    services.check_in(committee.seats[1].user, session)  # online
    poll = services.create_poll(chair, session, committee.item, "offen", "Zustimmung.", "einfach")
    services.open_poll(chair, poll)
    client.force_login(committee.seats[1].user)
    page = client.get(url(committee, "abstimmen/")).content.decode()
    assert f"Abstimmung zu Ö 1 {committee.item.name}" in page
    assert "Sitzung verlassen" in page
    services.cast_vote(committee.seats[1].user, poll, "enthaltung")
    client.force_login(chair)
    answer = client.post(url(committee, f"sitzungsleitung/abstimmungen/{poll.pk}/schliessen/"))
    text = client.get(answer["Location"]).content.decode()
    assert "0 Ja, 0 Nein, 1 Enthaltung." in text


def test_the_console_says_where_the_statutory_number_comes_from(client, body):
    session, chair, _people = assembly(body, 7, deputies=0, advisory=0)
    client.force_login(chair)
    page = console(client, session).content.decode()
    assert "0 von 7 Mitgliedern mit Stimme anwesend" in page
    assert "Gesetzliche Mitgliederzahl: 7, die Sitze mit Stimme" in page
    assert "Beschlussfähig, wenn mehr als 50 % von ihnen anwesend sind, also 4." in page
    session.organization.statutory_members = 11
    session.organization.save(update_fields=["statutory_members"])
    page = console(client, session).content.decode()
    assert "0 von 11 Mitgliedern mit Stimme anwesend" in page
    assert (
        "Gesetzliche Mitgliederzahl: 11, wie für dieses Gremium festgelegt "
        "(7 Sitze mit Stimme sind besetzt)." in page
    )
    assert "also 6." in page
