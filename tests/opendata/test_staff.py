"""The body administrator decides what the catalog publishes; nobody else may."""

import pytest

from lotse.accounts.models import Role
from lotse.opendata.models import CatalogSettings, DatasetSetting, Licence

pytestmark = pytest.mark.django_db

CONTRIBUTOR = "http://dcat-ap.de/def/contributors/stadtAugsburg"


def test_body_admin_sets_contributor_and_dataset(
    client, body, make_member, measure, django_assert_num_queries
):
    admin = make_member(body, Role.BODY_ADMIN)
    client.force_login(admin)
    with django_assert_num_queries(8):
        page = client.get(f"/{body.slug}/verwaltung/opendata/")
    assert page.status_code == 200
    assert "Maßnahmen der Digitalen Agenda" in page.content.decode()
    response = client.post(
        f"/{body.slug}/verwaltung/opendata/",
        {"contributor_id": CONTRIBUTOR, "contact_name": "Team Digital", "contact_email": "d@x.de"},
    )
    assert response.status_code == 302
    assert CatalogSettings.objects.get(body=body).contributor_id == CONTRIBUTOR
    response = client.post(
        f"/{body.slug}/verwaltung/opendata/massnahmen/",
        {"licence": Licence.CC_BY, "contributor_id": "", "contact_email": ""},
    )
    assert response.status_code == 302
    setting = DatasetSetting.objects.get(body=body, dataset="massnahmen")
    assert not setting.is_published and setting.licence == Licence.CC_BY
    assert setting.history.count() == 1
    client.logout()
    assert client.get(f"/{body.slug}/opendata/massnahmen.csv").status_code == 404
    ttl = client.get(f"/{body.slug}/opendata/catalog.ttl").content.decode()
    assert CONTRIBUTOR in ttl and "mailto:d@x.de" in ttl


def test_contributor_must_come_from_the_list(client, body, make_member):
    client.force_login(make_member(body, Role.BODY_ADMIN))
    response = client.post(
        f"/{body.slug}/verwaltung/opendata/",
        {"contributor_id": "http://example.org/wir", "contact_name": "", "contact_email": ""},
    )
    assert response.status_code == 200
    assert not CatalogSettings.objects.filter(body=body).exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.PROGRAM_OWNER, None])
def test_others_may_not(client, body, make_member, citizen, role):
    client.force_login(make_member(body, role) if role else citizen)
    assert client.get(f"/{body.slug}/verwaltung/opendata/").status_code == 403
    response = client.post(f"/{body.slug}/verwaltung/opendata/ideen/", {"licence": Licence.CC_BY})
    assert response.status_code == 403
    assert not DatasetSetting.objects.exists()


def test_admin_of_another_body_may_not(client, body, other_body, make_member):
    client.force_login(make_member(other_body, Role.BODY_ADMIN))
    assert client.get(f"/{body.slug}/verwaltung/opendata/").status_code == 403
