"""Council data in the read API: OParl-shaped objects, the visibility matrix and pinned query
counts of the list endpoints."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotse.accounts.services import create_api_token
from lotse.council.models import File, FollowUp, FollowUpState
from tests.council.test_pages import (
    SECRET_DECISION,
    SECRET_ITEM,
    SECRET_PAPER,
    add_rows,
    make_scene,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET_FILE = "Gutachten Geheimweg.pdf"


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def add_file(paper, name, **kwargs):
    return File.objects.create(
        body=paper.body,
        name=name,
        file="council/test.pdf",
        file_name=name.replace(" ", "_"),
        mime_type="application/pdf",
        size=123,
        sha512="a" * 128,
        paper=paper,
        **kwargs,
    )


@pytest.fixture
def scene(body):
    scene = make_scene(body)
    add_file(scene.public_paper, "Anlage Bürgerdienste.pdf", role=File.Role.MAIN)
    add_file(scene.secret_paper, SECRET_FILE)
    FollowUp.objects.create(body=body, decision=scene.secret_decision, state=FollowUpState.OPEN)
    return scene


def api(body, path):
    return f"/api/v1/bodies/{body.slug}/council/{path}"


def login(client, who, body, other_body, scene, make_member):
    """Log ``who`` in: members by session (they hold no token), staff-side roles by token."""
    if who == "anonymous":
        return {}
    if who == "citizen":
        client.force_login(UserFactory())
        return {}
    if who == "member":
        client.force_login(scene.member)
        return {}
    if who == "other_member":
        client.force_login(scene.other_member)
        return {}
    if who == "council_office":
        _token, raw = create_api_token(make_member(body, "council_office"), "test")
        return bearer(raw)
    if who == "other_staff":
        _token, raw = create_api_token(make_member(other_body, "staff"), "test")
        return bearer(raw)
    raise AssertionError(who)


MATRIX = [
    ("anonymous", False),
    ("citizen", False),
    ("member", True),
    ("other_member", False),
    ("council_office", True),
    ("other_staff", False),
]


@pytest.mark.parametrize("who,sees", MATRIX)
def test_visibility_of_a_non_public_item_its_paper_file_and_decision(
    client, body, other_body, scene, make_member, who, sees
):
    headers = login(client, who, body, other_body, scene, make_member)
    everything = ""
    # The meeting: the non-public item keeps its number; its content only for those who see it.
    meeting = client.get(api(body, f"meetings/{scene.meeting.pk}"), **headers).json()
    items = {item["number"]: item for item in meeting["agenda_item"]}
    secret = items["N 1"]
    assert secret["public"] is False
    assert secret["visible"] is sees
    if sees:
        assert secret["name"] == SECRET_ITEM
        assert secret["paper"] == scene.secret_paper.pk
        assert secret["decision"]["number"] == "2/26"
    else:
        assert secret["name"] == "nicht öffentlich"
        assert secret["paper"] is None and secret["decision"] is None
        assert secret["result"] is None and secret["resolution_text"] is None
    assert items["Ö 1"]["name"] == "Digitale Bürgerdienste ausbauen"
    assert items["Ö 1"]["paper"] == scene.public_paper.pk
    everything += str(meeting)
    meetings = client.get(api(body, "meetings"), **headers).json()
    everything += str(meetings)
    # The paper with its file.
    papers = client.get(api(body, "papers"), **headers).json()
    references = {p["reference"] for p in papers["items"]}
    assert ("26/0002" in references) is sees
    assert "26/0001" in references
    detail = client.get(api(body, f"papers/{scene.secret_paper.pk}"), **headers)
    assert detail.status_code == (200 if sees else 404)
    if sees:
        files = detail.json()["auxiliary_file"]
        assert [f["name"] for f in files] == [SECRET_FILE]
        assert files[0]["download_url"].endswith(
            f"/{body.slug}/dateien/{files[0]['id']}/Gutachten_Geheimweg.pdf"
        )
    everything += str(papers) + detail.content.decode()
    # The decision with its Beschlusskontrolle.
    decisions = client.get(api(body, "decisions"), **headers).json()
    numbers = {d["number"]: d for d in decisions["items"]}
    assert ("2/26" in numbers) is sees
    if sees:
        assert numbers["2/26"]["follow_up"]["state"] == FollowUpState.OPEN
        assert numbers["2/26"]["paper"] == scene.secret_paper.pk
    single = client.get(api(body, f"decisions/{scene.secret_decision.pk}"), **headers)
    assert single.status_code == (200 if sees else 404)
    everything += str(decisions) + single.content.decode()
    # Search never reveals a paper either.
    found = client.get(api(body, "papers"), {"q": "Geheimweg"}, **headers).json()
    assert bool(found["items"]) is sees
    everything += str(found)
    for secret_text in (SECRET_ITEM, SECRET_PAPER, SECRET_DECISION, SECRET_FILE):
        assert (secret_text in everything) is sees


def test_a_wrong_token_is_refused(client, body, scene):
    response = client.get(api(body, "papers"), **bearer("lotse_wrong"))
    assert response.status_code == 401


def test_unknown_body_and_other_bodys_objects_are_not_found(client, body, other_body, scene):
    assert client.get("/api/v1/bodies/gibtsnicht/council/papers").status_code == 404
    other = make_scene(other_body)
    assert client.get(api(body, f"papers/{other.public_paper.pk}")).status_code == 404
    assert client.get(api(body, f"meetings/{other.meeting.pk}")).status_code == 404
    assert client.get(api(body, f"decisions/{other.decision.pk}")).status_code == 404


def test_organizations_carry_memberships_and_persons(client, body, scene):
    data = client.get(api(body, "organizations")).json()
    by_name = {o["name"]: o for o in data["items"]}
    committee = by_name["Digitalisierungsausschuss"]
    assert committee["organization_type"] == "ausschuss"
    assert committee["membership"][0]["person"]["family_name"] == "Mitglied"
    assert committee["membership"][0]["role"] == "vorsitz"
    one = client.get(api(body, f"organizations/{scene.committee.pk}")).json()
    assert one["id"] == scene.committee.pk


def test_papers_carry_consultations_and_files(client, body, scene):
    paper = client.get(api(body, f"papers/{scene.public_paper.pk}")).json()
    assert paper["main_file"]["name"] == "Anlage Bürgerdienste.pdf"
    assert paper["main_file"]["sha512_checksum"] == "a" * 128
    assert paper["consultation"][0]["organization"] == scene.committee.pk
    assert paper["consultation"][0]["agenda_item"] == ["Ö 1"]
    assert paper["web"].endswith(f"/{body.slug}/vorlagen/{scene.public_paper.pk}/")


def test_paper_search_and_filters(client, body, scene):
    def references(**query):
        return [p["reference"] for p in client.get(api(body, "papers"), query).json()["items"]]

    assert references(q="26/0001") == ["26/0001"]
    assert references(q="Bürgerdienst") == ["26/0001"]
    assert references(organization=scene.other_committee.pk) == []
    assert references(paper_type="antrag") == []


def test_decision_filters(client, body, scene):
    def numbers(**query):
        return [d["number"] for d in client.get(api(body, "decisions"), query).json()["items"]]

    assert numbers() == ["1/26"]
    assert numbers(organization=scene.other_committee.pk) == []
    assert numbers(follow_up_state="offen") == []


LISTS = ["organizations", "meetings", "papers", "decisions", "papers?q=Maßnahme"]


def count(client, target, headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(target, **headers).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("who", ["anonymous", "member", "council_office"])
def test_list_query_counts_do_not_grow_with_rows(
    client, body, other_body, scene, make_member, path, who
):
    headers = login(client, who, body, other_body, scene, make_member)
    target = api(body, path)
    add_rows(body, scene, 2)
    before = count(client, target, headers)
    add_rows(body, scene, 5)
    assert count(client, target, headers) == before


def test_pinned_list_query_counts(client, body, scene, django_assert_num_queries):
    client.force_login(scene.member)
    # session, user, body, roles, memberships, count, then the rows and their prefetches
    expected = {
        "organizations": 8,
        "meetings": 11,
        "papers": 11,
        "decisions": 7,
        "papers?q=Maßnahme": 12,
    }
    for path in LISTS:
        with django_assert_num_queries(expected[path]):
            assert client.get(api(body, path)).status_code == 200


def test_related_papers_are_listed_only_when_visible(client, body, scene, make_member):
    scene.public_paper.related_papers.add(scene.secret_paper)
    url = api(body, f"papers/{scene.public_paper.pk}")
    assert client.get(url).json()["related_paper"] == []
    _token, raw = create_api_token(make_member(body, "council_office"), "test")
    assert client.get(url, **bearer(raw)).json()["related_paper"] == [scene.secret_paper.pk]
