"""A body administrator maintains contact details and branding of their body."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lotse.core.models import Body


def settings_url(body):
    return f"/{body.slug}/verwaltung/koerperschaft/"


def png(size=(64, 64), fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#336699").save(buffer, fmt)
    return buffer.getvalue()


GOOD = {
    "website": "https://www.teststadt.example",
    "contact_email": "digital@teststadt.example",
    "contact_phone": "+49 1 2345",
    "address": "Rathaus",
    "accent_colour": "#aa0000",
}


@pytest.mark.django_db
def test_body_admin_saves_settings_with_history(client, body, make_member):
    admin = make_member(body, "body_admin")
    client.force_login(admin)
    logo = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    response = client.post(settings_url(body), {**GOOD, "logo": logo}, follow=True)
    assert "gespeichert" in response.content.decode()
    body.refresh_from_db()
    assert body.contact_email == "digital@teststadt.example"
    assert body.logo.name.startswith("logos/")
    assert body.history.first().history_user == admin


@pytest.mark.django_db
def test_every_field_is_visible(client, body, make_member):
    client.force_login(make_member(body, "body_admin"))
    html = client.get(settings_url(body)).content.decode()
    assert 'class="hp"' not in html
    for field in GOOD:
        assert f'id="id_{field}"' in html


@pytest.mark.django_db
def test_bad_colour_is_refused_in_german_and_nothing_saved(client, body, make_member):
    client.force_login(make_member(body, "body_admin"))
    response = client.post(settings_url(body), {**GOOD, "accent_colour": "rot"})
    assert "sechs Hexadezimalziffern" in response.content.decode()
    assert Body.objects.get(pk=body.pk).contact_email == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not an image", "Bild"), (png(fmt="GIF"), "PNG, JPEG oder WebP")],
)
def test_bad_logo_is_refused(client, body, make_member, content, message):
    client.force_login(make_member(body, "body_admin"))
    logo = SimpleUploadedFile("logo.png", content, content_type="image/png")
    response = client.post(settings_url(body), {**GOOD, "logo": logo})
    assert message in response.content.decode()
    assert not Body.objects.get(pk=body.pk).logo


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "program_owner", "moderator", "council_office"])
def test_other_roles_may_not_change_the_body(client, body, make_member, role):
    client.force_login(make_member(body, role))
    assert client.post(settings_url(body), GOOD).status_code == 403
    assert Body.objects.get(pk=body.pk).website == ""


@pytest.mark.django_db
def test_body_admin_of_another_body_may_not(client, body, other_body, make_member):
    client.force_login(make_member(other_body, "body_admin"))
    assert client.post(settings_url(body), GOOD).status_code == 403


@pytest.mark.django_db
def test_settings_link_shows_only_for_body_admins(client, body, make_member):
    client.force_login(make_member(body, "staff"))
    assert settings_url(body) not in client.get(f"/{body.slug}/").content.decode()
    client.force_login(make_member(body, "body_admin"))
    assert settings_url(body) in client.get(f"/{body.slug}/").content.decode()
