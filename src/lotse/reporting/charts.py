"""Charts drawn on the server as SVG, the same markup on the page and in the PDF. Each chart
carries the table of its data; the SVG is one image with a title (``role="img"``), the table is
what a screen reader reads. No script, no inline style: colours are SVG attributes."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

# Colours with at least 3:1 against white (WCAG 1.4.11, graphical objects).
GREEN = "#2e7d32"
YELLOW = "#a15c00"
RED = "#c62828"
GREY = "#5f6b76"
TEXT = "#1b1f23"
GRID = "#8a949e"
TRAFFIC_LIGHT_COLOURS = {"gruen": GREEN, "gelb": YELLOW, "rot": RED, "": GREY}

WIDTH = 640
LABEL_WIDTH = 230
BAR_HEIGHT = 22
GAP = 8


@dataclass
class Chart:
    """An SVG chart and its data: ``columns`` head the table, ``rows`` are its cells."""

    chart_id: str
    title: str
    svg: SafeString
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _fmt(value: float, decimals: int = 0) -> str:
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)


def _clip(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A label gets up to this many lines of this many characters (13 px sans-serif fits about
# 30 characters into the label column); the full label is always in the data table.
LABEL_CHARS = 30
LABEL_LINES = 3
LINE_HEIGHT = 15


def _wrap(text: str) -> list[str]:
    """A label broken at spaces into lines that fit the label column, never cut at the left."""
    lines = textwrap.wrap(text, LABEL_CHARS, break_long_words=True, break_on_hyphens=True)
    if len(lines) > LABEL_LINES:
        lines = [*lines[: LABEL_LINES - 1], _clip(" ".join(lines[LABEL_LINES - 1 :]), LABEL_CHARS)]
    return lines or [""]


def _svg(chart_id: str, title: str, height: int, body: list[str]) -> SafeString:
    title_id = f"{chart_id}-svg-title"
    # Every text that goes in is escaped.
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        f'aria-labelledby="{title_id}" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-family="sans-serif" font-size="13">'
        f'<title id="{title_id}">{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def bar_chart(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    column: str,
    unit: str = "",
    max_value: float | None = None,
    colours: Sequence[str] | None = None,
    colour: str = GREY,
    decimals: int = 0,
) -> Chart:
    """Horizontal bars, one per ``(label, value)``; ``column`` heads the value column."""
    top = max_value if max_value else max((value for _label, value in items), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 70
    body = []
    y = GAP
    for index, (label, value) in enumerate(items):
        lines = _wrap(label)
        row = max(BAR_HEIGHT, len(lines) * LINE_HEIGHT + 4)
        width = max(0.0, min(1.0, value / top)) * span
        fill = colours[index] if colours else colour
        shown = f"{_fmt(value, decimals)}{(' ' + unit) if unit else ''}"
        # The label's lines centred on the bar, right-aligned against it.
        first = y + row / 2 - (len(lines) - 1) * LINE_HEIGHT / 2 + 5
        spans = "".join(
            f'<tspan x="{LABEL_WIDTH - 8}" y="{first + n * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        bar_y = y + (row - BAR_HEIGHT) / 2
        body.append(
            f'<text text-anchor="end" fill="{TEXT}">{spans}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{bar_y:.1f}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{fill}"/>'
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{bar_y + 16:.1f}" fill="{TEXT}">'
            f"{escape(shown)}</text>"
        )
        y += row + GAP
    height = int(y) if items else GAP + BAR_HEIGHT + GAP
    body.insert(
        0,
        f'<line x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height}" '
        f'stroke="{GRID}" stroke-width="1"/>',
    )
    rows = [
        [label, f"{_fmt(value, decimals)}{(' ' + unit) if unit else ''}"] for label, value in items
    ]
    return Chart(chart_id, title, _svg(chart_id, title, height, body), ["", column], rows)


def line_chart(
    chart_id: str,
    title: str,
    points: Sequence[tuple[str, float]],
    *,
    column: str,
    label_column: str,
    unit: str = "%",
    max_value: float = 100,
    colour: str = GREY,
    decimals: int = 0,
) -> Chart:
    """A line over time: ``points`` are ``(label, value)`` in order, e.g. month and progress."""
    height, left, right, top_pad, bottom = 240, 48, 16, 12, 40
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom
    top = max_value or max((value for _l, value in points), default=1) or 1
    body = []
    for step in range(0, 5):
        value = top * step / 4
        y = top_pad + plot_h - plot_h * step / 4
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{escape(_fmt(value))}</text>"
        )
    count = len(points)
    coords = []
    for index, (_label, value) in enumerate(points):
        x = left + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)
        y = top_pad + plot_h - plot_h * max(0.0, min(1.0, value / top))
        coords.append((x, y))
    if coords:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for x, y in coords:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
        every = max(1, count // 6)
        for index, (label, _value) in enumerate(points):
            if index % every == 0 or index == count - 1:
                x = coords[index][0]
                body.append(
                    f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle" fill="{TEXT}">'
                    f"{escape(label)}</text>"
                )
    rows = [
        [label, f"{_fmt(value, decimals)}{(' ' + unit) if unit else ''}"] for label, value in points
    ]
    return Chart(chart_id, title, _svg(chart_id, title, height, body), [label_column, column], rows)
