"""The public report pages: the list shows each published number in its current version, a
report page shows the snapshot as published (never live data), the PDF is the stored file;
drafts are not there for anyone but staff, who are sent to the preview."""

import pytest
from django.urls import reverse

from lotse.accounts.models import Role
from lotse.reporting.models import StatusReport
from tests.reporting.conftest import PERIOD, PREVIOUS_PERIOD
from tests.reporting.test_documents import FAKE_PDF, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(town):
    older = publish(town.body, PREVIOUS_PERIOD, number="2/2025", render=False, title="Bericht 2025")
    first = publish(town.body, number="1/2026", render=False, previous=older)
    corrected = publish(
        town.body,
        number="1/2026",
        version=2,
        corrects=first,
        note="Die Ideen waren doppelt gezählt.",
        previous=older,
        render=False,
    )
    draft = StatusReport.objects.create(
        body=town.body,
        title="Entwurf 2. Halbjahr",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        intro="Noch nicht fertig.",
    )
    return older, first, corrected, draft


def url(name, report):
    if name == "reports":
        return reverse("reporting:reports", args=[report.body.slug])
    return reverse(f"reporting:{name}", args=[report.body.slug, report.pk])


def login(client, town, who):
    users = {
        "anonymous": None,
        "citizen": town.citizen,
        "staff": town.staff,
        "program_owner": town.program_owner,
        "council_office": town.council_office,
    }
    if users[who]:
        client.force_login(users[who])


def test_list_shows_current_versions_newest_first(client, town, reports):
    older, first, corrected, draft = reports
    response = client.get(url("reports", older))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Sachstandsberichte</h1>" in page
    assert url("report", corrected) in page and url("report", older) in page
    assert url("report", first) not in page  # superseded: reachable from its correction
    assert url("report", draft) not in page and "Entwurf 2. Halbjahr" not in page
    assert page.index(url("report", corrected)) < page.index(url("report", older))
    assert url("report_pdf", corrected) in page
    assert f"({len(FAKE_PDF)}\xa0Bytes)" in page
    assert "Berichtigte Fassung" in page


def test_list_of_a_body_without_reports(client, other_body):
    page = client.get(reverse("reporting:reports", args=[other_body.slug])).content.decode()
    assert "Es wurde noch kein Sachstandsbericht veröffentlicht." in page


@pytest.mark.parametrize("who", ["anonymous", "citizen", "staff"])
def test_report_page_shows_the_snapshot(client, town, reports, who):
    _older, _first, corrected, _draft = reports
    login(client, town, who)
    response = client.get(url("report", corrected))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 id="report-title">' in page and corrected.title in page
    assert "Digitales Bürgerbüro" in page and "Tablets für Grundschulen" in page
    assert "Interne Firewall-Erneuerung" not in page
    assert "Vergabe Rechenzentrum" not in page and "2/26" not in page
    assert "Abgesagte Sitzung" not in page
    assert 'class="chart-table"' in page and "<svg" in page
    assert url("report_pdf", corrected) in page


def test_report_page_never_shows_live_data(client, town, reports):
    _older, _first, corrected, _draft = reports
    town.running.title = "Umbenannte Maßnahme"
    town.running.save(update_fields=["title"])
    page = client.get(url("report", corrected)).content.decode()
    assert "Digitales Bürgerbüro" in page and "Umbenannte Maßnahme" not in page


def test_correction_and_superseded_version_link_each_other(client, reports):
    older, first, corrected, _draft = reports
    page = client.get(url("report", corrected)).content.decode()
    assert "Berichtigte Fassung: Version 2" in page
    assert "Die Ideen waren doppelt gezählt." in page
    assert f'href="{url("report", first)}"' in page
    assert f'href="{url("report", older)}"' in page  # the previous report
    assert "Diese Fassung wurde berichtigt" not in page

    page = client.get(url("report", first)).content.decode()
    assert "Diese Fassung wurde berichtigt. Aktuell ist Version 2." in page
    assert f'href="{url("report", corrected)}"' in page


def test_pdf_is_the_stored_file(client, reports):
    _older, _first, corrected, _draft = reports
    response = client.get(url("report_pdf", corrected))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == FAKE_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    slug = corrected.body.slug
    assert response["Content-Disposition"] == (
        f'inline; filename="sachstandsbericht-{slug}-1-2026-v2.pdf"'
    )


@pytest.mark.parametrize("who", ["anonymous", "citizen", "council_office"])
@pytest.mark.parametrize("name", ["report", "report_pdf"])
def test_draft_is_not_found(client, town, reports, who, name):
    login(client, town, who)
    assert client.get(url(name, reports[3])).status_code == 404


@pytest.mark.parametrize("who", ["staff", "program_owner"])
@pytest.mark.parametrize(
    ("name", "preview"), [("report", "preview"), ("report_pdf", "preview_pdf")]
)
def test_draft_sends_staff_to_the_preview(client, town, reports, who, name, preview):
    login(client, town, who)
    response = client.get(url(name, reports[3]))
    assert response.status_code == 302
    assert response["Location"] == url(preview, reports[3])


@pytest.mark.parametrize("name", ["report", "report_pdf"])
def test_report_of_another_body_is_not_found(client, town, reports, other_body, make_member, name):
    corrected = reports[2]
    foreign = reverse(f"reporting:{name}", args=[other_body.slug, corrected.pk])
    assert client.get(foreign).status_code == 404
    client.force_login(make_member(other_body, Role.STAFF))
    assert client.get(foreign).status_code == 404
    assert client.get(foreign.replace(f"/{corrected.pk}/", f"/{reports[3].pk}/")).status_code == 404
    assert client.get(
        url(name, corrected).replace(f"/{corrected.pk}/", "/999999/")
    ).status_code == (404)


def test_query_counts_do_not_grow_with_reports(
    client, town, reports, django_assert_num_queries, django_assert_max_num_queries
):
    older, _first, corrected, _draft = reports
    client.get(url("reports", older))  # warm caches that are not about reports
    with django_assert_max_num_queries(4) as before:
        client.get(url("reports", older))
    for number in range(3, 9):
        publish(town.body, number=f"{number}/2026", render=False)
    with django_assert_num_queries(len(before.captured_queries)):
        page = client.get(url("reports", older)).content.decode()
    assert page.count('class="card"') == 8
    with django_assert_max_num_queries(3):
        assert client.get(url("report", corrected)).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(url("report_pdf", corrected)).status_code == 200
