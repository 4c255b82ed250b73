"""Seek pagination for long lists (50,000 ideas, 100,000 papers): a page is read from the
index that matches the list's order, never by skipping rows with OFFSET.

- "Next" and "previous" links carry a cursor, the sort key of the last (``nach``) or first
  (``vor``) row shown, and the page number (``seite``) for the reader's orientation; the next
  page is the rows after that key: one index range read, as cheap on page 500 as on page 1.
- A page number alone (``?seite=500``, a typed or shared link) first finds the key of the
  row just before the page by reading only the sort key and id (from the index, without the
  rows and their joins), then seeks as above.
- The number of matching rows is counted exactly up to ``EXACT_UP_TO``; above it the count
  is taken from the cache (versioned by the list's namespace, so a change to the data
  counts afresh; at most ``COUNT_SECONDS`` old) and the page says "about".

Orders must be total (end in the primary key), over non-null fields, all one direction.
"""

import base64
import binascii
import json
import math
from datetime import date, datetime

from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import (
    Tuple,
    TupleGreaterThan,
    TupleLessThan,
)

from lotse.core import versioned

PER_PAGE = 25
EXACT_UP_TO = 1000
COUNT_SECONDS = 300


def _keys(queryset: QuerySet, ordering) -> list[tuple[str, object]]:
    """(name, field) per sort key; the direction must be the same for all."""
    directions = {name.startswith("-") for name in ordering}
    if len(directions) != 1:
        raise ValueError("Seek pagination needs one direction for every sort key.")
    meta = queryset.model._meta
    keys = []
    for name in ordering:
        bare = name.lstrip("-")
        field = meta.pk if bare == "pk" else meta.get_field(bare)
        keys.append((field.attname if bare != "pk" else meta.pk.attname, field))
    return keys


def encode_cursor(values) -> str:
    plain = [v.isoformat() if isinstance(v, (date, datetime)) else v for v in values]
    raw = json.dumps(plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str, keys) -> list | None:
    """The cursor's values typed by their fields, or None if it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        plain = json.loads(raw)
        if not isinstance(plain, list) or len(plain) != len(keys):
            return None
        values = [field.to_python(value) for value, (_name, field) in zip(plain, keys, strict=True)]
    except (ValueError, TypeError, ValidationError, binascii.Error, FieldDoesNotExist):
        return None
    if any(value is None for value in values):
        return None
    return values


def count(queryset: QuerySet, namespace: str) -> tuple[int, bool]:
    """(number of rows, whether it is an estimate): exact up to ``EXACT_UP_TO`` rows (a
    bounded read), above that cached under the namespace's version."""
    small = queryset.order_by().values("pk")[: EXACT_UP_TO + 1].count()
    if small <= EXACT_UP_TO:
        return small, False
    key = versioned.key(namespace, "count", str(queryset.order_by().query))
    found = cache.get(key)
    if found is not None:
        return found, True
    total = queryset.order_by().count()
    cache.set(key, total, COUNT_SECONDS)
    return total, True


def rounded(number: int) -> int:
    """A large estimate to two significant digits (50,123 → 50,000)."""
    if number < 100:
        return number
    digits = len(str(number)) - 2
    return int(round(number, -digits))


class SeekPage:
    """A page of a seek-paginated list, with the attributes ``includes/pagination.html`` and
    the lists' templates use from Django's ``Page`` (``paginator.count``, ``number``, …)."""

    def __init__(self, rows, number, total, estimated, per_page, has_next, has_previous, keys):
        self.object_list = rows
        self.number = number
        self.count = total
        self.estimated = estimated
        self.per_page = per_page
        self._has_next = has_next
        self._has_previous = has_previous
        self._keys = keys

    # What templates read of Django's Paginator through page.paginator.
    @property
    def paginator(self):
        return self

    @property
    def num_pages(self) -> int:
        return max(math.ceil(self.count / self.per_page), self.number, 1)

    @property
    def shown_count(self) -> int:
        return rounded(self.count) if self.estimated else self.count

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self._has_previous

    def has_other_pages(self) -> bool:
        return self._has_next or self._has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return max(self.number - 1, 1)

    def _cursor(self, row) -> str:
        return encode_cursor([getattr(row, name) for name, _field in self._keys])

    @property
    def cursor_next(self) -> str:
        return self._cursor(self.object_list[-1]) if self.object_list else ""

    @property
    def cursor_previous(self) -> str:
        # Page 1 is simply the start: no cursor, so its address stays the plain one.
        if not self.object_list or self.number <= 2:
            return ""
        return self._cursor(self.object_list[0])


def _after(keys, values, descending: bool):
    columns = Tuple(*[F(name) for name, _field in keys])
    return TupleLessThan(columns, values) if descending else TupleGreaterThan(columns, values)


def _before(keys, values, descending: bool):
    columns = Tuple(*[F(name) for name, _field in keys])
    return TupleGreaterThan(columns, values) if descending else TupleLessThan(columns, values)


def _lead_bound(keys, values, descending: bool, after: bool) -> dict:
    """The first key's bound alone, which every database can take as an index range (the
    tuple comparison then only sorts out the ties)."""
    name = keys[0][0]
    if descending == after:
        return {f"{name}__lte": values[0]}
    return {f"{name}__gte": values[0]}


def seek_page(
    queryset: QuerySet,
    ordering,
    params,
    *,
    namespace: str,
    per_page: int = PER_PAGE,
) -> SeekPage:
    """The page that ``params`` (the request's GET) asks for: ``seite`` with ``nach`` or
    ``vor`` (cursor links) or ``seite`` alone (a seek by the index)."""
    ordering = list(ordering)
    keys = _keys(queryset, ordering)
    descending = ordering[0].startswith("-")
    reverse = [name[1:] if name.startswith("-") else f"-{name}" for name in ordering]
    try:
        number = max(int(params.get("seite") or 1), 1)
    except (TypeError, ValueError):
        number = 1
    total, estimated = count(queryset, namespace)
    last_page = max(math.ceil(total / per_page), 1)
    if not estimated:
        number = min(number, last_page)

    after = decode_cursor(params.get("nach", ""), keys) if params.get("nach") else None
    before = decode_cursor(params.get("vor", ""), keys) if params.get("vor") else None
    ordered = queryset.order_by(*ordering)
    if before is not None and number > 1:
        rows = list(
            queryset.filter(**_lead_bound(keys, before, descending, after=False))
            .filter(_before(keys, before, descending))
            .order_by(*reverse)[: per_page + 1]
        )
        at_start = len(rows) <= per_page
        rows = rows[:per_page][::-1]
        if at_start:
            number = 1
        return SeekPage(rows, number, total, estimated, per_page, True, not at_start, keys)
    if after is None and number > 1:
        # The key of the last row before the page: sort keys and ids only, from the index.
        boundary = list(
            ordered.values_list(*[name for name, _f in keys])[
                (number - 1) * per_page - 1 : (number - 1) * per_page
            ]
        )
        if boundary:
            after = list(boundary[0])
        else:
            # Beyond the end (the count was an estimate): the last page, read backwards.
            rows = list(queryset.order_by(*reverse)[:per_page])[::-1]
            number = max(math.ceil(total / per_page), 1) if rows else 1
            return SeekPage(rows, number, total, estimated, per_page, False, number > 1, keys)
    if after is not None and number > 1:
        page = queryset.filter(**_lead_bound(keys, after, descending, after=True)).filter(
            _after(keys, after, descending)
        )
        rows = list(page.order_by(*ordering)[: per_page + 1])
    else:
        number = 1
        rows = list(ordered[: per_page + 1])
    has_next = len(rows) > per_page
    return SeekPage(rows[:per_page], number, total, estimated, per_page, has_next, number > 1, keys)
