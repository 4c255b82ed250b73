"""The workshop services: drafts, texts, publishing (frozen snapshot and PDF), numbering and
corrections, with their permissions."""

import hashlib
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.reporting import services
from lotse.reporting.models import ReportStatus, StatusReport
from lotse.reporting.periods import half_year
from tests.reporting.conftest import PERIOD

H1_2026 = half_year(2026, 1)
H2_2025 = half_year(2025, 2)
YEAR = timezone.localdate().year


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def quick_pdf(monkeypatch):
    """A blank PDF instead of rendering one, where the PDF's content is not the point (the
    rendering is tested in test_documents.py); keeps these tests fast."""
    from lotse.reporting import documents

    blank = _blank_pdf()
    monkeypatch.setattr(documents, "render_report_pdf", lambda report, snapshot: blank)
    return blank


def _published(town, period=H1_2026, intro="Einleitung"):
    report = services.create_draft(town.staff, town.body, period)
    services.save_texts(town.staff, report, intro, {str(town.administration.pk): "Gut."})
    return services.publish(town.program_owner, report)


def test_create_draft_gives_the_default_title_and_needs_the_draft_permission(town):
    report = services.create_draft(town.staff, town.body, H1_2026)
    assert report.title.startswith("Sachstandsbericht Digitale Agenda – ")
    assert report.title.endswith("2026")
    assert (report.period_start, report.period_end) == PERIOD
    assert report.status == ReportStatus.DRAFT and report.number == ""
    for user in (town.citizen, town.council_office):
        with pytest.raises(PermissionDenied):
            services.create_draft(user, town.body, H1_2026)


def test_draft_of_another_body_is_refused(town, other_body):
    with pytest.raises(PermissionDenied):
        services.create_draft(town.staff, other_body, H1_2026)


def test_save_texts_keeps_comments_of_top_level_fields_only(town):
    report = services.create_draft(town.staff, town.body, H1_2026)
    services.save_texts(
        town.staff,
        report,
        "  Einleitung  ",
        {
            str(town.administration.pk): "Läuft.",
            str(town.education.pk): "  ",
            str(town.topic.pk): "Ein Thema, kein Handlungsfeld.",
        },
    )
    report.refresh_from_db()
    assert report.intro == "Einleitung"
    assert report.field_comments == {str(town.administration.pk): "Läuft."}
    with pytest.raises(PermissionDenied):
        services.save_texts(town.citizen, report, "x", {})


def test_publish_needs_the_programme_owner(town):
    report = services.create_draft(town.staff, town.body, H1_2026)
    with pytest.raises(PermissionDenied):
        services.publish(town.staff, report)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not report.pdf


def test_publish_stores_snapshot_texts_and_pdf(town):
    report = _published(town)
    report = StatusReport.objects.get(pk=report.pk)
    assert report.status == ReportStatus.PUBLISHED
    assert report.number == f"1/{YEAR}" and report.version == 1
    assert report.published_by == town.program_owner
    snapshot = report.snapshot
    assert snapshot["intro"] == "Einleitung"
    comments = {field["id"]: field["comment"] for field in snapshot["fields"]}
    assert comments == {town.administration.pk: "Gut.", town.education.pk: ""}
    text = json.dumps(snapshot, ensure_ascii=False)
    assert "Digitales Bürgerbüro" in text
    assert "Interne Firewall-Erneuerung" not in text
    assert "Vergabe Rechenzentrum" not in text
    data = report.pdf.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == report.pdf_sha256


def test_published_report_is_frozen(town):
    report = _published(town)
    stored = StatusReport.objects.get(pk=report.pk)
    snapshot_before, pdf_before = stored.snapshot, stored.pdf.read()
    town.running.title = "Umbenannt nach Veröffentlichung"
    town.running.save()
    town.internal.is_public = True
    town.internal.save()

    again = StatusReport.objects.get(pk=report.pk)
    assert again.snapshot == snapshot_before
    assert again.pdf.read() == pdf_before
    again.intro = "Geändert"
    with pytest.raises(ValidationError):
        again.save()
    with pytest.raises(ValidationError):
        again.delete()
    with pytest.raises(ValidationError):
        services.save_texts(town.staff, again, "Neu", {})
    with pytest.raises(ValidationError):
        services.publish(town.program_owner, again)
    assert StatusReport.objects.get(pk=report.pk).intro == "Einleitung"


def test_numbers_count_up_per_body_and_year(quick_pdf, town, other_body, make_member):
    from lotse.accounts.models import Role

    first = _published(town, H2_2025)
    second = _published(town, H1_2026)
    other_owner = make_member(other_body, Role.PROGRAM_OWNER)
    elsewhere = services.publish(
        other_owner, services.create_draft(other_owner, other_body, H1_2026)
    )
    assert [first.number, second.number] == [f"1/{YEAR}", f"2/{YEAR}"]
    assert elsewhere.number == f"1/{YEAR}"


def test_a_report_compares_with_the_previous_published_one(quick_pdf, town):
    first = _published(town, H2_2025)
    second = _published(town, H1_2026)
    assert second.snapshot["previous"]["id"] == first.pk
    running = next(
        m
        for field in second.snapshot["fields"]
        for m in field["measures"]
        if m["id"] == town.running.pk
    )
    assert (running["progress_previous"], running["progress"]) == (30, 60)


def test_correction_keeps_the_number_and_says_what_changed(quick_pdf, town):
    original = _published(town)
    with pytest.raises(ValidationError) as refused:
        services.start_correction(town.staff, original, "  ")
    assert "correction_note" in refused.value.error_dict
    with pytest.raises(PermissionDenied):
        services.start_correction(town.citizen, original, "Zahlen korrigiert.")

    correction = services.start_correction(town.staff, original, "Zahlen korrigiert.")
    assert (correction.number, correction.version) == (original.number, 2)
    assert correction.status == ReportStatus.DRAFT and correction.corrects == original
    assert correction.intro == original.intro
    assert correction.field_comments == original.field_comments
    with pytest.raises(ValidationError):  # one correction at a time
        services.start_correction(town.staff, original, "Noch einmal.")

    published = services.publish(town.program_owner, correction)
    assert (published.number, published.version) == (original.number, 2)
    assert published.label == f"Nr. {original.number}, Fassung 2"
    assert published.correction_note == "Zahlen korrigiert."
    old = StatusReport.objects.get(pk=original.pk)
    assert old.is_published and old.snapshot == original.snapshot
    assert old.pdf_sha256 == original.pdf_sha256
    assert list(services.current_published(town.body)) == [published]
    with pytest.raises(ValidationError):  # the old version is no longer the one to correct
        services.start_correction(town.staff, old, "Falsche Fassung.")
    # A new report after the correction takes the next number, not the corrected one's.
    assert _published(town, H2_2025).number == f"2/{YEAR}"


def test_only_a_published_report_can_be_corrected(town):
    draft = services.create_draft(town.staff, town.body, H1_2026)
    with pytest.raises(ValidationError):
        services.start_correction(town.staff, draft, "Etwas.")
