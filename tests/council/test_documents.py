"""A meeting's invitation and minutes, as HTML and as tagged PDF/UA: everyone sees the public
part; a non-public item appears as "N 1 – nicht öffentlich" to those who may not see it."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lotse.council import documents
from lotse.council.models import AgendaItem
from tests.council.factories import MeetingFactory
from tests.council.test_pages import SECRET_DECISION, SECRET_ITEM, SECRET_PAPER, make_scene
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MASKED = "N 1 – nicht öffentlich"


@pytest.fixture
def scene(body):
    return make_scene(body)


def url(name, scene):
    return reverse(f"council:{name}", args=[scene.meeting.body.slug, scene.meeting.pk])


def login(client, scene, who, make_member=None):
    user = {
        "anonymous": None,
        "citizen": UserFactory(),
        "other_member": scene.other_member,
        "member": scene.member,
    }.get(who)
    if who == "office":
        user = make_member(scene.meeting.body, "council_office")
    if user:
        client.force_login(user)


def pdf_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


# HTML


@pytest.mark.parametrize("who", ["anonymous", "citizen", "other_member"])
def test_invitation_masks_the_non_public_part(client, scene, who):
    login(client, scene, who)
    page = client.get(url("meeting_invitation", scene)).content.decode()
    assert "<h1>Einladung: 12. Sitzung des Digitalisierungsausschusses</h1>" in page
    assert "Digitalisierungsausschuss" in page and "Rathaus, Sitzungssaal" in page
    assert "Öffentlicher Teil" in page and "Nichtöffentlicher Teil" in page
    assert "Digitale Bürgerdienste ausbauen" in page and "26/0001" in page
    assert MASKED in page
    assert SECRET_ITEM not in page and SECRET_PAPER not in page
    assert "Mitglieder können auch per Video teilnehmen." in page
    assert "raum-geheim" not in page
    assert url("meeting_invitation_pdf", scene) in page


@pytest.mark.parametrize("who", ["member", "office"])
def test_invitation_shows_members_everything_with_the_video_link(client, scene, who, make_member):
    login(client, scene, who, make_member)
    page = client.get(url("meeting_invitation", scene)).content.decode()
    assert SECRET_ITEM in page and SECRET_PAPER in page and MASKED not in page
    assert "https://video.example.org/raum-geheim" in page
    assert SECRET_DECISION not in page  # the invitation has no results


def test_minutes_show_decisions_and_mask_the_non_public_ones(client, scene):
    page = client.get(url("meeting_minutes", scene)).content.decode()
    assert "<h1>Niederschrift: 12. Sitzung des Digitalisierungsausschusses</h1>" in page
    assert "Die Bürgerdienste werden ausgebaut." in page
    assert "1/26" in page and "Ja: 9, Nein: 2, Enthaltungen: 1" in page
    assert MASKED in page
    assert SECRET_ITEM not in page and SECRET_DECISION not in page and "2/26" not in page
    client.force_login(scene.member)
    page = client.get(url("meeting_minutes", scene)).content.decode()
    assert SECRET_DECISION in page and "2/26" in page


def test_minutes_of_a_meeting_not_held_say_so(client, scene):
    page = client.get(
        url("meeting_minutes", scene).replace(f"/{scene.meeting.pk}/", f"/{scene.upcoming.pk}/")
    ).content.decode()
    assert "Die Sitzung hat noch nicht stattgefunden." in page


def test_meeting_of_another_body_is_not_found(client, body, other_body):
    foreign = MeetingFactory(body=other_body)
    for name in ("meeting_invitation", "meeting_minutes_pdf"):
        assert (
            client.get(reverse(f"council:{name}", args=[body.slug, foreign.pk])).status_code == 404
        )


# PDF


@pytest.mark.parametrize("name", ["meeting_invitation_pdf", "meeting_minutes_pdf"])
def test_pdfs_are_tagged_german_and_titled(client, scene, name):
    reader, text = pdf_of(client.get(url(name, scene)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "de"
    assert scene.meeting.name in reader.metadata.title
    assert "Digitale Bürgerdienste ausbauen" in text
    assert MASKED in text
    assert SECRET_ITEM not in text and SECRET_PAPER not in text and SECRET_DECISION not in text
    assert "raum-geheim" not in text


def test_minutes_pdf_for_a_citizen_and_a_member(client, scene):
    client.force_login(UserFactory())
    _reader, text = pdf_of(client.get(url("meeting_minutes_pdf", scene)))
    assert "Die Bürgerdienste werden ausgebaut." in text and "1/26" in text
    assert SECRET_ITEM not in text and SECRET_DECISION not in text
    client.force_login(scene.member)
    _reader, text = pdf_of(client.get(url("meeting_minutes_pdf", scene)))
    assert SECRET_ITEM in text and SECRET_DECISION in text
    response = client.get(url("meeting_invitation_pdf", scene))
    assert response["Cache-Control"] == "private, no-store"
    assert 'filename="einladung-' in response["Content-Disposition"]


def test_pdf_fetches_nothing_the_html_points_to(rf, scene, monkeypatch):
    # Markdown is sanitised before, but should anything slip through, WeasyPrint must load
    # nothing from the network or the disk.
    monkeypatch.setattr(
        documents,
        "render_to_string",
        lambda *args, **kwargs: (
            '<html lang="de"><head><title>T</title>'
            '<link rel="stylesheet" href="file:///etc/passwd"></head>'
            '<body><img src="http://127.0.0.1:9/geheim.png" alt="x"><p>Text</p></body></html>'
        ),
    )
    asked = []
    refuse = documents.refuse_url

    def recording(target):
        asked.append(target)
        refuse(target)

    monkeypatch.setattr(documents, "refuse_url", recording)
    pdf = documents.render_pdf("council/documents/invitation.html", {}, rf.get("/"))
    assert pdf.startswith(b"%PDF")
    assert "file:///etc/passwd" in asked and "http://127.0.0.1:9/geheim.png" in asked
    with pytest.raises(ValueError):
        refuse("http://127.0.0.1:9/geheim.png")


# Query counts


@pytest.mark.parametrize("who", ["anonymous", "member"])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("meeting_invitation", {"anonymous": 5, "member": 9}),
        ("meeting_minutes", {"anonymous": 5, "member": 9}),
        ("meeting_invitation_pdf", {"anonymous": 5, "member": 9}),
        ("meeting_minutes_pdf", {"anonymous": 5, "member": 9}),
    ],
)
def test_query_counts_do_not_grow_with_the_agenda(
    client, scene, who, name, queries, django_assert_num_queries
):
    login(client, scene, who)
    with django_assert_num_queries(queries[who]):
        assert client.get(url(name, scene)).status_code == 200
    for order in range(3, 8):
        AgendaItem.objects.create(
            meeting=scene.meeting,
            order=order,
            number=f"Ö {order}",
            name=f"Punkt {order}",
            is_public=order % 2 == 0,
        )
    with django_assert_num_queries(queries[who]):
        assert client.get(url(name, scene)).status_code == 200
