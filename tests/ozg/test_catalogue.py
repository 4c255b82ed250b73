"""The shipped OZG catalogue and its update from a newer CSV."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from lotse.ozg import catalogue
from lotse.ozg.models import Assessment, LeikaService, Service, is_municipal_type
from lotse.ozg.services import save_assessment

pytestmark = pytest.mark.django_db


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def shipped_services():
    return [list(row) for row in catalogue.shipped().services]


def test_migrate_leaves_the_catalogue_loaded(loaded):
    assert Service.objects.count() == 557
    assert LeikaService.objects.count() == 5248  # the source repeats one row word for word
    # About 460 services are carried out by municipalities (types 2/3, 4, 5).
    assert 450 <= Service.objects.filter(is_municipal=True).count() <= 470
    wohngeld = Service.objects.get(ozg_id=10092)
    assert wohngeld.themenfeld == "Arbeit & Ruhestand"
    assert wohngeld.is_municipal


def test_the_data_file_names_its_source_and_date():
    import gzip
    import json

    data = json.loads(gzip.decompress(catalogue.DATA_FILE.read_bytes()))
    assert "OZG-Datenbank NRW" in data["source"]
    assert data["source_date"] == "2023-06"
    assert data["generated"]


@pytest.mark.parametrize(
    ("value", "municipal"),
    [
        ("1", False),
        ("2/3", True),
        ("4", True),
        ("5", True),
        ("1, 2/3", True),
        ("", False),
        ("6", False),
    ],
)
def test_municipal_types(value, municipal):
    assert is_municipal_type(value) is municipal


def test_update_renames_adds_and_retires_without_losing_assessments(
    loaded, town, staff, wohngeld, tmp_path
):
    save_assessment(staff, town, wohngeld, {"maturity": 3})
    retiring = Service.objects.get(ozg_id=10173)
    save_assessment(staff, town, retiring, {"maturity": 2})
    rows = [r for r in shipped_services() if r[0] != 10173]
    for row in rows:
        if row[0] == 10092:
            row[1] = "Wohngeld (Miet- und Lastenzuschuss)"
    rows.append([99999, "Neue Leistung", "Geburt", "Familie & Kind"])
    path = write(tmp_path / "ozg.csv", catalogue.SERVICE_COLUMNS, rows)

    out = io.StringIO()
    call_command("ozg_catalogue_import", str(path), stdout=out)
    report = out.getvalue()
    assert "1 neu, 1 umbenannt" in report
    assert "1 ausgesondert" in report
    assert "„Wohngeld“ → „Wohngeld (Miet- und Lastenzuschuss)“" in report

    wohngeld.refresh_from_db()
    assert wohngeld.name == "Wohngeld (Miet- und Lastenzuschuss)"
    retiring.refresh_from_db()
    assert retiring.is_retired and retiring.retired_on
    # Both assessments are still there.
    assert Assessment.objects.filter(body=town).count() == 2
    assert Service.objects.filter(ozg_id=99999, is_retired=False).exists()

    # Running it again changes nothing; the retired service comes back when listed again.
    out = io.StringIO()
    call_command("ozg_catalogue_import", str(path), stdout=out)
    assert "schon auf diesem Stand" in out.getvalue()
    path = write(tmp_path / "ozg2.csv", catalogue.SERVICE_COLUMNS, shipped_services())
    call_command("ozg_catalogue_import", str(path), stdout=io.StringIO())
    retiring.refresh_from_db()
    assert not retiring.is_retired


def test_a_bad_file_changes_nothing(loaded, tmp_path):
    rows = shipped_services()
    rows[0][1] = "Umbenannt"
    rows[5][0] = "keine Zahl"
    path = write(tmp_path / "ozg.csv", catalogue.SERVICE_COLUMNS, rows)
    with pytest.raises(CommandError) as error:
        call_command("ozg_catalogue_import", str(path), stdout=io.StringIO())
    assert "Zeile 7" in str(error.value)
    assert "Nichts geändert" in str(error.value)
    assert not Service.objects.filter(name="Umbenannt").exists()


def test_leika_update_and_unknown_ozg_ids(loaded, tmp_path):
    services = write(tmp_path / "ozg.csv", catalogue.SERVICE_COLUMNS, shipped_services())
    leika = [list(row) for row in catalogue.shipped().leika]
    leika = [["" if v is None else v for v in row] for row in leika]
    leika[0][1] = "Abfallgebühr (neu benannt)"
    dropped = leika.pop(1)
    path = write(tmp_path / "leika.csv", catalogue.LEIKA_COLUMNS, leika)
    out = io.StringIO()
    call_command("ozg_catalogue_import", str(services), str(path), stdout=out)
    assert "1 geändert, 1 ausgesondert" in out.getvalue()
    assert LeikaService.objects.get(key=dropped[0]).is_retired

    leika.append(["", "Irgendwas", 12345678, "5", ""])
    path = write(tmp_path / "leika2.csv", catalogue.LEIKA_COLUMNS, leika)
    with pytest.raises(CommandError, match="unbekannte OZG-IDs: 12345678"):
        call_command("ozg_catalogue_import", str(services), str(path), stdout=io.StringIO())


def test_dry_run_changes_nothing(loaded, tmp_path):
    rows = shipped_services()[:10]
    path = write(tmp_path / "ozg.csv", catalogue.SERVICE_COLUMNS, rows)
    out = io.StringIO()
    call_command("ozg_catalogue_import", str(path), "--dry-run", stdout=out)
    assert "547 ausgesondert" in out.getvalue()
    assert not Service.objects.filter(is_retired=True).exists()


def test_unknown_columns_are_refused(loaded, tmp_path):
    path = write(tmp_path / "x.csv", ["id", "name"], [[1, "x"]])
    with pytest.raises(CommandError, match="unbekannte Spalten"):
        call_command("ozg_catalogue_import", str(path), stdout=io.StringIO())
