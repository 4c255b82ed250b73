"""The one upload check of Lotse: a file's type is decided from its content (never from the
browser's declared type or its name), must be one the place accepts, must fit the name's
ending, and must not be larger than the place allows. Every app that takes files (council
attachments, measure attachments, idea images, the report PDF put before a committee) uses
it, so a hostile file cannot pass as something else anywhere.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.core.text import clean_line

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain"

# Every type Lotse accepts anywhere, with the file name endings that may carry it (the first
# is used when a name has no ending) and the name shown in messages.
KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    PDF: ((".pdf",), "PDF"),
    DOCX: ((".docx",), "DOCX"),
    XLSX: ((".xlsx",), "XLSX"),
    PPTX: ((".pptx",), "PPTX"),
    ODT: ((".odt",), "ODT"),
    ODS: ((".ods",), "ODS"),
    ODP: ((".odp",), "ODP"),
    PNG: ((".png",), "PNG"),
    JPEG: ((".jpg", ".jpeg"), "JPEG"),
    TEXT: ((".txt", ".csv", ".md"), gettext_lazy("plain text (UTF-8)")),
}
EXTENSIONS = {mime: endings for mime, (endings, _label) in KINDS.items()}
# Zip-based formats: the member that must be there for the type to be real.
ZIP_MEMBERS = {
    DOCX: "word/document.xml",
    XLSX: "xl/workbook.xml",
    PPTX: "ppt/presentation.xml",
    ODT: "content.xml",
    ODS: "content.xml",
    ODP: "content.xml",
}

DOCUMENTS = frozenset(KINDS)
IMAGES = frozenset({PNG, JPEG})


@dataclass(frozen=True)
class CheckedUpload:
    data: bytes
    mime_type: str
    file_name: str
    sha512: str


def _unsupported(allowed: Collection[str]) -> ValidationError:
    labels = ", ".join(str(KINDS[mime][1]) for mime in KINDS if mime in allowed)
    return ValidationError(
        _("Files of this type cannot be attached here. Allowed are: %(types)s.")
        % {"types": labels},
        code="file_type",
    )


def sniff(data: bytes, allowed: Collection[str] = DOCUMENTS) -> str:
    """The MIME type the content really has, if ``allowed``; else a German
    :class:`ValidationError`."""
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else None
    if mime in ZIP_MEMBERS:
        # The magic bytes only show the first entries; the document part must really exist.
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                archive.getinfo(ZIP_MEMBERS[mime])
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise _unsupported(allowed) from error
    elif mime is None and b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            mime = TEXT
    if mime in allowed and mime in KINDS:
        return mime
    raise _unsupported(allowed)


def clean_file_name(name: str, mime_type: str) -> str:
    """A file name safe for a URL and a Content-Disposition header whose ending fits the
    content; a name whose ending claims another type is refused."""
    base = clean_line(PurePath((name or "").replace("\\", "/")).name)
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


def too_big(limit: int) -> ValidationError:
    return ValidationError(
        _("The file is larger than %(size)s. Please choose a smaller one.")
        % {"size": filesizeformat(limit)},
        code="file_size",
    )


def check_upload(upload, *, max_bytes: int, allowed: Collection[str] = DOCUMENTS) -> CheckedUpload:
    """Read, size-check, sniff and hash an uploaded file (a Django ``UploadedFile`` or any
    file with ``name`` and ``read``). The browser's declared type is not trusted at all
    (browsers report CSV as Excel and much else as octet-stream)."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise too_big(max_bytes)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise too_big(max_bytes)
    if not data:
        raise ValidationError(_("The file is empty."), code="file_empty")
    mime_type = sniff(data, allowed)
    file_name = clean_file_name(getattr(upload, "name", "") or "", mime_type)
    return CheckedUpload(data, mime_type, file_name, hashlib.sha512(data).hexdigest())
