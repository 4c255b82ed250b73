"""The staff workspace: create and edit measures, status updates, milestones, status,
impacts — and who may do it."""

import pytest

from lotse.strategy.models import Measure, MeasureGoal, StatusUpdate
from tests.strategy.factories import GoalFactory

pytestmark = pytest.mark.django_db


def ws(body, rest=""):
    return f"/{body.slug}/verwaltung/massnahmen/{rest}"


def test_staff_creates_a_measure_with_goal_weights(client, body, strategy, field, make_member):
    goal = GoalFactory(strategy=strategy)
    client.force_login(make_member(body, "staff"))
    response = client.post(
        ws(body, "neu/"),
        {
            "title": "Digitale Akte",
            "primary_field": field.pk,
            "is_public": "on",
            "weight": 1,
            f"goal_{goal.pk}": 2,
        },
    )
    measure = Measure.objects.get(title="Digitale Akte")
    assert response["Location"] == f"/{body.slug}/massnahmen/{measure.pk}/"
    assert measure.body == body and measure.status == "vorschlag"
    assert MeasureGoal.objects.get(measure=measure).weight == 2


def test_invalid_measure_is_refused_in_german(client, body, strategy, field, make_member):
    client.force_login(make_member(body, "staff"))
    response = client.post(
        ws(body, "neu/"),
        {
            "title": "",
            "primary_field": field.pk,
            "weight": 1,
            "planned_start": "2026-05-01",
            "planned_end": "2026-01-01",
        },
    )
    html = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich" in html
    assert not Measure.objects.exists()


def test_status_update_form(client, body, measure, make_member):
    client.force_login(make_member(body, "staff"))
    url = ws(body, f"{measure.pk}/sachstand/")
    response = client.post(
        url, {"reported_on": "2026-11-01", "progress": 40, "traffic_light": "rot"}
    )
    assert "Erläuterung" in response.content.decode()
    assert not StatusUpdate.objects.exists()
    client.post(
        url,
        {
            "reported_on": "2026-11-01",
            "progress": 40,
            "traffic_light": "rot",
            "explanation": "Anbieter insolvent",
        },
    )
    measure.refresh_from_db()
    assert (measure.progress, measure.traffic_light) == (40, "rot")
    public = client.get(f"/{body.slug}/massnahmen/{measure.pk}/").content.decode()
    assert "Anbieter insolvent" in public


def test_transition_form_needs_reason_for_setback(client, body, measure, make_member):
    client.force_login(make_member(body, "program_owner"))
    url = ws(body, f"{measure.pk}/status/")
    response = client.post(url, {"status": "abgelehnt", "reason": ""})
    assert "Begründung" in response.content.decode()
    client.post(url, {"status": "abgelehnt", "reason": "Doppelt zu M-12"})
    measure.refresh_from_db()
    assert measure.status == "abgelehnt"


def test_milestones_add_and_mark_done(client, body, measure, make_member):
    client.force_login(make_member(body, "staff"))
    url = ws(body, f"{measure.pk}/meilensteine/")
    client.post(url, {"title": "Ausschreibung", "due_on": "2026-12-01"})
    milestone = measure.milestones.get()
    client.post(url, {"erledigt": milestone.pk})
    milestone.refresh_from_db()
    assert milestone.done_on is not None


def test_impacts_form_validates(client, body, measure, make_member):
    client.force_login(make_member(body, "staff"))
    url = ws(body, f"{measure.pk}/auswirkungen/")
    data = {
        "has_financial_impact": "on",
        "expense_annual": "1000",
        "personnel_annual": "1500",
        "climate": "keine",
        "inclusion": "keine",
        "budget_available": "unknown",
    }
    response = client.post(url, data)
    assert "mehr als die Summe" in response.content.decode()
    measure.refresh_from_db()
    assert measure.impacts is None
    client.post(url, {**data, "personnel_annual": "800"})
    measure.refresh_from_db()
    assert measure.impacts.personnel_annual == 800


def test_lead_may_post_updates_but_not_edit(client, body, measure, citizen):
    measure.lead = citizen
    measure.save()
    client.force_login(citizen)
    ok = client.post(
        ws(body, f"{measure.pk}/sachstand/"),
        {"reported_on": "2026-11-01", "progress": 10, "traffic_light": "gruen"},
    )
    assert ok.status_code == 302
    assert client.get(ws(body, f"{measure.pk}/bearbeiten/")).status_code == 403


@pytest.mark.parametrize("role", [None, "citizen", "moderator"])
@pytest.mark.parametrize(
    "path",
    [
        "",
        "neu/",
        "{pk}/bearbeiten/",
        "{pk}/sachstand/",
        "{pk}/status/",
        "{pk}/meilensteine/",
        "{pk}/auswirkungen/",
    ],
)
def test_workspace_is_closed_to_the_public(client, body, measure, citizen, make_member, role, path):
    if role == "citizen":
        client.force_login(citizen)
    elif role:
        client.force_login(make_member(body, role))
    url = ws(body, path.format(pk=measure.pk))
    assert client.get(url).status_code in (302, 403)
    assert client.post(
        url, {"title": "x", "progress": 1, "traffic_light": "gruen"}
    ).status_code in (302, 403)
    measure.refresh_from_db()
    assert measure.title != "x" and not measure.updates.exists()


def test_staff_of_another_body_cannot_touch_a_measure(
    client, body, other_body, measure, make_member
):
    client.force_login(make_member(other_body, "staff"))
    assert (
        client.get(f"/{other_body.slug}/verwaltung/massnahmen/{measure.pk}/sachstand/").status_code
        == 404
    )
    assert client.get(ws(body, f"{measure.pk}/sachstand/")).status_code == 403


def test_workspace_lists_flags_and_my_measures(client, body, measure, make_member):
    staff = make_member(body, "staff")
    measure.lead = staff
    measure.status = "in_umsetzung"
    measure.save()
    client.force_login(staff)
    html = client.get(ws(body)).content.decode()
    assert "keine Aktualisierung seit sechs Monaten" in html
    assert measure.title in client.get(ws(body) + "?meine=1").content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "",
        "?meine=1",
        "neu/",
        "{pk}/bearbeiten/",
        "{pk}/sachstand/",
        "{pk}/status/",
        "{pk}/meilensteine/",
        "{pk}/auswirkungen/",
    ],
)
def test_every_workspace_page_opens_for_staff(client, body, strategy, measure, make_member, path):
    GoalFactory(strategy=strategy)
    client.force_login(make_member(body, "staff"))
    response = client.get(ws(body, path.format(pk=measure.pk)))
    assert response.status_code == 200
    assert "<h1" in response.content.decode()


def test_workspace_urls_do_not_reveal_internal_measures(client, body, internal_measure, citizen):
    missing = ws(body, "999999/status/")
    internal = ws(body, f"{internal_measure.pk}/status/")
    for user in (None, citizen):
        if user:
            client.force_login(user)
        assert client.get(internal).status_code == client.get(missing).status_code == 404
