"""Reference and decision numbers: a body's pattern filled with the year and the running
number of that year, which is taken from a locked counter so no number is given twice."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lotse.core.models import Body
from lotse.council.models import CouncilSettings, NumberSequence

TOKEN = re.compile(r"\{(yy|yyyy|n{1,6})\}")


def _parts(pattern: str) -> list[str]:
    """The pattern split into literal text and tokens; a ValidationError if it is not a
    valid pattern."""
    parts = TOKEN.split(pattern)
    literals = parts[0::2]
    tokens = parts[1::2]
    if any("{" in text or "}" in text for text in literals):
        raise ValidationError(
            _(
                "The pattern “%(pattern)s” contains an unknown placeholder. Allowed are {yy}, "
                "{yyyy} and {n} to {nnnnnn}."
            )
            % {"pattern": pattern},
            code="unknown_placeholder",
        )
    counters = [token for token in tokens if token.startswith("n")]
    years = [token for token in tokens if token.startswith("y")]
    if len(counters) != 1 or not years:
        # The counter restarts every year, so a number is unique only together with its year.
        raise ValidationError(
            _(
                "The pattern “%(pattern)s” needs exactly one running number ({n} to {nnnnnn}) "
                "and the year ({yy} or {yyyy})."
            )
            % {"pattern": pattern},
            code="incomplete_pattern",
        )
    return parts


def validate_number_pattern(pattern: str) -> None:
    """Validator for the pattern fields of CouncilSettings."""
    _parts(pattern)


def format_number(pattern: str, year: int, n: int) -> str:
    """Fill ``pattern``: ``{yy}`` two-digit year, ``{yyyy}`` four-digit year, ``{n}`` …
    ``{nnnnnn}`` the running number zero-padded to as many digits as there are n's."""
    parts = _parts(pattern)
    out = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out.append(part)
        elif part == "yy":
            out.append(f"{year % 100:02d}")
        elif part == "yyyy":
            out.append(f"{year:04d}")
        else:
            out.append(f"{n:0{len(part)}d}")
    return "".join(out)


def next_number(body: Body, kind: str, year: int) -> int:
    """The next running number of ``kind`` in ``year`` for ``body``. The counter row is read
    under a row lock, so concurrent callers wait for each other; call it inside the
    transaction that stores the number, so a rollback gives the number back."""
    with transaction.atomic():
        lookup = {"body": body, "kind": kind, "year": year}
        sequence = NumberSequence.objects.select_for_update().filter(**lookup).first()
        if sequence is None:
            try:
                # A savepoint: if another transaction created the row meanwhile, only this
                # insert is undone, and the row is read again below (now under the lock).
                with transaction.atomic():
                    NumberSequence.objects.create(**lookup)
            except IntegrityError:
                pass
            sequence = NumberSequence.objects.select_for_update().get(**lookup)
        sequence.last += 1
        sequence.save(update_fields=["last"])
        return sequence.last


def council_settings(body: Body) -> CouncilSettings:
    """The body's settings, or unsaved defaults if it has none yet."""
    return CouncilSettings.objects.filter(body=body).first() or CouncilSettings(body=body)


def give_number(body: Body, kind: str, date: datetime.date, taken) -> str:
    """The next formatted number of ``kind`` for a paper or decision dated ``date``.
    ``taken(number)`` says whether a number is already in use (e.g. imported by hand); such
    numbers are skipped."""
    found = council_settings(body)
    pattern = (
        found.paper_reference_pattern
        if kind == NumberSequence.Kind.PAPER
        else found.decision_number_pattern
    )
    while True:
        number = format_number(pattern, date.year, next_number(body, kind, date.year))
        if not taken(number):
            return number
