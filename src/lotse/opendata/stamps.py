"""What a download's validators (ETag, Last-Modified, dct:modified) stand on: every table whose
rows a dataset shows, not only the dataset's own rows.

A dataset declares its ``sources``: ``(model label, time field, body lookup)``. The stamp of a
set of sources is, per table, the newest ``time field`` and the number of rows, read for all
tables in one ``UNION ALL`` query. A change shows as a newer time; a deletion as a smaller
count, and in the history tables (django-simple-history writes a row on every save and delete)
as a newer ``history_date`` and a larger count. ``time field`` may be ``None`` for a table
without one (its row count still changes on insert and delete). ``body lookup`` is the path to
the body (``"body"`` by default when the model has one, ``None`` for a shared table).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, DateTimeField, Max, Value
from django.db.models.functions import Cast

from lotse.core.models import Body

AUTO = "auto"
Source = tuple[str, str | None] | tuple[str, str | None, str | None]


@dataclass(frozen=True)
class Stamp:
    modified: datetime.datetime | None
    version: str


def _parts(source: Source) -> tuple[str, str | None, str | None]:
    label, time_field, *rest = source
    lookup = rest[0] if rest else AUTO
    if lookup == AUTO:
        model = apps.get_model(label)
        names = {f.name for f in model._meta.get_fields()}
        lookup = "body" if "body" in names else None
    return label, time_field, lookup


def _query(index: int, source: tuple[str, str | None, str | None], body: Body):
    label, time_field, lookup = source
    model = apps.get_model(label)
    rows = model._base_manager.order_by()
    if lookup is not None:
        rows = rows.filter(**{lookup: body})
    newest = Max(time_field) if time_field else Max(Cast(Value(None), output_field=DateTimeField()))
    # A constant is no GROUP BY column: one row per table, even for an empty one.
    return (
        rows.annotate(source=Value(index))
        .values("source")
        .annotate(newest=newest, rows=Count("pk"))
        .values_list("source", "newest", "rows")
    )


def read(body: Body, groups: dict[str, tuple[Source, ...]]) -> dict[str, Stamp]:
    """The stamp of each group of sources (e.g. per dataset key), in one query."""
    sources = sorted({_parts(s) for group in groups.values() for s in group}, key=str)
    if not sources:
        return {key: Stamp(None, "") for key in groups}
    queries = [_query(i, s, body) for i, s in enumerate(sources)]
    found: dict[int, tuple] = {}
    combined = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    for index, newest, count in combined:
        found[index] = (newest, count)
    result = {}
    for key, group in groups.items():
        wanted = sorted(sources.index(_parts(s)) for s in group)
        values = [found.get(i, (None, 0)) for i in wanted]
        times = [v[0] for v in values if v[0] is not None]
        text = "|".join(
            f"{sources[i][0]}:{v[0]}:{v[1]}" for i, v in zip(wanted, values, strict=True)
        )
        result[key] = Stamp(
            max(times) if times else None, hashlib.sha256(text.encode()).hexdigest()[:16]
        )
    return result
