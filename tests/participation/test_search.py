"""German-aware search and the similar-idea hints: matching, visibility, index upkeep."""

import pytest
from django.urls import reverse

from lotse.participation import search
from lotse.participation.models import Idea, IdeaState
from lotse.participation.selectors import listed_ideas
from tests.factories import UserFactory
from tests.participation.factories import IdeaFactory, ProcessFactory
from tests.strategy.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def make_idea(process, title, text="Bitte umsetzen.", **kwargs):
    return IdeaFactory(process=process, title=title, text=text, **kwargs)


def titles(hits):
    return [hit.title for hit in hits]


def similar_url(body, title):
    return reverse("participation:similar", kwargs={"body_slug": body.slug}) + f"?title={title}"


# -- German matching ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Mehr Strassenbeleuchtungen im Park", "Straßenbeleuchtung"),
        ("Straßenbeleuchtung am Bahnhof", "strassenbeleuchtungen"),
        ("WLAN an allen Schulen", "Schule"),
        ("Digitale Schule", "Schulen"),
        ("Bürgerbüro online", "Buerger"),
        ("Buergerkonto einführen", "Bürgerkonto"),
        ("Fahrradständer am Rathaus", "Fahrradstaender"),
    ],
)
def test_similar_matches_german_forms(process, body, stored, typed):
    make_idea(process, stored)
    make_idea(process, "Etwas ganz anderes")

    hits = search.similar(UserFactory(), body, typed)

    assert titles(hits) == [stored]


def test_search_ideas_matches_forms_and_needs_every_word(process, body):
    lights = make_idea(process, "Straßenbeleuchtung an Schulen")
    make_idea(process, "Straßenbeleuchtung im Park")
    make_idea(process, "Schulhof begrünen", text="Die Schule braucht Bäume.")
    anonymous = UserFactory()

    found = search.search_ideas(listed_ideas(anonymous, body), "strassenbeleuchtungen schule")

    assert list(found) == [lights]


def test_search_ideas_ranks_title_above_text(process, body):
    in_text = make_idea(process, "Bessere Wege", text="Mehr Sitzbänke am Marktplatz aufstellen.")
    in_title = make_idea(process, "Sitzbänke am Marktplatz")

    found = search.search_ideas(Idea.objects.filter(body=body), "Sitzbank")

    assert list(found) == [in_title, in_text]


def test_query_of_stop_words_only_changes_nothing(process, body):
    make_idea(process, "Die Schule")

    assert search.similar(UserFactory(), body, "die der und") == []
    queryset = Idea.objects.filter(body=body)
    assert search.search_ideas(queryset, "die und") is queryset


def test_query_with_search_syntax_is_taken_as_words(process, body):
    make_idea(process, "Open Data für alle")

    assert titles(search.similar(UserFactory(), body, 'open" OR data* :-( NEAR(')) == [
        "Open Data für alle"
    ]
    assert search.search_ideas(Idea.objects.all(), "data' & !open |").count() == 1


def test_unfinished_last_word_matches_as_prefix(process, body):
    make_idea(process, "Fahrradwege ausbauen")

    assert titles(search.similar(UserFactory(), body, "Fahrr")) == ["Fahrradwege ausbauen"]
    # A finished word (followed by a space) is matched whole.
    assert search.similar(UserFactory(), body, "Fahrr ") == []


def test_similar_ranks_and_limits(process, body):
    best = make_idea(process, "Kostenloses WLAN in der Innenstadt")
    make_idea(process, "WLAN im Rathaus")
    for n in range(6):
        make_idea(process, f"Innenstadt beleben {n}")

    hits = search.similar(UserFactory(), body, "WLAN Innenstadt", limit=5)

    assert len(hits) == 5
    assert hits[0].pk == best.pk
    assert hits[0].url == f"/{body.slug}/ideen/{best.pk}/"
    assert hits[0].kind == "idea"


def test_similar_finds_visible_measures(body, field, process):
    measure = MeasureFactory(primary_field=field, title="Open-Data-Portal", summary="Daten")

    hits = search.similar(UserFactory(), body, "Portal für offene Daten")

    assert [(hit.kind, hit.pk) for hit in hits] == [("measure", measure.pk)]
    assert hits[0].url == reverse(
        "strategy:measure", kwargs={"body_slug": body.slug, "pk": measure.pk}
    )


# -- Visibility --------------------------------------------------------------------------------


@pytest.fixture
def mixed(body, field, process, other_body):
    """Public, hidden, merged and foreign ideas and an internal measure, all about "Radweg"."""
    author = UserFactory()
    public = make_idea(process, "Radweg an der Hauptstraße")
    target = make_idea(process, "Radwege sicherer machen")
    make_idea(process, "Radweg zum Bahnhof", state=IdeaState.MERGED, merged_into=target)
    make_idea(process, "Radweg versteckt", is_hidden=True, hidden_reason="Spam", author=author)
    unpublished = ProcessFactory(body=body, is_published=False)
    make_idea(unpublished, "Radweg im Entwurf")
    MeasureFactory(primary_field=field, title="Radwegenetz intern", is_public=False)
    public_measure = MeasureFactory(primary_field=field, title="Radwegenetz ausbauen")
    foreign = ProcessFactory(body=other_body)
    make_idea(foreign, "Radweg anderswo")
    return {"public": public, "target": target, "author": author, "measure": public_measure}


VISIBLE = {"Radweg an der Hauptstraße", "Radwege sicherer machen", "Radwegenetz ausbauen"}


@pytest.mark.parametrize("who", ["anonymous", "citizen", "hidden_author"])
def test_similar_never_shows_hidden_merged_internal_or_foreign(mixed, body, citizen, who):
    from django.contrib.auth.models import AnonymousUser

    user = {"anonymous": AnonymousUser(), "citizen": citizen, "hidden_author": mixed["author"]}[who]

    hits = search.similar(user, body, "Radweg", limit=10)

    assert set(titles(hits)) == VISIBLE


def test_staff_see_internal_measures(mixed, body, make_member):
    staff = make_member(body, "staff")

    hits = search.similar(staff, body, "Radwegenetz", limit=10)

    assert "Radwegenetz intern" in titles(hits)


def test_similar_looks_past_invisible_best_matches(body, process):
    for n in range(25):
        make_idea(process, f"Parkplatz Parkplatz {n}", is_hidden=True, hidden_reason="Spam")
    visible = make_idea(process, "Parkplatz am Markt", text="Mehr Platz.")

    hits = search.similar(UserFactory(), body, "Parkplatz")

    assert [hit.pk for hit in hits] == [visible.pk]


@pytest.mark.parametrize("logged_in", [False, True])
def test_endpoint_shows_only_public_hits(client, mixed, body, citizen, logged_in):
    if logged_in:
        client.force_login(citizen)

    response = client.get(similar_url(body, "Radweg"))

    assert response.status_code == 200
    html = response.content.decode()
    for title in VISIBLE:
        assert title in html
    for title in ["versteckt", "Entwurf", "intern", "anderswo", "Bahnhof"]:
        assert title not in html


# -- The endpoint ------------------------------------------------------------------------------


def test_endpoint_lists_at_most_five_with_kind_and_state(client, body, process):
    for n in range(8):
        make_idea(process, f"Sitzbank Nummer {n}")

    response = client.get(similar_url(body, "Sitzbänke"))

    html = response.content.decode()
    assert html.count("<li>") == 5
    assert "Ähnliche Vorschläge und Maßnahmen – vielleicht möchten Sie dort unterstützen?" in html
    assert "Idee · eingereicht, 0 Unterstützungen" in html
    assert "Sitzbank Nummer" in html


@pytest.mark.parametrize("title", ["", "ab", "  x ", "der die das"])
def test_endpoint_answers_empty_for_short_or_meaningless_input(client, body, process, title):
    make_idea(process, "abc der")

    response = client.get(similar_url(body, title))

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_endpoint_unknown_body_is_404(client, db):
    response = client.get("/gibt-es-nicht/ideen/aehnliche/?title=Radweg")

    assert response.status_code == 404


def test_endpoint_query_count_does_not_grow(
    client, body, process, field, django_assert_num_queries, monkeypatch
):
    # One rate-limit window for the whole test: a window that turns over between the two
    # counted requests (a slow machine) takes another path through the cache.
    import django_ratelimit.core

    end = django_ratelimit.core._get_window("similar", 60)
    monkeypatch.setattr(django_ratelimit.core, "_get_window", lambda value, period: end)
    for n in range(3):
        make_idea(process, f"Spielplatz {n}")
        MeasureFactory(primary_field=field, title=f"Spielplatz-Sanierung {n}")
    url = similar_url(body, "Spielplätze")
    client.get(url)  # the rate limit's cache entry exists from now on

    # rate limit in the database cache (12), body, index, ideas, measures
    with django_assert_num_queries(16):
        response = client.get(url)
    assert response.content.decode().count("<li>") == 5

    for n in range(20):
        make_idea(process, f"Spielplatz extra {n}")
    with django_assert_num_queries(16):
        client.get(url)


def test_endpoint_rate_limited(client, body, process, monkeypatch):
    from lotse.participation import views_search

    monkeypatch.setattr(views_search, "SIMILAR_RATE", "2/m")
    make_idea(process, "Radweg")
    url = similar_url(body, "Radweg")

    statuses = [client.get(url).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    response = client.get(url)
    assert response.status_code == 429
    assert "Radweg" not in response.content.decode()


# -- Index upkeep ------------------------------------------------------------------------------


def test_index_follows_edits_and_deletes(body, process, field):
    idea = make_idea(process, "Hundewiese im Stadtpark")
    user = UserFactory()
    assert titles(search.similar(user, body, "Hundewiese")) == ["Hundewiese im Stadtpark"]

    idea.title = "Spielwiese im Stadtpark"
    idea.save()
    assert search.similar(user, body, "Hundewiese") == []
    assert titles(search.similar(user, body, "Spielwiese")) == ["Spielwiese im Stadtpark"]

    idea.delete()
    assert search.similar(user, body, "Spielwiese") == []

    measure = MeasureFactory(primary_field=field, title="Glasfaser für Gewerbegebiete")
    assert titles(search.similar(user, body, "Glasfaser")) == [measure.title]
    measure.title = "Breitband für Gewerbegebiete"
    measure.save()
    assert titles(search.similar(user, body, "Glasfaser")) == []
    measure.delete()
    assert search.similar(user, body, "Breitband") == []


def test_counter_updates_do_not_reindex(body, process):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    idea = make_idea(process, "Bücherei digital")
    idea.support_count = 3

    with CaptureQueriesContext(connection) as captured:
        idea.save(update_fields=["support_count"])
    assert captured.captured_queries
    assert not [q for q in captured.captured_queries if search.TABLE in q["sql"]]

    idea.text = "Mit Ausleihe per App"
    with CaptureQueriesContext(connection) as captured:
        idea.save(update_fields=["text"])
    assert [q for q in captured.captured_queries if search.TABLE in q["sql"]]


def test_rebuild_index_indexes_bulk_created_ideas(body, process, other_body):
    Idea.objects.bulk_create(
        [Idea(body=body, process=process, title=f"Ladesäule {n}", text="Strom") for n in range(3)]
    )
    other = make_idea(ProcessFactory(body=other_body), "Ladesäule woanders")
    user = UserFactory()
    assert search.similar(user, body, "Ladesäulen") == []

    search.rebuild_index(body)

    assert len(search.similar(user, body, "Ladesäulen")) == 3
    # Rebuilding one body leaves the others' entries alone.
    assert [hit.pk for hit in search.similar(user, other_body, "Ladesäule")] == [other.pk]


# -- The idea list's search --------------------------------------------------------------------


def test_the_list_takes_the_newest_matches_within_its_filters_and_says_so(
    client, body, process, monkeypatch
):
    """A word in thousands of ideas costs what a rare one does: the list takes the newest
    ``engine.CAP`` matches from the index and says "Mehr als …"; a state filter narrows the
    match in the index itself, so an older idea is still found by it."""
    from lotse.search import engine

    monkeypatch.setattr(engine, "CAP", 3)
    make_idea(process, "Radweg am Kanal", state=IdeaState.ACCEPTED)
    for n in range(4):
        make_idea(process, f"Radweg Abschnitt {n}")
    url = reverse("participation:ideas", kwargs={"body_slug": body.slug})
    page = client.get(url, {"q": "Radweg"})
    assert len(page.context["ideas"]) == 3
    assert page.context["capped"]
    assert "Mehr als 3 Ideen gefunden" in page.content.decode()
    page = client.get(url, {"q": "Radweg", "status": IdeaState.ACCEPTED})
    assert [idea.title for idea in page.context["ideas"]] == ["Radweg am Kanal"]
    assert not page.context["capped"]


def test_a_filter_the_index_does_not_hold_searches_every_match(client, body, process, monkeypatch):
    """The index does not know an idea's process: filtered by it, the list joins every
    match, so an old idea of that process is found however many newer ones match."""
    from lotse.search import engine

    monkeypatch.setattr(engine, "CAP", 2)
    other = ProcessFactory(body=body)
    make_idea(other, "Radweg im anderen Verfahren")
    for n in range(3):
        make_idea(process, f"Radweg Abschnitt {n}")
    url = reverse("participation:ideas", kwargs={"body_slug": body.slug})
    page = client.get(url, {"q": "Radweg", "verfahren": other.slug})
    assert [idea.title for idea in page.context["ideas"]] == ["Radweg im anderen Verfahren"]
    assert not page.context["capped"]


def test_hidden_ideas_never_show_in_the_list_search(client, body, process):
    make_idea(process, "Radweg sichtbar")
    make_idea(process, "Radweg versteckt", is_hidden=True)
    url = reverse("participation:ideas", kwargs={"body_slug": body.slug})
    page = client.get(url, {"q": "Radweg"})
    assert [idea.title for idea in page.context["ideas"]] == ["Radweg sichtbar"]
    assert "versteckt" not in page.content.decode()
