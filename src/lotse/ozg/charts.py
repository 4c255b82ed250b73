"""The OZG charts, drawn on the server by reporting's SVG charts (each with its table)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.reporting import charts

COMPLIANT = charts.GREEN


def group_chart(chart_id: str, title: str, groups: list[dict]):
    return charts.bar_chart(
        chart_id,
        title,
        [(group["name"], group["share"]) for group in groups],
        column=_("OZG-compliant"),
        unit="%",
        max_value=100,
        colour=COMPLIANT,
        decimals=1,
    )


def levels_chart(levels: list[tuple[str, int]]):
    return charts.bar_chart(
        "ozg-levels",
        _("Services by maturity level"),
        levels,
        column=_("Services"),
        colour=charts.GREY,
    )


def progress_chart(points):
    return charts.line_chart(
        "ozg-progress",
        _("Share of OZG-compliant services over the last 12 months"),
        [(date_format(day, "M Y"), share) for day, share in points],
        column=_("OZG-compliant"),
        label_column=_("Month"),
        colour=COMPLIANT,
        decimals=1,
    )


def comparison_chart(comparison: list[dict]):
    return charts.bar_chart(
        "ozg-towns",
        _("OZG-compliant services by body"),
        [
            (row["body"].short_name or row["body"].name, row["compliant_share"])
            for row in comparison
        ],
        column=_("OZG-compliant"),
        unit="%",
        max_value=100,
        colour=COMPLIANT,
        decimals=1,
    )
