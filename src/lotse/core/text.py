"""Text that people type into titles and names must show what it says. Control characters
and Unicode's direction overrides and isolates (U+202A–U+202E, U+2066–U+2069) can make a
title display differently from what it contains (``"Haushalt\u202efdp.exe"`` shows as
``Haushaltexe.pdf``), break exports and hide text from moderators. One definition of what is
refused, used by model saves (every channel: forms, API, imports, admin), forms (with a
German message) and file names."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Direction embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI, FSI,
# PDI): invisible, and they reorder what follows.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# Direction marks (LRM, RLM, ALM): harmless in running text of right-to-left scripts, but
# nothing a title or a name needs.
DIRECTION_MARKS = "\u200e\u200f\u061c"
# C0 controls, DEL and C1 controls, and the Unicode line and paragraph separators.
CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029"

_LINE = re.compile(f"[{BIDI_CONTROLS}{DIRECTION_MARKS}{CONTROLS}]")
# Multi-line text keeps newline and tab (and the carriage return of a CRLF, normalised) and
# the direction marks, which right-to-left running text may need; the Unicode line and
# paragraph separators go (they end lines where CSV readers and scripts do not expect it).
_MULTILINE = re.compile(f"[{BIDI_CONTROLS}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")

MESSAGE = _(
    "This field contains invisible control or text-direction characters (for example "
    "U+202E). Please remove them."
)


def hidden_characters(value: str) -> list[str]:
    """The refused characters in a one-line value, as ``U+XXXX``."""
    return sorted({f"U+{ord(char):04X}" for char in _LINE.findall(value or "")})


def clean_line(value: str) -> str:
    """A one-line value without control and direction characters (tabs and line breaks
    become spaces)."""
    if not value:
        return value
    value = re.sub(r"[\t\n\r\u2028\u2029]+", " ", value)
    return _LINE.sub("", value)


def clean_multiline(value: str) -> str:
    """Multi-line text without direction overrides and control characters; newline and tab
    stay, CRLF becomes LF."""
    if not value:
        return value
    return _MULTILINE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def validate_plain_line(value: str) -> None:
    """Refuse a title or name with control or direction characters, in German."""
    found = hidden_characters(value)
    if found:
        raise ValidationError(MESSAGE, code="hidden_characters", params={"found": found})


def _text_fields(model) -> tuple[list[str], list[str]]:
    """The one-line and the multi-line text fields of a model that people write."""
    from django.db import models

    lines, texts = [], []
    for field in model._meta.concrete_fields:
        if field.choices or isinstance(field, models.SlugField | models.EmailField):
            continue
        if isinstance(field, models.TextField):
            texts.append(field.attname)
        elif isinstance(field, models.CharField) and field.name != "password":
            lines.append(field.attname)
    return lines, texts


_FIELDS: dict[type, tuple[list[str], list[str]]] = {}


def clean_instance(sender, instance, raw=False, **kwargs) -> None:
    """``pre_save`` of every Lotse model: strip control and direction characters from its
    titles, names and texts, whichever way they came (forms, API, imports, admin)."""
    if raw:
        return
    if sender not in _FIELDS:
        _FIELDS[sender] = _text_fields(sender)
    lines, texts = _FIELDS[sender]
    for name in lines:
        value = getattr(instance, name)
        if isinstance(value, str) and _LINE.search(value):
            setattr(instance, name, clean_line(value).strip())
    for name in texts:
        value = getattr(instance, name)
        if isinstance(value, str) and (_MULTILINE.search(value) or "\r" in value):
            setattr(instance, name, clean_multiline(value))


def connect() -> None:
    """Clean every model of Lotse's own apps on save."""
    from django.apps import apps
    from django.db.models.signals import pre_save

    for model in apps.get_models():
        if model.__module__.startswith("lotse."):
            pre_save.connect(
                clean_instance, sender=model, dispatch_uid=f"plain-text-{model._meta.label}"
            )
