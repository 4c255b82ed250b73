"""Paper search: German word forms and umlauts, files' text, exact references, the index kept
in step, visibility applied afterwards, and the paper list using it."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from lotse.council import search, selectors
from lotse.council.models import File, Paper, PaperState
from tests.council.factories import PaperFactory
from tests.council.test_pages import make_scene

pytestmark = pytest.mark.django_db


def released(body, **kwargs):
    return PaperFactory(body=body, state=PaperState.RELEASED, **kwargs)


def found(body, q, user=None) -> set[str]:
    papers = selectors.visible_papers(user or AnonymousUser(), body)
    names = {p.name for p in search.search_papers(papers, q)}
    assert {p.name for p in search.search_papers(papers, q, body=body)} == names
    return names


def add_file(paper, text, name="Anlage.pdf"):
    return File.objects.create(
        body=paper.body,
        name=name,
        file="council/test.pdf",
        file_name=name,
        mime_type="application/pdf",
        sha512="b" * 128,
        text=text,
        paper=paper,
    )


def test_german_word_forms_and_umlauts(body):
    released(body, reference="26/0101", name="Straßenbeleuchtung an Schulen")
    released(body, reference="26/0102", name="Bürgerbüro öffnet länger")
    assert found(body, "Strassenbeleuchtungen") == {"Straßenbeleuchtung an Schulen"}
    assert found(body, "schule") == {"Straßenbeleuchtung an Schulen"}
    assert found(body, "Buergerbuero") == {"Bürgerbüro öffnet länger"}
    # Every word must occur; the start of a compound finds it.
    assert found(body, "Bürger Schule") == set()
    assert found(body, "Strassen") == {"Straßenbeleuchtung an Schulen"}


def test_proposal_reasoning_and_file_text_are_searched(body, django_capture_on_commit_callbacks):
    paper = released(
        body,
        name="Digitale Verwaltung",
        decision_proposal="Der Rat beschließt die Einführung der E-Akte.",
        reasoning="Die Papierakten im Keller sind voll.",
    )
    assert found(body, "E-Akte") == {paper.name}
    assert found(body, "Papierakte Keller") == {paper.name}
    assert found(body, "Glasfasernetz") == set()
    # A file's text is indexed by a background task once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        attachment = add_file(paper, "Das Glasfasernetz im Gewerbegebiet wird ausgebaut.")
    assert found(body, "Glasfasernetze") == {paper.name}
    with django_capture_on_commit_callbacks(execute=True):
        attachment.delete()
    assert found(body, "Glasfasernetz") == set()


def test_a_reference_is_found_exactly_or_as_its_start(body):
    released(body, reference="26/0101", name="Erste")
    released(body, reference="26/01010", name="Zweite")
    released(body, reference="25/0101", name="Dritte")
    assert found(body, "26/0101") == {"Erste"}
    assert found(body, " 26/01010 ") == {"Zweite"}
    assert found(body, "26/01") == {"Erste", "Zweite"}
    assert found(body, "24/9999") == set()


def test_the_index_follows_edits_and_deletes(body):
    paper = released(body, name="Radwegekonzept")
    paper.name = "Fußverkehrskonzept"
    paper.save()
    assert found(body, "Radwegekonzept") == set()
    assert found(body, "Fussverkehr") == {"Fußverkehrskonzept"}
    # Saves that touch no searched field leave the index alone (and still right).
    paper.is_public = True
    paper.save(update_fields=["is_public"])
    assert found(body, "Fussverkehr") == {"Fußverkehrskonzept"}
    paper.delete()
    assert found(body, "Fussverkehr") == set()


def test_rebuild_index_fills_it_for_bulk_created_papers(body, other_body):
    Paper.objects.bulk_create(
        [
            Paper(body=body, name="Smart City Strategie", state=PaperState.RELEASED),
            Paper(body=other_body, name="Smart City anderswo", state=PaperState.RELEASED),
        ]
    )
    assert found(body, "Smart City") == set()
    assert search.rebuild_index(body) == 1
    assert found(body, "Smart City") == {"Smart City Strategie"}
    assert found(other_body, "Smart City") == set()
    assert search.rebuild_index() == 2
    assert found(other_body, "Smart City") == {"Smart City anderswo"}


def test_visibility_is_applied_after_the_search(body, make_member):
    scene = make_scene(body)
    PaperFactory(body=body, name="Grundstücksankauf Entwurf")
    assert found(body, "Grundstücksankauf") == set()
    assert found(body, "Grundstücksankauf", scene.member) == {scene.secret_paper.name}
    assert found(body, "Grundstücksankauf", scene.other_member) == set()
    staff = make_member(body, "staff")
    assert found(body, "Grundstücksankauf", staff) == {
        scene.secret_paper.name,
        "Grundstücksankauf Entwurf",
    }


def test_queries_without_words_do_not_fail(body):
    released(body, name="Haushalt 2026")
    assert found(body, "") == {"Haushalt 2026"}
    assert found(body, "die der das") == set()
    assert found(body, "\"'*:()&|!") == set()
    assert found(body, "Haushalt" * 30) == set()


def test_paper_list_uses_the_search_best_first(client, body):
    released(body, reference="26/0201", name="Bericht", reasoning="Nebenbei: Digitalisierung.")
    released(body, reference="26/0202", name="Digitalisierung der Schulen")
    released(body, reference="26/0203", name="Haushalt")
    url = reverse("council:papers", args=[body.slug])
    page = client.get(url, {"q": "Digitalisierung"})
    assert [p.reference for p in page.context["papers"]] == ["26/0202", "26/0201"]
    page = client.get(url, {"q": "26/0203"})
    assert [p.reference for p in page.context["papers"]] == ["26/0203"]


def test_search_page_query_count_is_pinned(client, body, django_assert_num_queries):
    for n in range(30):
        released(body, reference=f"26/{n:04}", name=f"Digitalisierung Teil {n}")
    url = reverse("council:papers", args=[body.slug])
    # body, first and last year, organizations of the filter, the best matches, count, rows
    with django_assert_num_queries(7):
        assert client.get(url, {"q": "Digitalisierung"}).status_code == 200
    with django_assert_num_queries(7):  # the exact reference is looked up first
        assert client.get(url, {"q": "26/0001"}).status_code == 200


def test_matches_beyond_the_best_ranked_follow_newest_first(body, monkeypatch):
    monkeypatch.setattr(search, "BEST_RANKED", 1)
    released(body, reference="26/0301", name="Klimaschutz", date=datetime.date(2026, 1, 1))
    released(
        body,
        reference="26/0302",
        name="Bericht",
        reasoning="Klimaschutz.",
        date=datetime.date(2026, 2, 1),
    )
    released(
        body,
        reference="26/0303",
        name="Notiz",
        reasoning="Klimaschutz.",
        date=datetime.date(2026, 3, 1),
    )
    papers = selectors.visible_papers(AnonymousUser(), body)
    ordered = search.search_papers(papers, "Klimaschutz", body=body)
    assert [p.reference for p in ordered] == ["26/0301", "26/0303", "26/0302"]


def test_the_list_takes_the_newest_matches_within_the_filters_and_says_so(
    client, body, monkeypatch
):
    """A word in nearly every paper costs no more than a rare one: the list takes the newest
    ``engine.CAP`` matches from the index, says "Mehr als …", and its filters narrow the
    match in the index itself, so an older paper is still found by its year."""
    from lotse.search import engine

    monkeypatch.setattr(engine, "CAP", 3)
    for year in (2019, 2024, 2025, 2026):
        released(body, name=f"Radverkehr {year}", date=datetime.date(year, 5, 1))
    url = reverse("council:papers", args=[body.slug])
    page = client.get(url, {"q": "Radverkehr"})
    assert len(page.context["papers"]) == 3
    assert page.context["capped"]
    assert "Mehr als 3 Vorlagen gefunden" in page.content.decode()
    page = client.get(url, {"q": "Radverkehr", "jahr": "2019"})
    assert [p.name for p in page.context["papers"]] == ["Radverkehr 2019"]
    assert not page.context["capped"]
    assert "1 Vorlage gefunden" in page.content.decode()


def test_papers_a_person_may_not_see_do_not_use_up_the_newest_matches(client, body, monkeypatch):
    from lotse.search import engine

    monkeypatch.setattr(engine, "CAP", 2)
    released(body, name="Radverkehr alt", date=datetime.date(2020, 5, 1))
    released(body, name="Radverkehr neu", date=datetime.date(2021, 5, 1))
    # Newer drafts match too, but only those who edit papers see them.
    PaperFactory(body=body, name="Radverkehr Entwurf eins")
    PaperFactory(body=body, name="Radverkehr Entwurf zwei")
    page = client.get(reverse("council:papers", args=[body.slug]), {"q": "Radverkehr"})
    assert {p.name for p in page.context["papers"]} == {"Radverkehr alt", "Radverkehr neu"}
    assert "Entwurf" not in page.content.decode()
