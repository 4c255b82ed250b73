"""Round trip (issue 15, point 10): Lotse's own OParl endpoint serves a body, ``oparl_import``
reads it into a fresh body, and every public object arrives with the same fields; a second
run with ``--since`` after one change imports exactly that change."""

import datetime
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from lotse.council.models import (
    AgendaItem,
    Consultation,
    File,
    Meeting,
    Membership,
    Organization,
    Person,
)
from lotse.oparl.client import Fetcher
from lotse.oparl.importer import Importer
from lotse.oparl.queries import public_files, public_papers
from tests.oparl.scene import oparl_scene


def snapshot(body) -> dict:
    """What the public sees of a body, in comparable form (no ids)."""
    orgs = Organization.objects.filter(body=body)
    return {
        "organizations": sorted(
            (o.name, o.short_name, o.organization_type, o.start_date, o.end_date) for o in orgs
        ),
        "persons": sorted(
            (p.family_name, p.given_name, p.form_of_address, p.title, p.affix)
            for p in Person.objects.filter(body=body)
        ),
        "memberships": sorted(
            (
                m.person.family_name,
                m.organization.name,
                m.role,
                m.voting_right,
                m.start_date,
                m.end_date,
            )
            for m in Membership.objects.filter(organization__body=body)
        ),
        "meetings": sorted(
            (
                m.name,
                m.start.replace(microsecond=0),  # OParl writes whole seconds
                m.end.replace(microsecond=0) if m.end else None,
                m.location,
                m.state,
                tuple(sorted(o.name for o in m.organizations.all())),
            )
            for m in Meeting.objects.filter(body=body)
        ),
        "agenda_items": sorted(
            (
                i.meeting.name,
                i.order,
                i.number,
                i.is_public,
                i.name if i.is_public else "",
                i.consultation.paper.reference
                if i.is_public and i.consultation_id and i.consultation.paper.is_public
                else "",
            )
            for i in AgendaItem.objects.filter(meeting__body=body)
        ),
        "papers": sorted((p.reference, p.name, p.date, p.paper_type) for p in public_papers(body)),
        "consultations": sorted(
            (
                c.paper.reference,
                c.organization.name,
                c.role,
                c.authoritative,
                c.meeting.name if c.meeting else "",
            )
            for c in Consultation.objects.filter(paper__in=public_papers(body))
        ),
        "files": sorted(
            (f.sha512, f.file_name, f.mime_type, f.size, f.role, f.text) for f in public_files(body)
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_round_trip_and_incremental_run(live_server, body, other_body):
    scene = oparl_scene(body)
    url = f"{live_server.url}/oparl/v1.1/body/{body.slug}"
    out = StringIO()
    call_command("oparl_import", url, body=other_body.slug, stdout=out)
    assert "REJECTED" not in out.getvalue(), out.getvalue()
    source, copy = snapshot(body), snapshot(other_body)
    for key in source:
        assert copy[key] == source[key], key
    assert File.objects.filter(body=other_body).count() == 1  # only the public file
    for f in File.objects.filter(body=other_body):
        assert f.file.read()  # the bytes arrived

    mark = timezone.now().replace(microsecond=0)
    time.sleep(1.1)
    scene.public_paper.name = "Digitale Bürgerdienste ausbauen (geändert)"
    scene.public_paper.save()
    importer = Importer(other_body, Fetcher(), since=mark - datetime.timedelta(seconds=0))
    report = importer.run(url).as_dict()
    assert report["rejects"] == []
    # Exactly the change is imported; anything else the source lists as modified in the same
    # second (its timestamps have whole seconds) must arrive unchanged.
    assert report["counts"].pop("paper") == {"updated": 1}
    assert all(set(counts) == {"unchanged"} for counts in report["counts"].values())
    assert snapshot(other_body)["papers"] == snapshot(body)["papers"]
