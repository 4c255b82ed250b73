"""The idea list's seek pagination (core.paging) and its cached HTML: every idea once and
in order, forwards and backwards and by page number, with ties in the sort; the estimated
count said as "etwa"; the cache renewed when what it shows changes."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from lotse.core import paging
from lotse.participation.models import Idea
from lotse.participation.services import ideas as services
from tests.factories import UserFactory
from tests.participation.factories import IdeaFactory

TITLE = re.compile(r'class="idea-title"><a href="[^"]+">([^<]+)</a>')
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')
PREVIOUS = re.compile(r'<a href="([^"]+)" rel="prev">')


def get(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode().replace("&amp;", "&")


@pytest.fixture
def many(process):
    """60 ideas, in pairs of the same moment and support counts that repeat: the sorts'
    later keys and the id must settle the order."""
    moment = timezone.now() - timedelta(days=1)
    ideas = []
    for n in range(60):
        ideas.append(
            IdeaFactory(
                process=process,
                title=f"Idee {n:02d}",
                created_at=moment + timedelta(minutes=n // 2),
                support_count=n % 3,
            )
        )
    return ideas


def expected_titles(body, ordering):
    return list(Idea.objects.filter(body=body).order_by(*ordering).values_list("title", flat=True))


@pytest.mark.parametrize("sort", ["neueste", "unterstuetzungen", "diskussion", "bewertung"])
def test_next_links_walk_every_idea_once_in_order(client, body, many, sort):
    from lotse.participation.forms import SORTS

    address = f"/{body.slug}/ideen/?sort={sort}"
    seen, pages = [], []
    while address:
        html = get(client, address)
        pages.append(TITLE.findall(html))
        seen += pages[-1]
        found = NEXT.search(html)
        address = f"/{body.slug}/ideen/{found.group(1)}" if found else None
    assert seen == expected_titles(body, SORTS[sort][0])
    assert [len(p) for p in pages] == [25, 25, 10]

    # Back from the last page by the "previous" links: the same pages, in reverse.
    address = f"/{body.slug}/ideen/?sort={sort}&seite=3"
    back = []
    while address:
        html = get(client, address)
        back.append(TITLE.findall(html))
        found = PREVIOUS.search(html)
        address = f"/{body.slug}/ideen/{found.group(1)}" if found else None
    assert back == pages[::-1]


def test_page_number_alone_seeks_the_same_page(client, body, many):
    walked = get(client, f"/{body.slug}/ideen/")
    second = NEXT.search(walked).group(1)
    assert "nach=" in second and "seite=2" in second
    by_cursor = TITLE.findall(get(client, f"/{body.slug}/ideen/{second}"))
    by_number = TITLE.findall(get(client, f"/{body.slug}/ideen/?seite=2"))
    assert by_cursor == by_number == expected_titles(body, ["-created_at", "-pk"])[25:50]
    # Beyond the end: the last page; nonsense: the first.
    assert TITLE.findall(get(client, f"/{body.slug}/ideen/?seite=99"))[-1] == "Idee 00"
    assert "Idee 59" in get(client, f"/{body.slug}/ideen/?seite=x")


def test_a_cursor_that_is_not_ours_is_ignored(client, body, many):
    for cursor in ("%%%", "WzFd", "bm90IGpzb24", "WyJ4IiwgMV0"):
        html = get(client, f"/{body.slug}/ideen/?seite=2&nach={cursor}")
        assert TITLE.findall(html) == expected_titles(body, ["-created_at", "-pk"])[25:50]


def test_a_large_count_is_estimated_and_said_so(client, body, many, monkeypatch):
    assert "60 Ideen gefunden" in get(client, f"/{body.slug}/ideen/")
    monkeypatch.setattr(paging, "EXACT_UP_TO", 10)
    html = get(client, f"/{body.slug}/ideen/?sort=diskussion")
    assert "etwa 60 Ideen gefunden" in html
    assert "Seite 1 von etwa 3" in html
    # A narrow filter is counted exactly.
    Idea.objects.filter(title="Idee 07").update(state="umgesetzt")
    assert "1 Idee gefunden" in get(client, f"/{body.slug}/ideen/?status=umgesetzt")


def test_a_cached_count_is_renewed_when_an_idea_comes(client, body, process, many, monkeypatch):
    monkeypatch.setattr(paging, "EXACT_UP_TO", 10)
    assert "etwa 60 Ideen" in get(client, f"/{body.slug}/ideen/")
    for n in range(40):
        IdeaFactory(process=process, title=f"Neu {n}")
    assert "etwa 100 Ideen" in get(client, f"/{body.slug}/ideen/")


def test_the_cached_list_shows_new_ideas_and_supports_at_once(client, body, process, many):
    html = get(client, f"/{body.slug}/ideen/?sort=unterstuetzungen")
    assert "Ganz neu" not in html
    idea = IdeaFactory(process=process, title="Ganz neu")
    assert "Ganz neu" in get(client, f"/{body.slug}/ideen/")
    # Supports change counters in place; the list follows at once all the same.
    for _ in range(5):
        services.support(UserFactory(), idea)
    html = get(client, f"/{body.slug}/ideen/?sort=unterstuetzungen")
    assert TITLE.findall(html)[0] == "Ganz neu"
    assert "5 Unterstützungen" in html


def test_hidden_ideas_leave_the_cached_list(client, body, many):
    assert "Idee 59" in get(client, f"/{body.slug}/ideen/")
    idea = Idea.objects.get(title="Idee 59")
    idea.is_hidden = True
    idea.save()
    assert "Idee 59" not in get(client, f"/{body.slug}/ideen/")


def test_signed_in_people_get_their_own_links_not_a_visitors_page(client, body, many):
    visitor = get(client, f"/{body.slug}/ideen/")
    assert "Meine Ideen" not in visitor
    client.force_login(UserFactory())
    assert "Meine Ideen" in get(client, f"/{body.slug}/ideen/")


def test_deep_pages_cost_the_same_queries(client, body, many, django_assert_num_queries):
    # Rendered: body, processes, strategy, the bounded count, the key before the page, the
    # page, action fields; the HTML looked for in the cache and stored (count, read, insert
    # in a savepoint). The namespace's version is in this process's memory since the ideas
    # were made.
    with django_assert_num_queries(13):
        get(client, f"/{body.slug}/ideen/?seite=3")
    html = get(client, f"/{body.slug}/ideen/?seite=2")
    with django_assert_num_queries(12):  # by the cursor: no key to find first
        get(client, f"/{body.slug}/ideen/{NEXT.search(html).group(1)}")
    with django_assert_num_queries(1):  # again: the body, the rest from memory
        get(client, f"/{body.slug}/ideen/{NEXT.search(html).group(1)}")


# --- The idea page's thread, cached for visitors ----------------------------------------------


def test_visitors_see_new_and_hidden_comments_at_once(client, body, process, moderator):
    idea = IdeaFactory(process=process, title="Mit Gespräch")
    author = UserFactory()
    services.add_comment(author, idea, "Erster Gedanke")
    page = f"/{body.slug}/ideen/{idea.pk}/"
    assert "Erster Gedanke" in get(client, page)
    second = services.add_comment(UserFactory(), idea, "Beleidigender Satz")
    html = get(client, page)
    assert "Beleidigender Satz" in html and "2 Kommentare" in html
    from lotse.participation.services import moderation

    moderation.hide(moderator, second, "Beleidigung")
    html = get(client, page)
    assert "Beleidigender Satz" not in html
    assert "Erster Gedanke" in html


def test_signed_in_people_get_their_own_thread_with_forms(client, body, process):
    idea = IdeaFactory(process=process, title="Mit Gespräch")
    author = UserFactory()
    services.add_comment(author, idea, "Mein Gedanke")
    page = f"/{body.slug}/ideen/{idea.pk}/"
    visitor = get(client, page)
    assert (
        "Mein Gedanke" in visitor
        and "csrfmiddlewaretoken"
        not in visitor.split('id="idea-comments"')[1].split("</section>")[0]
    )
    client.force_login(author)
    mine = get(client, page)
    thread = mine.split('id="idea-comments"')[1].split("</section>")[0]
    assert "csrfmiddlewaretoken" in thread  # the reply and comment forms: their own token
    assert "Bearbeiten" in thread  # their own comment, editable for 15 minutes
