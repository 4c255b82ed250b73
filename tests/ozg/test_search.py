"""OZG services in the one search: a citizen who types a service's name (or a LeiKa name
behind it) on the body's search page finds it, with the link to its place on the OZG page."""

import pytest

from lotse.ozg.models import Relevance
from lotse.ozg.services import save_assessment

pytestmark = pytest.mark.django_db


def hits(client, body, query, kind="ozg"):
    response = client.get(f"/{body.slug}/suche/", {"q": query, "art": kind})
    assert response.status_code == 200
    return response.content.decode()


def test_a_citizen_finds_an_assessed_service_by_its_name(client, town, staff, wohngeld):
    save_assessment(
        staff, town, wohngeld, {"maturity": 3, "online_url": "https://efa.example/wohngeld"}
    )
    page = hits(client, town, "Wohngeld")
    assert wohngeld.name in page
    assert f"/{town.slug}/ozg/#leistung-{wohngeld.ozg_id}" in page


def test_an_excluded_service_leaves_the_search(client, town, staff, wohngeld):
    save_assessment(staff, town, wohngeld, {"maturity": 2})
    assert wohngeld.name in hits(client, town, "Wohngeld")
    save_assessment(staff, town, wohngeld, {"relevance": Relevance.EXCLUDED})
    assert f"#leistung-{wohngeld.ozg_id}" not in hits(client, town, "Wohngeld")


def test_a_renamed_service_is_found_by_its_new_name(client, town, staff, parkausweis):
    save_assessment(staff, town, parkausweis, {"maturity": 1})
    parkausweis.name = "Bewohnerparkausweis Quartiersgarage"
    parkausweis.save()
    assert "Quartiersgarage" in hits(client, town, "Quartiersgarage")
