"""Strategy data in the API: public reads, token writes, the same rules as the pages."""

import pytest

from lotse.accounts.services import create_api_token
from lotse.strategy.models import Milestone, StatusUpdate
from tests.strategy.factories import ActionFieldFactory, GoalFactory, MeasureFactory

pytestmark = pytest.mark.django_db


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def test_strategy_endpoint(client, body, strategy):
    GoalFactory(strategy=strategy, title="Teilhabe")
    field = ActionFieldFactory(strategy=strategy, title="Digitale Verwaltung")
    ActionFieldFactory(strategy=strategy, parent=field, title="Mobile Government")
    data = client.get(f"/api/v1/bodies/{body.slug}/strategy").json()
    assert [g["title"] for g in data["goals"]] == ["Teilhabe"]
    assert data["action_fields"][0]["topics"][0]["title"] == "Mobile Government"


def test_measures_list_hides_internal_without_a_staff_token(
    client, body, measure, internal_measure, make_member
):
    url = f"/api/v1/bodies/{body.slug}/measures"
    titles = {m["title"] for m in client.get(url).json()["items"]}
    assert titles == {measure.title}
    assert client.get(f"{url}/{internal_measure.pk}").status_code == 404
    _, raw = create_api_token(make_member(body, "staff"), "t")
    titles = {m["title"] for m in client.get(url, headers=bearer(raw)).json()["items"]}
    assert titles == {measure.title, internal_measure.title}
    assert client.get(url, headers=bearer("lotse_falsch")).status_code == 401


def test_measures_list_filters_and_query_count(client, body, field, django_assert_max_num_queries):
    for _ in range(5):
        MeasureFactory(primary_field=field, status="in_umsetzung")
    MeasureFactory(primary_field=field, status="vorschlag")
    url = f"/api/v1/bodies/{body.slug}/measures"
    assert client.get(url + "?status=in_umsetzung").json()["count"] == 5
    for _ in range(30):
        MeasureFactory(primary_field=field)
    with django_assert_max_num_queries(4):
        client.get(url)


def test_post_status_update_with_token(client, body, measure, make_member):
    _, raw = create_api_token(make_member(body, "staff"), "Fachverfahren")
    url = f"/api/v1/bodies/{body.slug}/measures/{measure.pk}/updates"
    bad = client.post(
        url,
        {"progress": 50, "traffic_light": "rot"},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert bad.status_code == 422
    assert "explanation" in {error["field"] for error in bad.json()["errors"]}
    ok = client.post(
        url,
        {"progress": 50, "traffic_light": "rot", "explanation": "Verzug"},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert ok.status_code == 201
    measure.refresh_from_db()
    assert (measure.progress, measure.traffic_light) == (50, "rot")


def test_write_needs_a_token_of_someone_allowed(client, body, other_body, measure, make_member):
    url = f"/api/v1/bodies/{body.slug}/measures/{measure.pk}/updates"
    payload = {"progress": 10, "traffic_light": "gruen"}
    assert client.post(url, payload, content_type="application/json").status_code == 401
    _, foreign = create_api_token(make_member(other_body, "staff"), "t")
    response = client.post(url, payload, content_type="application/json", headers=bearer(foreign))
    assert response.status_code == 403
    _, council = create_api_token(make_member(body, "council_office"), "t")
    response = client.post(url, payload, content_type="application/json", headers=bearer(council))
    assert response.status_code == 403
    assert not StatusUpdate.objects.exists()


def test_milestones_with_token(client, body, measure, make_member):
    _, raw = create_api_token(make_member(body, "program_owner"), "t")
    base = f"/api/v1/bodies/{body.slug}/measures/{measure.pk}/milestones"
    created = client.post(
        base,
        {"title": "Vergabe", "due_on": "2027-03-31"},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert created.status_code == 201
    milestone_id = created.json()["id"]
    done = client.patch(
        f"{base}/{milestone_id}",
        {"done_on": "2027-03-01"},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert done.status_code == 200
    assert str(Milestone.objects.get().done_on) == "2027-03-01"


def test_internal_measure_cannot_be_written_by_a_token_that_cannot_see_it(
    client, body, internal_measure, citizen
):
    internal_measure.lead = citizen
    internal_measure.save()
    url = f"/api/v1/bodies/{body.slug}/measures/{internal_measure.pk}/updates"
    # A citizen holds no token at all; the endpoint is closed without one.
    assert (
        client.post(
            url, {"progress": 1, "traffic_light": "gruen"}, content_type="application/json"
        ).status_code
        == 401
    )


def test_schema_lists_the_strategy_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/bodies/{slug}/measures/{measure_id}/updates" in paths
    assert "/api/v1/bodies/{slug}/strategy" in paths
