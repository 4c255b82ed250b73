"""iCalendar feeds of a body's and an organization's meetings, parsed back with icalendar."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.council.models import MeetingState
from tests.council.factories import MeetingFactory, OrganizationFactory
from tests.council.test_pages import SECRET_ITEM, make_scene


@pytest.fixture
def scene(body):
    return make_scene(body)


def feed(client, body, *organization):
    name = "council:organization_calendar" if organization else "council:calendar"
    response = client.get(reverse(name, args=[body.slug, *organization]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(calendar) -> dict:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_body_feed_has_one_event_per_meeting(client, body, scene):
    calendar = feed(client, body)
    assert str(calendar["VERSION"]) == "2.0"
    found = events(calendar)
    assert set(found) == {scene.meeting.name, scene.upcoming.name}
    event = found[scene.meeting.name]
    assert str(event["UID"]) == f"{scene.meeting.uid}@lotse"
    assert event["DTSTART"].dt == scene.meeting.start.replace(microsecond=0)
    assert event["DTSTART"].dt.utcoffset() == datetime.timedelta(0)
    assert event["DTEND"].dt > event["DTSTART"].dt
    assert "DTSTAMP" in event
    assert str(event["LOCATION"]) == "Rathaus, Sitzungssaal"
    assert str(event["URL"]).endswith(
        reverse("council:meeting", args=[body.slug, scene.meeting.pk])
    )
    assert str(event["STATUS"]) == "CONFIRMED"
    assert int(event["SEQUENCE"]) == 0


def test_uid_stays_and_sequence_and_cancellation_show(client, body, scene):
    uid = str(events(feed(client, body))[scene.upcoming.name]["UID"])
    scene.upcoming.state = MeetingState.CANCELLED
    scene.upcoming.sequence = 3
    scene.upcoming.save()
    event = events(feed(client, body))[scene.upcoming.name]
    assert str(event["UID"]) == uid
    assert int(event["SEQUENCE"]) == 3
    assert str(event["STATUS"]) == "CANCELLED"


def test_description_lists_public_items_and_masks_the_others(client, body, scene, make_member):
    # Calendar programs fetch without a login and keep copies: masked even for the office.
    client.force_login(make_member(body, "council_office"))
    description = str(events(feed(client, body))[scene.meeting.name]["DESCRIPTION"])
    assert "Ö 1 Digitale Bürgerdienste ausbauen" in description
    assert "N 1 – nicht öffentlich" in description
    assert SECRET_ITEM not in description


def test_organization_feed_has_only_its_meetings(client, body, scene):
    MeetingFactory(body=body, name="Bauausschuss tagt", organizations=[scene.other_committee])
    assert set(events(feed(client, body, scene.committee.pk))) == {
        scene.meeting.name,
        scene.upcoming.name,
    }
    assert set(events(feed(client, body, scene.other_committee.pk))) == {"Bauausschuss tagt"}


def test_feed_leaves_out_old_meetings_and_other_bodies(client, body, other_body, scene):
    MeetingFactory(body=body, name="Uralt", start=timezone.now() - datetime.timedelta(days=800))
    MeetingFactory(body=other_body, name="Fremd")
    assert set(events(feed(client, body))) == {scene.meeting.name, scene.upcoming.name}


def test_organization_feed_of_another_body_is_not_found(client, body, other_body):
    foreign = OrganizationFactory(body=other_body)
    url = reverse("council:organization_calendar", args=[body.slug, foreign.pk])
    assert client.get(url).status_code == 404
