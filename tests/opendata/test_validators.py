"""A download's ETag and Last-Modified cover every table its rows show: a change to a related
row (a renamed action field or organization, a deleted row) makes the old ETag answer 200 with
the new content; a dataset whose tables did not change still answers 304."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from lotse.council.models import Meeting
from lotse.opendata.selectors import publication
from lotse.strategy.models import ActionField
from tests.council.factories import MeetingFactory, OrganizationFactory
from tests.opendata.helpers import csv_rows, decision, read
from tests.participation.factories import IdeaFactory
from tests.strategy.factories import StatusUpdateFactory

pytestmark = pytest.mark.django_db


def get(client, body, key, etag=None):
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(f"/{body.slug}/opendata/{key}.csv", headers=headers)


def etag_of(client, body, key) -> str:
    response = get(client, body, key)
    read(response)
    return response["ETag"]


def test_a_renamed_action_field_changes_measures_and_ideas(client, body, field, measure, process):
    IdeaFactory(process=process, action_field=field)
    before = {key: etag_of(client, body, key) for key in ("massnahmen", "ideen", "vorlagen")}
    field.title = "Bildung und Schule"
    field.save()
    for key, column in (("massnahmen", "handlungsfeld"), ("ideen", "handlungsfeld")):
        changed = get(client, body, key, before[key])
        assert changed.status_code == 200, key
        assert changed["ETag"] != before[key]
        assert [r[column] for r in csv_rows(changed)] == ["Bildung und Schule"]
    # The papers show no action field: still the same version.
    assert get(client, body, "vorlagen", before["vorlagen"]).status_code == 304


def test_a_renamed_organization_changes_the_meetings(client, body):
    council = OrganizationFactory(body=body, name="Rat")
    MeetingFactory(body=body, organizations=[council])
    etag = etag_of(client, body, "sitzungen")
    assert get(client, body, "sitzungen", etag).status_code == 304
    council.name = "Stadtrat"
    council.save()
    changed = get(client, body, "sitzungen", etag)
    assert changed.status_code == 200
    assert [r["gremien"] for r in csv_rows(changed)] == ["Stadtrat"]


def test_an_organization_taken_off_a_meeting_changes_the_meetings(client, body):
    council = OrganizationFactory(body=body, name="Rat")
    meeting = MeetingFactory(body=body, organizations=[council])
    etag = etag_of(client, body, "sitzungen")
    # Only the link row goes: the meeting and the organization keep their timestamps.
    Meeting.organizations.through.objects.filter(meeting=meeting).delete()
    changed = get(client, body, "sitzungen", etag)
    assert changed.status_code == 200
    assert [r["gremien"] for r in csv_rows(changed)] == [""]


def test_a_deleted_status_update_changes_the_updates(client, body, measure):
    kept = StatusUpdateFactory(measure=measure, progress=10)
    gone = StatusUpdateFactory(measure=measure, progress=20)
    etag = etag_of(client, body, "sachstandsmeldungen")
    gone.delete()
    changed = get(client, body, "sachstandsmeldungen", etag)
    assert changed.status_code == 200
    assert [int(r["id"]) for r in csv_rows(changed)] == [kept.pk]


def test_a_renamed_meeting_changes_the_decisions(client, body):
    shown = decision(body)
    etag = etag_of(client, body, "beschluesse")
    meeting = shown.agenda_item.meeting
    meeting.name = "Sondersitzung"
    meeting.save()
    changed = get(client, body, "beschluesse", etag)
    assert changed.status_code == 200
    assert [r["sitzung"] for r in csv_rows(changed)] == ["Sondersitzung"]


def test_last_modified_follows_the_related_tables(body, field, measure):
    item = publication(body, "massnahmen")
    before = item.stats().modified
    field.title = "Neu"
    field.save()
    after = publication(body, "massnahmen").stats().modified
    assert after > before
    assert after == field.updated_at


def test_another_body_changes_nothing(client, body, other_body, measure):
    etag = etag_of(client, body, "massnahmen")
    OrganizationFactory(body=other_body)
    MeetingFactory(body=other_body)
    assert get(client, body, "massnahmen", etag).status_code == 304
    assert get(client, body, "sitzungen", etag_of(client, body, "sitzungen")).status_code == 304


def test_the_catalogs_send_last_modified(client, body, field, measure, monkeypatch):
    from django.utils.http import http_date

    from lotse.opendata import catalog

    for address in (f"/{body.slug}/opendata/catalog.ttl", "/opendata/catalog.jsonld"):
        first = client.get(address)
        modified = first["Last-Modified"]
        newest = max(p.stats().modified for p in publication_list(body) if p.stats().modified)
        assert modified == http_date(newest.timestamp())
        again = client.get(address, headers={"If-Modified-Since": modified})
        assert again.status_code == 304
        assert again["ETag"] == first["ETag"]
    # A cached catalog lives a minute at most; then a change to the data shows.
    assert catalog.CACHE_SECONDS <= 60
    monkeypatch.setattr(catalog, "CACHE_SECONDS", 0)
    cache.clear()  # the minute has passed
    address = f"/{body.slug}/opendata/catalog.ttl"
    etag = client.get(address)["ETag"]
    # An hour on, so that dct:modified (whole seconds) surely differs.
    later = timezone.now() + datetime.timedelta(hours=1)
    ActionField.objects.filter(pk=field.pk).update(title="Umbenannt", updated_at=later)
    changed = client.get(address, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["Last-Modified"] == http_date(later.timestamp())


def publication_list(body):
    from lotse.opendata.selectors import load_stamps, publications

    return load_stamps(publications(body))
