"""The OParl endpoint over HTTP: shape, who sees what, tombstones, filters, paging, headers."""

import datetime
import gzip
import hashlib
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lotse.council.models import PaperState
from tests.council.factories import ConsultationFactory, PaperFactory
from tests.council.test_pages import SECRET_DECISION, SECRET_ITEM, SECRET_PAPER
from tests.oparl.scene import PUBLIC_BYTES, oparl_scene

BASE = "http://testserver/oparl/v1.1"
LISTS = [
    "organization",
    "person",
    "membership",
    "legislativeterm",
    "meeting",
    "agendaitem",
    "paper",
    "consultation",
    "file",
    "location",
]


@pytest.fixture
def scene(body):
    return oparl_scene(body)


def get(client, url, **params):
    response = client.get(url.replace("http://testserver", ""), params)
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def crawl(client, url, **params) -> list[dict]:
    items, pages = [], 0
    while url:
        response = get(client, url, **params)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/json; charset=utf-8"
        page = response.json()
        assert "pagination" in page
        items += page["data"]
        url = page["links"].get("next")
        params = {}
        pages += 1
        assert pages < 100
    return items


def everything(client, body) -> str:
    """Every list page and every object of the body, as one text."""
    texts = [get(client, f"{BASE}/system").content.decode()]
    texts.append(get(client, f"{BASE}/body/{body.slug}").content.decode())
    for name in LISTS:
        for item in crawl(client, f"{BASE}/body/{body.slug}/{name}"):
            texts.append(json.dumps(item, ensure_ascii=False))
            texts.append(get(client, item["id"]).content.decode())
    return "\n".join(texts)


def test_system_and_body_link_to_all_ten_lists(client, scene, body):
    system = get(client, f"{BASE}/system").json()
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    bodies = crawl(client, system["body"])
    mine = next(b for b in bodies if b["id"] == f"{BASE}/body/{body.slug}")
    for attr in (
        "organization",
        "person",
        "meeting",
        "paper",
        "legislativeTermList",
        "agendaItem",
        "consultation",
        "file",
        "locationList",
        "membership",
    ):
        assert get(client, mine[attr]).status_code == 200


@pytest.mark.parametrize("name", LISTS)
def test_lists_write_no_empty_values_and_exact_timestamps(client, scene, body, name):
    for item in crawl(client, f"{BASE}/body/{body.slug}/{name}"):
        text = json.dumps(item)
        assert '""' not in text and "[]" not in text and "null" not in text
        for attr in ("created", "modified"):
            value = item[attr]
            assert len(value) == 25 and value[10] == "T" and value[19] in "+-", value
            assert datetime.datetime.fromisoformat(value)


def test_anonymous_view_only(client, scene, body):
    """Nothing non-public in any list or object (issue 15, point 4)."""
    text = everything(client, body)
    for secret in (SECRET_ITEM, SECRET_PAPER, SECRET_DECISION, "Kaufvertrag", "Personalakte"):
        assert secret not in text
    assert "raum-geheim" not in text  # the video link is for members only
    assert get(client, f"{BASE}/paper/{scene.secret_paper.pk}").status_code == 404
    for f in (scene.secret_paper_file, scene.secret_item_file):
        assert get(client, f"{BASE}/file/{f.pk}").status_code == 404
        assert get(client, f"{BASE}/file/{f.pk}/access").status_code == 404
        assert get(client, f"{BASE}/file/{f.pk}/download").status_code == 404


def test_non_public_item_shows_its_number_only(client, scene, body):
    item = get(client, f"{BASE}/agendaitem/{scene.secret_item.pk}").json()
    assert set(item) == {"id", "type", "order", "number", "public", "created", "modified"}
    assert item["number"] == "N 1" and item["public"] is False
    meeting = get(client, f"{BASE}/meeting/{scene.meeting.pk}").json()
    embedded = next(i for i in meeting["agendaItem"] if i["id"] == item["id"])
    assert embedded == item
    public = next(i for i in meeting["agendaItem"] if i["public"])
    assert public["consultation"].endswith(f"/consultation/{scene.public_item.consultation_id}")
    assert public["result"]


def test_file_is_served_as_described(client, scene, body):
    described = get(client, f"{BASE}/file/{scene.public_file.pk}").json()
    assert described["sha512Checksum"] == hashlib.sha512(PUBLIC_BYTES).hexdigest()
    assert described["text"].startswith("Öffentliche Anlage")
    access = get(client, described["accessUrl"])
    data = b"".join(access.streaming_content)
    assert access.status_code == 200 and data == PUBLIC_BYTES
    assert access["Content-Type"].startswith(described["mimeType"])
    assert "attachment" not in access.get("Content-Disposition", "")
    download = get(client, described["downloadUrl"])
    assert download["Content-Disposition"].startswith("attachment; filename=")
    assert len(b"".join(download.streaming_content)) == described["size"]
    paper = get(client, f"{BASE}/paper/{scene.public_paper.pk}").json()
    assert [f["id"] for f in paper["auxiliaryFile"]] == [described["id"]]


def test_withdrawn_paper_becomes_a_tombstone_under_modified_since(client, scene, body):
    before = timezone.now() - datetime.timedelta(seconds=2)
    paper_url = f"{BASE}/paper/{scene.public_paper.pk}"
    scene.public_paper.is_public = False
    scene.public_paper.save()
    plain = crawl(client, f"{BASE}/body/{body.slug}/paper")
    assert paper_url not in [p["id"] for p in plain]
    since = before.isoformat(timespec="seconds")
    synced = crawl(client, f"{BASE}/body/{body.slug}/paper", modified_since=since)
    dead = next(p for p in synced if p["id"] == paper_url)
    assert set(dead) == {"id", "type", "created", "modified", "deleted"} and dead["deleted"]
    assert get(client, paper_url).json()["deleted"] is True
    files = crawl(client, f"{BASE}/body/{body.slug}/file", modified_since=since)
    assert {"id": f"{BASE}/file/{scene.public_file.pk}", "deleted": True}.items() <= next(
        f for f in files if f["id"].endswith(f"/file/{scene.public_file.pk}")
    ).items()
    scene.public_paper.is_public = True
    scene.public_paper.save()
    assert "deleted" not in get(client, paper_url).json()


def test_deleted_meeting_leaves_a_tombstone(client, scene, body):
    since = (timezone.now() - datetime.timedelta(seconds=2)).isoformat(timespec="seconds")
    pk = scene.upcoming.pk
    scene.upcoming.delete()
    listed = crawl(client, f"{BASE}/body/{body.slug}/meeting", modified_since=since)
    assert any(m["id"].endswith(f"/meeting/{pk}") and m.get("deleted") for m in listed)
    assert not any(
        m["id"].endswith(f"/meeting/{pk}")
        for m in crawl(client, f"{BASE}/body/{body.slug}/meeting")
    )


def test_embedded_change_bumps_the_parents_modified(client, scene, body):
    consultation = scene.public_item.consultation
    paper_url = f"{BASE}/paper/{consultation.paper_id}"
    before = get(client, paper_url).json()["modified"]
    stamp = timezone.now() + datetime.timedelta(seconds=5)
    from lotse.council.models import Consultation, Paper

    Paper.objects.filter(pk=consultation.paper_id).update(
        updated_at=timezone.now() - datetime.timedelta(days=1)
    )
    consultation.authoritative = True
    consultation.save()
    after = get(client, paper_url).json()["modified"]
    assert after >= before
    assert Consultation.objects.get(pk=consultation.pk).updated_at < stamp


def test_filters_and_limit_are_kept_in_next_links(client, scene, body):
    for n in range(5):
        PaperFactory(body=body, reference=f"26/01{n:02d}", state=PaperState.RELEASED)
    since = "2000-01-01T00:00:00+01:00"
    response = get(client, f"{BASE}/body/{body.slug}/paper", limit=2, modified_since=since)
    page = response.json()
    assert len(page["data"]) == 2 and page["pagination"]["elementsPerPage"] == 2
    assert "limit=2" in page["links"]["next"] and "modified_since=" in page["links"]["next"]
    ids = [p["id"] for p in crawl(client, f"{BASE}/body/{body.slug}/paper", limit=2)]
    assert len(ids) == len(set(ids)) == 6
    assert ids == sorted(ids, key=lambda i: int(i.rsplit("/", 1)[1]))
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat(timespec="seconds")
    assert crawl(client, f"{BASE}/body/{body.slug}/paper", created_since=future) == []
    assert len(crawl(client, f"{BASE}/body/{body.slug}/paper", created_until=future)) == 6
    omitted = crawl(client, f"{BASE}/body/{body.slug}/meeting", omit_internal="true")
    assert all("agendaItem" not in m for m in omitted)


def papers_page_queries(client, body) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert get(client, f"{BASE}/body/{body.slug}/paper", limit=500).status_code == 200
    return len(queries)


def test_a_list_page_costs_a_fixed_number_of_queries(client, body):
    def papers(n, start):
        for i in range(n):
            paper = PaperFactory(
                body=body, reference=f"26/{start + i:04d}", state=PaperState.RELEASED
            )
            ConsultationFactory(paper=paper, organization__body=body)

    papers(5, 0)
    few = papers_page_queries(client, body)
    papers(45, 100)
    assert papers_page_queries(client, body) == few


def test_http_conditional_get_gzip_and_json_404(client, scene, body):
    url = f"/oparl/v1.1/body/{body.slug}/meeting"
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.content))["data"]
    missing = client.get("/oparl/v1.1/paper/999999999")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json; charset=utf-8"
    assert missing["Access-Control-Allow-Origin"] == "*"
    assert missing.json()["type"] == "https://schema.oparl.org/1.1/Error"
    assert client.get("/oparl/v1.1/nothing/here").status_code == 404


def test_interfaces_page_lists_what_exists(client, body):
    response = client.get(f"/{body.slug}/schnittstellen/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Schnittstellen" in text
    assert f"http://testserver/oparl/v1.1/body/{body.slug}" in text
    assert "http://testserver/api/v1/docs" in text
    assert f"http://testserver/{body.slug}/sitzungen/kalender.ics" in text
    assert f"http://testserver/{body.slug}/opendata/catalog.ttl" in text
    assert f"http://testserver/{body.slug}/opendata/" in text
    assert client.get(f"/oparl/v1.1/body/{body.slug}").status_code == 200
    assert client.get(f"/{body.slug}/opendata/catalog.ttl").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_renumbering_the_agenda_changes_modified(client, scene, body):
    from lotse.council.models import AgendaItem, Meeting
    from lotse.council.services import renumber_agenda

    past = timezone.now() - datetime.timedelta(days=2)
    Meeting.objects.filter(pk=scene.meeting.pk).update(created_at=past, updated_at=past)
    AgendaItem.objects.filter(meeting=scene.meeting).update(created_at=past, updated_at=past)
    before = get(client, f"{BASE}/meeting/{scene.meeting.pk}").json()["modified"]
    renumber_agenda(scene.meeting)
    after = get(client, f"{BASE}/meeting/{scene.meeting.pk}").json()
    assert after["modified"] > before
    assert all(item["modified"] > before for item in after["agendaItem"])


def grow(body, n: int, start: int) -> None:
    """``n`` more of everything: papers with consultations, files and agenda items in a new
    meeting, persons with memberships, a legislative term."""
    from lotse.council.models import AgendaItem, LegislativeTerm
    from tests.council.factories import MeetingFactory, MembershipFactory, OrganizationFactory
    from tests.oparl.scene import add_file

    organization = OrganizationFactory(body=body)
    meeting = MeetingFactory(body=body, location=f"Raum {start}")
    meeting.organizations.add(organization)
    LegislativeTerm.objects.create(
        body=body,
        name=f"Wahlperiode {start}",
        start_date=datetime.date(2000 + start % 50, 1, 1),
    )
    for i in range(n):
        paper = PaperFactory(body=body, reference=f"27/{start + i:04d}", state=PaperState.RELEASED)
        consultation = ConsultationFactory(paper=paper, organization=organization, meeting=meeting)
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=i + 1,
            number=f"Ö {i + 1}",
            name=paper.name,
            consultation=consultation,
        )
        add_file(body, f"Anlage {start + i}".encode(), f"Anlage{start + i}", paper=paper)
        add_file(body, f"TOP {start + i}".encode(), f"Top{start + i}", agenda_item=item)
        MembershipFactory(organization=organization, person__body=body)


@pytest.mark.parametrize("kind", LISTS)
@pytest.mark.parametrize("changes", [False, True], ids=["all", "modified_since"])
def test_every_list_page_costs_a_fixed_number_of_queries(client, body, kind, changes):
    """Three objects or thirty of every kind (with what they embed): the same queries."""
    scene = oparl_scene(body)
    since = timezone.now() - datetime.timedelta(days=1)
    params = {"limit": 500, **({"modified_since": since.isoformat()} if changes else {})}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = get(client, f"{BASE}/body/{body.slug}/{kind}", **params)
        assert response.status_code == 200
        assert response.json()["data"], kind
        return len(captured)

    grow(body, 3, 0)
    few = queries()
    grow(body, 30, 100)
    scene.public_paper.is_public = False  # a tombstone too
    scene.public_paper.save()
    assert queries() == few


def test_an_items_result_is_worded_from_its_decision_as_the_pages_do(client, scene, body):
    """With a decision record: its outcome (and to whom it was referred) and its resolution
    text, whatever the item's own text says; without one: the item's text."""
    from lotse.council.models import AgendaItem, DecisionOutcome

    decision = scene.decision
    decision.outcome = DecisionOutcome.REFERRED
    decision.referred_to = scene.other_committee
    decision.save()
    AgendaItem.objects.filter(pk=scene.public_item.pk).update(
        result="alter Text", resolution_text="alter Beschlusstext"
    )
    item = get(client, f"{BASE}/agendaitem/{scene.public_item.pk}").json()
    assert item["result"] == "verwiesen an Bauausschuss"
    assert item["resolutionText"] == "Die Bürgerdienste werden ausgebaut."
    meeting = get(client, f"{BASE}/meeting/{scene.meeting.pk}").json()
    embedded = next(i for i in meeting["agendaItem"] if i["id"] == item["id"])
    assert embedded["result"] == item["result"]

    decision.delete()
    item = get(client, f"{BASE}/agendaitem/{scene.public_item.pk}").json()
    assert (item["result"], item["resolutionText"]) == ("alter Text", "alter Beschlusstext")


@pytest.mark.parametrize("kind", ["paper", "agendaitem", "consultation", "file", "meeting"])
def test_modified_since_lists_the_same_whether_few_or_many_changed(client, body, kind, monkeypatch):
    """Few changes are found through the index, many by walking the list: the same pages."""
    from lotse.oparl import views

    oparl_scene(body)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    grow(body, 7, 0)
    few = [
        o["id"]
        for o in crawl(client, f"{BASE}/body/{body.slug}/{kind}", limit=2, modified_since=since)
    ]
    monkeypatch.setattr(views, "FEW_CHANGED", 2)
    many = [
        o["id"]
        for o in crawl(client, f"{BASE}/body/{body.slug}/{kind}", limit=2, modified_since=since)
    ]
    assert len(few) >= 3  # more than one page (limit 2)
    assert few == many


def test_the_file_list_holds_exactly_the_files_the_pages_show_anyone(body, other_body):
    from lotse.oparl.queries import listed_files, public_files
    from tests.oparl.scene import add_file

    scene = oparl_scene(body)
    add_file(body, b"Einladung", "Einladung", meeting=scene.meeting)
    add_file(body, b"TOP", "Top", meeting=scene.meeting, agenda_item=scene.public_item)
    add_file(body, b"TOP geheim", "Geheim", meeting=scene.meeting, agenda_item=scene.secret_item)
    draft = PaperFactory(body=body, reference="26/0099", state=PaperState.DRAFT)
    add_file(body, b"Entwurf", "Entwurf", paper=draft)
    oparl_scene(other_body)
    listed = set(listed_files(body).values_list("pk", flat=True))
    assert listed == set(public_files(body).values_list("pk", flat=True))
    assert len(listed) == 3
