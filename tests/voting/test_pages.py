"""The live pages over HTTP: the chair console runs a meeting from preparing it to a
published result, members check in and vote with a confirmation, the public display shows
what the kind of poll allows, and the event stream reports changes."""

import pytest
from django.db import connection
from django.test import override_settings

from lotse.council.models import Decision
from lotse.voting import services
from lotse.voting.models import LiveSession, Poll, PollState, Presence, Vote

pytestmark = pytest.mark.django_db


def url(committee, path=""):
    return f"/{committee.meeting.body.slug}/sitzungen/{committee.meeting.pk}/{path}"


@pytest.fixture
def chair(committee):
    return committee.seats[0].user


def run_to_open_poll(client, committee, chair, kind="offen"):
    client.force_login(chair)
    assert client.post(url(committee, "sitzungsleitung/vorbereiten/")).status_code == 302
    client.post(url(committee, "sitzungsleitung/eroeffnen/"))
    session = LiveSession.objects.get(meeting=committee.meeting)
    for person in committee.seats:
        client.post(
            url(committee, "sitzungsleitung/anwesenheit/"),
            {"person": person.pk, "presence": Presence.ROOM, "deputy_for": ""},
        )
    client.post(url(committee, "sitzungsleitung/beschlussfaehigkeit/"))
    client.post(url(committee, "sitzungsleitung/top/"), {"agenda_item": committee.item.pk})
    client.post(
        url(committee, "sitzungsleitung/abstimmung/"),
        {
            "agenda_item": committee.item.pk,
            "motion": "Der Ausschuss stimmt der Vorlage zu.",
            "kind": kind,
            "majority": "einfach",
        },
    )
    poll = Poll.objects.get(session=session)
    client.post(url(committee, f"sitzungsleitung/abstimmungen/{poll.pk}/starten/"))
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN
    return poll


def test_console_is_for_the_chair_and_the_council_office_only(client, committee, citizen):
    assert client.get(url(committee, "sitzungsleitung/")).status_code == 302  # to the login
    client.force_login(citizen)
    assert client.get(url(committee, "sitzungsleitung/")).status_code == 403
    client.force_login(committee.seats[1].user)
    assert client.get(url(committee, "sitzungsleitung/")).status_code == 403
    assert client.post(url(committee, "sitzungsleitung/vorbereiten/")).status_code == 403
    assert not LiveSession.objects.exists()
    client.force_login(committee.seats[0].user)
    page = client.get(url(committee, "sitzungsleitung/"))
    assert page.status_code == 200
    assert "Live-Sitzung vorbereiten" in page.content.decode()


def test_a_secret_poll_from_console_to_display(client, committee, chair):
    poll = run_to_open_poll(client, committee, chair, kind="geheim")
    page = client.get(url(committee, "sitzungsleitung/")).content.decode()
    assert "Beschlussfähigkeit festgestellt" in page
    assert "0 von 5 Stimmen abgegeben" in page

    voter = committee.seats[1]
    client.force_login(voter.user)
    member = client.get(url(committee, "abstimmen/")).content.decode()
    assert "Der Ausschuss stimmt der Vorlage zu." in member
    confirm = client.post(url(committee, f"abstimmen/stimme/{poll.pk}/"), {"option": "ja"})
    assert confirm.status_code == 200
    assert "Stimme „Ja“ abgeben" in confirm.content.decode()
    assert not poll.voters.filter(has_voted=True).exists()  # nothing before the confirmation
    cast = client.post(
        url(committee, f"abstimmen/stimme/{poll.pk}/"), {"option": "ja", "confirmed": "True"}
    )
    assert cast.status_code == 303
    again = client.post(
        url(committee, f"abstimmen/stimme/{poll.pk}/"), {"option": "nein", "confirmed": "True"}
    )
    assert again.status_code == 409
    assert "bereits abgestimmt" in again.content.decode()
    for person, option in ((committee.seats[2], "nein"), (committee.seats[3], "ja")):
        client.force_login(person.user)
        client.post(
            url(committee, f"abstimmen/stimme/{poll.pk}/"), {"option": option, "confirmed": "1"}
        )

    client.force_login(chair)
    client.post(url(committee, f"sitzungsleitung/abstimmungen/{poll.pk}/schliessen/"))
    poll.refresh_from_db()
    assert (poll.yes, poll.no, poll.abstain, poll.adopted) == (2, 1, 0, True)
    client.logout()
    before = client.get(url(committee, "live/")).content.decode()
    assert "Letztes Ergebnis" not in before  # closed, not yet published
    client.force_login(chair)
    client.post(url(committee, f"sitzungsleitung/abstimmungen/{poll.pk}/veroeffentlichen/"))
    client.logout()
    display = client.get(url(committee, "live/")).content.decode()
    assert "Letztes Ergebnis" in display
    assert "Protokoll der geheimen Abstimmung" in display
    for person in committee.seats:
        assert person.family_name not in display  # totals only
    decision = Decision.objects.get(agenda_item=committee.item)
    assert (decision.votes_for, decision.votes_against) == (2, 1)
    meeting_page = client.get(url(committee)).content.decode()
    assert decision.number in meeting_page


def test_named_poll_shows_each_member_and_open_poll_each_fraktion(client, committee, chair):
    poll = run_to_open_poll(client, committee, chair, kind="namentlich")
    services.cast_vote(committee.seats[1].user, poll, "nein")
    services.close_poll(chair, poll)
    services.publish_poll(chair, poll)
    client.logout()
    display = client.get(url(committee, "live/")).content.decode()
    assert committee.seats[1].family_name in display
    assert "Namentliche Abstimmung" in display


def test_a_cast_sent_by_htmx_is_answered_in_place(
    client, committee, chair, citizen, django_assert_num_queries
):
    """The confirmation's form posts through htmx: the answer is the fragment that replaces
    it (200; no redirect, no member page, no query beyond the session, the user and the
    vote), a second press the reason in place (409); without JavaScript 303 as before."""
    poll = run_to_open_poll(client, committee, chair, kind="geheim")
    confirm = client.post(url(committee, f"abstimmen/stimme/{poll.pk}/"), {"option": "ja"})
    assert (
        'hx-post="' in confirm.content.decode() and 'id="cast-answer"' in confirm.content.decode()
    )
    cast_url = url(committee, f"abstimmen/stimme/{poll.pk}/")
    confirmed = {"option": "ja", "confirmed": "True"}
    client.force_login(committee.seats[1].user)
    client.post(cast_url, {"option": "nein"}, headers={"HX-Request": "true"})  # warm the poll
    # The session, the user, and the vote in its savepoint (the test's transaction): one
    # statement on PostgreSQL, the mark and the ballot on SQLite.
    with django_assert_num_queries(6 if connection.vendor == "sqlite" else 5):
        cast = client.post(cast_url, confirmed, headers={"HX-Request": "true"})
    assert cast.status_code == 200
    assert "Location" not in cast
    text = cast.content.decode()
    assert "Sie haben abgestimmt. Eine abgegebene Stimme ist endgültig." in text
    assert "autofocus" in text and url(committee, "abstimmen/") in text
    assert "<html" not in text
    # The confirmation listens for the meeting's changes, and the answer brings a live part
    # that loads the member page's poll part when the next poll starts.
    assert 'data-live-stamp="' + url(committee, "live/stempel/") in confirm.content.decode()
    assert f'data-live-part="version" hx-get="{url(committee, "abstimmen/stand/")}"' in text, text
    assert poll.voters.filter(has_voted=True).count() == 1
    again = client.post(cast_url, confirmed, headers={"HX-Request": "true"})
    assert again.status_code == 409
    assert "bereits abgestimmt" in again.content.decode() and "<html" not in again.content.decode()
    assert poll.voters.filter(has_voted=True).count() == 1
    client.force_login(committee.seats[2].user)
    plain = client.post(cast_url, confirmed)
    assert plain.status_code == 303 and plain["Location"] == url(committee, "abstimmen/")
    client.force_login(citizen)
    assert client.post(cast_url, confirmed, headers={"HX-Request": "true"}).status_code == 403
    assert poll.voters.filter(has_voted=True).count() == 2


def test_outsiders_cannot_use_the_member_page(client, committee, chair, citizen):
    poll = run_to_open_poll(client, committee, chair)
    client.force_login(citizen)
    assert client.get(url(committee, "abstimmen/")).status_code == 403
    refused = client.post(
        url(committee, f"abstimmen/stimme/{poll.pk}/"), {"option": "ja", "confirmed": "1"}
    )
    assert refused.status_code == 403
    client.logout()
    anonymous = client.post(
        url(committee, f"abstimmen/stimme/{poll.pk}/"), {"option": "ja", "confirmed": "1"}
    )
    assert anonymous.status_code == 302
    assert not Vote.objects.exists()


def test_members_check_in_online_and_declare_conflicts(client, committee, chair):
    client.force_login(chair)
    client.post(url(committee, "sitzungsleitung/vorbereiten/"))
    client.post(url(committee, "sitzungsleitung/eroeffnen/"))
    client.post(url(committee, "sitzungsleitung/top/"), {"agenda_item": committee.item.pk})
    member = committee.seats[2]
    client.force_login(member.user)
    client.post(url(committee, "abstimmen/anwesenheit/"), {"presence": "online"})
    client.post(url(committee, "abstimmen/befangen/"))
    session = LiveSession.objects.get(meeting=committee.meeting)
    assert session.attendance.get(person=member).presence == Presence.ONLINE
    assert session.conflicts.filter(person=member, agenda_item=committee.item).exists()
    page = client.get(url(committee, "abstimmen/")).content.decode()
    assert "befangen" in page


def test_a_bad_poll_form_keeps_the_input_and_says_why(client, committee, chair):
    client.force_login(chair)
    client.post(url(committee, "sitzungsleitung/vorbereiten/"))
    client.post(url(committee, "sitzungsleitung/eroeffnen/"))
    page = client.post(
        url(committee, "sitzungsleitung/abstimmung/"),
        {"agenda_item": committee.item.pk, "motion": "", "kind": "geheim", "majority": "x"},
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "Bitte korrigieren Sie" in text
    assert 'value="geheim" selected' in text
    assert not Poll.objects.exists()


@override_settings(LOTSE_LIVE_STREAM_SECONDS=2)
def test_the_event_stream_reports_a_change(client, committee, chair):
    poll = run_to_open_poll(client, committee, chair)
    stamp = client.get(url(committee, "live/stempel/")).content.decode()
    assert stamp.endswith(f":{poll.pk}:0")
    services.cast_vote(committee.seats[1].user, poll, "ja")
    assert client.get(url(committee, "live/stempel/")).content.decode().endswith(":1")
    response = client.get(url(committee, "live/ereignisse/"))
    assert response["Content-Type"] == "text/event-stream"
    # Read to its end (two seconds here), as the server does; closing the response by hand
    # would fire request_finished and close the test's database connection.
    events = b"".join(response.streaming_content).decode()
    assert events.startswith("retry: 2000\nevent: ready\ndata: ")


def test_the_stamp_costs_one_query_a_second_per_process(
    client, committee, chair, django_assert_num_queries
):
    """The stamp polled by every live page without an event stream: one query when the
    process's shared stamp is stale (body, meeting, version, running poll and its voted-list
    in it), none while it is fresh; a vote in this process is seen at once."""
    from lotse.voting import selectors

    poll = run_to_open_poll(client, committee, chair)
    client.logout()
    stamp_url = url(committee, "live/stempel/")
    selectors._stamps.clear()
    with django_assert_num_queries(1):
        first = client.get(stamp_url)
    assert first.status_code == 200 and first.content.decode().endswith(f":{poll.pk}:0")
    with django_assert_num_queries(0):
        assert client.get(stamp_url).content == first.content
    services.cast_vote(committee.seats[1].user, poll, "ja")
    with django_assert_num_queries(1):
        assert client.get(stamp_url).content.decode().endswith(f":{poll.pk}:1")
    other = committee.meeting.body.slug + "-x"
    with django_assert_num_queries(1):
        assert (
            client.get(stamp_url.replace(committee.meeting.body.slug, other, 1)).status_code == 404
        )


def test_public_display_masks_a_non_public_item(client, committee, chair):
    committee.item.is_public = False
    committee.item.number = "N 1"
    committee.item.save()
    run_to_open_poll(client, committee, chair)
    client.logout()
    display = client.get(url(committee, "live/")).content.decode()
    assert "N 1 – nicht öffentlich" in display
    assert "Der Ausschuss stimmt der Vorlage zu." not in display
    assert committee.item.name not in display


@override_settings(LOTSE_LIVE_STREAM_SECONDS=1)
def test_streams_beyond_the_cap_are_sent_to_polling(client, committee, chair, monkeypatch):
    """Each stream holds a server thread; beyond the cap the answer is 204 (the browser's
    EventSource closes and live.js polls), and a closed stream gives its slot back."""
    import threading

    from lotse.voting import views

    monkeypatch.setattr(views, "_streams", threading.BoundedSemaphore(1))
    run_to_open_poll(client, committee, chair)
    first = client.get(url(committee, "live/ereignisse/"))
    assert first.status_code == 200
    assert client.get(url(committee, "live/ereignisse/")).status_code == 204
    b"".join(first.streaming_content)  # the stream ends (after a second here) and is closed
    again = client.get(url(committee, "live/ereignisse/"))
    assert again.status_code == 200
    b"".join(again.streaming_content)


def test_a_stream_closed_before_its_first_event_gives_its_slot_back(monkeypatch):
    import threading

    from lotse.voting import views

    slots = threading.BoundedSemaphore(1)
    monkeypatch.setattr(views, "_streams", slots)
    assert slots.acquire(blocking=False)

    def never_started():
        yield "never"

    views.Stream(never_started()).close()
    assert slots.acquire(blocking=False)


@override_settings(LOTSE_LIVE_STREAM_SECONDS=1)
def test_a_stream_ends_quietly_when_the_database_cannot_answer(
    client, committee, chair, monkeypatch
):
    from django.db import OperationalError

    from lotse.voting import selectors

    run_to_open_poll(client, committee, chair)

    def locked(body_slug, meeting_pk):
        raise OperationalError("database table is locked")

    selectors._stamps.clear()
    monkeypatch.setattr(selectors, "meeting_stamp", locked)
    response = client.get(url(committee, "live/ereignisse/"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"retry: 2000\n\n"
