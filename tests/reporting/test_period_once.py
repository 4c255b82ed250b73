"""A half-year gets one report, corrected by versions; the PDF title names the period once
(issue 14, point 7)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lotse.reporting import documents, figures, services
from lotse.reporting.models import StatusReport
from lotse.reporting.periods import half_year, recent_half_years
from tests.reporting.test_documents import read
from tests.reporting.test_workshop import quick_pdf  # noqa: F401  (fixture)

H1_2026 = half_year(2026, 1)


def test_a_second_report_for_a_published_half_year_is_refused(town, quick_pdf):  # noqa: F811
    published = services.publish(
        town.program_owner, services.create_draft(town.staff, town.body, H1_2026)
    )
    with pytest.raises(ValidationError) as error:
        services.create_draft(town.staff, town.body, H1_2026)
    assert error.value.code == "period_published"
    assert StatusReport.objects.filter(body=town.body).count() == 1
    # Another half-year is fine, and so is a draft while nothing is published.
    services.create_draft(town.staff, town.body, half_year(2026, 2))
    assert services.published_for_period(town.body, H1_2026) == published


def test_new_report_page_offers_the_correction(client, town, quick_pdf):  # noqa: F811
    newest = recent_half_years(timezone.localdate())[0]
    published = services.publish(
        town.program_owner, services.create_draft(town.staff, town.body, newest)
    )
    client.force_login(town.program_owner)
    response = client.post(
        reverse("reporting:draft_create", args=[town.body.slug]),
        {"period": newest.code, "title": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "bereits ein Sachstandsbericht veröffentlicht" in html
    assert reverse("reporting:correct", args=[town.body.slug, published.pk]) in html
    assert StatusReport.objects.filter(body=town.body).count() == 1


def test_pdf_title_names_the_period_once(town):
    report = services.create_draft(town.staff, town.body, H1_2026)
    snapshot = figures.build(town.body, H1_2026.start, H1_2026.end, as_of=H1_2026.end)
    reader, _pages = read(documents.render_report_pdf(report, snapshot))
    assert reader.metadata.title.count(H1_2026.label) == 1


def test_new_report_preselects_the_newest_half_year_without_a_report(
    client,
    town,
    quick_pdf,  # noqa: F811
):
    newest, older = recent_half_years(timezone.localdate())[:2]
    services.publish(town.program_owner, services.create_draft(town.staff, town.body, newest))
    client.force_login(town.program_owner)
    html = client.get(reverse("reporting:draft_create", args=[town.body.slug])).content.decode()
    assert f'<option value="{older.code}" selected>' in html
    assert f"{newest.label} – bereits veröffentlicht" in html
