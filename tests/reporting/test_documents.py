"""The status report as a document: made from its snapshot only, a tagged PDF/UA-1 in German
with title, table of contents and page numbers, hyphenated, with the charts and their tables
and the body's logo; never anything that is not public."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from lotse.reporting import documents, figures
from lotse.reporting.models import ReportStatus, StatusReport
from tests.reporting.conftest import AS_OF, PERIOD, PREVIOUS_PERIOD

pytestmark = pytest.mark.django_db

TITLE = "Sachstandsbericht Digitale Agenda – 1. Halbjahr 2026"
# Long German compounds: in a line of running text some of them must wrap, hyphenated.
LONG_WORDS = (
    "Die Digitalisierungsbeauftragtenkonferenz begleitet die Verwaltungsdigitalisierungsstrategie, "
    "die Breitbandinfrastrukturförderprogrammrichtlinie und die "
    "Datenschutzfolgenabschätzungsverfahren der Kreisverwaltungsrechenzentrumsgesellschaft. "
) * 3
FAKE_PDF = b"%PDF-1.7\n% stored at publishing\n%%EOF\n"


def publish(
    body,
    period=PERIOD,
    *,
    number="1/2026",
    version=1,
    corrects=None,
    note="",
    intro="",
    previous=None,
    render=True,
    title=TITLE,
):
    """A published report as the publishing service leaves it: the snapshot from
    ``figures.build``, the PDF rendered from it (or ``FAKE_PDF`` where the bytes don't matter)."""
    snapshot = figures.build(body, *period, as_of=AS_OF, previous=previous)
    snapshot["intro"] = intro
    report = StatusReport.objects.create(
        body=body,
        title=title,
        period_start=period[0],
        period_end=period[1],
        intro=intro,
        corrects=corrects,
        correction_note=note,
        number=number,
        version=version,
    )
    pdf = documents.render_report_pdf(report, snapshot) if render else FAKE_PDF
    report.status = ReportStatus.PUBLISHED
    report.snapshot = snapshot
    report.published_at = timezone.now()
    report.pdf.save(documents.pdf_file_name(report), ContentFile(pdf), save=False)
    report._publishing = True
    report.save()
    report._publishing = False
    return report


def read(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    return reader, pages


def flat(text: str) -> str:
    return " ".join(text.split())


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), "#336699").save(buffer, "PNG")
    return buffer.getvalue()


def test_pdf_is_tagged_german_titled_and_shows_the_public_report(town):
    previous = publish(town.body, PREVIOUS_PERIOD, number="2/2025", render=False)
    report = publish(town.body, previous=previous, intro="Ein **guter** Anfang. " + LONG_WORDS)
    reader, pages = read(report.pdf.open("rb").read())
    text = flat("\n".join(pages))

    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "de"
    assert TITLE in reader.metadata.title
    assert reader.metadata.author == town.body.name

    assert town.body.name in text and TITLE in text and report.label in text
    assert "1/2026" in text
    assert "Ein guter Anfang." in text and "**" not in text
    for heading in ("Einleitung", "Übersicht", "Handlungsfelder", "Beschlüsse des Rates"):
        assert heading in text
    for name in ("Digitale Verwaltung", "Bildung", "Digitales Bürgerbüro", "E-Akte im Bauamt"):
        assert name in text
    assert "Tablets für Grundschulen" in text
    # Figures of the snapshot: the change against the previous report, budget, milestones.
    assert "im vorigen Bericht: 30 %, +30 Prozentpunkte" in text
    assert "4.000,00 € ausgegeben von 10.000,00 € geplant" in text
    assert "Terminbuchung live – fällig am 01.03.2026, erreicht am 28.02.2026" in text
    assert "Bezahlfunktion – fällig am 01.04.2026, nicht erreicht" in text
    assert "Einführung des digitalen Bürgerbüros" in text and "überfällig" in text
    assert "Nächste Sitzung des Digitalisierungsausschusses" in text
    # The charts with their tables.
    assert "Maßnahmen nach Status" in text and "Mittlerer Fortschritt je Handlungsfeld" in text

    # Nothing that is not public.
    assert "Interne Firewall-Erneuerung" not in text
    assert "Vergabe Rechenzentrum" not in text and "2/26" not in text
    assert "Abgesagte Sitzung" not in text

    # "Seite x von y" on every page.
    count = len(pages)
    assert count >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Seite {number} von {count}" in flat(page)
    # The table of contents gives the page each part starts on.
    contents = flat(pages[0])
    assert "Inhalt" in contents
    for heading in ("Übersicht", "Digitale Verwaltung", "Bildung", "Beschlüsse des Rates"):
        found = re.search(re.escape(heading) + r" \.{3,} ?(\d+)", contents)
        assert found, heading
        assert heading in flat(pages[int(found[1]) - 1])

    # German hyphenation: a long compound of the introduction wraps with a hyphen.
    hyphenated = re.findall(r"(\w+)‐\n(\w+)", "\n".join(pages))
    assert any((a + b) in LONG_WORDS for a, b in hyphenated), hyphenated


def test_correction_pdf_says_what_was_corrected_in_the_body_branding(town):
    original = publish(town.body, render=False)
    town.body.accent_colour = "#8b1a1a"  # dark enough to be used as it is
    town.body.logo.save("logo.png", ContentFile(png()), save=True)
    correction = publish(
        town.body,
        version=2,
        corrects=original,
        note="Die Zahl der Ideen war *falsch* gezählt.",
    )
    reader, pages = read(correction.pdf.open("rb").read())
    text = flat("\n".join(pages))
    assert "Berichtigte Fassung: Version 2" in text
    assert "Die Zahl der Ideen war falsch gezählt." in text
    assert correction.label in text
    # The logo came in as a data: URI, past the fetcher that refuses everything else.
    assert len(reader.pages[0].images) == 1
    # Headings in the body's accent colour.
    assert b"0.545098 0.101961 0.101961 rg" in reader.pages[0].get_contents().get_data()


def test_render_needs_no_query_but_the_body(town, django_assert_max_num_queries):
    report = publish(town.body, render=False)
    report = StatusReport.objects.get(pk=report.pk)
    with django_assert_max_num_queries(1):
        pdf = documents.render_report_pdf(report, report.snapshot)
    reader, _pages = read(pdf)
    # Without a logo there is no image: the charts are vector graphics.
    assert len(reader.pages[0].images) == 0


@pytest.mark.parametrize(
    "url", ["https://example.org/logo.png", "file:///etc/passwd", "http://127.0.0.1/"]
)
def test_the_pdf_fetches_nothing_but_data_uris(url):
    fetcher = documents._fetcher()
    with pytest.raises(ValueError, match="load no resources"):
        fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,SGFsbG8=").read() == b"Hallo"


def test_report_context_prepares_dates_and_money_without_touching_the_snapshot(town):
    report = publish(town.body, render=False)
    stored = report.snapshot
    context = documents.report_context(report, stored)
    shown = context["snapshot"]
    running = next(m for f in shown["fields"] for m in f["measures"] if m["id"] == town.running.pk)
    assert str(running["budget_planned_amount"]) == "10000.00"
    assert shown["decisions"][0]["date_value"].isoformat() == "2026-03-10"
    assert shown["meetings_ahead"][0]["organizations_text"] == "Digitalisierungsausschuss"
    assert "date_value" not in stored["decisions"][0]
    assert [chart.chart_id for chart in context["charts"]] == [
        "report-status",
        "report-lights",
        "report-progress",
    ]


def test_file_names(town):
    report = publish(town.body, number="3/2026", render=False)
    assert documents.pdf_file_name(report) == f"sachstandsbericht-{town.body.slug}-3-2026.pdf"
    report.version = 2
    assert documents.pdf_file_name(report).endswith("-3-2026-v2.pdf")
