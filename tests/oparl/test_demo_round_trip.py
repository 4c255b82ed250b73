"""Round trip (issue 15, point 10): Lotse's own OParl endpoint serves the demo, ``oparl_import``
reads it into a fresh body, and every public organization, person, membership, meeting,
agenda item (with its decision), paper, consultation and file (by checksum) arrives with the
same fields; a second run with ``--since`` after a change imports exactly that change.

The demo has no files, so the test first adds some (public and non-public) to demo objects.
Requests go through Django's test client (every URL, middleware and view of the endpoint, but
no server thread), so the demo loaded once per module inside a transaction is visible on
SQLite and PostgreSQL alike.
"""

import datetime
import time

import httpx
import pytest
from django.test import Client
from django.utils import timezone

from lotse.core.models import Body
from lotse.council.models import (
    AgendaItem,
    Consultation,
    Decision,
    File,
    LegislativeTerm,
    Meeting,
    Membership,
    Organization,
    Person,
)
from lotse.oparl.client import Fetcher
from lotse.oparl.importer import Importer, outcome_of
from lotse.oparl.queries import public_files, public_papers
from tests.oparl.scene import add_demo_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]

SOURCE = "http://testserver/oparl/v1.1/body/musterstadt"


class LotseTransport(httpx.BaseTransport):
    """Answers httpx requests with Lotse itself, through Django's test client."""

    def __init__(self):
        self.client = Client()
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        answer = self.client.get(request.url.raw_path.decode())
        content = b"".join(answer.streaming_content) if answer.streaming else answer.content
        return httpx.Response(
            answer.status_code, headers=list(answer.items()), content=content, request=request
        )


def fetcher() -> Fetcher:
    return Fetcher(client=httpx.Client(transport=LotseTransport()), retries=0)


def _at(moment):
    return moment.replace(microsecond=0) if moment else None  # OParl writes whole seconds


def snapshot(body: Body) -> dict:
    """What the public sees of a body, field by field, keyed by names instead of ids."""
    papers = public_papers(body)
    public = set(papers.values_list("pk", flat=True))

    def meeting_key(meeting):
        return (meeting.name, _at(meeting.start)) if meeting else None

    def owner(f):
        if f.paper_id:
            return ("paper", f.paper.reference)
        if f.agenda_item_id:
            return ("item", meeting_key(f.agenda_item.meeting), f.agenda_item.number)
        return ("meeting", meeting_key(f.meeting))

    def decision(item):
        """The decision record, or what the import makes of a result without one: the
        outcome its words name (a record on the copy), else the words."""
        found = Decision.objects.filter(agenda_item=item).select_related("referred_to").first()
        if found:
            referred = found.referred_to.name if found.referred_to else None
            return (found.outcome, found.resolution_text, referred)
        outcome = outcome_of(item.result)
        if outcome:
            return (outcome, item.resolution_text, None)
        return (item.result, item.resolution_text)

    def item(i):
        head = (meeting_key(i.meeting), i.order, i.number, i.is_public)
        if not i.is_public:
            return head
        paper = i.consultation.paper if i.consultation_id else None
        return (
            *head,
            i.name,
            paper.reference if paper and paper.pk in public else None,
            decision(i),
        )

    return {
        "legislative_terms": sorted(
            (t.name, t.start_date, t.end_date) for t in LegislativeTerm.objects.filter(body=body)
        ),
        "organizations": sorted(
            (
                o.name,
                o.short_name,
                o.organization_type,
                o.start_date or datetime.date.min,
                o.end_date or datetime.date.min,
                o.website,
                o.parent.name if o.parent else "",
            )
            for o in Organization.objects.filter(body=body)
        ),
        "persons": sorted(
            (p.family_name, p.given_name, p.form_of_address, p.title, p.affix)
            for p in Person.objects.filter(body=body)
        ),
        "memberships": sorted(
            (
                m.person.family_name,
                m.person.given_name,
                m.organization.name,
                m.role,
                m.voting_right,
                m.start_date or datetime.date.min,
                m.end_date or datetime.date.min,
                m.on_behalf_of.name if m.on_behalf_of else "",
            )
            for m in Membership.objects.filter(organization__body=body)
        ),
        "meetings": sorted(
            (
                m.name,
                _at(m.start),
                _at(m.end) or _at(m.start),
                m.location,
                m.state,
                tuple(sorted(o.name for o in m.organizations.all())),
            )
            for m in Meeting.objects.filter(body=body)
        ),
        "agenda_items": sorted(
            (item(i) for i in AgendaItem.objects.filter(meeting__body=body)), key=repr
        ),
        "papers": sorted(
            (
                p.reference,
                p.name,
                p.date,
                p.paper_type,
                p.originator_organization.name if p.originator_organization else "",
                p.supplements.reference if p.supplements_id in public else "",
                tuple(sorted(r.reference for r in p.related_papers.all() if r.pk in public)),
            )
            for p in papers
        ),
        "consultations": sorted(
            (
                c.paper.reference,
                c.organization.name,
                c.role,
                c.authoritative,
                meeting_key(c.meeting) or (),
                tuple(
                    sorted(
                        i.number for i in AgendaItem.objects.filter(consultation=c, is_public=True)
                    )
                ),
            )
            for c in Consultation.objects.filter(paper__in=papers)
        ),
        "files": sorted(
            (f.sha512, f.name, f.file_name, f.mime_type, f.size, f.role, f.text, f.date, owner(f))
            for f in public_files(body)
        ),
    }


def test_the_demo_round_trips_through_lotses_own_endpoint(other_body):
    source = Body.objects.get(slug="musterstadt")
    add_demo_files(source)
    importer = Importer(other_body, fetcher())
    report = importer.run(SOURCE).as_dict()
    assert report["rejects"] == []
    expected, copied = snapshot(source), snapshot(other_body)
    assert expected["papers"] and expected["agenda_items"] and expected["files"]
    for key in expected:
        assert copied[key] == expected[key], key
    assert Decision.objects.filter(body=other_body).exists()
    for f in File.objects.filter(body=other_body):
        with f.file.open("rb") as stream:
            assert len(stream.read()) == f.size  # the bytes arrived

    # A second run changes nothing.
    report = Importer(other_body, fetcher()).run(SOURCE).as_dict()
    assert report["rejects"] == []
    assert all(set(counts) == {"unchanged"} for counts in report["counts"].values()), report
    assert snapshot(other_body) == expected


def test_a_second_run_with_since_imports_exactly_the_change(other_body):
    source = Body.objects.get(slug="musterstadt")
    Importer(other_body, fetcher()).run(SOURCE)
    mark = timezone.now().replace(microsecond=0)
    time.sleep(1.1)  # OParl's timestamps have whole seconds
    paper = public_papers(source).order_by("pk").first()
    paper.name = f"{paper.name} (geändert)"
    paper.save()
    meeting = Meeting.objects.filter(body=source).order_by("-pk").first()
    meeting.name = f"{meeting.name} (verlegt)"
    meeting.save()
    person = Person.objects.filter(body=source).order_by("pk").first()
    # Its memberships go with it, which changes their organizations' membership lists.
    organizations = {m.organization_id for m in person.memberships.all()}
    assert organizations
    person.delete()

    report = Importer(other_body, fetcher(), since=mark).run(SOURCE).as_dict()
    assert report == {
        "counts": {
            "meeting": {"updated": 1},
            "organization": {"updated": len(organizations)},
            "paper": {"updated": 1},
            "person": {"deleted": 1},
        },
        "rejects": [],
    }
    assert snapshot(other_body) == snapshot(source)
