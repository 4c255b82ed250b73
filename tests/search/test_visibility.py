"""Who finds what in the one search, as a matrix over users × things (issue 18, point 6).

Non-public papers, items and decisions only for the members of the Gremium, the council office
and staff; internal measures and ideas of unpublished processes only for staff; hidden ideas
and comments for nobody. Hits, counts, facets and snippets alike."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from lotse.search import engine
from lotse.strategy.models import Measure
from tests.council.factories import PaperFactory
from tests.council.test_pages import SECRET_ITEM, SECRET_PAPER, make_scene
from tests.council.test_visibility import ALLOWED, USERS
from tests.factories import UserFactory
from tests.participation.factories import CommentFactory, IdeaFactory, ProcessFactory
from tests.strategy.factories import MeasureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(body, field, process):
    scene = make_scene(body)
    # Everything below also says "Geheim…", so one query meets all of it.
    PaperFactory(
        body=body, reference="26/0009", name="Geheimnisse der Verwaltung", state="freigegeben"
    )
    MeasureFactory(primary_field=field, title="Geheimprojekt intern", is_public=False)
    MeasureFactory(primary_field=field, title="Geheimtipp Glasfaser")
    IdeaFactory(process=process, title="Geheimgang versteckt", is_hidden=True, hidden_reason="x")
    IdeaFactory(process=ProcessFactory(body=body, is_published=False), title="Geheimplan Entwurf")
    idea = IdeaFactory(process=process, title="Park am Fluss")
    CommentFactory(idea=idea, text="Geheimrezept verborgen", is_hidden=True)
    CommentFactory(idea=idea, text="Geheimnisvoll schön hier")
    return scene


@pytest.fixture
def who_is(body, other_body, scene, make_member):
    def user(who):
        return {
            "anonymous": AnonymousUser,
            "citizen": UserFactory,
            "other_member": lambda: scene.other_member,
            "member": lambda: scene.member,
            "staff": lambda: make_member(body, "staff"),
            "council_office": lambda: make_member(body, "council_office"),
            "foreign_council_office": lambda: make_member(other_body, "council_office"),
        }[who]()

    return user


def expected(who, user, body) -> set[str]:
    """What the selectors let this user see (the index must agree with them)."""
    titles = {"26/0009 Geheimnisse der Verwaltung", "Geheimtipp Glasfaser"}
    titles.add("Park am Fluss")  # the comment, shown with its idea's title
    if who in ALLOWED:
        titles |= {f"26/0002 {SECRET_PAPER}", f"2/26 {SECRET_ITEM}"}
    if user.has_perm("strategy.view_internal", body):
        titles.add("Geheimprojekt intern")
    if user.has_perm("participation.manage_processes", body):
        titles.add("Geheimplan Entwurf")
    return titles


def plain(html) -> str:
    return str(html).replace("<mark>", "").replace("</mark>", "")


@pytest.mark.parametrize("who", USERS)
def test_hits_counts_and_facets(body, scene, who_is, who):
    user = who_is(who)

    result = engine.search(user, "Geheim", [body], body_id=body.pk)

    titles = {plain(hit.title) for hit in result.hits}
    assert titles == expected(who, user, body)
    assert result.total == len(titles)
    assert sum(v.count for v in result.facets["kind"]) == len(titles)
    organizations = {v.label: v.count for v in result.facets.get("organization", [])}
    assert ("Digitalisierungsausschuss" in organizations) == (who in ALLOWED)


@pytest.mark.parametrize("who", USERS)
def test_search_page(client, body, scene, who_is, who):
    user = who_is(who)
    if user.is_authenticated:
        client.force_login(user)

    may_see = {
        SECRET_PAPER: who in ALLOWED,
        SECRET_ITEM: who in ALLOWED,
        "geheimen Preis": who in ALLOWED,
        "Geheimprojekt intern": user.has_perm("strategy.view_internal", body),
        "Geheimplan Entwurf": user.has_perm("participation.manage_processes", body),
    }
    for q in ["Geheimweg", "Geheimhausen", "Ankauf Preis", "Geheimprojekt", "Geheimplan"]:
        page = client.get(reverse("search:body", args=[body.slug]), {"q": q}).content.decode()
        for secret, allowed in may_see.items():
            if not allowed:
                assert secret not in plain(page), (q, secret)
        for hidden in ("Geheimgang", "Geheimrezept"):
            assert hidden not in page


@pytest.mark.parametrize("who", USERS)
def test_site_wide_search_holds_the_same_line(client, body, scene, who_is, who):
    user = who_is(who)
    if user.is_authenticated:
        client.force_login(user)

    page = client.get(reverse("search:site"), {"q": "Geheimweg"}).content.decode()

    assert (SECRET_PAPER in plain(page)) == (who in ALLOWED)


def test_losing_the_seat_or_publishing_changes_the_answer(body, scene, field):
    member = scene.member
    assert f"26/0002 {SECRET_PAPER}" in {
        plain(h.title) for h in engine.search(member, "Geheimweg", [body], body_id=body.pk).hits
    }
    measure = Measure.objects.get(title="Geheimprojekt intern")
    anonymous = AnonymousUser()
    assert not engine.search(anonymous, "Geheimprojekt", [body], body_id=body.pk).hits
    measure.is_public = True
    measure.save()
    assert engine.search(anonymous, "Geheimprojekt", [body], body_id=body.pk).hits


def test_publishing_a_process_opens_its_ideas_in_the_background(
    body, field, django_capture_on_commit_callbacks
):
    process = ProcessFactory(body=body, is_published=False)
    IdeaFactory(process=process, title="Dachbegrünung Rathaus")
    anonymous = AnonymousUser()
    assert not engine.search(anonymous, "Dachbegrünung", [body], body_id=body.pk).hits

    with django_capture_on_commit_callbacks(execute=True):
        process.is_published = True
        process.save()

    assert engine.search(anonymous, "Dachbegrünung", [body], body_id=body.pk).hits
