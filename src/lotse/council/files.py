"""Anlagen of papers and meetings: the upload service that decides a file's type from its
content (never from the browser or the name), hashes it and extracts its text for search,
within limits, so that a hostile file can neither pass as something else nor stall a request.
"""

from __future__ import annotations

import hashlib
import html
import io
import logging
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from lotse.council.models import AgendaItem, File, Meeting, Paper

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Text extraction stops at these limits; the file itself is kept whole.
MAX_PAGES = 300
MAX_TEXT_CHARS = 500_000
MAX_XML_BYTES = 20 * 1024 * 1024
MAX_SECONDS = 10.0

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain"

# The accepted types with the file name endings that may carry them (the first is used when
# a name has no ending).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    ODT: (".odt",),
    ODS: (".ods",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    TEXT: (".txt", ".csv", ".md"),
}
# Zip-based formats: the member that must be there for the type to be real.
ZIP_MEMBERS = {
    DOCX: "word/document.xml",
    XLSX: "xl/workbook.xml",
    ODT: "content.xml",
    ODS: "content.xml",
}
INLINE_TYPES = {PDF, PNG, JPEG}


def max_bytes() -> int:
    return int(getattr(settings, "LOTSE_COUNCIL_FILE_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class CheckedUpload:
    data: bytes
    mime_type: str
    file_name: str
    sha512: str


def _unsupported() -> ValidationError:
    return ValidationError(
        _(
            "Files of this type cannot be attached. Allowed are PDF, ODT, DOCX, ODS, XLSX, "
            "PNG, JPEG and plain text (UTF-8)."
        ),
        code="file_type",
    )


def sniff(data: bytes) -> str:
    """The MIME type the content really has, or a German :class:`ValidationError`."""
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else None
    if mime in ZIP_MEMBERS:
        # The magic bytes only show the first entries; the document part must really exist.
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                archive.getinfo(ZIP_MEMBERS[mime])
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise _unsupported() from error
        return mime
    if mime in EXTENSIONS:
        return mime
    if mime is None and b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return TEXT
    raise _unsupported()


def clean_file_name(name: str, mime_type: str) -> str:
    """A file name safe for a URL and a Content-Disposition header whose ending fits the
    content; a name whose ending claims another type is refused."""
    base = PurePath(name.replace("\\", "/")).name
    suffix = PurePath(base).suffix.lower()
    allowed = EXTENSIONS[mime_type]
    if suffix and suffix not in allowed:
        raise ValidationError(
            _(
                "The file name ends in “%(suffix)s”, but the content is of another type "
                "(%(expected)s). Please check the file."
            )
            % {"suffix": suffix, "expected": ", ".join(allowed)},
            code="file_mismatch",
        )
    stem = PurePath(base).stem if suffix else base
    try:
        stem = get_valid_filename(stem)[:200]
    except SuspiciousFileOperation:
        stem = ""
    return f"{stem or 'datei'}{suffix or allowed[0]}"


def check_upload(upload) -> CheckedUpload:
    """Read, size-check, sniff and hash an uploaded file."""
    limit = max_bytes()
    too_big = ValidationError(
        _("The file is larger than %(size)s. Please choose a smaller one.")
        % {"size": filesizeformat(limit)},
        code="file_size",
    )
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise too_big
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if not data:
        raise ValidationError(_("The file is empty."), code="file_empty")
    mime_type = sniff(data)
    file_name = clean_file_name(upload.name or "", mime_type)
    return CheckedUpload(data, mime_type, file_name, hashlib.sha512(data).hexdigest())


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
