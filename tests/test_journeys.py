"""Whole journeys across apps, as the issues' "done when" describe them."""

import io

import pytest

from lotse.assessment import services as assessment_services
from lotse.assessment.models import DigitalCheck
from lotse.strategy.models import Measure
from tests.strategy.factories import (
    ActionFieldFactory,
    GoalFactory,
    MeasureFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def test_staff_journey_from_new_measure_to_public_status(client, body, make_member):
    """Create a measure; a 'nicht digital' check without a legal reason is refused; score it;
    it appears in the ranking; record the Lenkungsgremium's decision; post status updates;
    the public page shows them."""
    strategy = StrategyFactory(body=body)
    field = ActionFieldFactory(strategy=strategy, title="Digitale Verwaltung")
    GoalFactory(strategy=strategy, title="Operative Exzellenz")
    owner = make_member(body, "program_owner")
    client.force_login(owner)
    ws = f"/{body.slug}/verwaltung/massnahmen/"

    client.post(
        ws + "neu/",
        {"title": "Digitaler Bauantrag", "primary_field": field.pk, "is_public": "on", "weight": 1},
    )
    measure = Measure.objects.get(title="Digitaler Bauantrag")
    client.post(ws + f"{measure.pk}/status/", {"status": "in_pruefung", "reason": ""})

    check = {"result": "nicht_digital", "legal_reason": "", "internal_note": ""}
    for question in assessment_services.ensure_default_questions(body):
        check[f"answer_{question.pk}"] = "nein"
        check[f"note_{question.pk}"] = ""
    refused = client.post(ws + f"{measure.pk}/egov-check/", check)
    assert "braucht den rechtlichen Grund" in refused.content.decode()
    assert not DigitalCheck.objects.filter(measure=measure).exists()
    check["legal_reason"] = "§ 70 BauO NRW verlangt die Unterschrift der Entwurfsverfasser."
    assert client.post(ws + f"{measure.pk}/egov-check/", check).status_code == 302

    analysis = {
        "one_off_cost": "45000",
        "annual_cost": "3000",
        "staff_days": "10",
        "citizen_benefit": "5",
        "time_saving": "4",
        "hours_saved_per_year": "900",
        "cost_saving": "3",
        "annual_savings": "20000",
        "climate": "2",
        "internal_note": "",
    }
    for goal in strategy.goals.all():
        analysis[f"goal_{goal.pk}"] = "3"
    assert client.post(ws + f"{measure.pk}/bewertung/", analysis).status_code == 302

    ranking = client.get(f"/{body.slug}/priorisierung/").content.decode()
    assert "Digitaler Bauantrag" in ranking
    decided = client.post(
        f"/{body.slug}/priorisierung/",
        {
            "measure": measure.pk,
            "outcome": "priorisiert",
            "rank": "1",
            "decided_on": "2026-11-20",
            "reason": "",
        },
    )
    assert decided.status_code == 302
    measure.refresh_from_db()
    assert measure.status == "priorisiert"

    for status in ("beschlossen", "in_umsetzung"):
        client.post(ws + f"{measure.pk}/status/", {"status": status, "reason": ""})
    client.post(
        ws + f"{measure.pk}/sachstand/",
        {
            "reported_on": "2026-11-21",
            "progress": 15,
            "traffic_light": "gelb",
            "text": "Fachverfahren ausgeschrieben",
            "explanation": "Vergabe dauert länger",
        },
    )

    client.logout()
    public = client.get(f"/{body.slug}/massnahmen/{measure.pk}/").content.decode()
    assert "Fachverfahren ausgeschrieben" in public and "Vergabe dauert länger" in public
    assert "in Umsetzung" in public and "15 %" in public


def test_internal_measures_stay_internal_on_every_channel(client, body, citizen, make_member):
    """As a citizen: internal measures are invisible on every page, in the API and in
    exports."""
    field = ActionFieldFactory(strategy=StrategyFactory(body=body))
    MeasureFactory(primary_field=field, title="Öffentliche Maßnahme")
    secret = MeasureFactory(
        primary_field=field, title="Geheime Netzsanierung", is_public=False, status="in_pruefung"
    )
    channels = [
        f"/{body.slug}/",
        f"/{body.slug}/strategie/",
        f"/{body.slug}/massnahmen/",
        f"/{body.slug}/massnahmen/?q=Netzsanierung",
        f"/{body.slug}/massnahmen/export.csv",
        f"/{body.slug}/massnahmen/export.xlsx",
        f"/api/v1/bodies/{body.slug}/measures",
        f"/api/v1/bodies/{body.slug}/measures/{secret.pk}",
        f"/{body.slug}/massnahmen/{secret.pk}/",
        f"/{body.slug}/priorisierung/",
        f"/{body.slug}/priorisierung/export.csv",
    ]

    def leaks():
        found = []
        for url in channels:
            response = client.get(url)
            content = response.content
            if url.endswith(".xlsx") and response.status_code == 200:
                from openpyxl import load_workbook

                sheet = load_workbook(io.BytesIO(content)).active
                content = " ".join(str(c.value) for row in sheet.iter_rows() for c in row).encode()
            if b"Geheime Netzsanierung" in content:
                found.append(url)
        return found

    assert leaks() == []  # anonymous
    client.force_login(citizen)
    assert leaks() == []
    client.force_login(make_member(body, "moderator"))
    assert leaks() == []
    client.force_login(make_member(body, "staff"))
    assert f"/{body.slug}/massnahmen/" in leaks()  # the staff do see it
