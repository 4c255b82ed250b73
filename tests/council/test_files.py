"""Council files: the upload service (type from the content, size, hash, text within limits),
the download view's visibility matrix and the workspace pages of papers and meetings."""

import hashlib
import io
import time
import zipfile

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lotse.council import files, selectors
from lotse.council.models import File, PaperState
from tests.council.factories import MeetingFactory, PaperFactory
from tests.council.test_pages import SECRET_ITEM, make_scene
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

_PDF_CACHE: dict[str, bytes] = {}


def pdf_bytes(text="Glasfaserausbau im Ortsteil Nord", pages=1) -> bytes:
    key = f"{text}/{pages}"
    if key not in _PDF_CACHE:
        from weasyprint import HTML

        body = "".join(
            f'<p style="break-after: page">{text} Seite {n}</p>' for n in range(1, pages + 1)
        )
        _PDF_CACHE[key] = HTML(string=f"<html><body>{body}</body></html>").write_pdf()
    return _PDF_CACHE[key]


def zip_bytes(entries) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            stored = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=stored)
    return buffer.getvalue()


def docx_bytes(xml: str) -> bytes:
    return zip_bytes(
        [
            ("[Content_Types].xml", "<Types/>"),
            ("_rels/.rels", "<Relationships/>"),
            ("word/document.xml", xml),
        ]
    )


def odt_bytes(xml: str) -> bytes:
    return zip_bytes(
        [("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", xml)]
    )


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def staff(body, make_member):
    return make_member(body, "staff")


@pytest.fixture
def office(body, make_member):
    return make_member(body, "council_office")


@pytest.fixture
def draft(body):
    return PaperFactory(body=body, name="Glasfaser für alle")


def attach(user, paper, name="konzept.pdf", content=None, **kwargs):
    return files.attach_file(
        user,
        paper=paper,
        upload=upload(name, pdf_bytes() if content is None else content),
        name=kwargs.pop("title", "Konzept"),
        **kwargs,
    )


# The service


def test_pdf_is_stored_privately_with_hash_type_and_text(staff, draft):
    content = pdf_bytes()
    file = attach(staff, draft, name="../../Konzept März 2026.pdf", role=File.Role.MAIN)
    assert file.mime_type == "application/pdf"
    assert file.sha512 == hashlib.sha512(content).hexdigest()
    assert file.size == len(content)
    assert file.file_name == "Konzept_März_2026.pdf"
    assert "Glasfaserausbau im Ortsteil Nord" in file.text
    assert file.body_id == draft.body_id and file.role == File.Role.MAIN
    path = file.file.path
    assert path.startswith(str(settings.DATA_DIR / "private"))
    assert "Konzept" not in file.file.name
    with file.file.open("rb") as stored:
        assert stored.read() == content


def test_docx_and_odt_text_is_read_from_their_xml(staff, draft):
    docx = attach(
        staff,
        draft,
        name="vorlage.docx",
        content=docx_bytes(
            "<w:document><w:body><w:p><w:r><w:t>Breitband &amp; Schulen</w:t></w:r></w:p>"
            "<w:p><w:r><w:t xml:space='preserve'>Zweiter Absatz</w:t></w:r></w:p></w:body>"
            "</w:document>"
        ),
    )
    assert docx.mime_type == files.DOCX
    assert docx.text == "Breitband & Schulen\nZweiter Absatz"
    odt = attach(
        staff,
        draft,
        name="vorlage.odt",
        content=odt_bytes("<office:text><text:h>Titel</text:h><text:p>Text &#228;</text:p></x>"),
    )
    assert odt.mime_type == files.ODT
    assert odt.text == "Titel\nText ä"


def test_plain_text_images_and_spreadsheets_are_accepted(staff, draft):
    text = attach(staff, draft, name="liste.txt", content="\ufeffZeile eins\nÄrger".encode())
    assert text.mime_type == "text/plain" and text.text == "Zeile eins\nÄrger"
    image = attach(staff, draft, name="plan.png", content=png_bytes())
    assert image.mime_type == "image/png" and image.text == ""
    sheet = attach(
        staff,
        draft,
        name="kosten.xlsx",
        content=zip_bytes([("[Content_Types].xml", "<T/>"), ("xl/workbook.xml", "<w/>")]),
    )
    assert sheet.mime_type == files.XLSX
    unnamed = attach(staff, draft, name="scan", content=pdf_bytes())
    assert unnamed.file_name == "scan.pdf"


def test_the_browsers_type_is_not_trusted(staff, draft):
    file = files.attach_file(
        staff,
        paper=draft,
        upload=upload("notiz.txt", b"<script>alert(1)</script>", "application/pdf"),
        name="Notiz",
    )
    assert file.mime_type == "text/plain"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00", "Dateien dieses Typs"),
        ("daten.bin", bytes(range(256)) * 4, "Dateien dieses Typs"),
        ("archiv.zip", zip_bytes([("a.txt", "x")]), "Dateien dieses Typs"),
        ("falsch.docx", zip_bytes([("[Content_Types].xml", "<T/>")]), "Dateien dieses Typs"),
        ("konzept.docx", None, "passt nicht"),
        ("bild.pdf", "png", "passt nicht"),
        ("leer.txt", b"", "leer"),
    ],
)
def test_refused_files_store_nothing(staff, draft, name, content, message):
    if content is None:
        content = pdf_bytes()
    elif content == "png":
        content = png_bytes()
    with pytest.raises(ValidationError) as error:
        attach(staff, draft, name=name, content=content)
    assert message in " ".join(error.value.messages)
    assert not File.objects.exists()


def test_size_limit_from_the_setting(staff, draft, settings):
    settings.LOTSE_COUNCIL_FILE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        attach(staff, draft, name="lang.txt", content=b"x" * 101)
    assert "größer als" in error.value.messages[0]
    assert attach(staff, draft, name="kurz.txt", content=b"x" * 100).size == 100


def test_hostile_documents_do_not_stall_extraction(staff, draft, monkeypatch):
    # A zip bomb: 60 MB of text compress to little; only the first part is read.
    bomb = docx_bytes("<w:p><w:t>" + "A" * 60_000_000 + "</w:t></w:p>")
    assert len(bomb) < files.max_bytes()
    started = time.monotonic()
    file = attach(staff, draft, name="bombe.docx", content=bomb)
    assert len(file.text) == files.MAX_TEXT_CHARS
    # Entities declared in a DTD are never expanded (billion laughs).
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "haha"><!ENTITY b "&a;&a;&a;&a;">]>'
        "<w:p><w:t>&b;</w:t></w:p>"
    )
    assert "haha" not in attach(staff, draft, name="l.docx", content=docx_bytes(laughs)).text
    # A long PDF is read up to the page limit.
    monkeypatch.setattr(files, "MAX_PAGES", 2)
    long = attach(staff, draft, name="lang.pdf", content=pdf_bytes("Kapitel", pages=4))
    assert "Seite 2" in long.text and "Seite 3" not in long.text
    # A damaged PDF is kept, without text.
    broken = attach(staff, draft, name="kaputt.pdf", content=b"%PDF-1.7\n" + b"\xff" * 200)
    assert broken.mime_type == "application/pdf" and broken.text == ""
    assert time.monotonic() - started < 30


def test_released_papers_files_are_fixed(staff, draft):
    file = attach(staff, draft)
    draft.state = PaperState.RELEASED
    draft.save()
    with pytest.raises(ValidationError) as error:
        attach(staff, draft, name="neu.pdf")
    assert "Ergänzungsvorlage" in error.value.messages[0]
    with pytest.raises(ValidationError):
        files.remove_file(staff, file)
    assert File.objects.count() == 1


def test_removing_a_draft_file_deletes_it(staff, draft, django_capture_on_commit_callbacks):
    file = attach(staff, draft)
    storage, name = file.file.storage, file.file.name
    with django_capture_on_commit_callbacks(execute=True):
        files.remove_file(staff, file)
    assert not File.objects.exists()
    assert not storage.exists(name)


@pytest.mark.parametrize("who", ["anonymous", "citizen", "moderator", "other_staff"])
def test_only_the_administration_attaches_to_papers(body, other_body, draft, make_member, who):

    user = {
        "anonymous": AnonymousUser,
        "citizen": UserFactory,
        "moderator": lambda: make_member(body, "moderator"),
        "other_staff": lambda: make_member(other_body, "staff"),
    }[who]()
    with pytest.raises(PermissionDenied):
        attach(user, draft)
    assert not File.objects.exists()


def test_meeting_files_are_for_the_council_office(body, staff, office):
    scene = make_scene(body)
    with pytest.raises(PermissionDenied):
        files.attach_file(
            staff, meeting=scene.meeting, upload=upload("a.pdf", pdf_bytes()), name="A"
        )
    file = files.attach_file(
        office,
        agenda_item=scene.secret_item,
        upload=upload("anlage.pdf", pdf_bytes()),
        name="Gutachten",
    )
    assert file.meeting == scene.meeting and file.agenda_item == scene.secret_item
    other = MeetingFactory(body=body)
    with pytest.raises(ValidationError):
        files.attach_file(
            office,
            meeting=other,
            agenda_item=scene.secret_item,
            upload=upload("a.pdf", pdf_bytes()),
            name="A",
        )


# Download


def download_url(file):
    return reverse("council:file", args=[file.body.slug, file.pk, file.file_name])


@pytest.fixture
def scene_files(body, office):
    scene = make_scene(body)

    def add(**kwargs):
        return files.attach_file(
            office,
            upload=upload(kwargs.pop("file_name", "datei.pdf"), kwargs.pop("content", pdf_bytes())),
            name=kwargs.pop("name", "Anlage"),
            **kwargs,
        )

    # Files of released papers are attached before the release in real life.
    for paper in (scene.public_paper, scene.secret_paper):
        paper.state = PaperState.DRAFT
        paper.save()
    result = {
        "public_paper": add(paper=scene.public_paper),
        "secret_paper": add(paper=scene.secret_paper),
        "secret_item": add(agenda_item=scene.secret_item),
        "public_item": add(agenda_item=scene.public_item),
        "meeting": add(meeting=scene.meeting, file_name="einladung.docx", content=docx_bytes("x")),
    }
    for paper in (scene.public_paper, scene.secret_paper):
        paper.state = PaperState.RELEASED
        paper.save()
    result["draft"] = add(paper=PaperFactory(body=body))
    return scene, result


VISIBLE = {
    # who: files they may download
    "anonymous": {"public_paper", "public_item", "meeting"},
    "citizen": {"public_paper", "public_item", "meeting"},
    "other_member": {"public_paper", "public_item", "meeting"},
    "other_body_staff": {"public_paper", "public_item", "meeting"},
    "member": {"public_paper", "public_item", "meeting", "secret_paper", "secret_item"},
    "office": {"public_paper", "public_item", "meeting", "secret_paper", "secret_item", "draft"},
    "staff": {"public_paper", "public_item", "meeting", "secret_paper", "secret_item", "draft"},
}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_download_matrix(client, body, other_body, make_member, office, scene_files, who):
    scene, by_kind = scene_files
    user = {
        "anonymous": None,
        "citizen": UserFactory(),
        "other_member": scene.other_member,
        "other_body_staff": make_member(other_body, "staff"),
        "member": scene.member,
        "office": office,
        "staff": make_member(body, "staff"),
    }[who]
    if user:
        client.force_login(user)
    for kind, file in by_kind.items():
        response = client.get(download_url(file))
        expected = 200 if kind in VISIBLE[who] else 404
        assert response.status_code == expected, (who, kind)
        if expected == 200:
            assert b"".join(response.streaming_content) == file.file.open("rb").read()
            assert response["X-Content-Type-Options"] == "nosniff"


def test_pdf_inline_others_as_attachment_and_exact_name(client, scene_files):
    _scene, by_kind = scene_files
    pdf = client.get(download_url(by_kind["public_paper"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'inline; filename="datei.pdf"'
    assert pdf["Cache-Control"] == "private, max-age=300"
    docx = client.get(download_url(by_kind["meeting"]))
    assert docx["Content-Disposition"].startswith("attachment;")
    assert docx["Content-Type"] == files.DOCX
    file = by_kind["public_paper"]
    file.file_name = "Konzept_März.pdf"
    file.save()
    umlaut = client.get(download_url(file))
    assert umlaut.status_code == 200
    assert "filename*=utf-8''Konzept_M%C3%A4rz.pdf" in umlaut["Content-Disposition"]
    wrong = reverse("council:file", args=[file.body.slug, file.pk, "anders.pdf"])
    assert client.get(wrong).status_code == 404


def test_download_from_another_bodys_address_is_not_found(client, other_body, scene_files):
    file = scene_files[1]["public_paper"]
    url = reverse("council:file", args=[other_body.slug, file.pk, file.file_name])
    assert client.get(url).status_code == 404


def test_download_query_count(client, scene_files, django_assert_num_queries):
    file = scene_files[1]["public_paper"]
    with django_assert_num_queries(3):
        assert client.get(download_url(file)).status_code == 200


# Workspace pages


def paper_files_url(paper):
    return reverse("council:office_paper_files", args=[paper.body.slug, paper.pk])


def meeting_files_url(meeting):
    return reverse("council:office_meeting_files", args=[meeting.body.slug, meeting.pk])


def post_file(client, url, name="konzept.pdf", content=None, title="Konzept", **extra):
    data = {
        "name": title,
        "role": File.Role.ATTACHMENT,
        "upload": upload(name, pdf_bytes() if content is None else content),
        **extra,
    }
    return client.post(url, data)


def test_staff_attaches_and_removes_on_the_paper_page(client, staff, draft):
    client.force_login(staff)
    response = post_file(client, paper_files_url(draft))
    assert response.status_code == 302
    file = File.objects.get()
    assert file.paper == draft and file.name == "Konzept"
    page = client.get(paper_files_url(draft)).content.decode()
    assert "Konzept" in page and download_url(file) in page
    assert "<caption>Angehängte Dateien</caption>" in page
    response = client.post(paper_files_url(draft), {"entfernen": file.pk})
    assert response.status_code == 302 and not File.objects.exists()


def test_a_bad_file_is_explained_in_german_and_nothing_is_lost(client, staff, draft):
    client.force_login(staff)
    response = post_file(client, paper_files_url(draft), name="tool.exe", content=b"MZ\x90\x00")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dateien dieses Typs können nicht angehängt werden" in page
    assert 'value="Konzept"' in page
    assert 'aria-invalid="true"' in page
    assert not File.objects.exists()
    page = post_file(client, paper_files_url(draft), title="").content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in page
    assert not File.objects.exists()


def test_released_paper_page_is_read_only(client, staff, draft):
    attach(staff, draft)
    draft.state = PaperState.RELEASED
    draft.save()
    client.force_login(staff)
    page = client.get(paper_files_url(draft)).content.decode()
    assert "Ergänzungsvorlage" in page and 'type="file"' not in page
    post_file(client, paper_files_url(draft))
    response = client.post(
        paper_files_url(draft), {"entfernen": File.objects.get().pk}, follow=True
    )
    assert "festgelegt" in response.content.decode()
    assert File.objects.count() == 1


@pytest.mark.parametrize("who", ["anonymous", "citizen", "moderator", "other_staff"])
def test_paper_page_refuses_others(client, body, other_body, draft, make_member, who):
    if who == "citizen":
        client.force_login(UserFactory())
    elif who == "moderator":
        client.force_login(make_member(body, "moderator"))
    elif who == "other_staff":
        client.force_login(make_member(other_body, "staff"))
    assert client.get(paper_files_url(draft)).status_code in (302, 403)
    assert post_file(client, paper_files_url(draft)).status_code in (302, 403)
    assert not File.objects.exists()


def test_paper_of_another_body_is_not_found(client, body, other_body, staff):
    client.force_login(staff)
    foreign = PaperFactory(body=other_body)
    url = reverse("council:office_paper_files", args=[body.slug, foreign.pk])
    assert client.get(url).status_code == 404


def test_council_office_attaches_to_an_agenda_item(client, body, office, staff):
    scene = make_scene(body)
    client.force_login(office)
    response = post_file(client, meeting_files_url(scene.meeting), agenda_item=scene.secret_item.pk)
    assert response.status_code == 302
    assert File.objects.get().agenda_item == scene.secret_item
    page = client.get(meeting_files_url(scene.meeting)).content.decode()
    assert SECRET_ITEM in page
    client.force_login(staff)
    assert client.get(meeting_files_url(scene.meeting)).status_code == 403
    assert post_file(client, meeting_files_url(scene.meeting)).status_code == 403
    assert File.objects.count() == 1


def test_workspace_query_counts_do_not_grow(
    client, body, staff, office, draft, django_assert_num_queries
):
    client.force_login(staff)
    attach(staff, draft)
    with django_assert_num_queries(PAPER_PAGE_QUERIES):
        assert client.get(paper_files_url(draft)).status_code == 200
    for n in range(3):
        attach(staff, draft, title=f"Weitere {n}")
    with django_assert_num_queries(PAPER_PAGE_QUERIES):
        assert client.get(paper_files_url(draft)).status_code == 200
    scene = make_scene(body)
    client.force_login(office)
    files.attach_file(
        office, agenda_item=scene.public_item, upload=upload("a.pdf", pdf_bytes()), name="A"
    )
    with django_assert_num_queries(MEETING_PAGE_QUERIES):
        assert client.get(meeting_files_url(scene.meeting)).status_code == 200
    for item in (scene.public_item, scene.secret_item, None):
        files.attach_file(
            office,
            meeting=scene.meeting,
            agenda_item=item,
            upload=upload("b.pdf", pdf_bytes()),
            name="B",
        )
    with django_assert_num_queries(MEETING_PAGE_QUERIES):
        assert client.get(meeting_files_url(scene.meeting)).status_code == 200


PAPER_PAGE_QUERIES = 6
MEETING_PAGE_QUERIES = 7


def test_file_list_include_for_the_public_pages(rf, body, scene_files):
    from django.template.loader import render_to_string

    scene, by_kind = scene_files
    visible = list(selectors.visible_files(AnonymousUser(), body).filter(paper=scene.public_paper))
    html = render_to_string(
        "council/documents/_file_list.html", {"files": visible, "body": body}, rf.get("/")
    )
    assert download_url(by_kind["public_paper"]) in html
    assert download_url(by_kind["secret_paper"]) not in html
    assert render_to_string("council/documents/_file_list.html", {"files": []}).strip() == ""
