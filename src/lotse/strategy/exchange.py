"""CSV and Excel exchange of measures: one fixed German column layout for export and import,
and an import that checks every row before it changes anything (all or nothing).

Format, for the people who fill these files in Excel:

- The first row holds the column names of :data:`COLUMNS`; their order does not matter and a
  file may leave columns out (an absent column leaves that value of existing measures alone).
- CSV is UTF-8 with a byte order mark and ``;`` between cells, which German Excel opens
  directly. On import a comma or tab separator and Windows-1252 text are accepted as well.
- Dates are written as ISO dates (2025-03-31); on import ``31.03.2025`` works too.
- Amounts and posts are written with a decimal *point* (1234.50), so the file reads the same
  in every locale; on import a German decimal comma (``1.234,50``) is accepted.
- Yes/no columns hold ``ja`` or ``nein``; status, climate and inclusion hold their codes
  (e.g. ``in_umsetzung``, ``positiv``).
- Action fields are named by their path (``Handlungsfeld › Thema``), goals as
  ``Oberziel:Beitrag`` pairs (``Oberziel A:3; Oberziel B:1``), units by their code, tags by
  name, the lead by e-mail address, the programme by its ID. Lists are separated by ``;``.
  Names are looked up in the body's current strategy.
- Rows are counted as Excel counts them: the header is row 1, the first measure row 2.
- Progress, traffic light and last status update are export-only (they come from the
  Sachstandsmeldungen); the uploaded values are ignored. The file of an alternatives
  assessment is not part of the exchange.
- A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` is written with a leading
  apostrophe so that a spreadsheet never runs it as a formula; the import strips it again.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from lotse.accounts.models import User
from lotse.core.impacts import AMOUNT_FIELDS, ImpactAssessment
from lotse.core.models import Body
from lotse.strategy import services
from lotse.strategy.models import (
    TRANSITIONS,
    ActionField,
    Goal,
    Measure,
    MeasureGoal,
    MeasureStatus,
    OrgUnit,
    Strategy,
    Tag,
    is_setback,
)
from lotse.strategy.selectors import current_strategy

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# An XLSX is a zip; its unpacked size is capped too, so a small "zip bomb" cannot eat memory.
MAX_XLSX_UNPACKED_BYTES = 60 * 1024 * 1024
LIST_SEPARATOR = "; "
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
YES, NO = "ja", "nein"


@dataclass(frozen=True)
class Column:
    key: str  # the model field (Measure or ImpactAssessment) or a special name
    header: str
    kind: str = "text"  # text, int, date, bool, decimal, choice, or a special kind
    read_only: bool = False


_AMOUNT_NAMES = {
    "income": "Erträge",
    "expense": "Aufwendungen",
    "personnel": "davon Personalaufwand",
    "material": "davon Sach- und Dienstleistungen",
    "transfer": "davon Transferaufwand",
    "investment_in": "Investive Einzahlungen",
    "grants": "davon Zuwendungen",
    "third_party": "davon Beiträge Dritter",
    "investment_out": "Investive Auszahlungen",
}
_PERIOD_NAMES = {"one_off": "einmalig", "annual": "jährlich"}


def _amount_header(name: str) -> str:
    period = next(p for p in _PERIOD_NAMES if name.endswith(f"_{p}"))
    return f"{_AMOUNT_NAMES[name.removesuffix(f'_{period}')]} {_PERIOD_NAMES[period]}"


MEASURE_COLUMNS = [
    Column("id", "ID", "id"),
    Column("title", "Titel"),
    Column("summary", "Kurzbeschreibung"),
    Column("description", "Beschreibung"),
    Column("primary_field", "Handlungsfeld", "action_field"),
    Column("secondary_fields", "Weitere Handlungsfelder", "action_fields"),
    Column("goals", "Oberziele", "goals"),
    Column("unit", "Organisationseinheit", "unit"),
    Column("lead", "Federführung (E-Mail)", "lead"),
    Column("partners", "Partner"),
    Column("planned_start", "Geplanter Beginn", "date"),
    Column("planned_end", "Geplantes Ende", "date"),
    Column("actual_start", "Tatsächlicher Beginn", "date"),
    Column("actual_end", "Tatsächliches Ende", "date"),
    Column("tags", "Schlagwörter", "tags"),
    Column("is_public", "Öffentlich", "bool"),
    Column("origin", "Herkunft"),
    Column("parent", "Programm (ID)", "programme"),
    Column("weight", "Gewichtung", "int"),
    Column("status", "Status", "status"),
    Column("status_reason", "Begründung Statusänderung", "reason"),
    Column("progress", "Fortschritt (%)", "int", read_only=True),
    Column("traffic_light", "Ampel", "text", read_only=True),
    Column("last_update_on", "Letzte Sachstandsmeldung", "date", read_only=True),
]
IMPACT_COLUMNS = [
    Column("has_financial_impact", "Finanzielle Auswirkungen", "bool"),
    Column("product_number", "Produktnummer"),
    Column("product_name", "Produktname"),
    *[Column(name, _amount_header(name), "decimal") for name in AMOUNT_FIELDS],
    Column("budget_available", "Haushaltsmittel vorhanden", "bool"),
    Column("climate", "Klimaauswirkung", "choice"),
    Column("climate_alternatives", "Alternativenprüfung"),
    Column("inclusion", "Inklusion", "choice"),
    Column("inclusion_text", "Berücksichtigung der Inklusion"),
    Column("personnel_posts", "Stellen (VZÄ)", "decimal"),
    Column("personnel_grade", "Entgelt-/Besoldungsgruppe"),
    Column("personnel_from", "Stellen ab", "date"),
]
# The one layout of export and import, in export order. The headers are data, not UI text:
# they stay German whatever language the page is shown in.
COLUMNS = MEASURE_COLUMNS + IMPACT_COLUMNS
HEADERS = [column.header for column in COLUMNS]
COLUMN_BY_HEADER = {column.header.casefold(): column for column in COLUMNS}
HEADER_BY_KEY = {column.key: column.header for column in COLUMNS}
IMPACT_KEYS = {column.key for column in IMPACT_COLUMNS}
# Columns without an empty value: a blank cell keeps the current value (a new row: default).
KEEP_WHEN_BLANK = {"is_public", "weight", "status"}
CHOICES = {
    "climate": ImpactAssessment.Climate.values,
    "inclusion": ImpactAssessment.Inclusion.values,
}
IMPACT_DEFAULTS = {
    "has_financial_impact": False,
    "climate": ImpactAssessment.Climate.NONE,
    "inclusion": ImpactAssessment.Inclusion.NONE,
}
# Foreign keys resolved from lookups; the row check skips their one-query-each validation.
RESOLVED_FOREIGN_KEYS = ["body", "primary_field", "unit", "lead", "parent", "impacts"]


# --------------------------------------------------------------------------- export


def exchange_queryset(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    """Everything a row needs, in a fixed number of queries however many measures."""
    return (
        measures.select_related(
            "primary_field__parent", "primary_field__strategy", "unit", "lead", "impacts"
        )
        .prefetch_related(
            # to_attr gives plain lists: .all() on a prefetched relation clones a queryset
            # per measure and row, which dominated the export time at 2,000 measures.
            Prefetch(
                "secondary_fields",
                queryset=ActionField.objects.select_related("parent"),
                to_attr="secondary_field_list",
            ),
            Prefetch(
                "goal_links",
                queryset=MeasureGoal.objects.select_related("goal").order_by(
                    "goal__order", "goal__pk"
                ),
                to_attr="goal_link_list",
            ),
            Prefetch("tags", queryset=Tag.objects.order_by("name"), to_attr="tag_list"),
        )
        .order_by("pk")
    )


def filter_like_list(measures: QuerySet[Measure], params) -> QuerySet[Measure]:
    """The simple filters of the measure list: ``status`` (repeatable) and ``feld`` (an
    action field id; a Handlungsfeld includes its topics). Unknown values are ignored."""
    statuses = [s for s in params.getlist("status") if s in MeasureStatus.values]
    if statuses:
        measures = measures.filter(status__in=statuses)
    field_id = params.get("feld", "")
    if field_id.isdigit():
        measures = measures.filter(
            Q(primary_field_id=int(field_id)) | Q(primary_field__parent_id=int(field_id))
        )
    return measures


def field_path(action_field: ActionField) -> str:
    if action_field.parent_id:
        return f"{action_field.parent.title} › {action_field.title}"
    return action_field.title


def export_values(measure: Measure, include_lead: bool) -> list:
    """One measure as cell values in :data:`COLUMNS` order: str, int, Decimal, date or None."""
    values = {
        "id": measure.pk,
        "title": measure.title,
        "summary": measure.summary,
        "description": measure.description,
        "primary_field": field_path(measure.primary_field),
        "secondary_fields": LIST_SEPARATOR.join(
            field_path(f) for f in measure.secondary_field_list
        ),
        "goals": LIST_SEPARATOR.join(
            f"{link.goal.title}:{link.weight}" for link in measure.goal_link_list
        ),
        "unit": measure.unit.code if measure.unit_id else "",
        "lead": measure.lead.email if include_lead and measure.lead_id else "",
        "partners": measure.partners,
        "tags": LIST_SEPARATOR.join(tag.name for tag in measure.tag_list),
        "is_public": YES if measure.is_public else NO,
        "parent": measure.parent_id,
        "status_reason": "",
    }
    for column in MEASURE_COLUMNS:
        if column.key not in values:
            values[column.key] = getattr(measure, column.key)
    impacts = measure.impacts
    for column in IMPACT_COLUMNS:
        value = getattr(impacts, column.key) if impacts else None
        if isinstance(value, bool):
            value = YES if value else NO
        values[column.key] = value
    return [values[column.key] for column in COLUMNS]


def _text_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _defuse(str(value))


def _defuse(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def write_csv(measures: Iterable[Measure], out, include_lead: bool) -> None:
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for measure in measures:
        writer.writerow([_text_cell(v) for v in export_values(measure, include_lead)])


def write_xlsx(measures: Iterable[Measure], out, include_lead: bool) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Maßnahmen")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for measure in measures:
        row = []
        for value in export_values(measure, include_lead):
            if isinstance(value, str):
                value = _defuse(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            row.append(cell)
        sheet.append(row)
    workbook.save(out)


# --------------------------------------------------------------------------- reading files


class FileRejected(Exception):
    """The upload as a whole cannot be read; the message says why, in German."""


@dataclass
class Table:
    """An upload reduced to text: header cells and ``(row number, cells)`` per data row.
    Plain lists of strings, so the preview can keep it in the session."""

    header: list[str]
    rows: list[tuple[int, list[str]]]

    def as_json(self) -> dict:
        return {"header": self.header, "rows": [[line, cells] for line, cells in self.rows]}

    @classmethod
    def from_json(cls, data: dict) -> "Table":
        return cls(data["header"], [(int(line), list(cells)) for line, cells in data["rows"]])


def not_a_table() -> FileRejected:
    return FileRejected(_("The file is neither a CSV nor an Excel (XLSX) file."))


def read_upload(upload) -> Table:
    """Read an uploaded CSV or XLSX; the kind is told by the content, not the name."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise FileRejected(_("The file is larger than 5 MB."))
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise FileRejected(_("The file is larger than 5 MB."))
    if not data.strip():
        raise FileRejected(_("The file is empty."))
    rows = _xlsx_rows(data) if data.startswith(b"PK\x03\x04") else _csv_rows(data)
    return _table(rows)


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    if b"\x00" in data:
        raise not_a_table()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise not_a_table() from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count) if first_line else ";"
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error:
        raise not_a_table() from None


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            raise FileRejected(_("The file is larger than 5 MB."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
        workbook.close()
    except FileRejected:
        raise
    except Exception:  # openpyxl raises many kinds on a damaged or foreign zip
        raise not_a_table() from None


def _cell_text(value) -> str:
    """An Excel cell as the text a CSV would hold, so one parser serves both."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(str(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _table(rows: Iterable[list[str]]) -> Table:
    iterator = iter(rows)
    header = next(iterator, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(iterator, None)
    if header is None:
        raise FileRejected(_("The file is empty."))
    header = [cell.strip().lstrip("\ufeff") for cell in header]
    while header and not header[-1]:
        header.pop()
    _check_header(header)
    data_rows: list[tuple[int, list[str]]] = []
    for line, cells in enumerate(iterator, start=2):
        if not any(str(cell).strip() for cell in cells):
            continue
        if len(data_rows) >= MAX_ROWS:
            raise FileRejected(
                _("The file has more than %(max)s rows of measures.") % {"max": MAX_ROWS}
            )
        cells = [str(cell) for cell in cells[: len(header)]]
        data_rows.append((line, cells + [""] * (len(header) - len(cells))))
    if not data_rows:
        raise FileRejected(_("The file contains no measures below the column names."))
    return Table(header, data_rows)


def _check_header(header: list[str]) -> None:
    known = [cell for cell in header if cell.casefold() in COLUMN_BY_HEADER]
    if not known:
        raise FileRejected(
            _("The first row holds none of the expected column names, such as “ID” or “Titel”.")
        )
    seen: set[str] = set()
    for cell in header:
        key = cell.casefold()
        if key not in COLUMN_BY_HEADER:
            raise FileRejected(_("Unknown column “%(column)s”.") % {"column": cell})
        if key in seen:
            raise FileRejected(_("The column “%(column)s” appears twice.") % {"column": cell})
        seen.add(key)


# --------------------------------------------------------------------------- checking rows


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # a header, or "" for a problem of the whole row
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


class CellError(Exception):
    pass


@dataclass
class RowPlan:
    """What applying one row will do. ``measure`` already carries the new values."""

    row: int
    measure: Measure
    is_new: bool
    changed: list[str] = field(default_factory=list)  # headers of changed columns
    impacts: ImpactAssessment | None = None
    goal_weights: dict[int, int] | None = None
    secondary_field_ids: set[int] | None = None
    tag_ids: set[int] | None = None
    new_status: str | None = None
    status_reason: str = ""

    @property
    def action(self) -> str:
        if self.is_new:
            return "create"
        return "update" if self.changed else "unchanged"


@dataclass
class ImportPlan:
    rows: list[RowPlan]
    errors: list[RowError]

    def count(self, action: str) -> int:
        return sum(1 for plan in self.rows if plan.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in ("create", "update", "unchanged")}

    @property
    def pending(self) -> list[RowPlan]:
        return [plan for plan in self.rows if plan.action != "unchanged"]


class Lookups:
    """The names a file may use, resolved once per import (a few queries, not per row)."""

    def __init__(self, body: Body, strategy: Strategy, table: Table):
        self.body = body
        fields = ActionField.objects.filter(strategy=strategy).select_related("parent", "strategy")
        self.fields: dict[str, list[ActionField]] = {}
        for action_field in fields:
            self.fields.setdefault(_name_key(field_path(action_field)), []).append(action_field)
        self.goals = {_name_key(g.title): g for g in Goal.objects.filter(strategy=strategy)}
        self.units = {_name_key(u.code): u for u in OrgUnit.objects.for_body(body)}
        self.tags = {_name_key(t.name): t for t in Tag.objects.for_body(body)}
        # Current leads count too, so an unchanged export always imports again.
        people = User.objects.filter(Q(body_roles__body=body) | Q(led_measures__body=body))
        self.members = {user.email.casefold(): user for user in people.distinct()}
        self.measures = self._measures(body, table)

    @staticmethod
    def _measures(body: Body, table: Table) -> dict[int, Measure]:
        wanted = {"id", "parent"}
        indexes = [
            i for i, h in enumerate(table.header) if COLUMN_BY_HEADER[h.casefold()].key in wanted
        ]
        ids = {
            int(cells[i].strip())
            for _line, cells in table.rows
            for i in indexes
            if cells[i].strip().isdigit()
        }
        measures = exchange_queryset(Measure.objects.for_body(body).filter(pk__in=ids))
        found = {}
        for measure in measures:
            measure.body = body  # saving checks the body: no query per row for it
            found[measure.pk] = measure
        return found


def _name_key(name: str) -> str:
    return " ".join(name.replace(">", "›").split()).casefold()


def plan_import(user, body: Body, table: Table, progress=None) -> ImportPlan:
    """Check every row of the table against this body's data without writing anything.
    ``progress(done, total)`` hears every few hundred rows."""
    strategy = current_strategy(body)
    if strategy is None:
        raise FileRejected(
            _("This body has no strategy yet, so measures have no action field to belong to.")
        )
    columns = [COLUMN_BY_HEADER[h.casefold()] for h in table.header]
    lookups = Lookups(body, strategy, table)
    plans, errors = [], []
    seen_ids: dict[int, int] = {}
    for done, (line, cells) in enumerate(table.rows):
        if progress is not None and done % 250 == 0:
            progress(done, len(table.rows))
        plan, row_errors = _plan_row(line, columns, cells, lookups, seen_ids)
        errors.extend(row_errors)
        if plan is not None and not row_errors:
            plans.append(plan)
    return ImportPlan(plans, errors)


def _plan_row(line, columns, cells, lookups: Lookups, seen_ids) -> tuple[RowPlan | None, list]:
    errors: list[RowError] = []
    values: dict[str, object] = {}
    for column, cell in zip(columns, cells, strict=True):
        if column.read_only:
            continue
        try:
            values[column.key] = parse_cell(column, cell, lookups)
        except CellError as error:
            errors.append(RowError(line, column.header, str(error)))
    measure_id = values.pop("id", None)
    if measure_id is not None and measure_id in seen_ids:
        errors.append(
            RowError(
                line,
                HEADER_BY_KEY["id"],
                _("ID %(id)s already appears in row %(row)s")
                % {
                    "id": measure_id,
                    "row": seen_ids[measure_id],
                },
            )
        )
    if errors:
        return None, errors
    if measure_id is not None:
        seen_ids[measure_id] = line
    plan = _new_plan(line, measure_id, lookups)
    _assign_measure(plan, values)
    _assign_relations(plan, values)
    _assign_impacts(plan, values)
    errors.extend(_check_status(plan, values))
    errors.extend(_validate(plan))
    return plan, errors


def _new_plan(line: int, measure_id: int | None, lookups: Lookups) -> RowPlan:
    if measure_id is None:
        return RowPlan(line, Measure(body=lookups.body), is_new=True)
    return RowPlan(line, lookups.measures[measure_id], is_new=False)


# ----- cells


def parse_cell(column: Column, cell: str, lookups: Lookups):
    """One cell as the value the model keeps; raises :class:`CellError` in German."""
    text = _undefuse(cell.replace("\r\n", "\n").strip())
    if column.kind == "text":
        return text
    if column.kind == "reason":
        return text
    if not text:
        return None if column.kind not in {"action_fields", "tags", "goals"} else {}
    parser = PARSERS[column.kind]
    return parser(text, lookups) if column.kind in LOOKUP_KINDS else parser(text, column)


def _undefuse(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _parse_id(text: str, lookups: Lookups) -> int:
    number = _parse_int(text, None)
    if number not in lookups.measures:
        raise CellError(_("there is no measure with ID %(value)s in this body") % {"value": text})
    return number


def _parse_int(text: str, column) -> int:
    if not re.fullmatch(r"\d+", text):
        raise CellError(_("'%(value)s' is not a whole number") % {"value": text})
    return int(text)


def _parse_decimal(text: str, column) -> Decimal:
    cleaned = text.replace("€", "").replace(" ", "").replace("\u00a0", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(_("'%(value)s' is not a number") % {"value": text}) from None
    if not value.is_finite():
        raise CellError(_("'%(value)s' is not a number") % {"value": text})
    return value


def _parse_date(text: str, column) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(
        _("'%(value)s' is not a date (write YYYY-MM-DD or DD.MM.YYYY)") % {"value": text}
    )


def _parse_bool(text: str, column) -> bool:
    answer = text.casefold()
    if answer in {"ja", "j", "yes", "true", "wahr", "1", "x"}:
        return True
    if answer in {"nein", "n", "no", "false", "falsch", "0"}:
        return False
    raise CellError(_("'%(value)s' is neither “ja” nor “nein”") % {"value": text})


def _parse_choice(text: str, column) -> str:
    choices = CHOICES[column.key]
    if text.casefold() not in choices:
        raise CellError(
            _("'%(value)s' is not one of %(choices)s")
            % {"value": text, "choices": ", ".join(choices)}
        )
    return text.casefold()


def _parse_status(text: str, column) -> str:
    if text not in MeasureStatus.values:
        raise CellError(_("'%(value)s' is not a valid status") % {"value": text})
    return text


def _parse_action_field(text: str, lookups: Lookups) -> ActionField:
    found = lookups.fields.get(_name_key(text), [])
    if not found:
        raise CellError(
            _("'%(value)s' is not an action field of the current strategy") % {"value": text}
        )
    if len(found) > 1:
        raise CellError(
            _("'%(value)s' names more than one action field of the current strategy")
            % {"value": text}
        )
    return found[0]


def _parse_action_fields(text: str, lookups: Lookups) -> dict[int, ActionField]:
    return {f.pk: f for f in (_parse_action_field(p, lookups) for p in _split_list(text))}


def _parse_goals(text: str, lookups: Lookups) -> dict[int, int]:
    weights: dict[int, int] = {}
    for part in _split_list(text):
        title, weight = part, "1"
        name, _sep, number = part.rpartition(":")
        if name and number.strip().isdigit():
            title, weight = name.strip(), number.strip()
        goal = lookups.goals.get(_name_key(title))
        if goal is None:
            raise CellError(
                _("'%(value)s' is not a goal of the current strategy") % {"value": title}
            )
        if not 0 <= int(weight) <= 3:
            raise CellError(
                _("the contribution to '%(goal)s' must be 0, 1, 2 or 3") % {"goal": title}
            )
        weights[goal.pk] = int(weight)
    return weights


def _parse_unit(text: str, lookups: Lookups) -> OrgUnit:
    unit = lookups.units.get(_name_key(text))
    if unit is None:
        raise CellError(
            _("'%(value)s' is not the code of an administrative unit of this body")
            % {"value": text}
        )
    return unit


def _parse_lead(text: str, lookups: Lookups):
    user = lookups.members.get(text.casefold())
    if user is None:
        raise CellError(
            _("'%(value)s' is not the e-mail address of a person with a role in this body")
            % {"value": text}
        )
    return user


def _parse_tags(text: str, lookups: Lookups) -> dict[int, Tag]:
    tags = {}
    for name in _split_list(text):
        tag = lookups.tags.get(_name_key(name))
        if tag is None:
            raise CellError(_("'%(value)s' is not a tag of this body") % {"value": name})
        tags[tag.pk] = tag
    return tags


def _parse_programme(text: str, lookups: Lookups) -> Measure:
    return lookups.measures[_parse_id(text, lookups)]


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


PARSERS = {
    "id": _parse_id,
    "int": _parse_int,
    "decimal": _parse_decimal,
    "date": _parse_date,
    "bool": _parse_bool,
    "choice": _parse_choice,
    "status": _parse_status,
    "action_field": _parse_action_field,
    "action_fields": _parse_action_fields,
    "goals": _parse_goals,
    "unit": _parse_unit,
    "lead": _parse_lead,
    "tags": _parse_tags,
    "programme": _parse_programme,
}
LOOKUP_KINDS = {"id", "action_field", "action_fields", "goals", "unit", "lead", "tags", "programme"}


# ----- rows


def _same(old, new) -> bool:
    if isinstance(old, str) or isinstance(new, str):
        return (old or "").replace("\r\n", "\n").strip() == (new or "").replace(
            "\r\n", "\n"
        ).strip()
    return old == new


def _assign_measure(plan: RowPlan, values: dict) -> None:
    """Plain and foreign-key fields of the measure; notes which columns change."""
    measure = plan.measure
    for column in MEASURE_COLUMNS:
        if column.key not in values or column.kind in {"action_fields", "goals", "tags"}:
            continue
        if column.key in {"status", "status_reason"}:
            continue
        new = values[column.key]
        if new is None and column.key in KEEP_WHEN_BLANK:
            continue
        if column.kind in {"action_field", "unit", "lead", "programme"}:
            old_id = getattr(measure, f"{column.key}_id")
            if old_id != (new.pk if new is not None else None):
                setattr(measure, column.key, new)
                plan.changed.append(column.header)
            continue
        if not _same(getattr(measure, column.key), new):
            setattr(measure, column.key, new)
            plan.changed.append(column.header)


def _assign_relations(plan: RowPlan, values: dict) -> None:
    measure = plan.measure
    if "secondary_fields" in values:
        new_ids = set(values["secondary_fields"])
        old_ids = set() if plan.is_new else {f.pk for f in measure.secondary_field_list}
        if new_ids != old_ids:
            plan.secondary_field_ids = new_ids
            plan.changed.append(HEADER_BY_KEY["secondary_fields"])
    if "tags" in values:
        new_ids = set(values["tags"])
        old_ids = set() if plan.is_new else {t.pk for t in measure.tag_list}
        if new_ids != old_ids:
            plan.tag_ids = new_ids
            plan.changed.append(HEADER_BY_KEY["tags"])
    if "goals" in values:
        new_weights = dict(values["goals"])
        old = {} if plan.is_new else {g.goal_id: g.weight for g in measure.goal_link_list}
        if new_weights != old:
            plan.goal_weights = new_weights
            plan.changed.append(HEADER_BY_KEY["goals"])


def _assign_impacts(plan: RowPlan, values: dict) -> None:
    """The impact block: created when a row fills any of its cells, else left alone."""
    given = {key: value for key, value in values.items() if key in IMPACT_KEYS}
    existing = None if plan.is_new else plan.measure.impacts
    if existing is None and all(value in (None, "") for value in given.values()):
        return
    impacts = existing or ImpactAssessment()
    changed = existing is None
    for key, value in given.items():
        if value is None:
            value = IMPACT_DEFAULTS.get(key, "" if _is_text(key) else None)
        if not _same(getattr(impacts, key), value):
            setattr(impacts, key, value)
            plan.changed.append(HEADER_BY_KEY[key])
            changed = True
    if changed:
        plan.impacts = impacts


def _is_text(key: str) -> bool:
    return ImpactAssessment._meta.get_field(key).get_internal_type() in {"CharField", "TextField"}


def _check_status(plan: RowPlan, values: dict) -> list[RowError]:
    """The lifecycle as ``services.change_status`` enforces it, checked before any write."""
    new = values.get("status")
    reason = values.get("status_reason") or ""
    measure = plan.measure
    if new is None or new == measure.status:
        return []
    if plan.is_new:
        measure.status = new  # a new row may start anywhere in the lifecycle
        return []
    header = HEADER_BY_KEY["status"]
    if new not in TRANSITIONS.get(measure.status, set()):
        message = _("the status cannot change from “%(old)s” to “%(new)s”") % {
            "old": MeasureStatus(measure.status).label,
            "new": MeasureStatus(new).label,
        }
        return [RowError(plan.row, header, message)]
    if is_setback(measure.status, new) and not reason.strip():
        message = _("a step back from “%(old)s” needs a reason in this column") % {
            "old": MeasureStatus(measure.status).label
        }
        return [RowError(plan.row, HEADER_BY_KEY["status_reason"], message)]
    plan.new_status, plan.status_reason = new, reason
    plan.changed.append(header)
    return []


def _validate(plan: RowPlan) -> list[RowError]:
    """The models' own validation, with each message put under its column."""
    errors: list[RowError] = []
    measure = plan.measure
    if measure.primary_field_id is None:
        errors.append(
            RowError(
                plan.row, HEADER_BY_KEY["primary_field"], _("every measure needs an action field")
            )
        )
    if plan.action == "unchanged":
        return errors
    try:
        measure.full_clean(exclude=RESOLVED_FOREIGN_KEYS)
    except ValidationError as error:
        errors.extend(_row_errors(plan.row, error))
    if plan.impacts is not None:
        try:
            plan.impacts.full_clean()
        except ValidationError as error:
            errors.extend(_row_errors(plan.row, error))
    return errors


def _row_errors(row: int, error: ValidationError) -> list[RowError]:
    if not hasattr(error, "error_dict"):
        return [RowError(row, "", message) for message in error.messages]
    found = []
    for key, messages in error.message_dict.items():
        header = "" if key == NON_FIELD_ERRORS else HEADER_BY_KEY.get(key, key)
        found.extend(RowError(row, header, message) for message in messages)
    return found


# --------------------------------------------------------------------------- applying


class ImportRejected(Exception):
    """Applying failed on some row; everything has been rolled back."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


@transaction.atomic
def apply_import(user, plan: ImportPlan) -> dict[str, int]:
    """Write the planned rows through the strategy services, all or nothing. The services
    check permission and validate again; a failure there rolls the whole file back."""
    if plan.errors:
        raise ImportRejected(plan.errors)
    for row in plan.pending:
        try:
            _apply_row(user, row)
        except ValidationError as error:
            raise ImportRejected(_row_errors(row.row, error)) from error
    return plan.counts


def _apply_row(user, row: RowPlan) -> None:
    measure = row.measure
    if row.impacts is not None:
        row.impacts.save()
        measure.impacts = row.impacts
    status_header = HEADER_BY_KEY["status"]
    if row.is_new or any(header != status_header for header in row.changed):
        measure = services.save_measure(user, measure, row.goal_weights)
    if row.secondary_field_ids is not None:
        measure.secondary_fields.set(row.secondary_field_ids)
    if row.tag_ids is not None:
        measure.tags.set(row.tag_ids)
    if row.new_status:
        services.change_status(user, measure, row.new_status, row.status_reason)
