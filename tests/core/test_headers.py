"""The security headers are on every kind of response: pages, error pages, the API and its
schema, private files, calendar feeds and generated PDFs."""

import pytest
from django.urls import reverse

from lotse.council import files
from lotse.council.models import PaperState
from tests.council.factories import PaperFactory
from tests.council.test_files import pdf_bytes, upload
from tests.council.test_pages import make_scene

pytestmark = pytest.mark.django_db

DENIED = ("camera", "microphone", "geolocation", "payment", "usb", "display-capture")


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = {
        name.strip(): value.strip()
        for name, value in (
            part.split("=", 1) for part in response["Permissions-Policy"].split(",")
        )
    }
    for feature in DENIED:
        assert policy[feature] == "()", feature
    # Passkeys (WebAuthn) stay possible on Lotse's own origin.
    assert policy["publickey-credentials-get"] == "(self)"


@pytest.fixture
def scene(body, make_member):
    scene = make_scene(body)
    office = make_member(body, "council_office")
    paper = PaperFactory(body=body, state=PaperState.DRAFT)
    scene.file = files.attach_file(
        office, paper=paper, upload=upload("konzept.pdf", pdf_bytes()), name="Konzept"
    )
    paper.state = PaperState.RELEASED
    paper.save()
    return scene


def urls(scene):
    body = scene.meeting.body.slug
    meeting = scene.meeting.pk
    return {
        "home": ("/", "text/html"),
        "body page": (f"/{body}/", "text/html"),
        "not found": (f"/{body}/gibt-es-nicht/", "text/html"),
        "api list": ("/api/v1/bodies", "application/json"),
        "api error": ("/api/v1/bodies/gibt-es-nicht", "application/json"),
        "api schema": ("/api/v1/openapi.json", "application/json"),
        "api docs": ("/api/v1/docs", "text/html"),
        "file": (
            reverse("council:file", args=[body, scene.file.pk, scene.file.file_name]),
            "application/pdf",
        ),
        "calendar": (reverse("council:calendar", args=[body]), "text/calendar"),
        "invitation pdf": (
            reverse("council:meeting_invitation_pdf", args=[body, meeting]),
            "application/pdf",
        ),
    }


@pytest.mark.parametrize(
    "kind",
    [
        "home",
        "body page",
        "not found",
        "api list",
        "api error",
        "api schema",
        "api docs",
        "file",
        "calendar",
        "invitation pdf",
    ],
)
def test_security_headers_on_every_kind_of_response(client, scene, kind):
    url, content_type = urls(scene)[kind]
    response = client.get(url)
    assert response["Content-Type"].startswith(content_type)
    assert_security_headers(response)
