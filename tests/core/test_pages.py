"""Public pages: content, German by default, query counts independent of the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import BodyFactory, KreisFactory

PUBLIC_PAGES = ["/", "/impressum/", "/datenschutz/", "/barrierefreiheit/", "/leichte-sprache/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_are_german_with_one_h1_and_a_skip_link(client, url):
    html = client.get(url).content.decode()
    assert '<html lang="de">' in html
    assert html.count("<h1") == 1
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<main" in html and "<footer" in html and "<header" in html


@pytest.mark.django_db
def test_footer_links_the_legal_pages(client):
    html = client.get("/").content.decode()
    for href in ["/impressum/", "/datenschutz/", "/barrierefreiheit/", "/leichte-sprache/"]:
        assert f'href="{href}"' in html


@pytest.mark.django_db
def test_home_lists_a_kreis_with_its_towns(client):
    kreis = KreisFactory(name="Musterkreis Test", ags="05958000", rgs="059580000000")
    BodyFactory(name="Stadt Drinnen", parent=kreis, ags="05958004", rgs="059580000004")
    BodyFactory(name="Stadt Draußen")
    html = client.get("/").content.decode()
    district = html.index("Musterkreis Test")
    assert district < html.index("Stadt Drinnen") < html.index("Weitere Städte")
    assert html.index("Weitere Städte") < html.index("Stadt Draußen")


def _query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_bodies(client):
    KreisFactory()
    BodyFactory()
    _query_count(client, "/")  # fills the cockpit cache
    few = _query_count(client, "/")
    for _ in range(10):
        BodyFactory()
    _query_count(client, "/")
    # bodies, 2 cache reads for the key figures, one per block of news (issue 14), the OZG
    # block's services and assessments (issue 17)
    assert _query_count(client, "/") == few == 1 + 2 + 5 + 2


@pytest.mark.django_db
def test_body_overview_query_count(client, kreis):
    for n in range(3):
        BodyFactory(parent=kreis, ags=f"{kreis.ags[:5]}{n + 1:03d}")
    _query_count(client, f"/{kreis.slug}/")  # fills the cockpit cache
    # body (with whether it has a strategy page), towns, 2 cache reads for the key figures,
    # one per block of news (issue 14), the OZG block's services and assessments (issue 17)
    assert _query_count(client, f"/{kreis.slug}/") == 2 + 2 + 5 + 2


@pytest.mark.django_db
def test_body_overview_as_signed_in_member_stays_small(client, make_member, body):
    client.force_login(make_member(body, "body_admin"))
    _query_count(client, f"/{body.slug}/")  # fills the cockpit cache
    # session, user, TOTP check, body (+ nothing per nav item; the roles are kept in the
    # session), the front page's 2 cache reads, 5 blocks of news and the OZG block's 2
    assert _query_count(client, f"/{body.slug}/") <= 4 + 2 + 5 + 2


@pytest.mark.django_db
def test_unknown_body_is_a_german_404(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


@pytest.mark.django_db
def test_branding_css_darkens_a_light_colour(client):
    body = BodyFactory(accent_colour="#ffff00")
    response = client.get(f"/{body.slug}/branding.css")
    assert response["Content-Type"].startswith("text/css")
    assert f"--accent: {body.accent};" in response.content.decode()
    assert body.accent != "#ffff00"


@pytest.mark.django_db
def test_body_pages_link_their_branding(client, body):
    assert f"/{body.slug}/branding.css" in client.get(f"/{body.slug}/").content.decode()
