"""Anlagen of papers and meetings: the upload service that decides a file's type from its
content (never from the browser or the name, see ``core.uploads``), hashes it and extracts
its text for search, within limits, so that a hostile file can neither pass as something else
nor stall a request.
"""

from __future__ import annotations

import html
import io
import logging
import re
import time
import zipfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.core import uploads
from lotse.council.models import AgendaItem, File, Meeting, Paper

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Text extraction stops at these limits; the file itself is kept whole.
MAX_PAGES = 300
MAX_TEXT_CHARS = 500_000
MAX_XML_BYTES = 20 * 1024 * 1024
MAX_SECONDS = 10.0

# The types, the sniffing and the file-name check are core's, shared with every upload.
PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, TEXT = (
    uploads.PDF,
    uploads.DOCX,
    uploads.XLSX,
    uploads.ODT,
    uploads.ODS,
    uploads.PNG,
    uploads.JPEG,
    uploads.TEXT,
)
ACCEPTED = frozenset({PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, TEXT})
EXTENSIONS = {mime: uploads.EXTENSIONS[mime] for mime in ACCEPTED}
ZIP_MEMBERS = uploads.ZIP_MEMBERS
INLINE_TYPES = {PDF, PNG, JPEG}
CheckedUpload = uploads.CheckedUpload
clean_file_name = uploads.clean_file_name


def max_bytes() -> int:
    return int(getattr(settings, "LOTSE_COUNCIL_FILE_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(data: bytes) -> str:
    """The MIME type the content really has, or a German :class:`ValidationError`."""
    return uploads.sniff(data, ACCEPTED)


def check_upload(upload) -> CheckedUpload:
    """Read, size-check, sniff and hash an uploaded file."""
    return uploads.check_upload(upload, max_bytes=max_bytes(), allowed=ACCEPTED)


# Text extraction


def _clip(text: str) -> str:
    # PostgreSQL text cannot hold NUL characters.
    return text.replace("\x00", "")[:MAX_TEXT_CHARS].strip()


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        return ""
    deadline = time.monotonic() + MAX_SECONDS
    parts, length = [], 0
    for index, page in enumerate(reader.pages):
        if index >= MAX_PAGES or length >= MAX_TEXT_CHARS or time.monotonic() > deadline:
            break
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
    return "\n".join(parts)


PARAGRAPH_END = re.compile(r"</(?:w:p|text:p|text:h)>|<(?:w:br|w:cr|text:line-break)\b[^>]*>")
TAB = re.compile(r"<(?:w:tab|text:tab)\b[^>]*/?>")
TAG = re.compile(r"<[^>]*>")


def _xml_text(data: bytes, member: str) -> str:
    """The words of a DOCX or ODT body. No XML parser runs: tags are stripped and only the
    predefined and numeric entities are decoded, so no entity expansion or external entity
    can be triggered; the member is read at most up to a fixed size (zip bombs)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(member) as stream:
        xml = stream.read(MAX_XML_BYTES).decode("utf-8", errors="replace")
    xml = PARAGRAPH_END.sub("\n", xml)
    xml = TAB.sub("\t", xml)
    return html.unescape(TAG.sub("", xml))


def extract_text(data: bytes, mime_type: str) -> str:
    """The searchable text of a file, or "" where there is none or it cannot be read."""
    try:
        if mime_type == PDF:
            text = _pdf_text(data)
        elif mime_type in (DOCX, ODT):
            text = _xml_text(data, ZIP_MEMBERS[mime_type])
        elif mime_type == TEXT:
            text = data.decode("utf-8").removeprefix("\ufeff")
        else:
            return ""
    except Exception:  # a damaged file keeps its place, only without searchable text
        logger.warning("Text of a %s file could not be extracted.", mime_type, exc_info=True)
        return ""
    return _clip(text)


# Services


def _refuse_released(paper: Paper) -> None:
    if paper.is_released:
        raise ValidationError(
            _(
                "The files of a released paper are fixed like its text. Create an "
                "Ergänzungsvorlage (supplementary paper) instead."
            ),
            code="released",
        )


def _require_owner_permission(user, *, paper: Paper | None, meeting: Meeting | None) -> None:
    if paper is not None:
        if not user.has_perm("council.edit_papers", paper.body):
            raise PermissionDenied
    elif not user.has_perm("council.manage_meetings", meeting):
        raise PermissionDenied


def attach_file(
    user,
    *,
    paper: Paper | None = None,
    meeting: Meeting | None = None,
    agenda_item: AgendaItem | None = None,
    upload,
    name: str,
    role: str = File.Role.ATTACHMENT,
    text: str | None = None,
) -> File:
    """Attach an uploaded file to a paper, a meeting or one of its agenda items. ``text`` is
    the file's text if the caller extracted it already (outside its transaction)."""
    if agenda_item is not None:
        if meeting is not None and agenda_item.meeting_id != meeting.pk:
            raise ValidationError(_("The agenda item belongs to another meeting."))
        meeting = agenda_item.meeting
    if (paper is None) == (meeting is None):
        raise ValueError("A file belongs to either a paper or a meeting.")
    _require_owner_permission(user, paper=paper, meeting=meeting)
    if paper is not None:
        _refuse_released(paper)  # before the work of reading the file; again under the lock
    if role not in File.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Please give the file a name.")})
    checked = check_upload(upload)
    if text is None:
        text = extract_text(checked.data, checked.mime_type)
    owner = paper or meeting
    with transaction.atomic():
        if paper is not None:
            _refuse_released(Paper.objects.select_for_update().get(pk=paper.pk))
        row = File(
            body_id=owner.body_id,
            name=name[:300],
            file_name=checked.file_name,
            mime_type=checked.mime_type,
            size=len(checked.data),
            sha512=checked.sha512,
            text=text,
            role=role,
            paper=paper,
            meeting=meeting,
            agenda_item=agenda_item,
        )
        row.file.save(checked.file_name, ContentFile(checked.data), save=False)
        stored = row.file
        try:
            row.save()
        except Exception:
            stored.delete(save=False)
            raise
    return row


@transaction.atomic
def remove_file(user, file: File) -> None:
    """Remove a file of a paper that is not released yet, or of a meeting; the stored file
    goes once the row is gone for good."""
    paper = Paper.objects.select_for_update().get(pk=file.paper_id) if file.paper_id else None
    meeting = file.meeting if paper is None else None
    _require_owner_permission(user, paper=paper, meeting=meeting)
    if paper is not None:
        _refuse_released(paper)
    stored = file.file
    file.delete()
    transaction.on_commit(lambda: stored.delete(save=False))


def is_inline(file: File) -> bool:
    """PDF and pictures open in the browser; everything else is downloaded."""
    return file.mime_type in INLINE_TYPES
