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


def test_docs_are_lotses_own_german_page(client, db):
    """No Swagger UI: a server-rendered page in the base layout, German, without script,
    listing every operation of the schema with its answers."""
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "<title>API-Dokumentation – Lotse</title>" in html
    assert "swagger" not in html.lower() and "cdn" not in html.lower()
    assert "Authorization: Bearer lotse_…" in html and "/api/v1/openapi.json" in html
    assert ("seitenweise" in html and "&quot;errors&quot;" in html) or '"errors"' in html
    schema = client.get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert f"<code>{method.upper()} {path}</code>" in html
            assert f'id="{operation["operationId"]}"' in html
    assert "<code>422</code> (ErrorOut)" in html
    assert " style=" not in html and "<style" not in html
    scripts = [tag for tag in html.split("<script")[1:]]
    assert all("src=" in tag.split(">")[0] for tag in scripts)


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


@pytest.mark.django_db
def test_every_error_has_the_one_documented_shape(client, body, make_member):
    """404, 401, 422 (ninja's own request validation included) answer
    ``{"detail": str, "errors": [{"field", "message"}]}``, and the schema says so."""
    not_found = client.get("/api/v1/bodies/gibt-es-nicht")
    assert not_found.status_code == 404
    assert not_found.json() == {"detail": "Nicht gefunden.", "errors": []}
    unauthorized = client.get("/api/v1/me", headers={"Authorization": "Bearer lotse_falsch"})
    assert unauthorized.status_code == 401
    assert set(unauthorized.json()) == {"detail", "errors"}
    invalid = client.get(f"/api/v1/bodies/{body.slug}/measures?page=0")
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"] == "query.page"
    huge = client.get(f"/api/v1/bodies/{body.slug}/council/meetings?page=10000000000000")
    assert huge.status_code == 422
    not_a_date = client.get(f"/api/v1/bodies/{body.slug}/council/meetings?start_until=0")
    assert not_a_date.json()["errors"][0]["field"] == "query.start_until"
    nul = client.get(f"/api/v1/bodies/{body.slug}/ideas?process=%00")
    assert nul.status_code in (200, 422)  # SQLite takes NUL, PostgreSQL cannot: never 500
    _, raw = create_api_token(make_member(body, "staff"), "Skript")
    broken = client.post(
        f"/api/v1/bodies/{body.slug}/ideas",
        "{kein json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert broken.status_code == 400 and set(broken.json()) == {"detail", "errors"}

    schema = client.get("/api/v1/openapi.json").json()
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"detail", "errors"}
    measures = schema["paths"]["/api/v1/bodies/{slug}/measures"]["get"]["responses"]
    assert {"200", "401", "404", "422"} <= set(measures)
    assert measures["422"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorOut")
