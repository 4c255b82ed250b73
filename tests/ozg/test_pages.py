"""The public OZG page, the staff workspace, the Kreis comparison, cockpit and front page."""

import pytest

from lotse.ozg.models import Assessment, Relevance, Service, Solution
from lotse.ozg.selectors import public_service_rows, service_rows
from lotse.ozg.services import save_assessment
from tests.factories import BodyFactory
from tests.strategy.factories import ActionFieldFactory, MeasureFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def overview(body, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/{body.slug}/ozg/" + (f"?{query}" if query else "")


def test_a_citizen_finds_the_online_link_by_searching(client, town, staff, wohngeld):
    save_assessment(
        staff,
        town,
        wohngeld,
        {"maturity": 3, "online_url": "https://efa.example/wohngeld", "solution": Solution.EFA},
    )
    response = client.get(overview(town, q="wohngeld"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "https://efa.example/wohngeld" in page
    assert 'role="status"' in page
    # A search for something a LeiKa service is called finds its OZG-Leistung too.
    response = client.get(overview(town, q="Hundesteuer"))
    assert response.status_code == 200


def test_search_by_leika_name(client, town, loaded):
    service = Service.objects.filter(leika_services__name__icontains="Altpapier").first()
    response = client.get(overview(town, q="Altpapier"))
    assert service.name in response.content.decode()


def test_overview_shows_charts_with_tables(client, town, staff, wohngeld):
    save_assessment(staff, town, wohngeld, {"maturity": 4})
    page = client.get(overview(town)).content.decode()
    for chart in ("ozg-themenfeld", "ozg-lebenslage", "ozg-levels", "ozg-progress"):
        assert f'id="{chart}"' in page
    assert 'role="img"' in page
    assert "<table" in page
    assert "Arbeit &amp; Ruhestand" in page


def test_internal_measures_never_show(client, town, staff, wohngeld):
    field = ActionFieldFactory(strategy=StrategyFactory(body=town))
    public = MeasureFactory(primary_field=field, title="Öffentliches Portal")
    internal = MeasureFactory(primary_field=field, title="Geheimprojekt", is_public=False)
    save_assessment(staff, town, wohngeld, {"maturity": 3}, [public, internal])
    page = client.get(overview(town, q="Wohngeld")).content.decode()
    assert "Öffentliches Portal" in page
    assert "Geheimprojekt" not in page
    csv = client.get(f"/{town.slug}/ozg/export.csv").content.decode("utf-8-sig")
    assert str(internal.pk) not in [
        c.strip() for line in csv.splitlines() for c in line.split(";")[-1:]
    ]
    # Staff see their internal measure in their own export.
    client.force_login(staff)
    csv = client.get(f"/{town.slug}/ozg/export.csv").content.decode("utf-8-sig")
    assert f"{public.pk}; {internal.pk}" in csv or f"{internal.pk}; {public.pk}" in csv


def test_relevance_follows_the_catalogue_unless_the_body_chooses(town, staff, wohngeld, loaded):
    other = Service.objects.filter(is_municipal=False).first()
    ids = {row.service.pk for row in service_rows(town)}
    assert wohngeld.pk in ids and other.pk not in ids
    save_assessment(staff, town, wohngeld, {"relevance": Relevance.EXCLUDED})
    save_assessment(staff, town, other, {"relevance": Relevance.ADDED})
    ids = {row.service.pk for row in service_rows(town)}
    assert wohngeld.pk not in ids and other.pk in ids


def test_public_rows_for_a_search_index(town, staff, wohngeld):
    save_assessment(staff, town, wohngeld, {"maturity": 3, "online_url": "https://x.example/w"})
    rows = {row["ozg_id"]: row for row in public_service_rows(town)}
    assert rows[10092]["online_url"] == "https://x.example/w"
    assert rows[10092]["url"] == f"/{town.slug}/ozg/#leistung-10092"
    assert rows[10092]["maturity_model"] == "ozg-bund:1"


def test_overview_query_count_does_not_grow(
    client, town, staff, loaded, django_assert_max_num_queries
):
    client.get(overview(town))
    services = list(Service.objects.filter(is_municipal=True)[:5])
    for service in services:
        save_assessment(staff, town, service, {"maturity": 2})
    with django_assert_max_num_queries(12) as before:
        client.get(overview(town))
    count = len(before.captured_queries)
    for service in Service.objects.filter(is_municipal=True)[5:60]:
        save_assessment(staff, town, service, {"maturity": 3, "online_url": "https://a.example"})
    with django_assert_max_num_queries(count):
        client.get(overview(town))
    with django_assert_max_num_queries(count + 1):
        client.get(overview(town, q="Wohngeld"))


def test_workspace_query_count_does_not_grow(
    client, town, staff, loaded, django_assert_max_num_queries
):
    client.force_login(staff)
    url = f"/{town.slug}/verwaltung/ozg/"
    save_assessment(staff, town, Service.objects.filter(is_municipal=True).last(), {"maturity": 0})
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(30) as before:
        client.get(url)
    for service in Service.objects.filter(is_municipal=True)[:40]:
        save_assessment(staff, town, service, {"maturity": 1})
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_kreis_page_and_cockpit_compare_the_towns(client, kreis, town, staff, wohngeld):
    other = BodyFactory(parent=kreis, name="Stadt Zweitort", short_name="Zweitort")
    save_assessment(staff, town, wohngeld, {"maturity": 4})
    page = client.get(overview(kreis)).content.decode()
    assert 'id="ozg-towns"' in page
    assert "Stadt Testheim" in page and "Stadt Zweitort" in page
    cockpit = client.get(f"/{kreis.slug}/cockpit/").content.decode()
    assert "h-ozg-towns" in cockpit
    assert f'href="/{other.slug}/ozg/"' in cockpit
    # A town's cockpit has no OZG section (it costs no query there).
    assert "h-ozg-towns" not in client.get(f"/{town.slug}/cockpit/").content.decode()


def test_front_page_block(client, town, staff, wohngeld):
    assert "front-ozg" not in client.get(f"/{town.slug}/").content.decode()
    save_assessment(staff, town, wohngeld, {"maturity": 4})
    page = client.get(f"/{town.slug}/").content.decode()
    assert "front-ozg" in page


def test_navigation_links_the_page(client, town):
    page = client.get(f"/{town.slug}/").content.decode()
    assert f'href="/{town.slug}/ozg/"' in page


def test_progress_over_time_reads_the_history(town, staff, wohngeld):
    import datetime

    from django.utils import timezone

    from lotse.ozg.selectors import progress_over_time

    assessment = Assessment(body=town, service=wohngeld, maturity=1, maturity_model="ozg-bund:1")
    assessment._history_date = timezone.now() - datetime.timedelta(days=100)
    assessment.save()
    assessment.maturity = 3
    assessment._history_date = timezone.now() - datetime.timedelta(days=40)
    assessment.save()
    rows = service_rows(town)
    points = progress_over_time(town, rows)
    assert len(points) == 12
    assert points[0][1] == 0
    assert points[-1][1] > 0
    # three months ago the service was not yet compliant
    assert points[-4][1] == 0


def test_htmx_row_edit(client, town, staff, wohngeld):
    client.force_login(staff)
    url = f"/{town.slug}/verwaltung/ozg/10092/"
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert 'hx-post="' in form.content.decode()
    response = client.post(
        url,
        {
            "maturity": "3",
            "online_url": "https://efa.example/w",
            "solution": "efa",
            "relevance": "",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="zeile-10092"' in response.content.decode()
    assessment = Assessment.objects.get(body=town, service=wohngeld)
    assert assessment.maturity == 3
    assert assessment.maturity_model == "ozg-bund:1"
    assert assessment.history.count() == 1
    # A wrong address gets a German message in the form, nothing saved.
    response = client.post(url, {"maturity": "9", "online_url": "kein link"})
    assert response.status_code == 200
    assessment.refresh_from_db()
    assert assessment.maturity == 3


def test_bulk_form_sets_many_services(client, town, staff, loaded):
    client.force_login(staff)
    chosen = list(Service.objects.filter(is_municipal=True)[:7])
    response = client.post(
        f"/{town.slug}/verwaltung/ozg/",
        {"dienste": [s.pk for s in chosen], "maturity": "2", "solution": "landesportal"},
    )
    assert response.status_code == 302
    assert Assessment.objects.filter(body=town, maturity=2, solution="landesportal").count() == 7
    # Nothing chosen to set: an error, nothing changed.
    response = client.post(f"/{town.slug}/verwaltung/ozg/", {"dienste": [chosen[0].pk]})
    assert response.status_code == 200
    assert Assessment.objects.filter(body=town).count() == 7


def test_open_data_dataset(client, town, staff, wohngeld):
    save_assessment(staff, town, wohngeld, {"maturity": 3, "online_url": "https://a.example/w"})
    response = client.get(f"/{town.slug}/opendata/ozg-leistungen.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *lines = text.splitlines()
    assert header.startswith("ozg_id,leistung,themenfeld,lebenslage,reifegrad")
    assert any(
        line.startswith("10092,Wohngeld,") and "https://a.example/w" in line for line in lines
    )
    schema = client.get(f"/{town.slug}/opendata/ozg-leistungen.schema.json").json()
    assert schema["fields"][0]["name"] == "ozg_id"
    assert "OZG-Leistungen" in client.get(f"/{town.slug}/opendata/").content.decode()


def test_admin_lists_the_catalogue(client, site_admin, loaded):
    client.force_login(site_admin)
    assert client.get("/admin/ozg/service/?q=Wohngeld").status_code == 200
