"""Issue 7's "done when", over HTTP: the programme owner drafts the half-year report, adds an
introduction, publishes it and puts it on the next Digitalisierungsausschuss meeting; a
measure changes afterwards — the published report (page and PDF) stays as it was, the cockpit
shows the change at once; a citizen opens the report and its PDF from the body's page."""

import datetime
import io

import pytest
from pypdf import PdfReader

from lotse.council.models import AgendaItem, ConsultationRole, File, PaperType
from lotse.reporting.models import ReportStatus, StatusReport, Submission, SubmissionState
from lotse.strategy.models import StatusUpdate

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_programme_owner_reports_and_citizen_reads(
    client, town, django_capture_on_commit_callbacks
):
    slug = town.body.slug
    workshop = f"/{slug}/verwaltung/berichte/"
    client.force_login(town.program_owner)

    response = client.post(
        workshop + "neu/",
        {"period": "frei", "start": "2026-01-01", "end": "2026-06-30", "title": ""},
    )
    assert response.status_code == 302
    report = StatusReport.objects.get(body=town.body)
    assert (report.period_start, report.period_end) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 6, 30),
    )
    intro = "Halbjährlich informiert die Verwaltung über den Umsetzungsstand."
    response = client.post(
        workshop + f"{report.pk}/",
        {"intro": intro, f"comment_{town.administration.pk}": "Das Bürgerbüro hat Vorrang."},
    )
    assert response.status_code == 302
    preview = client.get(workshop + f"{report.pk}/vorschau/").content.decode()
    assert intro in preview and "Digitales Bürgerbüro" in preview

    assert client.post(workshop + f"{report.pk}/veroeffentlichen/").status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.number
    page_before = _main(client.get(f"/{slug}/berichte/{report.pk}/"))
    pdf_before = report.pdf.open("rb").read()
    report.pdf.close()
    assert "60" in page_before and intro in page_before

    # Put it on the next Digitalisierungsausschuss meeting: one action, a background task.
    form = client.get(workshop + f"{report.pk}/in-den-rat/").content.decode()
    assert f'value="{town.next_meeting.pk}" selected' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            workshop + f"{report.pk}/in-den-rat/", {"meeting": town.next_meeting.pk}
        )
    submission = Submission.objects.get(report=report)
    assert response.status_code == 302 and response["Location"].endswith(
        f"/einreichungen/{submission.pk}/"
    )
    assert submission.state == SubmissionState.DONE and submission.progress == 100
    paper = submission.paper
    assert paper.paper_type == PaperType.STATUS_REPORT and paper.is_released
    main = File.objects.get(paper=paper, role=File.Role.MAIN)
    assert main.mime_type == "application/pdf" and main.file.read() == pdf_before
    item = AgendaItem.objects.get(meeting=town.next_meeting, consultation__paper=paper)
    assert item.is_public and item.consultation.role == ConsultationRole.NOTICE
    status_page = client.get(f"/{slug}/verwaltung/berichte/einreichungen/{submission.pk}/")
    assert paper.reference in status_page.content.decode()

    # A measure changes afterwards: the report stays, the cockpit follows at once.
    cockpit_before = client.get(f"/{slug}/cockpit/").content.decode()
    StatusUpdate.objects.create(
        measure=town.running,
        reported_on=datetime.date(2026, 6, 20),
        progress=95,
        traffic_light="gruen",
        text="Fast fertig.",
    )
    town.running.title = "Digitales Bürgerbüro (umbenannt)"
    town.running.progress = 95
    town.running.save()
    report.refresh_from_db()
    assert _main(client.get(f"/{slug}/berichte/{report.pk}/")) == page_before
    assert report.pdf.open("rb").read() == pdf_before
    report.pdf.close()
    cockpit_after = client.get(f"/{slug}/cockpit/").content.decode()
    assert cockpit_after != cockpit_before and "umbenannt" not in page_before

    # A citizen finds the report from the body's page and opens it and its PDF.
    client.logout()
    client.force_login(town.citizen)
    home = client.get(f"/{slug}/").content.decode()
    assert f'href="/{slug}/berichte/"' in home
    listing = client.get(f"/{slug}/berichte/").content.decode()
    assert f"/{slug}/berichte/{report.pk}/" in listing
    assert f"/{slug}/berichte/{report.pk}/bericht.pdf" in listing
    assert client.get(f"/{slug}/berichte/{report.pk}/").status_code == 200
    response = client.get(f"/{slug}/berichte/{report.pk}/bericht.pdf")
    data = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and data == pdf_before
    text = _pdf_text(data)
    assert "Digitales Bürgerbüro" in text and "umbenannt" not in text
    assert "Interne Firewall" not in text
