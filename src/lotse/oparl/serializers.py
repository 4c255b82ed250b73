"""Council rows as OParl 1.1 objects: the public view only, and no "", [] or null (a value
that is empty is left out, spec 2-04); date-times as ``yyyy-mm-ddThh:mm:ss±hh:mm``.

The functions take rows prepared by :mod:`lotse.oparl.queries` (prefetched, so a page costs
a fixed number of queries) and a :class:`Urls` that builds ids from the request's host.
"""

from __future__ import annotations

import datetime
import functools
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language

from lotse.council.models import File, MeetingState, OrganizationType

OPARL = "https://schema.oparl.org/1.1/"
TYPES = {
    "system": "System",
    "body": "Body",
    "legislativeterm": "LegislativeTerm",
    "organization": "Organization",
    "person": "Person",
    "membership": "Membership",
    "meeting": "Meeting",
    "agendaitem": "AgendaItem",
    "paper": "Paper",
    "consultation": "Consultation",
    "file": "File",
    "location": "Location",
}
ZONE = ZoneInfo(settings.TIME_ZONE)


def stamp(value: datetime.datetime | None) -> str | None:
    """``2024-01-01T08:00:00+01:00``: whole seconds, local offset, never ``Z``."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(ZONE).replace(microsecond=0).isoformat()


@functools.lru_cache(maxsize=512)
def _label(model, field: str, value, language: str) -> str:
    return str(dict(model._meta.get_field(field).flatchoices).get(value, value))


def label(row, field: str) -> str:
    """``get_FOO_display()`` once per value and language, not once per row."""
    return _label(type(row), field, getattr(row, field), get_language() or "")


def day(value) -> str | None:
    return value.isoformat() if value else None


def clean(data: dict) -> dict:
    """Leaves out what is empty: OParl forbids "", [] and null."""
    return {k: v for k, v in data.items() if v is not None and v != "" and v != []}


class Urls:
    """Absolute URLs of the endpoint, from the host the request came to."""

    def __init__(self, root: str):
        self.root = root.rstrip("/")  # e.g. https://lotse.example

    @property
    def base(self) -> str:
        return f"{self.root}/oparl/v1.1"

    def system(self) -> str:
        return f"{self.base}/system"

    def body(self, body) -> str:
        return f"{self.base}/body/{body.slug}"

    def body_list(self, body, name: str) -> str:
        return f"{self.base}/body/{body.slug}/{name}"

    def obj(self, kind: str, pk: int) -> str:
        return f"{self.base}/{kind}/{pk}"

    def web(self, path: str) -> str:
        return f"{self.root}{path}"


def tombstone(urls: Urls, kind: str, pk: int, created, modified) -> dict:
    return {
        "id": urls.obj(kind, pk),
        "type": OPARL + TYPES[kind],
        "created": stamp(created),
        "modified": stamp(max(created, modified)),
        "deleted": True,
    }


def _head(urls: Urls, kind: str, row) -> dict:
    return {"id": urls.obj(kind, row.pk), "type": OPARL + TYPES[kind]}


def _times(created, modified) -> dict:
    return {"created": stamp(created), "modified": stamp(max(created, modified))}


# ------------------------------------------------------------------- System and Body


def system(urls: Urls, bodies) -> dict:
    created = min((b.created_at for b in bodies), default=None)
    modified = max((b.updated_at for b in bodies), default=None)
    data = {
        "id": urls.system(),
        "type": OPARL + "System",
        "oparlVersion": OPARL,
        "body": f"{urls.base}/body",
        "name": "Lotse",
        "website": urls.web("/"),
        "vendor": "https://lotse.example/",
        "product": "https://lotse.example/",
        "web": urls.web("/"),
    }
    if created:
        data.update(_times(created, modified))
    return clean(data)


LISTS = {
    "organization": "organization",
    "person": "person",
    "meeting": "meeting",
    "paper": "paper",
    "legislativeTermList": "legislativeterm",
    "agendaItem": "agendaitem",
    "consultation": "consultation",
    "file": "file",
    "locationList": "location",
    "membership": "membership",
}


def body(urls: Urls, body, terms, *, omit_internal: bool = False) -> dict:
    data = {
        "id": urls.body(body),
        "type": OPARL + "Body",
        "system": urls.system(),
        "shortName": body.short_name,
        "name": body.name,
        "website": body.website,
        "ags": body.ags,
        "rgs": body.rgs,
        "contactEmail": body.contact_email,
        "classification": body.get_kind_display(),
        **{attr: urls.body_list(body, name) for attr, name in LISTS.items()},
        "web": urls.web(body.get_absolute_url()),
        **_times(body.created_at, body.updated_at),
    }
    data = clean(data)
    if not omit_internal:
        # Mandatory, so an empty list stays (the one place where [] is right).
        data["legislativeTerm"] = [legislative_term(urls, term, body) for term in terms]
    return data


def legislative_term(urls: Urls, term, body) -> dict:
    return clean(
        {
            **_head(urls, "legislativeterm", term),
            "body": urls.body(body),
            "name": term.name,
            "startDate": day(term.start_date),
            "endDate": day(term.end_date),
            **_times(term.created_at, term.updated_at),
        }
    )


# ------------------------------------------------------------- organizations and persons

OPARL_ORGANIZATION_TYPE = {OrganizationType.FACTION: "Fraktion"}


def organization(urls: Urls, org, body) -> dict:
    return clean(
        {
            **_head(urls, "organization", org),
            "body": urls.body(body),
            "name": org.name,
            "shortName": org.short_name,
            "membership": [urls.obj("membership", m.pk) for m in org.memberships.all()],
            "subOrganizationOf": urls.obj("organization", org.parent_id) if org.parent_id else None,
            "organizationType": OPARL_ORGANIZATION_TYPE.get(org.organization_type, "Gremium"),
            "classification": label(org, "organization_type"),
            "startDate": day(org.start_date),
            "endDate": day(org.end_date),
            "website": org.website,
            "web": urls.web(
                reverse("council:organization", kwargs={"body_slug": body.slug, "pk": org.pk})
            ),
            **_times(org.created_at, org.updated_at),
        }
    )


def membership(urls: Urls, member, *, embedded: bool = False) -> dict:
    return clean(
        {
            **_head(urls, "membership", member),
            "person": None if embedded else urls.obj("person", member.person_id),
            "organization": urls.obj("organization", member.organization_id),
            "role": label(member, "role"),
            "votingRight": member.voting_right,
            "startDate": day(member.start_date),
            "endDate": day(member.end_date),
            "onBehalfOf": urls.obj("organization", member.on_behalf_of_id)
            if member.on_behalf_of_id
            else None,
            **_times(member.created_at, member.updated_at),
        }
    )


def person(urls: Urls, row, body, *, omit_internal: bool = False) -> dict:
    data = {
        **_head(urls, "person", row),
        "body": urls.body(body),
        "name": row.name,
        "familyName": row.family_name,
        "givenName": row.given_name,
        "formOfAddress": row.form_of_address,
        "affix": row.affix,
        "title": [row.title] if row.title else None,
        **_times(row.created_at, row.updated_at),
    }
    if not omit_internal:
        data["membership"] = [membership(urls, m, embedded=True) for m in row.memberships.all()]
    return clean(data)


# ------------------------------------------------------------------ meetings and items


def location(urls: Urls, meeting) -> dict:
    """Lotse keeps a meeting's place as text; each meeting with a place is one Location,
    whose id is the meeting's."""
    return clean(
        {
            **_head(urls, "location", meeting),
            "description": meeting.location,
            "meetings": [urls.obj("meeting", meeting.pk)],
            **_times(meeting.created_at, meeting.updated_at),
        }
    )


def file(urls: Urls, row: File, *, embedded: bool = False) -> dict:
    access = f"{urls.obj('file', row.pk)}/access"
    return clean(
        {
            **_head(urls, "file", row),
            "name": row.name,
            "fileName": row.file_name,
            "mimeType": row.mime_type,
            "date": day(row.date),
            "size": row.size,
            "sha512Checksum": row.sha512,
            "text": None if embedded else row.text,
            "accessUrl": access,
            "downloadUrl": f"{urls.obj('file', row.pk)}/download",
            "paper": [urls.obj("paper", row.paper_id)] if row.paper_id else None,
            "meeting": [urls.obj("meeting", row.meeting_id)] if row.meeting_id else None,
            "agendaItem": [urls.obj("agendaitem", row.agenda_item_id)]
            if row.agenda_item_id
            else None,
            **_times(row.created_at, row.updated_at),
        }
    )


def decision_result(decision) -> str:
    """A decision record's outcome as council's decision service words it on the item
    ("verwiesen an Bauausschuss")."""
    result = label(decision, "outcome")
    if decision.referred_to_id:
        result = f"{result} {decision.referred_to.name}"
    return result


def agenda_item(
    urls: Urls,
    item,
    body,
    *,
    paper_public: bool,
    omit_internal: bool = False,
    web: str = "",
    files=None,
):
    """A non-public item shows its number and ``public: false``, nothing else."""
    head = {**_head(urls, "agendaitem", item), "order": max(item.order - 1, 0)}
    times = _times(item.created_at, item.updated_at)
    if not item.is_public:
        return clean({**head, "number": item.number, "public": False, **times})
    decision = getattr(item, "decision", None)
    data = {
        **head,
        "meeting": urls.obj("meeting", item.meeting_id),
        "number": item.number,
        "name": item.name,
        "public": True,
        "consultation": urls.obj("consultation", item.consultation_id)
        if item.consultation_id and paper_public
        else None,
        "result": decision_result(decision) if decision else item.result,
        "resolutionText": decision.resolution_text if decision else item.resolution_text,
        "web": web
        or urls.web(
            reverse("council:meeting", kwargs={"body_slug": body.slug, "pk": item.meeting_id})
        ),
        **times,
    }
    if not omit_internal:
        files = item.files.all() if files is None else files
        data["auxiliaryFile"] = [file(urls, f, embedded=True) for f in files]
    return clean(data)


MEETING_FILE_ROLES = {File.Role.INVITATION: "invitation", File.Role.MINUTES: "resultsProtocol"}


def meeting(
    urls: Urls,
    row,
    body,
    *,
    public_papers: set[int],
    item_files: dict | None = None,
    omit_internal: bool = False,
):
    files = [f for f in row.files.all() if f.agenda_item_id is None]
    web = urls.web(reverse("council:meeting", kwargs={"body_slug": body.slug, "pk": row.pk}))
    data = {
        **_head(urls, "meeting", row),
        "name": row.name,
        "meetingState": label(row, "state"),
        "cancelled": True if row.state == MeetingState.CANCELLED else None,
        "start": stamp(row.start),
        "end": stamp(row.end),
        "location": location(urls, row) if row.location else None,
        "organization": [urls.obj("organization", o.pk) for o in row.organizations.all()],
        "web": web,
        **_times(row.created_at, row.updated_at),
    }
    for role, attr in MEETING_FILE_ROLES.items():
        match = next((f for f in files if f.role == role), None)
        if match:
            data[attr] = file(urls, match, embedded=True)
    if not omit_internal:
        data["auxiliaryFile"] = [
            file(urls, f, embedded=True)
            for f in files
            if f.role not in MEETING_FILE_ROLES or f is not _first(files, f.role)
        ]
        data["agendaItem"] = [
            agenda_item(
                urls,
                item,
                body,
                paper_public=bool(item.consultation_id)
                and item.consultation.paper_id in public_papers,
                web=web,
                files=None if item_files is None else item_files.get(item.pk, []),
            )
            for item in row.agenda_items.all()
        ]
    return clean(data)


def _first(files, role):
    return next((f for f in files if f.role == role), None)


# ------------------------------------------------------------------- papers


def consultation(urls: Urls, row, *, embedded: bool = False) -> dict:
    items = [i for i in row.agenda_items.all() if i.is_public]
    return clean(
        {
            **_head(urls, "consultation", row),
            "paper": None if embedded else urls.obj("paper", row.paper_id),
            "agendaItem": urls.obj("agendaitem", items[0].pk) if items else None,
            "meeting": urls.obj("meeting", row.meeting_id) if row.meeting_id else None,
            "organization": [urls.obj("organization", row.organization_id)],
            "authoritative": row.authoritative,
            "role": label(row, "role"),
            **_times(row.created_at, row.updated_at),
        }
    )


def paper(urls: Urls, row, body, *, public_papers: set[int], omit_internal: bool = False):
    files = list(row.files.all())
    main = _first(files, File.Role.MAIN)
    data = {
        **_head(urls, "paper", row),
        "body": urls.body(body),
        "name": row.name,
        "reference": row.reference,
        "date": day(row.date),
        "paperType": label(row, "paper_type"),
        "relatedPaper": [
            urls.obj("paper", p.pk) for p in row.related_papers.all() if p.pk in public_papers
        ],
        "superordinatedPaper": [urls.obj("paper", row.supplements_id)]
        if row.supplements_id in public_papers
        else None,
        "subordinatedPaper": [
            urls.obj("paper", p.pk) for p in row.supplementary_papers.all() if p.pk in public_papers
        ],
        "mainFile": file(urls, main, embedded=True) if main else None,
        "originatorOrganization": [urls.obj("organization", row.originator_organization_id)]
        if row.originator_organization_id
        else None,
        "consultation": [consultation(urls, c, embedded=True) for c in row.consultations.all()],
        "web": urls.web(reverse("council:paper", kwargs={"body_slug": body.slug, "pk": row.pk})),
        **_times(row.created_at, row.updated_at),
    }
    if not omit_internal:
        data["auxiliaryFile"] = [file(urls, f, embedded=True) for f in files if f is not main]
    return clean(data)
