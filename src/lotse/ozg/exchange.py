"""CSV and Excel exchange of a body's OZG assessments, in the manner of the measures'
exchange (``strategy.exchange``, whose file reading, cells and row errors it reuses): one fixed
German column layout, UTF-8 CSV with ``;`` for German Excel, and an import that checks every
row before it changes anything (all or nothing), with a dry run first.

Rows are matched by their OZG-ID; Leistung, Themenfeld and Lebenslage are export-only. A
column left out of the file leaves that value alone; an empty cell empties it. ``Relevant``
holds ``ja`` (the body carries it out), ``nein`` (excluded) or stays empty (as the catalogue
says). ``Reifegrad`` is a level of the model in ``Reifegradmodell`` (empty: the current
model); ``Lösung`` holds ``efa``, ``landesportal``, ``eigen`` or ``andere``; the unit is named
by its code and measures by their IDs, separated by ``;``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core.models import Body
from lotse.core.spreadsheets import defuse
from lotse.ozg import services
from lotse.ozg.maturity import current_model, get_model
from lotse.ozg.models import Assessment, Relevance, Service, Solution
from lotse.ozg.selectors import Row
from lotse.strategy import exchange as measures_exchange
from lotse.strategy.exchange import CellError, FileRejected, RowError, Table
from lotse.strategy.models import Measure, OrgUnit

MAX_ROWS = 2000
YES, NO = "ja", "nein"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    read_only: bool = False


COLUMNS = [
    Column("ozg_id", "OZG-ID"),
    Column("name", "Leistung", read_only=True),
    Column("themenfeld", "Themenfeld", read_only=True),
    Column("lebenslage", "Lebenslage", read_only=True),
    Column("relevance", "Relevant"),
    Column("maturity", "Reifegrad"),
    Column("maturity_model", "Reifegradmodell"),
    Column("online_url", "Online-Link"),
    Column("solution", "Lösung"),
    Column("digital_end_to_end", "Digital Ende-zu-Ende"),
    Column("unit", "Organisationseinheit"),
    Column("planned_on", "Geplant bis"),
    Column("measures", "Maßnahmen (IDs)"),
]
HEADERS = [column.header for column in COLUMNS]
BY_HEADER = {column.header.casefold(): column for column in COLUMNS}
HEADER_BY_KEY = {column.key: column.header for column in COLUMNS}


# --------------------------------------------------------------------------- export


def export_values(row: Row, include_internal: bool = True) -> list:
    a = row.assessment
    relevance = {Relevance.ADDED: YES, Relevance.EXCLUDED: NO}.get(a.relevance, "") if a else ""
    return [
        row.service.ozg_id,
        row.service.name,
        row.service.themenfeld,
        row.service.lebenslage,
        relevance,
        "" if row.maturity is None else row.maturity,
        a.maturity_model if a and a.maturity is not None else "",
        row.online_url,
        a.solution if a else "",
        (YES if a.digital_end_to_end else NO) if a else "",
        a.unit.code if a and a.unit else "",
        a.planned_on.isoformat() if a and a.planned_on else "",
        "; ".join(str(m.pk) for m in row.measures),
    ]


def write_csv(rows: list[Row], out) -> None:
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([defuse(value) for value in export_values(row)])


def write_xlsx(rows: list[Row], out) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("OZG-Leistungen")
    sheet.append(HEADERS)
    for row in rows:
        cells = []
        for value in export_values(row):
            cell = WriteOnlyCell(sheet, value=defuse(value))
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(out)


# --------------------------------------------------------------------------- reading


def read_upload(upload) -> Table:
    """An uploaded CSV or XLSX as text rows, checked against this layout."""
    if upload.size > measures_exchange.MAX_UPLOAD_BYTES:
        raise FileRejected(_("The file is larger than 5 MB."))
    data = upload.read(measures_exchange.MAX_UPLOAD_BYTES + 1)
    if len(data) > measures_exchange.MAX_UPLOAD_BYTES:
        raise FileRejected(_("The file is larger than 5 MB."))
    if not data.strip():
        raise FileRejected(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        rows = measures_exchange._xlsx_rows(data)
    else:
        rows = measures_exchange._csv_rows(data)
    return _table(rows)


def _table(rows) -> Table:
    iterator = iter(rows)
    header = next(iterator, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(iterator, None)
    if header is None:
        raise FileRejected(_("The file is empty."))
    header = [cell.strip().lstrip("\ufeff") for cell in header]
    while header and not header[-1]:
        header.pop()
    seen = set()
    for cell in header:
        key = cell.casefold()
        if key not in BY_HEADER:
            raise FileRejected(_("Unknown column “%(column)s”.") % {"column": cell})
        if key in seen:
            raise FileRejected(_("The column “%(column)s” appears twice.") % {"column": cell})
        seen.add(key)
    if "ozg-id" not in seen:
        raise FileRejected(_("The column “OZG-ID” is missing; it says which service a row is."))
    data_rows = []
    for line, cells in enumerate(iterator, start=2):
        if not any(str(cell).strip() for cell in cells):
            continue
        if len(data_rows) >= MAX_ROWS:
            raise FileRejected(
                _("The file has more than %(max)s rows of services.") % {"max": MAX_ROWS}
            )
        cells = [str(cell) for cell in cells[: len(header)]]
        data_rows.append((line, cells + [""] * (len(header) - len(cells))))
    if not data_rows:
        raise FileRejected(_("The file contains no services below the column names."))
    return Table(header, data_rows)


# --------------------------------------------------------------------------- planning


@dataclass
class RowPlan:
    row: int
    service: Service
    values: dict[str, Any]
    measures: list[Measure] | None
    is_new: bool
    changed: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def pending(self) -> list[RowPlan]:
        return [row for row in self.rows if row.changed]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "create": sum(1 for r in self.pending if r.is_new),
            "update": sum(1 for r in self.pending if not r.is_new),
            "unchanged": sum(1 for r in self.rows if not r.changed),
        }


def plan_import(body: Body, table: Table) -> ImportPlan:
    """Check every row against the current data; nothing is written."""
    columns = [BY_HEADER[cell.casefold()] for cell in table.header]
    ids = set()
    for _line, cells in table.rows:
        for column, cell in zip(columns, cells, strict=True):
            if column.key == "ozg_id" and cell.strip().isdigit():
                ids.add(int(cell.strip()))
    catalogue = {s.ozg_id: s for s in Service.objects.filter(ozg_id__in=ids)}
    existing = {
        a.service_id: a
        for a in Assessment.objects.filter(body=body, service__in=catalogue.values())
        .select_related("unit")
        .prefetch_related("measures")
    }
    units = {u.code.casefold(): u for u in OrgUnit.objects.for_body(body)}
    measures = {m.pk: m for m in Measure.objects.for_body(body).only("pk", "title", "body_id")}
    plan, seen = ImportPlan(), set()
    for line, cells in table.rows:
        values: dict[str, Any] = {}
        row_measures = None
        service = None
        errors_before = len(plan.errors)
        for column, raw in zip(columns, cells, strict=True):
            text = measures_exchange._undefuse(raw.strip())
            if column.read_only:
                continue
            try:
                if column.key == "ozg_id":
                    if not text.isdigit() or int(text) not in catalogue:
                        raise CellError(
                            _("there is no OZG service with the OZG-ID “%(value)s”")
                            % {"value": text}
                        )
                    service = catalogue[int(text)]
                    if service.pk in seen:
                        raise CellError(_("this service appears twice in the file"))
                    seen.add(service.pk)
                elif column.key == "measures":
                    row_measures = _parse_measures(text, measures)
                else:
                    values[column.key] = _parse(column.key, text, units)
            except CellError as error:
                plan.errors.append(RowError(line, column.header, str(error)))
        if service is None or len(plan.errors) > errors_before:
            continue
        assessment = existing.get(service.pk)
        is_new = assessment is None
        check = Assessment(body=body, service=service) if is_new else _copy(assessment)
        if values.get("maturity") is None:
            if "maturity" in values:
                values["maturity_model"] = ""
        elif not values.get("maturity_model"):
            # A level without a model: the model of the current rating, else the default.
            kept = assessment.maturity_model if assessment else ""
            values["maturity_model"] = kept or current_model().code
        before = {key: getattr(check, key) for key in values}
        services.apply_values(check, values)
        try:
            services.validate(check, row_measures)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                header = HEADER_BY_KEY.get(key, "")
                plan.errors.extend(RowError(line, header, message) for message in messages)
            continue
        changed = [
            HEADER_BY_KEY[key]
            for key in values
            if key in HEADER_BY_KEY and before.get(key) != getattr(check, key)
        ]
        if row_measures is not None:
            old = {m.pk for m in assessment.measures.all()} if assessment else set()
            if old != {m.pk for m in row_measures}:
                changed.append(HEADER_BY_KEY["measures"])
        plan.rows.append(RowPlan(line, service, values, row_measures, is_new, changed))
    return plan


def _copy(assessment: Assessment) -> Assessment:
    clone = Assessment(pk=assessment.pk, body_id=assessment.body_id, service=assessment.service)
    for key in services.FIELDS:
        setattr(clone, key, getattr(assessment, key))
    clone._state.adding = False  # a copy of a stored row: its id is its own, not a clash
    return clone


RELEVANCE = {YES: Relevance.ADDED, NO: Relevance.EXCLUDED, "": Relevance.CATALOGUE}


def _parse(key: str, text: str, units: dict[str, OrgUnit]):
    if key == "relevance":
        answer = text.casefold()
        if answer in {"ja", "j", "yes", "x", "1"}:
            return Relevance.ADDED
        if answer in {"nein", "n", "no", "0"}:
            return Relevance.EXCLUDED
        if answer == "":
            return Relevance.CATALOGUE
        raise CellError(_("'%(value)s' is neither “ja” nor “nein”") % {"value": text})
    if key == "maturity":
        if not text:
            return None
        if not re.fullmatch(r"\d{1,2}", text):
            raise CellError(_("'%(value)s' is not a maturity level") % {"value": text})
        return int(text)
    if key == "maturity_model":
        if text and get_model(text).code != text:
            raise CellError(_("the maturity model “%(value)s” is unknown") % {"value": text})
        return text
    if key == "online_url":
        if text:
            try:
                URLValidator(schemes=["http", "https"])(text)
            except ValidationError:
                raise CellError(
                    _("'%(value)s' is not a web address (https://…)") % {"value": text}
                ) from None
        return text
    if key == "solution":
        if text.casefold() not in Solution.values:
            raise CellError(
                _("'%(value)s' is not one of %(choices)s")
                % {"value": text, "choices": ", ".join(v for v in Solution.values if v)}
            )
        return text.casefold()
    if key == "digital_end_to_end":
        return bool(text) and measures_exchange._parse_bool(text, None)
    if key == "unit":
        if not text:
            return None
        if text.casefold() not in units:
            raise CellError(_("there is no unit with the code “%(value)s”") % {"value": text})
        return units[text.casefold()]
    if key == "planned_on":
        return measures_exchange._parse_date(text, None) if text else None
    raise CellError(key)


def _parse_measures(text: str, measures: dict[int, Measure]) -> list[Measure]:
    result = []
    for part in re.split(r"[;,]", text):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) not in measures:
            raise CellError(
                _("there is no measure with ID %(value)s in this body") % {"value": part}
            )
        result.append(measures[int(part)])
    return result


# --------------------------------------------------------------------------- applying


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


@transaction.atomic
def apply_import(user, body: Body, plan: ImportPlan) -> dict[str, int]:
    """Write the planned rows through the services, all or nothing."""
    if plan.errors:
        raise ImportRejected(plan.errors)
    for row in plan.pending:
        try:
            services.save_assessment(user, body, row.service, row.values, row.measures)
        except ValidationError as error:
            raise ImportRejected(
                [RowError(row.row, "", message) for message in error.messages]
            ) from error
    return plan.counts


def filename(body: Body) -> str:
    return f"ozg-{body.slug}-{timezone.localdate():%Y-%m-%d}"


def csv_text(rows: list[Row]) -> str:
    buffer = io.StringIO()
    write_csv(rows, buffer)
    return buffer.getvalue()
