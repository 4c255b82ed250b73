"""A published status report is found by what its page shows: the snapshot's headline figures,
the measures with their state then, milestones, decisions and meetings (issue 18, point 4).
A draft is found by nobody; what the snapshot leaves out (non-public measures and decisions)
does not make the report a hit."""

import pytest
from django.contrib.auth.models import AnonymousUser

from lotse.reporting import services
from lotse.reporting.periods import half_year
from lotse.reporting.search_provider import snapshot_text
from lotse.search import engine
from tests.reporting.test_workshop import quick_pdf  # noqa: F401  (fixture)

H1_2026 = half_year(2026, 1)


def report_hits(town, q, user=None):
    result = engine.search(
        user or AnonymousUser(),
        q,
        [town.body],
        body_id=town.body.pk,
        selected={"kind": "report"},
    )
    return [hit.url for hit in result.hits]


@pytest.fixture
def published(town, quick_pdf):  # noqa: F811
    draft = services.create_draft(town.staff, town.body, H1_2026)
    assert report_hits(town, "Terminbuchung", town.staff) == []  # a draft is not searchable
    return services.publish(town.program_owner, draft)


def test_the_snapshot_says_its_figures_in_german(town, published):
    text = snapshot_text(published.snapshot)

    assert "Öffentliche Maßnahmen: 3" in text
    assert "Mittlerer Fortschritt: 53 %" in text
    assert "Digitales Bürgerbüro: in Umsetzung, 60 %, gelb" in text
    assert "E-Akte im Bauamt: abgeschlossen, 100 %, grün" in text
    assert "Terminbuchung live" in text and "Bezahlfunktion" in text
    assert "Einführung des digitalen Bürgerbüros" in text and "1/26" in text
    assert "Interne Firewall-Erneuerung" not in text
    assert "Rechenzentrum" not in text


@pytest.mark.parametrize(
    "q",
    [
        "Terminbuchung",  # a milestone reached
        "Bezahlfunktion",  # a milestone missed
        '"E-Akte im Bauamt"',  # a measure as it stood
        "Mittlerer Fortschritt",  # a headline figure
        "Bürgerbüro gelb",  # a measure with its traffic light then
        "Einführung digitalen Bürgerbüros",  # a decision of the period
    ],
)
def test_a_published_report_is_found_by_its_snapshot(town, published, q):
    url = f"/{town.body.slug}/berichte/{published.pk}/"

    assert report_hits(town, q) == [url]


@pytest.mark.parametrize("q", ["Firewall", "Rechenzentrum"])
def test_what_the_snapshot_leaves_out_does_not_find_the_report(town, published, q):
    assert report_hits(town, q, town.staff) == []
