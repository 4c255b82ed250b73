"""The one upload check: the content decides the type, the name must fit it, and a file
disguised as another type is refused — for council files, measure attachments and idea
images alike, each with a German message."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lotse.core import uploads
from lotse.participation import images
from lotse.strategy.models import MeasureAttachment
from tests.council.test_files import attach, docx_bytes, pdf_bytes, png_bytes, zip_bytes

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200)


def check(name, data, allowed=uploads.DOCUMENTS, limit=1024 * 1024):
    return uploads.check_upload(SimpleUploadedFile(name, data), max_bytes=limit, allowed=allowed)


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        ("a.pdf", b"%PDF-1.7\n1 0 obj", uploads.PDF),
        ("a.docx", docx_bytes("<w:p/>"), uploads.DOCX),
        (
            "a.pptx",
            zip_bytes([("[Content_Types].xml", "x"), ("ppt/presentation.xml", "x")]),
            uploads.PPTX,
        ),
        (
            "a.odp",
            zip_bytes(
                [
                    ("mimetype", "application/vnd.oasis.opendocument.presentation"),
                    ("content.xml", "x"),
                ]
            ),
            uploads.ODP,
        ),
        ("a.png", png_bytes(), uploads.PNG),
        ("a.csv", "Maßnahme;Stand\n".encode(), uploads.TEXT),
    ],
)
def test_the_content_decides_the_type(name, data, mime):
    checked = check(name, data)
    assert checked.mime_type == mime and checked.file_name == name


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bericht.pdf", HTML, "passt nicht"),
        ("bild.png", HTML, "passt nicht"),
        ("tabelle.xlsx", HTML, "passt nicht"),
        ("setup.pdf", EXE, "Dateien dieses Typs"),
        ("setup.exe", EXE, "Dateien dieses Typs"),
        ("leer.pdf", b"", "leer"),
    ],
)
def test_disguised_files_are_refused_in_german(name, data, message):
    with pytest.raises(ValidationError) as error:
        check(name, data)
    assert message in " ".join(error.value.messages)


def test_a_place_accepts_only_its_kinds_and_its_size():
    with pytest.raises(ValidationError) as error:
        check("skizze.pdf", pdf_bytes(), allowed=uploads.IMAGES)
    assert "Erlaubt sind: PNG, JPEG" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        check("gross.txt", b"x" * 101, limit=100)
    assert error.value.code == "file_size"


def test_file_names_lose_hidden_characters():
    checked = check("Haushalt\u202etxt.pdf", b"%PDF-1.7\n")
    assert checked.file_name == "Haushalttxt.pdf"


# Each app uses it.


@pytest.mark.django_db
def test_council_refuses_html_named_pdf(body, make_member):
    from tests.council.factories import PaperFactory

    with pytest.raises(ValidationError) as error:
        attach(make_member(body, "staff"), PaperFactory(body=body), name="a.pdf", content=HTML)
    assert "passt nicht" in error.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data"), [("konzept.pdf", HTML), ("konzept.pdf", EXE)])
def test_measures_refuse_disguised_files(client, body, measure, make_member, name, data):
    client.force_login(make_member(body, "staff"))
    url = f"/{body.slug}/verwaltung/massnahmen/{measure.pk}/anlagen/"
    response = client.post(url, {"title": "Konzept", "file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "passt nicht" in page or "Dateien dieses Typs" in page
    assert not MeasureAttachment.objects.exists()


@pytest.mark.django_db
def test_measures_store_the_checked_name(client, body, measure, make_member):
    client.force_login(make_member(body, "staff"))
    url = f"/{body.slug}/verwaltung/massnahmen/{measure.pk}/anlagen/"
    upload = SimpleUploadedFile("Plan \u202eA.pdf", pdf_bytes(), content_type="text/html")
    assert client.post(url, {"title": "Plan", "file": upload}).status_code == 302
    assert MeasureAttachment.objects.get().original_name == "Plan_A.pdf"


@pytest.mark.parametrize(("name", "data"), [("foto.jpg", HTML), ("foto.png", EXE)])
def test_idea_images_refuse_disguised_files(name, data):
    with pytest.raises(ValidationError) as error:
        images.reencode(SimpleUploadedFile(name, data))
    assert "JPEG oder PNG" in error.value.messages[0]


def test_idea_images_refuse_a_png_named_jpeg():
    with pytest.raises(ValidationError) as error:
        images.reencode(SimpleUploadedFile("foto.jpg", png_bytes()))
    assert "passt nicht" in error.value.messages[0]


def test_idea_images_accept_a_real_photo():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "JPEG")
    assert images.reencode(SimpleUploadedFile("foto.jpeg", buffer.getvalue())).name == "idea.jpg"
