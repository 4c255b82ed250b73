"""The shared set of German queries and the hits they must give — the same on SQLite and
PostgreSQL (run this file with and without DATABASE_URL)."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from lotse.council.models import PaperState
from lotse.search import engine
from lotse.search.models import SearchEntry
from tests.council.factories import PaperFactory
from tests.participation.factories import CommentFactory, IdeaFactory
from tests.strategy.factories import MeasureFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "plan": ("24/0578", "Bebauungsplan Nord", "Aufstellung des Bebauungsplanes für das Gebiet."),
    "strasse": ("24/0579", "Sanierung der Hauptstraße", "Die Straße wird erneuert."),
    "radweg": ("24/0600", "Radwegekonzept 2024", "Ein Konzept für sichere Wege."),
    "breitband": ("23/0101", "Breitbandausbau", "Breitband 2024 für alle Ortsteile."),
    "bahnhof": ("23/0102", "Bahnhof Nord", "Der Bahnhof bekommt einen Aufzug."),
    "buerger": ("23/0103", "Bürgerbüro", "Öffnungszeiten der Bürgerbüros werden länger."),
    "glasfaser": ("23/0104", "Glasfasernetze im Gewerbegebiet", "Anschluss aller Betriebe."),
    "licht": ("23/0105", "Straßenbeleuchtungskonzept", "Umstellung auf LED."),
    "beratung": ("23/0106", "Beratung der Vereine", "Die Verordnung wird geändert."),
    "konzept": ("23/0107", "Konzept Jugendarbeit", "Ein Plan für die Quartiere."),
}

# query → keys of the papers it must find (exactly these)
CASES = [
    ("Bebauungsplan", {"plan"}),
    ("Bebauungspläne", {"plan"}),
    ("bebauungsplanes", {"plan"}),
    ("Strasse", {"strasse", "licht"}),
    ("Straßen", {"strasse", "licht"}),
    ("Hauptstrasse", {"strasse"}),
    ("Radweg", {"radweg"}),
    ("Radwege", {"radweg"}),
    ("Breitband 2024", {"breitband"}),
    ("24/578", {"plan"}),
    ("24/0578", {"plan"}),
    ("Buergerbueros", {"buerger"}),
    ("oeffnungszeiten", {"buerger"}),
    ('"Bahnhof bekommt"', {"bahnhof"}),
    ('"bekommt Bahnhof"', set()),
    ("Bahnhof Nord", {"bahnhof"}),
    ("Nord", {"plan", "bahnhof"}),
    # Compounds found by a later part; a part is a word of its own, not any string inside.
    ("Konzept", {"radweg", "licht", "konzept"}),
    ("Konzepte", {"radweg", "licht", "konzept"}),
    ("Plan", {"plan", "konzept"}),
    ("Pläne", {"plan", "konzept"}),
    ("Netz", {"glasfaser"}),
    ("Netze", {"glasfaser"}),
    ("Beleuchtung", {"licht"}),
    ("Gebiet", {"glasfaser", "plan"}),
    ("Strassenbeleuchtung", {"licht"}),
    ('"Konzept Jugendarbeit"', {"konzept"}),
    ('"Radwege Konzept"', set()),
    ("Rat", set()),
    ("Rate", set()),
    ("Ordnung", set()),
    ("Tier", set()),
    ("Quartier", {"konzept"}),
    ("Bebaungsplan", set()),
    ("der die das", set()),
]


@pytest.fixture
def papers(body):
    made = {}
    for n, (key, (reference, name, reasoning)) in enumerate(TEXTS.items()):
        made[key] = PaperFactory(
            body=body,
            reference=reference,
            name=name,
            reasoning=reasoning,
            state=PaperState.RELEASED,
            date=dt.date(2024, 1, 1) + dt.timedelta(days=n),
        )
    return made


def found(body, q, **kwargs):
    result = engine.search(AnonymousUser(), q, [body], body_id=body.pk, **kwargs)
    return result, {hit.url for hit in result.hits}


@pytest.mark.parametrize(("q", "keys"), CASES)
def test_shared_queries(body, papers, q, keys):
    _result, urls = found(body, q)

    assert urls == {f"/{body.slug}/vorlagen/{papers[k].pk}/" for k in keys}


def test_did_you_mean(body, papers):
    result, urls = found(body, "Bebaungsplan")

    assert not urls
    assert result.suggestion == "bebauungsplan"
    result, urls = found(body, "Bebaungsplan Nord")
    assert result.suggestion == "bebauungsplan Nord"
    assert found(body, "Bebauungsplan")[0].suggestion == ""


def test_suggestions_come_from_public_texts_only(body):
    PaperFactory(body=body, name="Geheimprojektierung", is_public=False, state="freigegeben")

    assert found(body, "Geheimprojektirung")[0].suggestion == ""


def test_every_kind_is_found_and_counted(body, papers, process, field):
    MeasureFactory(primary_field=field, title="Bebauungsplan digital beteiligen")
    idea = IdeaFactory(process=process, title="Spielplatz", text="Im Bebauungsplan vorsehen")
    CommentFactory(idea=idea, text="Der Bebauungsplan ist zu klein.")

    result, _urls = found(body, "Bebauungsplan")

    assert {v.value: v.count for v in result.facets["kind"]} == {
        "paper": 1,
        "measure": 1,
        "idea": 1,
        "comment": 1,
    }
    result, urls = found(body, "Bebauungsplan", selected={"kind": "idea"})
    assert urls == {f"/{body.slug}/ideen/{idea.pk}/"}
    assert {v.label for v in result.facets["year"]} == {str(dt.date.today().year)}


def test_sort_by_date_and_snippets_escape_and_mark(body, papers):
    PaperFactory(
        body=body,
        name="Nordstadt <script>alert(1)</script>",
        reasoning="Der Norden & <b>der</b> Süden.",
        state=PaperState.RELEASED,
        date=dt.date(2020, 1, 1),
    )

    result, _urls = found(body, "Nord", sort="datum")

    dates = [hit.date for hit in result.hits]
    assert dates == sorted(dates, reverse=True)
    last = result.hits[-1]
    assert "<script>" not in last.title and "&lt;script&gt;" in last.title
    assert "<mark>Nordstadt</mark>" in last.title
    assert "&amp;" in last.snippet and "<b>" not in last.snippet
    assert "<mark>Norden</mark>" in last.snippet


def test_index_follows_edits_and_deletes(body, papers):
    paper = papers["bahnhof"]
    paper.name = "Busbahnhof Süd"
    paper.save()
    assert found(body, "Busbahnhof")[1] == {f"/{body.slug}/vorlagen/{paper.pk}/"}
    paper.delete()
    assert not found(body, "Busbahnhof")[1]
    assert not SearchEntry.objects.filter(kind="paper", object_id=paper.pk).exists()


def test_rebuild_gives_the_same_index(body, papers, process):
    IdeaFactory(process=process, title="Radweg am Fluss")
    before = set(SearchEntry.objects.values_list("kind", "object_id", "terms", "tags", "access"))

    from django.core.management import call_command

    call_command("search_rebuild", stdout=__import__("io").StringIO())

    after = set(SearchEntry.objects.values_list("kind", "object_id", "terms", "tags", "access"))
    assert after == before


def test_the_whole_word_ranks_above_a_compound_part(body, papers):
    result, _urls = found(body, "Konzept")

    assert result.hits[0].url == f"/{body.slug}/vorlagen/{papers['konzept'].pk}/"
    assert result.hits[0].title.endswith("<mark>Konzept</mark> Jugendarbeit")
    titles = {str(hit.title).split(" ", 1)[1] for hit in result.hits}
    assert titles == {
        "<mark>Konzept</mark> Jugendarbeit",
        "<mark>Radwegekonzept</mark> 2024",
        "<mark>Straßenbeleuchtungskonzept</mark>",
    }


def test_list_searches_find_compound_parts(body, papers):
    from lotse.council.models import Paper

    ids = set(
        Paper.objects.filter(pk__in=engine.matching("paper", "Netz", body_id=body.pk)).values_list(
            "pk", flat=True
        )
    )

    assert ids == {papers["glasfaser"].pk}
