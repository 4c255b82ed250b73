"""The REST API skeleton: bodies, OpenAPI, local docs, personal tokens."""

import pytest
from django.utils import timezone

from lotse.accounts.services import create_api_token
from tests.factories import BodyFactory


@pytest.mark.django_db
def test_bodies_list(client, kreis):
    town = BodyFactory(parent=kreis, ags=f"{kreis.ags[:5]}001")
    data = client.get("/api/v1/bodies").json()
    by_slug = {b["slug"]: b for b in data}
    assert by_slug[town.slug]["parent"] == kreis.slug
    assert by_slug[town.slug]["url"] == f"http://testserver/{town.slug}/"
    assert by_slug[kreis.slug]["kind"] == "kreis"


@pytest.mark.django_db
def test_bodies_list_query_count(client, django_assert_num_queries):
    for _ in range(15):
        BodyFactory()
    with django_assert_num_queries(1):
        client.get("/api/v1/bodies")


@pytest.mark.django_db
def test_body_detail_and_404(client, body):
    assert client.get(f"/api/v1/bodies/{body.slug}").json()["ags"] == body.ags
    assert client.get("/api/v1/bodies/nope").status_code == 404


def test_openapi_schema(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Lotse API"
    assert "/api/v1/bodies" in schema["paths"]
    assert "/api/v1/me" in schema["paths"]


def test_docs_are_served_locally(client, db):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_token_authenticates_staff(client, body, make_member):
    user = make_member(body, "program_owner")
    _, raw = create_api_token(user, "Skript")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["roles"] == {body.slug: ["program_owner"]}


@pytest.mark.django_db
def test_missing_wrong_or_revoked_token_is_refused(client, body, make_member):
    user = make_member(body, "staff")
    token, raw = create_api_token(user, "Skript")
    assert client.get("/api/v1/me").status_code == 401
    bad = {"Authorization": "Bearer lotse_falsch"}
    assert client.get("/api/v1/me", headers=bad).status_code == 401
    token.revoked_at = timezone.now()
    token.save()
    good = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=good).status_code == 401


@pytest.mark.django_db
def test_token_stops_working_when_the_role_is_gone(client, body, make_member):
    user = make_member(body, "staff")
    _, raw = create_api_token(user, "Skript")
    user.body_roles.all().delete()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
