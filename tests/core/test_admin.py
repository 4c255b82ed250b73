"""Site admins edit bodies in the Django admin; bad input gets a German message."""

import pytest

from lotse.core.models import Body


@pytest.mark.django_db
def test_wrong_ags_in_admin_is_refused_in_german(client, site_admin):
    client.force_login(site_admin)
    response = client.post(
        "/admin/core/body/add/",
        {
            "name": "Stadt Falsch",
            "short_name": "Falsch",
            "slug": "falsch",
            "kind": "stadt",
            "ags": "1234",
            "rgs": "053150000000",
            "accent_colour": "#005a9c",
        },
    )
    assert response.status_code == 200
    assert "genau 8 Ziffern" in response.content.decode()
    assert not Body.objects.filter(slug="falsch").exists()


@pytest.mark.django_db
def test_admin_keeps_history_of_body_changes(client, site_admin, body):
    client.force_login(site_admin)
    body.name = "Neuer Name"
    body.save()
    assert body.history.count() == 2
    response = client.get(f"/admin/core/body/{body.pk}/history/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_admin_is_closed_to_body_admins(client, make_member, body):
    client.force_login(make_member(body, "body_admin"))
    response = client.get("/admin/core/body/")
    assert response.status_code == 302


def test_admin_login_goes_through_allauth(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
