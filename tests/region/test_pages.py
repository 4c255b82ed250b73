"""The library, entry, joint measure, regional report and the Kreis pages: what each person
sees (nothing non-public leaks), who may act, and query counts that do not grow."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotse.region import services
from lotse.region.models import Adoption, LibraryEntry
from tests.strategy.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_town_library_address_leads_to_the_kreis(client, district):
    response = client.get(f"/{district.town_a.slug}/bibliothek/")
    assert response.status_code == 302
    assert response["Location"] == f"/{district.kreis.slug}/bibliothek/"


def test_library_filters(client, district, published):
    url = f"/{district.kreis.slug}/bibliothek/"
    assert "Sensorbasierte Parkraumerfassung" in get(client, url)
    assert "Sensorbasierte" in get(client, f"{url}?feld={district.regional[0].pk}")
    assert "Sensorbasierte" not in get(client, f"{url}?feld={district.regional[1].pk}")
    assert "Sensorbasierte" in get(client, f"{url}?aufwand=gering&fortschritt=50")
    assert "Sensorbasierte" not in get(client, f"{url}?aufwand=hoch")
    assert "Sensorbasierte" not in get(client, f"{url}?fortschritt=75")
    assert "Sensorbasierte" not in get(client, f"{url}?status=abgeschlossen")


def test_shared_with_the_district_only_never_leaks(
    client, district, staff, citizen, make_member, other_body
):
    entry = services.publish_to_library(
        staff(district.town_a),
        LibraryEntry(measure=district.internal_a, effort="gering", audience="kreis"),
    )
    library = f"/{district.kreis.slug}/bibliothek/"
    detail = f"/{district.kreis.slug}/bibliothek/{entry.pk}/"
    outsiders = [
        None,
        citizen,
        make_member(other_body, "staff"),
        make_member(district.town_b, "moderator"),
    ]
    for user in outsiders:
        client.logout()
        if user:
            client.force_login(user)
        assert "Geheimes Vorhaben" not in get(client, library)
        get(client, detail, status=404)
        assert "Geheimes Vorhaben" not in get(client, f"/{district.kreis.slug}/strategie/")
    kreis_cdo = make_member(district.kreis, "program_owner")
    for user in (kreis_cdo, staff(district.town_b), staff(district.town_a)):
        client.force_login(user)
        assert "Geheimes Vorhaben" in get(client, library)
        assert "nur mit dem Kreis geteilt" in get(client, detail)


def test_withdrawn_entry_is_gone_for_others(client, district, staff, published):
    services.withdraw_from_library(staff(district.town_a), published)
    get(client, f"/{district.kreis.slug}/bibliothek/{published.pk}/", status=404)
    client.force_login(staff(district.town_b))
    get(client, f"/{district.kreis.slug}/bibliothek/{published.pk}/", status=404)


def test_entry_shows_owner_and_adoptions_with_public_progress_only(
    client, district, staff, published
):
    user_b = staff(district.town_b)
    adoption = services.adopt(user_b, published, district.town_b, district.field_b)
    url = f"/{district.kreis.slug}/bibliothek/{published.pk}/"
    html = get(client, url)
    assert "Eine Maßnahme von Stadt Ahausen" in html
    assert f"/{district.town_b.slug}/massnahmen/{adoption.measure.pk}/" in html
    adoption.measure.is_public = False
    adoption.measure.save()
    html = get(client, url)
    assert "Stadt Bedorf" in html
    assert f"/{district.town_b.slug}/massnahmen/{adoption.measure.pk}/" not in html
    assert "Fortschritt nicht öffentlich" in html
    # The original's own page names the adoption as well.
    html = get(client, f"/{district.town_a.slug}/massnahmen/{district.measure_a.pk}/")
    assert "Übernommen von" in html and "Stadt Bedorf" in html


def test_adopt_page_and_post(client, district, staff, published):
    url = f"/{district.town_b.slug}/verwaltung/bibliothek/{published.pk}/uebernehmen/"
    get(client, url, status=302)  # to the sign-in
    client.force_login(staff(district.town_a))
    get(client, url, status=403)
    client.force_login(staff(district.town_b))
    assert "übernehmen" in get(client, f"/{district.kreis.slug}/bibliothek/{published.pk}/")
    get(client, url)
    response = client.post(url, {"primary_field": district.field_b.pk})
    adoption = Adoption.objects.get()
    assert response["Location"] == f"/{district.town_b.slug}/massnahmen/{adoption.measure.pk}/"
    html = get(client, response["Location"])
    assert "Aus der Bibliothek des Kreises übernommen" in html


def test_publish_page_is_for_the_towns_staff(client, district, staff):
    url = f"/{district.town_a.slug}/verwaltung/massnahmen/{district.measure_a.pk}/bibliothek/"
    client.force_login(staff(district.town_b))
    assert client.get(url).status_code == 403  # another town's measure
    client.force_login(staff(district.town_a))
    get(client, url)
    response = client.post(
        url,
        {
            "audience": "oeffentlich",
            "effort": "mittel",
            "regional_field": district.regional[1].pk,
            "share_description": "on",
            "contact_name": "A",
        },
    )
    assert response.status_code == 302
    entry = LibraryEntry.objects.get()
    assert entry.regional_field == district.regional[1] and not entry.share_impacts


def test_joint_measure_page(client, district, staff, make_member):
    joint = services.start_joint_measure(
        staff(district.town_a),
        district.measure_a,
        [district.town_b],
        budget_share=Decimal("1500"),
    )
    url = f"/{district.kreis.slug}/bibliothek/gemeinsam/{joint.pk}/"
    html = get(client, url)
    assert "Federführung" in html and "Stadt Ahausen" in html and "noch nicht aufgenommen" in html
    share_url = f"/{district.town_b.slug}/verwaltung/gemeinsam/{joint.pk}/anteil/"
    client.force_login(staff(district.town_a))
    assert client.get(share_url).status_code == 403
    client.force_login(staff(district.town_b))
    response = client.post(share_url, {"primary_field": district.field_b.pk, "budget_share": "300"})
    assert response.status_code == 302
    assert "300,00" in get(client, url)
    # An internal joint measure is for the district's administrations only.
    joint.is_public = False
    joint.save()
    client.logout()
    get(client, url, status=404)
    client.force_login(make_member(district.kreis, "program_owner"))
    get(client, url)


def test_links_page_and_kreis_strategy_contributions(client, district, staff):
    url = f"/{district.town_a.slug}/verwaltung/region/"
    client.force_login(staff(district.town_b))
    assert client.get(url).status_code == 403
    client.force_login(staff(district.town_a))
    assert "Intelligente Mobilität" in get(client, url)
    client.post(url, {f"feld-{district.field_a.pk}": [str(district.regional[0].pk)]})
    client.logout()
    html = get(client, f"/{district.kreis.slug}/strategie/")
    assert "Was die Städte beitragen" in html
    assert "Sensorbasierte Parkraumerfassung" in html
    assert "Geheimes Vorhaben" not in html


def test_kreis_cockpit_and_regional_report(client, district, staff, published):
    services.adopt(staff(district.town_b), published, district.town_b, district.field_b)
    html = get(client, f"/{district.kreis.slug}/cockpit/")
    assert "Zusammenarbeit" in html
    html = get(client, f"/{district.kreis.slug}/berichte/region/")
    assert "Stadt Ahausen" in html and "Stadt Bedorf" in html and "Regionkreis" in html
    assert "Geheimes Vorhaben" not in html


def test_umbrella_brand_on_the_towns_pages(client, district):
    district.kreis.brand_name = "RegioVest"
    district.kreis.brand_colour = "#ffee00"
    district.kreis.save()
    html = get(client, f"/{district.town_a.slug}/")
    assert "RegioVest" in html and f'href="/{district.kreis.slug}/"' in html
    assert 'style="' not in html
    css = get(client, f"/{district.town_a.slug}/branding.css")
    assert "--umbrella:" in css and "#ffee00" not in css  # darkened for contrast


def test_only_a_kreis_sets_a_brand(district):
    from django.core.exceptions import ValidationError

    district.town_a.brand_name = "Eigenmarke"
    with pytest.raises(ValidationError):
        district.town_a.full_clean()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_library_query_count_does_not_grow(client, district, staff):
    url = f"/{district.kreis.slug}/bibliothek/"
    user_a, user_b = staff(district.town_a), staff(district.town_b)

    def add():
        measure = MeasureFactory(primary_field=district.field_a)
        entry = services.publish_to_library(user_a, LibraryEntry(measure=measure, effort="gering"))
        services.adopt(user_b, entry, district.town_b, district.field_b)
        services.start_joint_measure(user_a, measure, [district.town_b])

    add()
    first = _queries(client, url)
    for _ in range(3):
        add()
    assert _queries(client, url) == first


def test_regional_report_query_count_does_not_grow(client, district, staff):
    url = f"/{district.kreis.slug}/berichte/region/"
    user_a = staff(district.town_a)
    services.set_field_links(
        user_a, district.town_a, {district.field_a.pk: [district.regional[0].pk]}
    )
    first = _queries(client, url)
    for _ in range(3):
        measure = MeasureFactory(primary_field=district.field_a)
        services.publish_to_library(user_a, LibraryEntry(measure=measure, effort="gering"))
    assert _queries(client, url) == first


def test_start_joint_measure_page(client, district, staff):
    from lotse.region.models import JointMeasure

    url = f"/{district.town_a.slug}/verwaltung/massnahmen/{district.measure_a.pk}/gemeinsam/"
    client.force_login(staff(district.town_b))
    assert client.get(url).status_code == 403
    client.force_login(staff(district.town_a))
    assert "Beteiligte Kommunen" in get(client, url)
    response = client.post(
        url,
        {"title": "Gemeinsame Parkraum-App", "towns": [district.town_b.pk], "budget_share": "10"},
    )
    joint = JointMeasure.objects.get()
    assert response["Location"] == joint.get_absolute_url()
    assert joint.body == district.town_a
    assert {s.body for s in joint.shares.all()} == {district.town_a, district.town_b}


def test_brand_fields_only_in_a_kreis_settings(client, district, make_member):
    client.force_login(make_member(district.kreis, "body_admin"))
    assert "brand_name" in get(client, f"/{district.kreis.slug}/verwaltung/koerperschaft/")
    client.force_login(make_member(district.town_a, "body_admin"))
    assert "brand_name" not in get(client, f"/{district.town_a.slug}/verwaltung/koerperschaft/")


def test_internal_items_stay_out_of_the_public_regional_pages(client, district, staff):
    user_a, user_b = staff(district.town_a), staff(district.town_b)
    services.publish_to_library(
        user_a, LibraryEntry(measure=district.internal_a, effort="gering", audience="kreis")
    )
    services.link_measure(user_a, district.internal_a, district.regional[0])
    joint = services.start_joint_measure(user_a, district.measure_a, [district.town_b])
    share_b = joint.shares.get(body=district.town_b)
    services.join_joint_measure(user_b, share_b, primary_field=district.field_b)
    share_b.measure.title = "Interner Anteil Bedorf"
    share_b.measure.is_public = False
    share_b.measure.save()
    kreis = district.kreis.slug
    for url in (
        f"/{kreis}/bibliothek/",
        f"/{kreis}/strategie/",
        f"/{kreis}/cockpit/",
        f"/{kreis}/berichte/region/",
        f"/{kreis}/bibliothek/gemeinsam/{joint.pk}/",
    ):
        html = get(client, url)
        assert "Geheimes Vorhaben" not in html, url
        assert "Interner Anteil Bedorf" not in html, url
        assert f"/massnahmen/{share_b.measure.pk}/" not in html, url
    assert "Fortschritt nicht öffentlich" in get(
        client, f"/{kreis}/bibliothek/gemeinsam/{joint.pk}/"
    )
    # Bedorf's staff see their own internal share.
    client.force_login(user_b)
    assert f"/massnahmen/{share_b.measure.pk}/" in get(
        client, f"/{kreis}/bibliothek/gemeinsam/{joint.pk}/"
    )


def test_regional_report_as_pdf(client, district, staff, published):
    response = client.get(f"/{district.kreis.slug}/berichte/region/bericht.pdf?halbjahr=2026-H1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "2026-H1" in response["Content-Disposition"]


def test_library_filters_by_the_ozg_service_a_measure_implements(
    client, district, published, staff
):
    from lotse.ozg import catalogue
    from lotse.ozg.models import Service
    from lotse.ozg.services import save_assessment

    catalogue.ensure_loaded()
    parking = Service.objects.get(ozg_id=10173)
    url = f"/{district.kreis.slug}/bibliothek/"
    assert "Sensorbasierte" not in get(client, f"{url}?leistung=10173")
    save_assessment(staff(district.town_a), district.town_a, parking, {}, [district.measure_a])
    assert "Sensorbasierte" in get(client, f"{url}?leistung=10173")
    assert "Sensorbasierte" in get(client, f"{url}?leistung={parking.name[:8]}")
    assert "Sensorbasierte" not in get(client, f"{url}?leistung=Hundesteuer")
