"""The ranking as a table for download: the same rows as the page, as CSV and as XLSX."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lotse.assessment.selectors import assessment_for
from lotse.core.spreadsheets import defuse as _safe
from lotse.strategy.models import Measure


def headers() -> list[str]:
    return [
        _("Position"),
        _("Measure"),
        _("Action field"),
        _("Responsible unit"),
        _("Status"),
        _("Priority score"),
        _("One-off costs (€)"),
        _("Annual costs (€)"),
        _("Staff days"),
        _("Savings per year (€)"),
        _("Payback period (years)"),
        _("E-Government-Check"),
        _("Decision"),
        _("Rank"),
        _("Reason"),
        _("Date of the decision"),
    ]


def rows(measures: Iterable[Measure]) -> list[list]:
    """One list per measure, in ranking order; empty cells where nothing was assessed."""
    table = []
    for position, measure in enumerate(measures, start=1):
        found = assessment_for(measure)
        analysis, check, decision = found["cost_benefit"], found["check"], found["decision"]
        field = measure.primary_field
        table.append(
            [
                position,
                measure.title,
                str(field.parent if field.parent_id else field),
                str(measure.unit) if measure.unit_id else "",
                measure.get_status_display(),
                analysis.score if analysis else None,
                analysis.one_off_cost if analysis else None,
                analysis.annual_cost if analysis else None,
                analysis.staff_days if analysis else None,
                analysis.annual_savings if analysis else None,
                analysis.payback_years if analysis else None,
                check.get_result_display() if check else "",
                decision.get_outcome_display() if decision else "",
                decision.rank if decision and decision.rank else None,
                decision.reason if decision else "",
                decision.decided_on if decision else None,
            ]
        )
    return table


def as_csv(measures: Iterable[Measure]) -> str:
    """UTF-8 CSV with a byte order mark, so spreadsheet programs detect the umlauts."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for row in rows(measures):
        writer.writerow(["" if cell is None else _safe(str(cell)) for cell in row])
    return buffer.getvalue()


def as_xlsx(measures: Iterable[Measure]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ranking")[:31]
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(measures):
        sheet.append([_safe(cell) if not isinstance(cell, Decimal) else cell for cell in row])
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["B"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
