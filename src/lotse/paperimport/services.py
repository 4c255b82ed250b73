"""Importing papers: read uploads (ZIPs unpacked within limits), recognise them outside any
transaction, keep them as a batch for the review, then save a reviewed batch all-or-nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core.services import require
from lotse.council import files as council_files
from lotse.council.models import (
    AgendaItem,
    Consultation,
    ConsultationRole,
    Decision,
    DecisionOutcome,
    File,
    Meeting,
    MeetingState,
    Organization,
    Paper,
    PaperState,
    PaperType,
)
from lotse.paperimport.models import ImportBatch, ImportItem
from lotse.paperimport.recognise import Recognition, RecognitionError, extract, recognise

MAX_FILES = 200
MAX_ZIP_MEMBERS = 500
MAX_TOTAL_BYTES = 200 * 1024 * 1024
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
ZIP_MIME = "application/zip"


@dataclass
class Source:
    name: str
    data: bytes


def _too_big(limit: int) -> ValidationError:
    return ValidationError(
        _("The upload is larger than %(size)s. Please split it into smaller batches.")
        % {"size": filesizeformat(limit)}
    )


def unpack(name: str, data: bytes) -> list[Source]:
    """A file, or the members of a ZIP archive (not of a DOCX/ODT), within limits."""
    if data[:2] != b"PK":
        return [Source(name, data)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ValidationError(_("“%(name)s” is a damaged ZIP file.") % {"name": name}) from error
    with archive:
        names = set(archive.namelist())
        if "word/document.xml" in names or "content.xml" in names:
            return [Source(name, data)]
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not PurePath(info.filename).name.startswith((".", "__"))
            and "__MACOSX" not in info.filename
        ]
        if len(members) > MAX_ZIP_MEMBERS:
            raise ValidationError(
                _("The ZIP file holds more than %(count)s files.") % {"count": MAX_ZIP_MEMBERS}
            )
        limit = council_files.max_bytes()
        total, found = 0, []
        for info in members:
            if info.file_size > limit:
                raise ValidationError(
                    _("“%(name)s” in the ZIP file is larger than %(size)s.")
                    % {"name": info.filename, "size": filesizeformat(limit)}
                )
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise _too_big(MAX_TOTAL_BYTES)
            with archive.open(info) as stream:
                content = stream.read(limit + 1)
            if len(content) > limit:  # the header lied about the size
                raise _too_big(limit)
            found.append(Source(PurePath(info.filename).name, content))
        return found


def read_item(source: Source) -> dict:
    """Check one file as a future main file and recognise its paper (slow; no transaction)."""
    item = {"file_name": source.name[:255], "data": source.data, "mime_type": "", "error": ""}
    item["sha512"] = hashlib.sha512(source.data).hexdigest()
    try:
        mime = council_files.sniff(source.data)
        name = source.name
        if mime == council_files.TEXT and name.lower().endswith(HTML_SUFFIXES):
            name = PurePath(name).stem + ".txt"  # kept as plain text: HTML is never served
        item["file_name"] = council_files.clean_file_name(name, mime)
        item["mime_type"] = mime
        item["recognition"] = recognise(extract(source.data, source.name)).as_dict()
    except ValidationError as error:
        item["error"] = " ".join(error.messages)
    except RecognitionError as error:
        item["error"] = str(error)
    return item


def create_batch(user, body, uploads: list[tuple[str, bytes]]) -> ImportBatch:
    """Recognise the uploaded files and keep them as a batch for the review."""
    require(user, "paperimport.import_papers", body)
    sources: list[Source] = []
    total = 0
    for name, data in uploads:
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            raise _too_big(MAX_TOTAL_BYTES)
        sources.extend(unpack(name, data))
    if not sources:
        raise ValidationError(_("Please choose at least one file."))
    if len(sources) > MAX_FILES:
        raise ValidationError(
            _("At most %(count)s papers can be imported at once.") % {"count": MAX_FILES}
        )
    items = [read_item(source) for source in sources]
    with transaction.atomic():
        batch = ImportBatch.objects.create(body=body, created_by=user)
        ImportItem.objects.bulk_create(
            ImportItem(batch=batch, position=index, **item) for index, item in enumerate(items)
        )
    return batch


@dataclass
class Step:
    organization: str
    date: dt.date | None
    role: str
    is_public: bool = True


@dataclass
class ReviewedPaper:
    """One paper as the reviewer confirmed it."""

    item: ImportItem
    reference: str
    name: str
    paper_type: str
    date: dt.date
    decision_proposal: str = ""
    reasoning: str = ""
    is_public: bool = True
    released: bool = True
    unit: str = ""
    steps: list[Step] = field(default_factory=list)


@dataclass
class ImportedDecision:
    """The decision an export holds: outcome, "einstimmig" and its Beschluss-Nr."""

    outcome: str
    number: str = ""
    unanimous: bool = False
    text: str = ""


def decision_from_recognition(item: ImportItem) -> ImportedDecision | None:
    r = Recognition.from_dict(item.recognition)
    outcome = r.value("outcome")
    if outcome not in DecisionOutcome.values:
        return None
    return ImportedDecision(
        outcome=outcome,
        number=str(r.value("decision_number") or "").strip()[:40],
        unanimous=r.value("vote") == "einstimmig",
        text=str(r.value("decision_text") or ""),
    )


def save_decision(
    user, paper: Paper, steps: list[Consultation], decision: ImportedDecision
) -> Decision | None:
    """Record an imported decision through council's decision service: on a new agenda item of
    the meeting of the deciding step (else of the last step with a known meeting), keeping
    the export's Beschluss-Nr. where it is free. Without a known meeting nothing is recorded."""
    from django.db.models import Max

    from lotse.council.services import write_decision

    with_meeting = [s for s in steps if s.meeting_id]
    if not with_meeting:
        return None
    step = next((s for s in reversed(with_meeting) if s.authoritative), with_meeting[-1])
    meeting = step.meeting
    if meeting.state == MeetingState.CANCELLED:
        return None
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("order"))["last"]
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=(last or 0) + 1,
        name=paper.name[:500],
        is_public=step.is_public,
        consultation=step,
    )
    recorded = write_decision(
        user,
        item,
        decision.outcome,
        resolution_text=decision.text,
        unanimous=decision.unanimous,
        date=step.planned_date,
    )
    saved = recorded.decision
    if (
        decision.number
        and decision.number != saved.number
        and not Decision.objects.filter(body=paper.body_id, number=decision.number).exists()
    ):
        saved.number = decision.number
        saved._change_reason = _("Number taken over from the imported paper")
        saved.save(update_fields=["number"])
    return saved


def recognised_decision(item: ImportItem) -> dict | None:
    """What the export says of a decision (outcome, vote, number), as recognised, or None
    when it holds none."""
    r = Recognition.from_dict(item.recognition)
    found = {name: r.value(name) for name in ("outcome", "vote", "decision_number")}
    if not any(found.values()):
        return None
    outcome = found["outcome"]
    found["outcome_label"] = (
        str(DecisionOutcome(outcome).label) if outcome in DecisionOutcome.values else ""
    )
    return found


def _deciding_meeting(steps: list[Step], organizations) -> tuple[Step | None, Meeting | None]:
    """The step and meeting an imported decision goes to, as ``save_decision`` picks them: the
    deciding step's meeting, else that of the last step with a known meeting."""
    with_meeting = []
    for step in steps:
        organization = organizations.get(" ".join(step.organization.split()).casefold())
        meeting = meeting_on(organization, step.date) if organization else None
        if meeting is not None:
            with_meeting.append((step, meeting))
    if not with_meeting:
        return None, None
    return next(
        (pair for pair in reversed(with_meeting) if pair[0].role == ConsultationRole.DECISION),
        with_meeting[-1],
    )


def decision_warning(body, paper: ReviewedPaper, organizations=None) -> str:
    """A German sentence when the paper's recognised decision will not be saved with it (and
    why), else ""."""
    found = recognised_decision(paper.item)
    if found is None:
        return ""
    number = found["decision_number"]
    what = (
        _("The recognised decision no. %(number)s") % {"number": number}
        if number
        else _("The recognised decision")
    )
    if not found["outcome_label"]:
        return _("%(what)s will not be saved: its outcome was not recognised.") % {"what": what}
    if organizations is None:
        organizations = match_organizations(body, [s.organization for s in paper.steps])
    _step, meeting = _deciding_meeting(paper.steps, organizations)
    if meeting is None:
        return _(
            "%(what)s will not be saved: no meeting of the Beratungsfolge is known on its "
            "date. Create the meeting first or correct the date of the step, then save; or "
            "record the decision later on the meeting's page."
        ) % {"what": what}
    if meeting.state == MeetingState.CANCELLED:
        return _("%(what)s will not be saved: its meeting “%(meeting)s” was cancelled.") % {
            "what": what,
            "meeting": meeting.name,
        }
    return ""


def reviewed_from_recognition(item: ImportItem, today: dt.date | None = None) -> ReviewedPaper:
    """The recognised values as they are (what the command and the review form start from)."""
    r = Recognition.from_dict(item.recognition)
    date = r.value("date")
    paper_type = r.value("paper_type")
    if paper_type not in PaperType.values:
        paper_type = PaperType.PROPOSAL
    return ReviewedPaper(
        item=item,
        reference=r.value("reference") or "",
        name=r.value("subject") or "",
        paper_type=paper_type,
        date=dt.date.fromisoformat(date) if date else (today or timezone.localdate()),
        decision_proposal=r.value("proposal") or "",
        reasoning=r.value("reasoning") or "",
        unit=r.value("unit") or "",
        steps=[
            Step(
                c.organization,
                dt.date.fromisoformat(c.date) if c.date else None,
                c.role,
                c.is_public,
            )
            for c in r.consultations
        ],
    )


def match_organizations(body, names) -> dict[str, Organization]:
    """Existing organizations by name or short name, ignoring case and spacing."""
    wanted = {" ".join(n.split()).casefold() for n in names if n}
    found = {}
    if not wanted:
        return found
    for organization in Organization.objects.filter(body=body).order_by("pk"):
        for candidate in (organization.name, organization.short_name):
            key = " ".join(candidate.split()).casefold()
            if key in wanted:
                found.setdefault(key, organization)
    return found


def match_unit(body, text: str):
    """The originating unit named in ``text`` by its name or its code ("Amt 61"), or None."""
    from lotse.strategy.models import OrgUnit

    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    for unit in OrgUnit.objects.filter(body=body).order_by("pk"):
        name, code = unit.name.casefold(), unit.code.casefold()
        if wanted in (name, code) or name in wanted or wanted.startswith(code + " "):
            return unit
    return None


def meeting_on(organization: Organization, date: dt.date | None) -> Meeting | None:
    """The organization's meeting on that day, if Lotse knows it."""
    if date is None:
        return None
    return (
        Meeting.objects.filter(organizations=organization, start__date=date)
        .order_by("start")
        .first()
    )


def check(body, papers: list[ReviewedPaper]) -> list[str]:
    """German messages for everything that stops the batch from being saved."""
    errors = []
    seen: dict[str, str] = {}
    references = [p.reference for p in papers if p.reference]
    existing = set(
        Paper.objects.filter(body=body, reference__in=references).values_list(
            "reference", flat=True
        )
    )
    organizations = match_organizations(body, [s.organization for p in papers for s in p.steps])
    for paper in papers:
        where = paper.item.file_name
        if paper.item.error:
            errors.append(_("%(file)s: %(error)s") % {"file": where, "error": paper.item.error})
            continue
        if not paper.name.strip():
            errors.append(_("%(file)s: the subject (Betreff) is missing.") % {"file": where})
        if paper.reference:
            if paper.reference in existing:
                errors.append(
                    _("%(file)s: a paper with the reference %(reference)s already exists.")
                    % {"file": where, "reference": paper.reference}
                )
            elif paper.reference in seen:
                errors.append(
                    _("%(file)s: the reference %(reference)s is also used by %(other)s.")
                    % {"file": where, "reference": paper.reference, "other": seen[paper.reference]}
                )
            seen[paper.reference] = where
        for step in paper.steps:
            if " ".join(step.organization.split()).casefold() not in organizations:
                errors.append(
                    _(
                        "%(file)s: no organization named “%(name)s” exists. Correct the name "
                        "or create the organization first."
                    )
                    % {"file": where, "name": step.organization}
                )
            if step.role not in ConsultationRole.values:
                errors.append(_("%(file)s: choose a valid role.") % {"file": where})
    return errors


class Saved(list):
    """The papers a batch created; ``skipped`` names, in German, each recognised decision
    that was not saved with its paper and why."""

    def __init__(self, papers=(), skipped=()):
        super().__init__(papers)
        self.skipped = list(skipped)


def save_batch(user, batch: ImportBatch, papers: list[ReviewedPaper]) -> Saved:
    """Create the reviewed papers with their Beratungsfolge and the original as main file,
    all or nothing; the batch is gone afterwards. Papers arrive released (they were in the old
    system) unless the reviewer keeps one as a draft. A decision that cannot be recorded (no
    known meeting) does not stop the batch; the result lists it."""
    body = batch.body
    require(user, "paperimport.import_papers", body)
    errors = check(body, papers)
    if errors:
        raise ValidationError(errors)
    organizations = match_organizations(body, [s.organization for p in papers for s in p.steps])
    stored: list[str] = []
    now = timezone.now()
    field_ = File._meta.get_field("file")
    try:
        # The originals go to storage before the transaction, which then only writes rows.
        names = {}
        for reviewed in papers:
            item = reviewed.item
            name = field_.generate_filename(None, item.file_name)
            names[item.pk] = field_.storage.save(name, ContentFile(bytes(item.data)))
            stored.append(names[item.pk])
        with transaction.atomic():
            # Under the lock of the batch, so a double submit cannot import twice.
            ImportBatch.objects.select_for_update().get(pk=batch.pk)
            references = [p.reference for p in papers if p.reference]
            if Paper.objects.filter(body=body, reference__in=references).exists():
                raise ValidationError(_("A paper of this batch was imported meanwhile."))
            created = Saved()
            for reviewed in papers:
                released = reviewed.released
                paper = Paper.objects.create(
                    body=body,
                    reference=reviewed.reference,
                    paper_type=reviewed.paper_type,
                    name=reviewed.name.strip()[:500],
                    date=reviewed.date,
                    is_public=reviewed.is_public,
                    decision_proposal=reviewed.decision_proposal,
                    reasoning=reviewed.reasoning,
                    state=PaperState.RELEASED if released else PaperState.DRAFT,
                    originator_unit=match_unit(body, reviewed.unit),
                    released_at=now if released else None,
                    released_by=user if released else None,
                )
                steps = Consultation.objects.bulk_create(
                    Consultation(
                        paper=paper,
                        organization=organizations[" ".join(s.organization.split()).casefold()],
                        meeting=meeting_on(
                            organizations[" ".join(s.organization.split()).casefold()], s.date
                        ),
                        planned_date=s.date,
                        role=s.role,
                        authoritative=s.role == ConsultationRole.DECISION,
                        is_public=s.is_public,
                        order=index,
                    )
                    for index, s in enumerate(reviewed.steps)
                )
                decision = decision_from_recognition(reviewed.item)
                saved_decision = None
                if decision is not None:
                    saved_decision = save_decision(user, paper, steps, decision)
                if saved_decision is None and (
                    warning := decision_warning(body, reviewed, organizations)
                ):
                    created.skipped.append(
                        _("%(file)s (%(paper)s): %(warning)s")
                        % {
                            "file": reviewed.item.file_name,
                            "paper": reviewed.reference or paper.name,
                            "warning": warning,
                        }
                    )
                item = reviewed.item
                row = File(
                    body=body,
                    name=(reviewed.name.strip() or item.file_name)[:300],
                    file_name=item.file_name,
                    mime_type=item.mime_type,
                    size=len(item.data),
                    sha512=item.sha512,
                    text=Recognition.from_dict(item.recognition).text[
                        : council_files.MAX_TEXT_CHARS
                    ],
                    role=File.Role.MAIN,
                    date=reviewed.date,
                    paper=paper,
                )
                row.file.name = names[item.pk]
                row.save()
                created.append(paper)
            batch.delete()
    except Exception:
        for name in stored:
            field_.storage.delete(name)
        raise
    return created


def discard_batch(user, batch: ImportBatch) -> None:
    require(user, "paperimport.import_papers", batch.body)
    batch.delete()


def batches_for(body):
    return ImportBatch.objects.filter(body=body).filter(~Q(items=None)).distinct()
