"""The paper list's seek pagination and its cached HTML: every paper once, in order; a
non-public paper never reaches the cached list of someone who may not see it."""

import datetime
import re

import pytest

from lotse.core import paging
from lotse.council.models import Paper, PaperState
from tests.council.factories import PaperFactory

NAME = re.compile(r'<a href="/[^"]+/vorlagen/\d+/">([^<]+)</a>')
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


def get(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode().replace("&amp;", "&")


@pytest.fixture
def papers(body):
    """55 released public papers, three to a day."""
    start = datetime.date(2024, 1, 1)
    return [
        PaperFactory(
            body=body,
            name=f"Vorlage {n:02d}",
            state=PaperState.RELEASED,
            is_public=True,
            date=start + datetime.timedelta(days=n // 3),
        )
        for n in range(55)
    ]


def test_next_links_walk_every_paper_once_in_order(client, body, papers):
    address = f"/{body.slug}/vorlagen/"
    seen = []
    while address:
        html = get(client, address)
        seen += NAME.findall(html)
        found = NEXT.search(html)
        address = f"/{body.slug}/vorlagen/{found.group(1)}" if found else None
    expected = Paper.objects.filter(body=body).order_by("-date", "-pk")
    assert seen == list(expected.values_list("name", flat=True))
    assert NAME.findall(get(client, f"/{body.slug}/vorlagen/?seite=3")) == seen[50:]


def test_a_non_public_paper_stays_out_of_the_visitors_cached_list(
    client, body, papers, make_member
):
    PaperFactory(body=body, name="Grundstücksgeschäft", state=PaperState.RELEASED, is_public=False)
    office = make_member(body, "council_office")
    client.force_login(office)
    assert "Grundstücksgeschäft" in get(client, f"/{body.slug}/vorlagen/")
    client.logout()
    assert "Grundstücksgeschäft" not in get(client, f"/{body.slug}/vorlagen/")


def test_a_paper_made_non_public_leaves_the_cached_list(client, body, papers):
    assert "Vorlage 54" in get(client, f"/{body.slug}/vorlagen/")
    paper = Paper.objects.get(name="Vorlage 54")
    paper.is_public = False
    paper.save()
    assert "Vorlage 54" not in get(client, f"/{body.slug}/vorlagen/")


def test_a_large_count_stays_when_a_paper_is_edited_and_is_renewed_when_one_comes(
    client, body, papers, monkeypatch
):
    """Above ``EXACT_UP_TO`` the count is an estimate ("etwa"): an edit renews the list but
    does not recount it (at 100,000 papers, a quarter of a renewed page's time), an added or
    deleted paper does."""
    monkeypatch.setattr(paging, "EXACT_UP_TO", 10)
    address = f"/{body.slug}/vorlagen/"
    assert "etwa 55 Vorlagen gefunden" in get(client, address)
    paper = Paper.objects.get(name="Vorlage 54")
    paper.name = "Vorlage 54, geändert"
    paper.is_public = False
    paper.save()
    html = get(client, address)
    assert "Vorlage 54, geändert" not in html  # the list itself is current
    assert "etwa 55 Vorlagen gefunden" in html  # the estimate is kept
    for n in range(20):
        PaperFactory(body=body, name=f"Neu {n}", state=PaperState.RELEASED, is_public=True)
    assert "etwa 74 Vorlagen gefunden" in get(client, address)
    Paper.objects.filter(name__startswith="Neu").first().delete()
    assert "etwa 73 Vorlagen gefunden" in get(client, address)
