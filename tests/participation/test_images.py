"""Pictures of ideas: only real JPEG/PNG, re-encoded without metadata, served only to those
who may see the idea."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lotse.participation import images
from lotse.participation.models import Idea, IdeaImage
from lotse.participation.services import ideas as services
from tests.participation.factories import IdeaFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def jpeg_with_gps(name="foto.jpg", size=(40, 20), orientation=6) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Kamera GmbH"  # Make
    exif[0x0112] = orientation  # rotate 90° clockwise when shown
    exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "E", 4: (7.0, 28.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, icc_profile=b"\0" * 128, comment=b"Zuhause")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name="grafik.png", mode="RGBA") -> SimpleUploadedFile:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Erika Mustermann")
    out = io.BytesIO()
    Image.new(mode, (10, 10)).save(out, "PNG", pnginfo=info)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def test_original_fixture_really_carries_metadata():
    upload = jpeg_with_gps()
    original = Image.open(io.BytesIO(upload.read()))
    assert GPS_IFD in original.getexif() and original.info.get("icc_profile")


def test_jpeg_is_reencoded_upright_without_metadata():
    encoded = images.reencode(jpeg_with_gps())
    stored = Image.open(io.BytesIO(encoded.content.read()))
    assert stored.format == "JPEG" and encoded.content_type == "image/jpeg"
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info and "icc_profile" not in stored.info
    assert "comment" not in stored.info
    assert stored.size == (20, 40)  # the EXIF orientation was applied


def test_png_loses_its_text_chunks():
    encoded = images.reencode(png())
    stored = Image.open(io.BytesIO(encoded.content.read()))
    assert stored.format == "PNG" and "Author" not in stored.info
    assert encoded.name.endswith(".png")


def test_palette_png_is_accepted():
    stored = Image.open(io.BytesIO(images.reencode(png(mode="P")).content.read()))
    assert stored.mode == "RGBA"


@pytest.mark.parametrize(
    "payload",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"GIF89a" + b"\0" * 50,
        b"\xff\xd8\xff\xe0 kaputt",
        b"",
    ],
)
def test_other_content_is_refused_whatever_its_name(payload):
    with pytest.raises(ValidationError):
        images.reencode(SimpleUploadedFile("foto.jpg", payload, content_type="image/jpeg"))


def test_gif_named_png_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (5, 5)).save(out, "GIF")
    with pytest.raises(ValidationError):
        images.reencode(SimpleUploadedFile("bild.png", out.getvalue()))


def test_too_large_file_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 100)
    with pytest.raises(ValidationError) as error:
        images.reencode(jpeg_with_gps())
    assert "5 MB" in error.value.messages[0]


def test_decompression_bomb_is_refused(monkeypatch):
    """A tiny file that claims a huge canvas must be refused before it is decoded."""
    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    with pytest.raises(ValidationError) as error:
        images.reencode(jpeg_with_gps(size=(20, 20)))
    assert error.value.code == "image_pixels"
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50)
    monkeypatch.setattr(images, "MAX_PIXELS", 10**9)
    with pytest.raises(ValidationError):
        images.reencode(jpeg_with_gps(size=(20, 20)))


def test_submit_with_images_stores_clean_copies(citizen, process):
    idea = services.submit_idea(
        citizen,
        process,
        title="Bank am Teich",
        text="Bitte eine Bank.",
        images=[(jpeg_with_gps(), "Teich mit Ufer"), (png(), "Skizze der Bank")],
    )
    stored = list(idea.images.all())
    assert [i.alt_text for i in stored] == ["Teich mit Ufer", "Skizze der Bank"]
    with stored[0].image.open("rb") as handle:
        data = handle.read()
    assert b"Kamera GmbH" not in data and GPS_IFD not in Image.open(io.BytesIO(data)).getexif()
    assert not stored[0].image.name.endswith("foto.jpg")  # a random name


def test_submit_needs_alt_text_and_at_most_three_images(citizen, process):
    with pytest.raises(ValidationError):
        services.submit_idea(citizen, process, title="T", text="T", images=[(jpeg_with_gps(), " ")])
    with pytest.raises(ValidationError):
        services.submit_idea(
            citizen,
            process,
            title="T",
            text="T",
            images=[(jpeg_with_gps(), f"Bild {n}") for n in range(4)],
        )
    with pytest.raises(ValidationError):
        services.submit_idea(
            citizen,
            process,
            title="T",
            text="T",
            images=[(png("x.png", "RGB"), "ok")] * 1
            + [(SimpleUploadedFile("a.jpg", b"nope"), "kaputt")],
        )
    assert not Idea.objects.exists() and not IdeaImage.objects.exists()


def test_form_upload_and_serving(client, body, process, citizen):
    client.force_login(citizen)
    response = client.post(
        f"/{body.slug}/ideen/neu/",
        {
            "process": process.pk,
            "title": "Mit Bild",
            "text": "Siehe Foto.",
            "image_1": jpeg_with_gps(),
            "alt_1": "Ein rotes Foto",
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    image = idea.images.get()
    image_url = f"/{body.slug}/ideen/{idea.pk}/bilder/{image.pk}/"
    html = client.get(idea.get_absolute_url()).content.decode()
    assert image_url in html and 'alt="Ein rotes Foto"' in html
    client.logout()
    served = client.get(image_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"Kamera GmbH" not in b"".join(served.streaming_content)
    Idea.objects.filter(pk=idea.pk).update(is_hidden=True)
    assert client.get(image_url).status_code == 404
    client.force_login(citizen)
    assert client.get(image_url).status_code == 200


def test_form_requires_alt_text_for_an_image(client, body, process, citizen):
    client.force_login(citizen)
    response = client.post(
        f"/{body.slug}/ideen/neu/",
        {"process": process.pk, "title": "Bild", "text": "Text", "image_1": jpeg_with_gps()},
    )
    assert response.status_code == 200 and not Idea.objects.exists()
    assert 'href="#id_alt_1"' in response.content.decode()


def test_image_of_another_idea_or_body_is_404(client, body, other_body, process, citizen):
    idea = services.submit_idea(citizen, process, title="A", text="A", images=[(png(), "Bild")])
    other = IdeaFactory(process=process)
    image = idea.images.get()
    assert client.get(f"/{body.slug}/ideen/{other.pk}/bilder/{image.pk}/").status_code == 404
    assert client.get(f"/{other_body.slug}/ideen/{idea.pk}/bilder/{image.pk}/").status_code == 404
