"""CSV/XLSX export and import of OZG assessments: dry run, all or nothing, German errors."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lotse.ozg.models import Assessment, Service
from lotse.ozg.services import save_assessment
from tests.strategy.factories import (
    ActionFieldFactory,
    MeasureFactory,
    OrgUnitFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def upload(client, body, content: bytes, name="ozg.csv"):
    return client.post(
        f"/{body.slug}/verwaltung/ozg/import/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def confirm(client, body, response):
    digest = response.context["confirm_form"].initial["digest"]
    return client.post(f"/{body.slug}/verwaltung/ozg/import/bestaetigen/", {"digest": digest})


def csv_of(lines):
    return ("\ufeff" + "\n".join(";".join(line) for line in lines) + "\n").encode()


def twenty_services():
    return list(Service.objects.filter(is_municipal=True).order_by("ozg_id")[:20])


def test_import_twenty_assessments_with_a_dry_run(client, town, staff):
    client.force_login(staff)
    unit = OrgUnitFactory(body=town, code="FB 32")
    measure = MeasureFactory(primary_field=ActionFieldFactory(strategy=StrategyFactory(body=town)))
    lines = [
        [
            "OZG-ID",
            "Reifegrad",
            "Online-Link",
            "Lösung",
            "Digital Ende-zu-Ende",
            "Organisationseinheit",
            "Geplant bis",
            "Maßnahmen (IDs)",
        ]
    ]
    for index, service in enumerate(twenty_services()):
        lines.append(
            [
                str(service.ozg_id),
                str(index % 5),
                f"https://portal.example/{service.ozg_id}",
                "efa",
                "ja" if index % 2 else "nein",
                "FB 32",
                "31.12.2027",
                str(measure.pk),
            ]
        )
    response = upload(client, town, csv_of(lines))
    assert response.status_code == 200
    assert response.context["plan"].counts == {"create": 20, "update": 0, "unchanged": 0}
    assert not Assessment.objects.filter(body=town).exists()  # dry run

    response = confirm(client, town, response)
    assert response.status_code == 302
    assessments = Assessment.objects.filter(body=town)
    assert assessments.count() == 20
    first = assessments.get(service__ozg_id=lines[1][0])
    assert first.maturity == 0 and first.unit == unit and first.maturity_model == "ozg-bund:1"
    assert list(first.measures.all()) == [measure]
    assert first.history.count() == 1
    public = client.get(f"/{town.slug}/ozg/").content.decode()
    assert f"https://portal.example/{lines[4][0]}" in public  # level 3 row


def test_one_bad_row_imports_nothing_and_says_why_in_german(client, town, staff):
    client.force_login(staff)
    services = twenty_services()[:3]
    lines = [
        ["OZG-ID", "Reifegrad", "Online-Link", "Lösung"],
        [str(services[0].ozg_id), "3", "https://ok.example", "efa"],
        [str(services[1].ozg_id), "2", "kein-link", "portal"],
        ["1", "2", "", ""],
        [str(services[2].ozg_id), "7", "", ""],
        [str(services[0].ozg_id), "1", "", ""],
    ]
    response = upload(client, town, csv_of(lines))
    page = response.content.decode()
    errors = [str(e) for e in response.context["errors"]]
    assert any("Zeile 3" in e and "Online-Link" in e for e in errors), errors
    assert any("Zeile 3" in e and "Lösung" in e for e in errors), errors
    assert any("Zeile 4" in e and "OZG-ID" in e for e in errors), errors
    assert any("Zeile 5" in e and "Stufe 7" in e for e in errors), errors
    assert any("Zeile 6" in e and "doppelt" in e for e in errors), errors
    assert "wurde nicht importiert" in page
    assert not Assessment.objects.filter(body=town).exists()


def test_confirm_rechecks_and_refuses_a_changed_preview(client, town, staff):
    client.force_login(staff)
    service = twenty_services()[0]
    response = upload(client, town, csv_of([["OZG-ID", "Reifegrad"], [str(service.ozg_id), "2"]]))
    other = client.post(f"/{town.slug}/verwaltung/ozg/import/bestaetigen/", {"digest": "0" * 64})
    assert other.status_code == 302
    assert not Assessment.objects.filter(body=town).exists()
    confirm(client, town, response)
    assert Assessment.objects.get(body=town).maturity == 2


def test_unknown_column_and_empty_file(client, town, staff):
    client.force_login(staff)
    response = upload(client, town, csv_of([["OZG-ID", "Farbe"], ["10092", "blau"]]))
    assert "Farbe" in response.content.decode()
    response = upload(client, town, csv_of([["Reifegrad"], ["3"]]))
    assert "OZG-ID" in response.content.decode()
    assert not Assessment.objects.filter(body=town).exists()


def test_export_round_trip_xlsx(client, town, staff, wohngeld):
    save_assessment(staff, town, wohngeld, {"maturity": 3, "online_url": "https://a.example/w"})
    client.force_login(staff)
    response = client.get(f"/{town.slug}/ozg/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "OZG-ID"
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[10092][5] == 3 and by_id[10092][7] == "https://a.example/w"
    # The same file back changes nothing.
    response = upload(client, town, response.content, name="ozg.xlsx")
    assert not response.context.get("errors"), [str(e) for e in response.context["errors"]][:5]
    assert response.context["plan"].counts["create"] == 0
    assert response.context["plan"].counts["update"] == 0


def test_csv_export_defuses_formulas(client, town, staff, wohngeld):
    save_assessment(staff, town, wohngeld, {"maturity": 1})
    Service.objects.filter(pk=wohngeld.pk).update(name="=HYPERLINK(1)")
    text = client.get(f"/{town.slug}/ozg/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
