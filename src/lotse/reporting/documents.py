"""A status report as a document: the context its template needs, made from a snapshot only
(never from live data), and the tagged PDF/UA-1 rendered from the same template content as the
public page and the workshop preview."""

from __future__ import annotations

import base64
import copy
import datetime
import logging
import mimetypes
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lotse.core.models import Body
from lotse.council.documents import refuse_url
from lotse.reporting.models import StatusReport

logger = logging.getLogger(__name__)

CONTENT_TEMPLATE = "reporting/_report_content.html"
PDF_TEMPLATE = "reporting/report_pdf.html"
PRINT_CSS = "lotse/css/report-print.css"
# A logo larger than this is left out of the PDF rather than bloating every copy of it.
MAX_LOGO_BYTES = 1_000_000
# From this many measures on, a report lists them as one table per action field (the PDF of a
# large town's 2,000 measures would otherwise take minutes and run to hundreds of pages).
COMPACT_FROM = 60
LOGO_TYPES = {"image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"}


def _date(value):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _datetime(value):
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _money(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _prepared(snapshot: dict) -> dict:
    """A copy of the snapshot with dates and money as Python values for the template's filters.
    The stored snapshot itself stays as it is."""
    shown = copy.deepcopy(snapshot or {})
    period = shown.setdefault("period", {})
    period["start_date"], period["end_date"] = _date(period.get("start")), _date(period.get("end"))
    shown["as_of_date"] = _date(shown.get("as_of"))
    shown.setdefault("summary", {})
    for field in shown.setdefault("fields", []):
        for measure in field.get("measures", []):
            measure["budget_planned_amount"] = _money(measure.get("budget_planned"))
            measure["budget_spent_amount"] = _money(measure.get("budget_spent"))
            for milestone in [
                *measure.get("milestones_reached", []),
                *measure.get("milestones_missed", []),
            ]:
                milestone["due_on_date"] = _date(milestone.get("due_on"))
                milestone["done_on_date"] = _date(milestone.get("done_on"))
    for decision in shown.setdefault("decisions", []):
        decision["date_value"] = _date(decision.get("date"))
        follow_up = decision.get("follow_up")
        if follow_up:
            follow_up["due_date_value"] = _date(follow_up.get("due_date"))
    for meeting in shown.setdefault("meetings_ahead", []):
        meeting["start_value"] = _datetime(meeting.get("start"))
        organizations = meeting.get("organizations") or []
        meeting["organizations_text"] = (
            ", ".join(str(name) for name in organizations)
            if isinstance(organizations, list)
            else str(organizations)
        )
    return shown


def logo_data_uri(body: Body) -> str:
    """The body's logo read from the storage as a data: URI, or "" — the PDF renderer fetches
    nothing, so a logo can only come in this way."""
    if not body.logo:
        return ""
    mime_type = mimetypes.guess_type(body.logo.name)[0] or ""
    if mime_type not in LOGO_TYPES:
        return ""
    try:
        with body.logo.open("rb") as handle:
            data = handle.read(MAX_LOGO_BYTES + 1)
    except OSError:
        logger.warning("Logo of %s could not be read for a report.", body.slug)
        return ""
    if len(data) > MAX_LOGO_BYTES:
        return ""
    return f"data:{mime_type};base64,{base64.b64encode(data).decode('ascii')}"


def report_context(report: StatusReport, snapshot: dict, *, for_pdf: bool = False) -> dict:
    """What ``reporting/_report_content.html`` needs: ``report``, ``body``, ``snapshot`` (with
    dates and money prepared), ``charts`` (``figures.charts``), ``for_pdf`` and ``base_url``
    (links in the PDF are absolute)."""
    from lotse.reporting import figures

    shown = _prepared(snapshot)
    measures = sum(len(field.get("measures", [])) for field in shown.get("fields", []))
    return {
        "compact": measures > COMPACT_FROM,
        "report": report,
        "body": report.body,
        "snapshot": shown,
        "charts": figures.charts(snapshot, prefix="report"),
        "for_pdf": for_pdf,
        "base_url": settings.BASE_URL if for_pdf else "",
        "accent": report.body.accent,
    }


def _fetcher():
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):
        """Loads data: URIs (the logo) and refuses everything else, network and disk alike."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            refuse_url(url)

    return DataOnlyFetcher()


def render_report_pdf(report: StatusReport, snapshot: dict) -> bytes:
    """The report as tagged PDF/UA-1 in German: title and language from the HTML, table of
    contents with page numbers, "Seite x von y" in the footer, the body's name, accent colour
    and logo, the charts with their tables."""
    from weasyprint import CSS, HTML

    with translation.override("de"):
        context = report_context(report, snapshot, for_pdf=True)
        context.update(
            logo=logo_data_uri(report.body),
            page_word=_("Page"),
            of_word=pgettext("page 3 of 12", "of"),
        )
        html = render_to_string(PDF_TEMPLATE, context)
    fetcher = _fetcher()
    stylesheet = finders.find(PRINT_CSS)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(filename=stylesheet, url_fetcher=fetcher)] if stylesheet else [],
        pdf_variant="pdf/ua-1",
    )


def pdf_file_name(report: StatusReport) -> str:
    """``sachstandsbericht-musterstadt-3-2026.pdf`` (``-v2`` for a correction)."""
    number = (report.number or "entwurf").replace("/", "-")
    version = f"-v{report.version}" if report.version > 1 else ""
    return f"sachstandsbericht-{report.body.slug}-{number}{version}.pdf"
