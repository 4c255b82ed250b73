"""CSV/XLSX export and import of measures: visibility, every field, all-or-nothing import."""

import csv
import datetime
import html
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotse.accounts.models import BodyRole
from lotse.core.impacts import ImpactAssessment
from lotse.strategy import exchange
from lotse.strategy.models import Measure, MeasureGoal, MeasureTransition, Tag
from tests.strategy.factories import (
    ActionFieldFactory,
    GoalFactory,
    MeasureFactory,
    OrgUnitFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def export_url(body, kind="csv"):
    return f"/{body.slug}/massnahmen/export.{kind}"


def import_url(body):
    return f"/{body.slug}/verwaltung/massnahmen/import/"


def confirm_url(body):
    return f"/{body.slug}/verwaltung/massnahmen/import/bestaetigen/"


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith("\ufeff".encode())
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";")
    return list(reader)


def read_xlsx(content: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def to_csv(rows: list[dict[str, str]], headers=None) -> bytes:
    headers = headers or list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def upload(client, body, data: bytes, name="massnahmen.csv"):
    return client.post(import_url(body), {"file": SimpleUploadedFile(name, data)})


def confirm(client, body, preview):
    digest = preview.context["confirm_form"].initial["digest"]
    return client.post(confirm_url(body), {"digest": digest}, follow=True)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def staff(body, make_member):
    return make_member(body, "staff")


@pytest.fixture
def rich_measure(body, strategy, field, staff):
    """A measure with every kind of field filled."""
    topic = ActionFieldFactory(strategy=strategy, parent=field, title="Schulen")
    other = ActionFieldFactory(strategy=strategy, title="Verwaltung")
    goal_a = GoalFactory(strategy=strategy, title="Oberziel A")
    goal_b = GoalFactory(strategy=strategy, title="Oberziel B")
    unit = OrgUnitFactory(body=body, code="FB 10")
    impacts = ImpactAssessment.objects.create(
        has_financial_impact=True,
        expense_one_off=Decimal("1200.50"),
        personnel_one_off=Decimal("200.00"),
        climate=ImpactAssessment.Climate.POSITIVE,
        personnel_posts=Decimal("1.50"),
    )
    measure = MeasureFactory(
        primary_field=topic,
        title="WLAN in Schulen",
        description="Zeile eins\nZeile zwei",
        unit=unit,
        lead=staff,
        partners="Schulträger",
        planned_start=datetime.date(2025, 1, 1),
        planned_end=datetime.date(2026, 6, 30),
        origin="Ratsbeschluss 2024/17",
        weight=2,
        status="in_umsetzung",
        impacts=impacts,
        progress=40,
        traffic_light="gruen",
    )
    measure.secondary_fields.add(other)
    MeasureGoal.objects.create(measure=measure, goal=goal_a, weight=3)
    MeasureGoal.objects.create(measure=measure, goal=goal_b, weight=1)
    measure.tags.add(Tag.objects.create(body=body, name="Bildung"))
    return measure


# --------------------------------------------------------------------------- export


def test_csv_is_german_excel_friendly_with_every_column(client, measure):
    response = client.get(export_url(measure.body))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "private" in response["Cache-Control"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(exchange.HEADERS)
    assert "Status" in exchange.HEADERS and "Erträge einmalig" in exchange.HEADERS


def test_export_row_carries_every_field(client, rich_measure, staff):
    client.force_login(staff)
    (row,) = read_csv(client.get(export_url(rich_measure.body)).content)
    assert row["ID"] == str(rich_measure.pk)
    assert row["Titel"] == "WLAN in Schulen"
    assert row["Beschreibung"] == "Zeile eins\nZeile zwei"
    assert row["Handlungsfeld"] == f"{rich_measure.primary_field.parent.title} › Schulen"
    assert row["Weitere Handlungsfelder"] == "Verwaltung"
    assert row["Oberziele"] == "Oberziel A:3; Oberziel B:1"
    assert row["Organisationseinheit"] == "FB 10"
    assert row["Federführung (E-Mail)"] == staff.email
    assert row["Geplanter Beginn"] == "2025-01-01"
    assert row["Geplantes Ende"] == "2026-06-30"
    assert row["Schlagwörter"] == "Bildung"
    assert row["Öffentlich"] == "ja"
    assert row["Gewichtung"] == "2"
    assert row["Status"] == "in_umsetzung"
    assert row["Fortschritt (%)"] == "40"
    assert row["Ampel"] == "gruen"
    assert row["Finanzielle Auswirkungen"] == "ja"
    assert row["Aufwendungen einmalig"] == "1200.50"
    assert row["davon Personalaufwand einmalig"] == "200.00"
    assert row["Klimaauswirkung"] == "positiv"
    assert row["Stellen (VZÄ)"] == "1.50"


def test_lead_email_is_left_out_for_the_public(client, rich_measure):
    (row,) = read_csv(client.get(export_url(rich_measure.body)).content)
    assert row["Titel"] == "WLAN in Schulen"
    assert row["Federführung (E-Mail)"] == ""


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("who", ["anonymous", "citizen", "moderator", "other_staff"])
def test_internal_measures_never_reach_the_public(
    client, body, other_body, measure, internal_measure, citizen, make_member, who, kind
):
    users = {
        "citizen": lambda: citizen,
        "moderator": lambda: make_member(body, "moderator"),
        "other_staff": lambda: make_member(other_body, "staff"),
    }
    if who in users:
        client.force_login(users[who]())
    response = client.get(export_url(body, kind))
    rows = read_csv(response.content) if kind == "csv" else read_xlsx(response.content)
    assert [row["Titel"] for row in rows] == [measure.title]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_staff_export_includes_internal_measures(
    client, body, measure, internal_measure, staff, kind
):
    client.force_login(staff)
    response = client.get(export_url(body, kind))
    rows = read_csv(response.content) if kind == "csv" else read_xlsx(response.content)
    assert {row["Titel"] for row in rows} == {measure.title, "Interne Maßnahme"}
    internal = next(row for row in rows if row["Titel"] == "Interne Maßnahme")
    assert internal["Öffentlich"] == "nein"


def test_export_of_another_body_shows_only_its_measures(client, body, other_body, measure):
    MeasureFactory(primary_field=ActionFieldFactory(strategy=StrategyFactory(body=other_body)))
    assert [r["ID"] for r in read_csv(client.get(export_url(body)).content)] == [str(measure.pk)]


def test_export_honours_the_list_filters(client, body, strategy, field):
    running = MeasureFactory(primary_field=field, status="in_umsetzung")
    MeasureFactory(primary_field=field, status="vorschlag")
    topic = ActionFieldFactory(strategy=strategy, parent=field)
    in_topic = MeasureFactory(primary_field=topic)
    elsewhere = MeasureFactory(primary_field=ActionFieldFactory(strategy=strategy))

    def ids(query):
        return {int(r["ID"]) for r in read_csv(client.get(export_url(body) + query).content)}

    assert ids("?status=in_umsetzung") == {running.pk}
    assert ids("?status=unsinn") == ids("")
    assert elsewhere.pk not in ids(f"?feld={field.pk}")
    assert {running.pk, in_topic.pk} <= ids(f"?feld={field.pk}")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_query_count_does_not_grow_with_measures(client, body, strategy, field, staff, kind):
    client.force_login(staff)
    goal = GoalFactory(strategy=strategy)
    tag = Tag.objects.create(body=body, name="Digital")
    topic = ActionFieldFactory(strategy=strategy, parent=field)
    unit = OrgUnitFactory(body=body)

    def add(count):
        for _n in range(count):
            measure = MeasureFactory(
                primary_field=topic,
                unit=unit,
                lead=staff,
                impacts=ImpactAssessment.objects.create(),
                parent=None,
            )
            measure.secondary_fields.add(field)
            measure.tags.add(tag)
            MeasureGoal.objects.create(measure=measure, goal=goal, weight=2)

    def queries():
        client.get(export_url(body, kind))  # warm the session and role caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(export_url(body, kind))
        assert response.status_code == 200
        return len(captured)

    add(3)
    few = queries()
    add(27)
    assert queries() == few


# --------------------------------------------------------------------------- import: access


@pytest.mark.parametrize("role", ["moderator", "council_office"])
def test_roles_without_measure_rights_cannot_import(client, body, make_member, role):
    client.force_login(make_member(body, role))
    assert client.get(import_url(body)).status_code == 403
    assert client.post(confirm_url(body), {"digest": "0" * 64}).status_code == 403


def test_citizen_cannot_import(client, body, citizen):
    client.force_login(citizen)
    assert client.get(import_url(body)).status_code == 403
    assert upload(client, body, b"Titel\nX").status_code == 403


def test_anonymous_is_sent_to_login(client, body):
    response = client.get(import_url(body))
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_staff_of_another_body_cannot_import(client, body, other_body, make_member):
    client.force_login(make_member(other_body, "staff"))
    assert client.get(import_url(body)).status_code == 403


def test_staff_sees_the_import_page(client, body, staff):
    client.force_login(staff)
    response = client.get(import_url(body))
    assert response.status_code == 200
    assert "Maßnahmen importieren" in response.content.decode()


# --------------------------------------------------------------------------- import: round trip


def export_as(client, body, kind="csv") -> bytes:
    return client.get(export_url(body, kind)).content


def test_unchanged_round_trip_changes_nothing(client, rich_measure, internal_measure, staff):
    client.force_login(staff)
    body = rich_measure.body
    before = Measure.history.count(), MeasureGoal.objects.count()
    preview = upload(client, body, export_as(client, body))
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert plan.errors == []
    assert plan.counts == {"create": 0, "update": 0, "unchanged": 2}
    assert "nichts zu importieren" in preview.content.decode()
    assert (Measure.history.count(), MeasureGoal.objects.count()) == before


def test_xlsx_round_trip_is_unchanged_too(client, rich_measure, staff):
    client.force_login(staff)
    body = rich_measure.body
    preview = upload(client, body, export_as(client, body, "xlsx"), name="m.xlsx")
    assert preview.context["plan"].counts == {"create": 0, "update": 0, "unchanged": 1}


def test_edited_title_is_previewed_then_updated(client, rich_measure, measure, staff):
    client.force_login(staff)
    body = rich_measure.body
    rows = read_csv(export_as(client, body))
    for row in rows:
        if row["ID"] == str(rich_measure.pk):
            row["Titel"] = "WLAN in allen Schulen"
    preview = upload(client, body, to_csv(rows))
    assert preview.context["plan"].counts == {"create": 0, "update": 1, "unchanged": 1}
    assert "WLAN in allen Schulen" in preview.content.decode()
    rich_measure.refresh_from_db()
    assert rich_measure.title == "WLAN in Schulen"  # the preview writes nothing

    done = confirm(client, body, preview)
    assert "1 geändert" in done.content.decode()
    rich_measure.refresh_from_db()
    assert rich_measure.title == "WLAN in allen Schulen"
    assert rich_measure.lead == staff
    assert rich_measure.goal_links.count() == 2
    assert rich_measure.impacts.expense_one_off == Decimal("1200.50")


def test_new_rows_are_created_with_relations(client, body, strategy, field, staff):
    client.force_login(staff)
    goal = GoalFactory(strategy=strategy, title="Bürgernähe")
    Tag.objects.create(body=body, name="Bildung")
    OrgUnitFactory(body=body, code="Amt 21")
    row = {
        "Titel": "Neue Maßnahme",
        "Handlungsfeld": field.title,
        "Oberziele": "Bürgernähe:2",
        "Schlagwörter": "bildung",
        "Organisationseinheit": "Amt 21",
        "Geplanter Beginn": "01.02.2025",
        "Öffentlich": "nein",
        "Status": "beschlossen",
        "Finanzielle Auswirkungen": "ja",
        "Erträge einmalig": "1.234,56",
    }
    preview = upload(client, body, to_csv([row]))
    assert preview.context["plan"].counts["create"] == 1
    confirm(client, body, preview)
    created = Measure.objects.get(title="Neue Maßnahme")
    assert created.body == body
    assert created.status == "beschlossen"
    assert created.is_public is False
    assert created.planned_start == datetime.date(2025, 2, 1)
    assert created.unit.code == "Amt 21"
    assert list(created.tags.values_list("name", flat=True)) == ["Bildung"]
    assert created.goal_links.get().goal == goal
    assert created.goal_links.get().weight == 2
    assert created.impacts.income_one_off == Decimal("1234.56")


def test_formula_like_text_is_defused_and_survives_a_round_trip(client, body, field, staff):
    client.force_login(staff)
    measure = MeasureFactory(primary_field=field, title="=HYPERLINK(1)")
    (row,) = read_csv(export_as(client, body))
    assert row["Titel"] == "'=HYPERLINK(1)"
    preview = upload(client, body, export_as(client, body))
    assert preview.context["plan"].counts["unchanged"] == 1
    measure.refresh_from_db()
    assert measure.title == "=HYPERLINK(1)"


def test_xlsx_import_with_typed_cells(client, body, field, measure, staff):
    client.force_login(staff)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ID", "Titel", "Handlungsfeld", "Geplantes Ende", "Gewichtung"])
    sheet.append([measure.pk, "Aus Excel geändert", field.title, datetime.date(2027, 5, 1), 3])
    sheet.append([None, "Aus Excel neu", field.title, datetime.datetime(2026, 1, 31), None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(client, body, buffer.getvalue(), name="liste.xlsx")
    assert preview.context["plan"].counts == {"create": 1, "update": 1, "unchanged": 0}
    confirm(client, body, preview)
    measure.refresh_from_db()
    assert measure.title == "Aus Excel geändert"
    assert measure.planned_end == datetime.date(2027, 5, 1)
    assert measure.weight == 3
    assert Measure.objects.get(title="Aus Excel neu").planned_end == datetime.date(2026, 1, 31)


# --------------------------------------------------------------------------- import: errors


def test_one_bad_row_imports_nothing_and_names_row_and_column(client, body, field, measure, staff):
    client.force_login(staff)
    rows = [
        {"ID": str(measure.pk), "Titel": "Geändert", "Handlungsfeld": field.title},
        {"ID": "", "Titel": "Neu", "Handlungsfeld": field.title, "Geplanter Beginn": ""},
        {"ID": "", "Titel": "Kaputt", "Handlungsfeld": field.title, "Geplanter Beginn": "31.02."},
    ]
    response = upload(
        client, body, to_csv(rows, ["ID", "Titel", "Handlungsfeld", "Geplanter Beginn"])
    )
    content = text_of(response)
    assert "Zeile 4, Spalte Geplanter Beginn: '31.02.' ist kein Datum" in content
    assert "Es wurde nichts geändert" in content
    assert "confirm_form" not in response.context
    measure.refresh_from_db()
    assert measure.title != "Geändert"
    assert not Measure.objects.filter(title__in=["Neu", "Kaputt"]).exists()


def test_bad_status_is_named_exactly(client, body, field, staff):
    client.force_login(staff)
    rows = [
        {"Titel": f"M {n}", "Handlungsfeld": field.title, "Status": "vorschlag"} for n in range(13)
    ]
    rows[12]["Status"] = "fertig"  # the 13th measure is on spreadsheet row 14
    response = upload(client, body, to_csv(rows))
    assert "Zeile 14, Spalte Status: 'fertig' ist kein gültiger Status" in text_of(response)
    assert not Measure.objects.exists()


def test_every_error_of_the_file_is_listed(client, body, field, staff):
    client.force_login(staff)
    rows = [
        {"Titel": "", "Handlungsfeld": field.title, "Oberziele": "", "Gewichtung": "1"},
        {"Titel": "A", "Handlungsfeld": "Gibt es nicht", "Oberziele": "", "Gewichtung": "1"},
        {"Titel": "B", "Handlungsfeld": field.title, "Oberziele": "Unbekannt:2", "Gewichtung": "x"},
    ]
    errors = [str(e) for e in upload(client, body, to_csv(rows)).context["errors"]]
    assert errors[0].startswith("Zeile 2, Spalte Titel:")
    assert errors[1] == (
        "Zeile 3, Spalte Handlungsfeld: 'Gibt es nicht' ist kein Handlungsfeld der aktuellen "
        "Strategie"
    )
    assert (
        "Zeile 4, Spalte Oberziele: 'Unbekannt' ist kein Oberziel der aktuellen Strategie" in errors
    )
    assert "Zeile 4, Spalte Gewichtung: 'x' ist keine ganze Zahl" in errors


def test_model_validation_lands_on_its_column(client, body, field, staff):
    client.force_login(staff)
    row = {
        "Titel": "Rückwärts",
        "Handlungsfeld": field.title,
        "Geplanter Beginn": "2025-05-01",
        "Geplantes Ende": "2025-01-01",
        "Finanzielle Auswirkungen": "nein",
        "Erträge jährlich": "100",
    }
    errors = [str(e) for e in upload(client, body, to_csv([row])).context["errors"]]
    assert any(e.startswith("Zeile 2, Spalte Geplantes Ende:") for e in errors)
    assert any(e.startswith("Zeile 2, Spalte Erträge jährlich:") for e in errors)


def test_measure_of_another_body_is_refused(client, body, other_body, field, staff):
    client.force_login(staff)
    foreign = MeasureFactory(
        primary_field=ActionFieldFactory(strategy=StrategyFactory(body=other_body)), title="Fremd"
    )
    rows = [{"ID": str(foreign.pk), "Titel": "Übernommen", "Handlungsfeld": field.title}]
    response = upload(client, body, to_csv(rows))
    assert (
        f"Zeile 2, Spalte ID: keine Maßnahme mit der ID {foreign.pk} in dieser Körperschaft"
        in text_of(response)
    )
    foreign.refresh_from_db()
    assert foreign.title == "Fremd"
    assert foreign.body == other_body


def test_the_same_id_twice_is_refused(client, body, field, measure, staff):
    client.force_login(staff)
    row = {"ID": str(measure.pk), "Titel": "X", "Handlungsfeld": field.title}
    errors = [str(e) for e in upload(client, body, to_csv([row, row])).context["errors"]]
    assert errors == [f"Zeile 3, Spalte ID: ID {measure.pk} steht schon in Zeile 2"]


def test_disallowed_status_transition_is_refused(client, body, field, measure, staff):
    client.force_login(staff)
    row = {"ID": str(measure.pk), "Titel": measure.title, "Status": "abgeschlossen"}
    response = upload(client, body, to_csv([row]))
    assert "Zeile 2, Spalte Status: der Status kann nicht von" in text_of(response)
    measure.refresh_from_db()
    assert measure.status == "vorschlag"


def test_allowed_status_change_goes_through_the_lifecycle(client, body, measure, staff):
    client.force_login(staff)
    row = {"ID": str(measure.pk), "Status": "in_pruefung"}
    confirm(client, body, upload(client, body, to_csv([row])))
    measure.refresh_from_db()
    assert measure.status == "in_pruefung"
    transition = MeasureTransition.objects.get(measure=measure)
    assert (transition.from_status, transition.to_status, transition.actor) == (
        "vorschlag",
        "in_pruefung",
        staff,
    )


def test_a_step_back_needs_a_reason(client, body, field, staff):
    client.force_login(staff)
    measure = MeasureFactory(primary_field=field, status="in_pruefung")
    row = {"ID": str(measure.pk), "Status": "zurueckgestellt", "Begründung Statusänderung": ""}
    errors = [str(e) for e in upload(client, body, to_csv([row])).context["errors"]]
    assert errors[0].startswith("Zeile 2, Spalte Begründung Statusänderung:")
    row["Begründung Statusänderung"] = "Keine Haushaltsmittel"
    confirm(client, body, upload(client, body, to_csv([row])))
    assert MeasureTransition.objects.get(measure=measure).reason == "Keine Haushaltsmittel"


# --------------------------------------------------------------------------- import: files


def file_errors(response) -> str:
    return " ".join(response.context["form"].errors["file"])


def test_oversize_file_is_refused(client, body, staff):
    client.force_login(staff)
    data = b"Titel\n" + b"x" * (5 * 1024 * 1024)
    response = upload(client, body, data)
    assert "größer als 5 MB" in file_errors(response)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04 kein echtes zip",
        bytes(range(256)) * 4,
    ],
)
def test_garbage_is_refused(client, body, staff, data):
    client.force_login(staff)
    response = upload(client, body, data, name="massnahmen.xlsx")
    assert "weder eine CSV- noch eine Excel-Datei" in file_errors(response)
    assert "confirm_form" not in response.context


def test_text_without_known_columns_is_refused(client, body, staff):
    client.force_login(staff)
    response = upload(client, body, b"Hallo;Welt\n1;2\n")
    assert "Spaltennamen" in file_errors(response)


def test_unknown_column_is_refused(client, body, field, staff):
    client.force_login(staff)
    response = upload(client, body, f"Titel;Farbe\nX;{field.title}\n".encode())
    assert "Unbekannte Spalte „Farbe“" in file_errors(response)


def test_too_many_rows_are_refused(client, body, field, staff):
    client.force_login(staff)
    data = "Titel;Handlungsfeld\n" + f"M;{field.title}\n" * (exchange.MAX_ROWS + 1)
    response = upload(client, body, data.encode())
    assert "mehr als 5000 Zeilen" in file_errors(response)


def test_windows_csv_with_commas_is_read(client, body, field, staff):
    client.force_login(staff)
    data = f"Titel,Handlungsfeld,Partner\nÄrger,{field.title},Bürger\n".encode("cp1252")
    preview = upload(client, body, data)
    assert preview.context["plan"].counts["create"] == 1
    confirm(client, body, preview)
    assert Measure.objects.get(title="Ärger").partners == "Bürger"


# --------------------------------------------------------------------------- preview → confirm


def test_confirm_needs_the_digest_of_the_preview(client, body, field, staff):
    client.force_login(staff)
    upload(client, body, to_csv([{"Titel": "Neu", "Handlungsfeld": field.title}]))
    response = client.post(confirm_url(body), {"digest": "f" * 64}, follow=True)
    assert "nicht mehr gültig" in response.content.decode()
    assert not Measure.objects.exists()


def test_confirm_without_preview_imports_nothing(client, body, staff):
    client.force_login(staff)
    response = client.post(confirm_url(body), {"digest": "a" * 64}, follow=True)
    assert "nicht mehr gültig" in response.content.decode()


def test_an_older_preview_cannot_be_confirmed(client, body, field, staff):
    client.force_login(staff)
    first = upload(client, body, to_csv([{"Titel": "Erste", "Handlungsfeld": field.title}]))
    upload(client, body, to_csv([{"Titel": "Zweite", "Handlungsfeld": field.title}]))
    confirm(client, body, first)
    assert not Measure.objects.exists()


def test_confirm_checks_again_and_applies_once(client, body, field, staff):
    client.force_login(staff)
    measure = MeasureFactory(primary_field=field, status="vorschlag")
    preview = upload(client, body, to_csv([{"ID": str(measure.pk), "Status": "in_pruefung"}]))
    Measure.objects.filter(pk=measure.pk).update(status="abgelehnt")  # changed meanwhile
    response = confirm(client, body, preview)
    assert "Zeile 2, Spalte Status" in text_of(response)
    measure.refresh_from_db()
    assert measure.status == "abgelehnt"


def test_preview_cannot_be_confirmed_under_another_body(client, body, other_body, field, staff):
    BodyRole.objects.create(user=staff, body=other_body, role="staff")
    client.force_login(staff)
    preview = upload(client, body, to_csv([{"Titel": "Neu", "Handlungsfeld": field.title}]))
    digest = preview.context["confirm_form"].initial["digest"]
    response = client.post(confirm_url(other_body), {"digest": digest}, follow=True)
    assert "nicht mehr gültig" in response.content.decode()
    assert not Measure.objects.exists()


def test_import_preview_query_count_does_not_grow_with_rows(client, body, strategy, field, staff):
    """Existing measures are loaded with their relations up front, not per row."""
    client.force_login(staff)
    goal = GoalFactory(strategy=strategy)
    tag = Tag.objects.create(body=body, name="Schule")

    def preview_queries():
        rows = read_csv(export_as(client, body))
        for row in rows:
            row["Titel"] += " (neu)"
        with CaptureQueriesContext(connection) as captured:
            assert upload(client, body, to_csv(rows)).status_code == 200
        return len(captured)

    def add_measures(count):
        for _ in range(count):
            measure = MeasureFactory(primary_field=field)
            measure.tags.add(tag)
            MeasureGoal.objects.create(measure=measure, goal=goal, weight=2)

    add_measures(3)
    few = preview_queries()
    add_measures(20)
    assert preview_queries() == few
