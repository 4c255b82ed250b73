"""``oparl_import``: a whole body from another OParl endpoint into a Lotse body.

Each object is imported in its own transaction or rejected with its URL and reason; files
are downloaded before that transaction (never inside it), limited in size, checked against
their checksum and their text extracted. The source's id of every imported row is kept in
:class:`ImportedObject`, so a second run updates instead of duplicating, skips what did not
change, applies tombstones (``deleted: true``) and, with ``since``, asks only for changes.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from lotse.core.models import Body
from lotse.council import files as council_files
from lotse.council.models import (
    AgendaItem,
    Consultation,
    ConsultationRole,
    Decision,
    DecisionOutcome,
    File,
    LegislativeTerm,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
    Organization,
    OrganizationType,
    Paper,
    PaperState,
    PaperType,
    Person,
)
from lotse.council.services import write_decision
from lotse.oparl.client import Fetcher, FetchError, day, flag, kind_of, many, moment, one, text
from lotse.oparl.models import ImportedObject

logger = logging.getLogger(__name__)

MODELS = {
    "legislativeterm": LegislativeTerm,
    "organization": Organization,
    "person": Person,
    "membership": Membership,
    "meeting": Meeting,
    "agendaitem": AgendaItem,
    "paper": Paper,
    "consultation": Consultation,
    "file": File,
}


class Reject(Exception):
    pass


# What a council information system writes as an agenda item's ``result``, in the order it is
# tried (the first match wins: "ungeändert beschlossen" before "beschlossen").
OUTCOME_WORDS = [
    (DecisionOutcome.ADOPTED_UNCHANGED, ("ungeändert", "ungeaendert", "wie vorgeschlagen")),
    (DecisionOutcome.ADOPTED_AMENDED, ("mit änderung", "geändert", "geaendert", "modifiziert")),
    (DecisionOutcome.REJECTED, ("abgelehnt", "nicht beschlossen", "nicht zugestimmt")),
    (DecisionOutcome.POSTPONED, ("vertagt", "zurückgestellt", "verschoben")),
    (DecisionOutcome.NOTED, ("kenntnis",)),
    (DecisionOutcome.REFERRED, ("verwiesen",)),
    (DecisionOutcome.WITHDRAWN, ("zurückgezogen", "zurueckgezogen", "abgesetzt")),
    (DecisionOutcome.ADOPTED, ("beschlossen", "angenommen", "zugestimmt", "empfohlen")),
]


def outcome_of(result: str):
    """The decision outcome a result text states, or None (then only the text is kept)."""
    result = result.lower()
    for outcome, words in OUTCOME_WORDS:
        if any(word in result for word in words):
            return outcome
    return None


def _by_label(choices, value, default):
    value = text(value).lower()
    for choice in choices:
        if value in (str(choice.label).lower(), str(choice.value).lower()):
            return choice
    return default


@dataclass
class Report:
    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    rejects: list = field(default_factory=list)

    def count(self, kind: str, what: str) -> None:
        self.counts[kind][what] += 1

    def reject(self, url: str, kind: str, reason: str) -> None:
        self.rejects.append({"url": url, "type": kind, "reason": reason})

    def as_dict(self) -> dict:
        return {
            "counts": {k: dict(v) for k, v in sorted(self.counts.items())},
            "rejects": self.rejects,
        }


class Importer:
    def __init__(
        self,
        body: Body,
        fetcher: Fetcher,
        *,
        since=None,
        dry_run: bool = False,
        with_files: bool = True,
        max_file_bytes: int | None = None,
        progress=None,
    ):
        self.body = body
        self.fetcher = fetcher
        self.since = since
        self.dry_run = dry_run
        self.with_files = with_files
        self.max_file_bytes = max_file_bytes or council_files.max_bytes()
        self.report = Report()
        self.progress = progress or (lambda message: None)
        self.pending_items: list[tuple[int, str]] = []  # agenda item pk, consultation URL
        # paper pk, superordinated paper URL, related paper URLs (papers arrive in any order)
        self.pending_papers: list[tuple[int, str, list[str]]] = []
        self.fetching: set[str] = set()

    # ------------------------------------------------------------ mapping

    def mapped(self, source_id: str, kind: str):
        source_id = self.fetcher.fix(source_id)
        row = ImportedObject.objects.filter(body=self.body, source_id=source_id, kind=kind).first()
        if row is None:
            return None
        return MODELS[kind].objects.filter(pk=row.object_id).first()

    def remember(self, source_id: str, kind: str, row, modified: str = "", checksum: str = ""):
        ImportedObject.objects.update_or_create(
            body=self.body,
            source_id=self.fetcher.fix(source_id),
            defaults={
                "kind": kind,
                "object_id": row.pk,
                "source_modified": modified,
                "checksum": checksum,
            },
        )

    def unchanged(self, obj: dict, kind: str) -> bool:
        modified = text(obj.get("modified"))
        if not modified:
            return False
        return ImportedObject.objects.filter(
            body=self.body,
            source_id=self.fetcher.fix(obj["id"]),
            kind=kind,
            source_modified=modified,
        ).exists()

    def reference(self, url, kind: str):
        """The row a URL reference points to, importing it on demand if no list had it."""
        url = text(one(url))
        if not url:
            return None
        row = self.mapped(url, kind)
        if row is not None or url in self.fetching:
            return row
        self.fetching.add(url)
        try:
            obj = self.fetcher.json(url)
        except FetchError:
            return None
        if not isinstance(obj, dict) or obj.get("deleted") is True:
            return None
        obj.setdefault("id", url)
        self.one_object(obj, kind)
        return self.mapped(url, kind)

    # ------------------------------------------------------------ running

    def run(self, url: str) -> Report:
        self.fetcher.https = url.startswith("https:")
        start = self.fetcher.json(url)
        if not isinstance(start, dict):
            raise FetchError(url, "neither a System nor a Body")
        body = start
        if kind_of(start, "System") == "System":
            bodies = list(self.fetcher.objects(text(start.get("body")), "Body"))
            if not bodies:
                raise FetchError(url, "the System lists no body")
            body = bodies[0]
        params = {}
        if self.since:
            params["modified_since"] = self.since.isoformat(timespec="seconds")
        steps = [
            ("legislativeterm", "LegislativeTerm", "legislativeTermList"),
            ("organization", "Organization", "organization"),
            ("person", "Person", "person"),
            ("membership", "Membership", "membership"),
            ("meeting", "Meeting", "meeting"),
            ("paper", "Paper", "paper"),
        ]
        if not body.get("legislativeTermList"):
            for term in many(body.get("legislativeTerm")):
                if isinstance(term, dict):
                    self.one_object(term, "legislativeterm")
        for kind, type_name, attr in steps:
            list_url = text(body.get(attr))
            if not list_url:
                continue
            self.progress(type_name)
            try:
                for obj in self.fetcher.objects(list_url, type_name, params=params):
                    self.one_object(obj, kind)
            except FetchError as problem:
                self.report.reject(problem.url, type_name, problem.reason)
        self.link_agenda_items()
        self.link_papers()
        return self.report

    def one_object(self, obj: dict, kind: str) -> None:
        source = text(obj.get("id"))
        type_name = kind_of(obj, kind)
        if not source:
            self.report.reject("", type_name, "object without id")
            return
        if obj.get("deleted") is True:
            self.bury(source, kind)
            return
        if self.unchanged(obj, kind):
            self.report.count(kind, "unchanged")
            return
        try:
            downloads = self.downloads(obj, kind)
            with transaction.atomic():
                existed = self.mapped(source, kind) is not None
                getattr(self, f"save_{kind}")(obj, downloads)
                if self.dry_run:
                    transaction.set_rollback(True)
            self.report.count(kind, "updated" if existed else "created")
        except (Reject, FetchError) as problem:
            self.report.reject(source, type_name, str(getattr(problem, "reason", problem)))
        except Exception as problem:  # one bad object must not end the run
            logger.exception("OParl import of %s failed", source)
            self.report.reject(source, type_name, f"{type(problem).__name__}: {problem}")

    def bury(self, source: str, kind: str) -> None:
        row = self.mapped(source, kind)
        if row is None:
            return
        try:
            with transaction.atomic():
                if kind == "paper":
                    row.is_public = False
                    row.save()
                else:
                    row.delete()
                    ImportedObject.objects.filter(body=self.body, source_id=source).delete()
                if self.dry_run:
                    transaction.set_rollback(True)
            self.report.count(kind, "deleted")
        except ProtectedError:
            self.report.reject(source, kind, "still referenced, not deleted")

    # ------------------------------------------------------------ files

    def downloads(self, obj: dict, kind: str) -> dict[str, bytes]:
        """The bytes of the object's files, fetched before any transaction."""
        if not self.with_files:
            return {}
        found = []
        if kind == "paper":
            found = [*many(obj.get("mainFile")), *many(obj.get("auxiliaryFile"))]
        elif kind == "meeting":
            for attr in ("invitation", "resultsProtocol", "verbatimProtocol", "auxiliaryFile"):
                found += many(obj.get(attr))
            for item in many(obj.get("agendaItem")):
                if isinstance(item, dict):
                    found += many(item.get("auxiliaryFile")) + many(item.get("resolutionFile"))
        data = {}
        for f in found:
            if not isinstance(f, dict) or f.get("deleted") is True or not text(f.get("id")):
                continue
            if self.unchanged(f, "file"):
                continue
            url = text(f.get("downloadUrl")) or text(f.get("accessUrl"))
            if not url:
                continue
            content = self.fetcher.download(url, self.max_file_bytes)
            expected = text(f.get("sha512Checksum")).lower()
            if expected and hashlib.sha512(content).hexdigest() != expected:
                raise Reject(f"file {f['id']}: SHA-512 checksum does not match")
            expected = text(f.get("sha1Checksum")).lower()
            if expected and hashlib.sha1(content).hexdigest() != expected:  # noqa: S324
                raise Reject(f"file {f['id']}: SHA-1 checksum does not match")
            data[self.fetcher.fix(f["id"])] = content
        return data

    def save_file(self, f: dict, downloads: dict, role: str, **owner) -> None:
        source = self.fetcher.fix(text(f.get("id")))
        content = downloads.get(source)
        row = self.mapped(source, "file")
        if content is None:
            if row is not None:
                return  # unchanged
            if not self.with_files:
                return
            raise Reject(f"file {source}: no accessUrl")
        mime = text(f.get("mimeType")).split(";")[0] or "application/octet-stream"
        name = text(f.get("fileName")) or source.rsplit("/", 1)[-1]
        row = row or File(body=self.body)
        row.name = (text(f.get("name")) or name)[:300]
        row.file_name = name[:255]
        row.mime_type = mime
        row.size = len(content)
        row.sha512 = hashlib.sha512(content).hexdigest()
        given = f.get("text") if isinstance(f.get("text"), str) else ""
        row.text = given if text(given) else council_files.extract_text(content, mime)
        row.date = day(f.get("date")) or timezone.localdate()
        row.role = role
        for attr, value in owner.items():
            setattr(row, attr, value)
        row.file.save(name, ContentFile(content), save=False)
        row.save()
        self.remember(source, "file", row, text(f.get("modified")), row.sha512)

    # ------------------------------------------------------------ types

    def save_legislativeterm(self, obj, downloads) -> None:
        start = day(obj.get("startDate"))
        if start is None:
            raise Reject("startDate missing")
        row = self.mapped(obj["id"], "legislativeterm") or LegislativeTerm(body=self.body)
        row.name = text(obj.get("name")) or str(start.year)
        row.start_date, row.end_date = start, day(obj.get("endDate"))
        row.save()
        self.remember(obj["id"], "legislativeterm", row, text(obj.get("modified")))

    def save_organization(self, obj, downloads) -> None:
        name = text(obj.get("name")) or text(obj.get("shortName"))
        if not name:
            raise Reject("name missing")
        row = self.mapped(obj["id"], "organization") or Organization(body=self.body)
        row.name, row.short_name = name[:200], text(obj.get("shortName"))[:60]
        kind = _by_label(OrganizationType, obj.get("classification"), None)
        if kind is None:
            kind = (
                OrganizationType.FACTION
                if text(obj.get("organizationType")).lower() == "fraktion"
                else OrganizationType.COMMITTEE
            )
        row.organization_type = kind
        row.start_date, row.end_date = day(obj.get("startDate")), day(obj.get("endDate"))
        website = text(obj.get("website"))
        row.website = website if website.startswith(("http://", "https://")) else ""
        parent = text(one(obj.get("subOrganizationOf")))
        row.save()
        self.remember(obj["id"], "organization", row, text(obj.get("modified")))
        if parent:
            parent_row = self.reference(parent, "organization")
            if parent_row and parent_row.pk != row.pk:
                row.parent = parent_row
                row.save()

    def save_person(self, obj, downloads) -> None:
        family, given = text(obj.get("familyName")), text(obj.get("givenName"))
        if not family:
            parts = text(obj.get("name")).rsplit(" ", 1)
            family, given = parts[-1], given or (parts[0] if len(parts) == 2 else "")
        if not family:
            raise Reject("name missing")
        row = self.mapped(obj["id"], "person") or Person(body=self.body)
        row.family_name, row.given_name = family[:100], given[:100]
        address = text(obj.get("formOfAddress"))
        row.form_of_address = address if address in ("Frau", "Herr") else ""
        row.title = " ".join(text(t) for t in many(obj.get("title")) if text(t))[:60]
        row.affix = text(obj.get("affix"))[:60]
        row.save()
        self.remember(obj["id"], "person", row, text(obj.get("modified")))
        for member in many(obj.get("membership")):
            if isinstance(member, dict) and text(member.get("id")):
                if member.get("deleted") is True:
                    continue
                self.save_membership(member, downloads, person=row)

    def save_membership(self, obj, downloads, person=None) -> None:
        person = person or self.reference(obj.get("person"), "person")
        organization = self.reference(obj.get("organization"), "organization")
        if person is None or organization is None:
            raise Reject("person or organization not found")
        row = self.mapped(obj["id"], "membership") or Membership()
        row.person, row.organization = person, organization
        row.role = _by_label(MembershipRole, obj.get("role"), MembershipRole.MEMBER)
        row.voting_right = flag(obj.get("votingRight"), True)
        row.start_date, row.end_date = day(obj.get("startDate")), day(obj.get("endDate"))
        row.on_behalf_of = self.reference(obj.get("onBehalfOf"), "organization")
        row.save()
        self.remember(obj["id"], "membership", row, text(obj.get("modified")))

    def save_meeting(self, obj, downloads) -> None:
        start = moment(obj.get("start"))
        if start is None:
            raise Reject("start missing")
        row = self.mapped(obj["id"], "meeting") or Meeting(body=self.body)
        row.name = (text(obj.get("name")) or "Sitzung")[:200]
        row.start, row.end = start, moment(obj.get("end"))
        if row.end and row.end < row.start:
            row.end = None
        place = one(obj.get("location"))
        if isinstance(place, dict):
            parts = [text(place.get(a)) for a in ("description", "room", "streetAddress")]
            parts += [
                " ".join(
                    p for p in (text(place.get("postalCode")), text(place.get("locality"))) if p
                )
            ]
            row.location = ", ".join(dict.fromkeys(p for p in parts if p))[:200]
        else:
            row.location = ""
        row.state = (
            MeetingState.CANCELLED
            if flag(obj.get("cancelled"), False)
            else _by_label(MeetingState, obj.get("meetingState"), MeetingState.PLANNED)
        )
        row.save()
        self.remember(obj["id"], "meeting", row, text(obj.get("modified")))
        organizations = [
            self.reference(url, "organization") for url in many(obj.get("organization"))
        ]
        row.organizations.set([o for o in organizations if o is not None])
        roles = {"invitation": File.Role.INVITATION, "resultsProtocol": File.Role.MINUTES}
        for attr in ("invitation", "resultsProtocol", "verbatimProtocol", "auxiliaryFile"):
            for f in many(obj.get(attr)):
                if isinstance(f, dict) and f.get("deleted") is not True:
                    self.save_file(f, downloads, roles.get(attr, File.Role.ATTACHMENT), meeting=row)
        used = set()
        items = [
            i for i in many(obj.get("agendaItem")) if isinstance(i, dict) and text(i.get("id"))
        ]
        for position, item in enumerate(items, start=1):
            order = item.get("order")
            order = order + 1 if isinstance(order, int) and order >= 0 else position
            while order in used:
                order += 1
            used.add(order)
            self.save_agendaitem(item, downloads, meeting=row, order=order)
        keep = {
            self.mapped(i["id"], "agendaitem").pk
            for i in items
            if self.mapped(i["id"], "agendaitem")
        }
        AgendaItem.objects.filter(meeting=row, decision__isnull=True).exclude(pk__in=keep).delete()

    def save_agendaitem(self, obj, downloads, *, meeting, order) -> None:
        row = self.mapped(obj["id"], "agendaitem")
        if row is None or row.meeting_id != meeting.pk:
            row = AgendaItem(meeting=meeting)
        # Free the order first, so reordered items never collide with each other.
        AgendaItem.objects.filter(meeting=meeting, order=order).exclude(pk=row.pk).update(
            order=order + 10000
        )
        row.order = order
        row.number = text(obj.get("number"))[:20]
        row.is_public = flag(obj.get("public"), True)
        row.name = (text(obj.get("name")) or row.number or "–")[:500]
        row.result = text(obj.get("result"))[:200]
        row.resolution_text = text(obj.get("resolutionText"))
        row.save()
        self.remember(obj["id"], "agendaitem", row, text(obj.get("modified")))
        self.save_decision(row, meeting)
        consultation = text(one(obj.get("consultation")))
        if consultation:
            self.pending_items.append((row.pk, consultation))
        for f in [*many(obj.get("auxiliaryFile")), *many(obj.get("resolutionFile"))]:
            if isinstance(f, dict) and f.get("deleted") is not True:
                self.save_file(f, downloads, File.Role.ATTACHMENT, meeting=meeting, agenda_item=row)

    def save_decision(self, item: AgendaItem, meeting: Meeting) -> None:
        """The item's result as Lotse's decision record (through council's decision
        service, which numbers it), where the result names an outcome; the source's own
        wording stays on the item. A later run updates the record."""
        outcome = outcome_of(item.result) if item.is_public else None
        if outcome is None:
            return
        decision = Decision.objects.filter(agenda_item=item).first()
        referred_to = None
        if outcome == DecisionOutcome.REFERRED:
            name = item.result.lower().split("verwiesen an", 1)[-1].strip()
            referred_to = (
                Organization.objects.filter(body=self.body, name__iexact=name).first()
                if name
                else None
            )
        if decision is None:
            if meeting.state == MeetingState.CANCELLED:
                return
            wording, resolution = item.result, item.resolution_text
            try:
                write_decision(
                    None,
                    item,
                    outcome,
                    resolution_text=resolution,
                    referred_to=referred_to,
                    date=timezone.localdate(meeting.start),
                )
            except ValidationError as problem:
                raise Reject(f"decision: {' '.join(problem.messages)}") from problem
            AgendaItem.objects.filter(pk=item.pk).update(result=wording, resolution_text=resolution)
            return
        wanted = (outcome, item.resolution_text.strip(), referred_to)
        if (decision.outcome, decision.resolution_text, decision.referred_to) != wanted:
            decision.outcome, decision.resolution_text, decision.referred_to = wanted
            decision._change_reason = "OParl import"
            decision.save()

    def save_paper(self, obj, downloads) -> None:
        name = text(obj.get("name"))
        if not name:
            raise Reject("name missing")
        row = self.mapped(obj["id"], "paper") or Paper(body=self.body)
        reference = text(obj.get("reference"))[:40]
        clash = Paper.objects.filter(body=self.body, reference=reference).exclude(pk=row.pk)
        if reference and clash.exists():
            raise Reject(f"reference {reference} is already taken by another paper")
        row.reference, row.name = reference, name[:500]
        row.paper_type = _by_label(PaperType, obj.get("paperType"), PaperType.NOTICE)
        row.date = day(obj.get("date")) or (moment(obj.get("created")) or timezone.now()).date()
        row.state, row.is_public = PaperState.RELEASED, True
        row.released_at = row.released_at or timezone.now()
        row.originator_organization = self.reference(
            obj.get("originatorOrganization"), "organization"
        )
        row.save()
        self.remember(obj["id"], "paper", row, text(obj.get("modified")))
        self.pending_papers.append(
            (
                row.pk,
                text(one(obj.get("superordinatedPaper"))),
                [text(url) for url in many(obj.get("relatedPaper")) if text(url)],
            )
        )
        for position, c in enumerate(many(obj.get("consultation"))):
            if isinstance(c, dict) and text(c.get("id")) and c.get("deleted") is not True:
                self.save_consultation(c, downloads, paper=row, order=position)
        main = [f for f in many(obj.get("mainFile")) if isinstance(f, dict)]
        for f in main:
            self.save_file(f, downloads, File.Role.MAIN, paper=row)
        for f in many(obj.get("auxiliaryFile")):
            if isinstance(f, dict) and f.get("deleted") is not True:
                self.save_file(f, downloads, File.Role.ATTACHMENT, paper=row)

    def save_consultation(self, obj, downloads, *, paper, order=0) -> None:
        organization = self.reference(one(obj.get("organization")), "organization")
        if organization is None:
            self.report.reject(obj["id"], "Consultation", "organization not found")
            return
        row = self.mapped(obj["id"], "consultation") or Consultation(paper=paper)
        row.paper, row.organization = paper, organization
        row.meeting = self.reference(obj.get("meeting"), "meeting")
        row.role = _by_label(ConsultationRole, obj.get("role"), ConsultationRole.PRELIMINARY)
        row.authoritative = flag(obj.get("authoritative"), False)
        row.order = order
        row.save()
        self.remember(obj["id"], "consultation", row, text(obj.get("modified")))
        item = text(one(obj.get("agendaItem")))
        if item:
            linked = self.mapped(item, "agendaitem")
            if linked and not self.dry_run:
                AgendaItem.objects.filter(pk=linked.pk).update(consultation=row)

    def link_papers(self) -> None:
        """Supplements and related papers, once every paper of the run has a row."""
        if self.dry_run:
            return
        for paper_pk, superordinated, related in self.pending_papers:
            parent = self.mapped(superordinated, "paper") if superordinated else None
            Paper.objects.filter(pk=paper_pk).update(
                supplements=parent if parent and parent.pk != paper_pk else None
            )
            others = [self.mapped(url, "paper") for url in related]
            paper = Paper.objects.get(pk=paper_pk)
            paper.related_papers.add(*[o for o in others if o is not None and o.pk != paper_pk])

    def link_agenda_items(self) -> None:
        """Agenda items name their consultation, which arrives with the papers afterwards."""
        for item_pk, url in self.pending_items:
            consultation = self.mapped(url, "consultation")
            if consultation is not None and not self.dry_run:
                AgendaItem.objects.filter(pk=item_pk).update(consultation=consultation)
