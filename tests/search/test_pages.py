"""The search pages: German, the states of an empty or failed search, facets, sorting,
pages, and a fixed number of queries however many hits there are."""

import datetime as dt

import pytest
from django.urls import reverse

from lotse.council.models import PaperState
from tests.council.factories import PaperFactory

pytestmark = pytest.mark.django_db


def url(body):
    return reverse("search:body", args=[body.slug])


def paper(body, n, **kwargs):
    kwargs.setdefault("name", f"Digitalisierung der Schulen Teil {n}")
    return PaperFactory(
        body=body,
        reference=f"26/{n:04}",
        state=PaperState.RELEASED,
        date=dt.date(2025, 1, 1) + dt.timedelta(days=n),
        **kwargs,
    )


def test_empty_form_and_prompt(client, body):
    page = client.get(url(body)).content.decode()
    assert 'role="search"' in page and "Suchen nach" in page
    assert "Treffer" not in page

    page = client.get(url(body), {"q": "  "}).content.decode()
    assert "Geben Sie ein, was Sie suchen." in page


def test_nothing_found_says_what_to_do_and_suggests(client, body):
    paper(body, 1, name="Bebauungsplan Nord")

    page = client.get(url(body), {"q": "Bebaungsplan"}).content.decode()

    assert "Nichts gefunden." in page
    assert 'Meinten Sie <a href="?q=bebauungsplan">bebauungsplan</a>?' in page
    assert "0 Treffer" in page


def test_hits_facets_sort_and_pages(client, body):
    for n in range(25):
        paper(body, n)

    page = client.get(url(body), {"q": "Schule"}).content.decode()

    assert "25 Treffer" in page
    assert page.count('class="search-hit"') == 20
    assert "Seite 1 von 2" in page
    assert "<mark>Schulen</mark>" in page
    assert 'Vorlage <span class="count">(25)</span>' in page
    assert "?q=Schule&amp;art=paper" in page
    page = client.get(
        url(body), {"q": "Schule", "sortierung": "datum", "seite": "2"}
    ).content.decode()
    assert page.count('class="search-hit"') == 5
    assert page.index("Teil 4<") < page.index("Teil 0<")


def test_query_count_is_fixed(client, body, django_assert_num_queries):
    for n in range(5):
        paper(body, n)
    client.get(url(body), {"q": "Schule"})
    # body, the ranked candidates with their facet values, one page of entries
    with django_assert_num_queries(3):
        client.get(url(body), {"q": "Schule"})
    for n in range(5, 40):
        paper(body, n)
    with django_assert_num_queries(3):
        client.get(url(body), {"q": "Schule"})


def test_site_wide_search_names_the_body(client, body, other_body):
    paper(body, 1)
    paper(other_body, 2)

    page = client.get(reverse("search:site"), {"q": "Schule"}).content.decode()

    assert "Suche in allen Gebietskörperschaften" in page
    assert "2 Treffer" in page
    assert body.name in page and other_body.name in page


def test_unknown_body_is_404(client, db):
    assert client.get("/gibt-es-nicht/suche/?q=x").status_code == 404


def test_odd_input_is_taken_as_words(client, body):
    paper(body, 1, name="Open Data für alle")
    for q in ['open" OR data* :-( NEAR(', "data' & !open |", "<script>", "x" * 1000, '"""']:
        response = client.get(url(body), {"q": q, "seite": "abc", "jahr": "<b>"})
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("<main", 1)[-1]
