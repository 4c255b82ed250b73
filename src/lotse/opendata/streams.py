"""CSV (RFC 4180: UTF-8, comma, CRLF, header row) and JSON of a dataset's rows, written as
they are read so that a download never holds all rows in memory."""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from lotse.core.spreadsheets import defuse

# Rows are sent in batches: one HTTP chunk per BATCH rows rather than one per row.
BATCH = 500


class _Echo:
    def write(self, value: str) -> str:
        return value


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return _utc(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        # A cell starting with = + - @ is text, not a formula, in a spreadsheet program.
        return defuse(value)
    return str(value)


def json_value(value):
    if isinstance(value, datetime.datetime):
        return _utc(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def csv_lines(names: list[str], rows: Iterable[tuple]) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(names)
    batch: list[str] = []
    for row in rows:
        batch.append(writer.writerow([csv_cell(v) for v in row]))
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def json_lines(names: list[str], rows: Iterable[tuple]) -> Iterator[str]:
    """A JSON array of objects, one per line."""
    yield "["
    batch: list[str] = []
    first = True
    for row in rows:
        text = json.dumps(
            {name: json_value(v) for name, v in zip(names, row, strict=True)},
            ensure_ascii=False,
        )
        batch.append(("\n" if first else ",\n") + text)
        first = False
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    batch.append("\n]\n")
    yield "".join(batch)
