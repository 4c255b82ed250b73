"""Files of a measure: stored outside /media/, served only to those who may see the measure."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from lotse.strategy.models import MeasureAttachment

pytestmark = pytest.mark.django_db


def upload(client, measure, name="konzept.pdf", content=b"%PDF-1.4 Konzept", title="Konzept"):
    url = f"/{measure.body.slug}/verwaltung/massnahmen/{measure.pk}/anlagen/"
    return client.post(url, {"title": title, "file": SimpleUploadedFile(name, content)})


def download_url(attachment):
    measure = attachment.measure
    return f"/{measure.body.slug}/massnahmen/{measure.pk}/anlagen/{attachment.pk}/"


def test_staff_uploads_a_file_stored_privately(client, body, measure, make_member):
    client.force_login(make_member(body, "staff"))
    assert upload(client, measure).status_code == 302
    attachment = MeasureAttachment.objects.get()
    path = attachment.file.path
    assert path.startswith(str(settings.DATA_DIR / "private"))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert "konzept" not in attachment.file.name  # the stored name cannot be guessed
    assert attachment.original_name == "konzept.pdf"


def test_public_measure_files_can_be_downloaded_by_anyone(client, body, measure, make_member):
    client.force_login(make_member(body, "staff"))
    upload(client, measure)
    client.logout()
    response = client.get(download_url(MeasureAttachment.objects.get()))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 Konzept"
    assert 'filename="konzept.pdf"' in response["Content-Disposition"]


def test_internal_measure_files_stay_internal(client, body, internal_measure, citizen, make_member):
    staff = make_member(body, "staff")
    client.force_login(staff)
    upload(client, internal_measure)
    url = download_url(MeasureAttachment.objects.get())
    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_wrong_type_is_refused_in_german(client, body, measure, make_member):
    client.force_login(make_member(body, "staff"))
    response = upload(client, measure, name="tool.exe", content=b"MZ")
    assert "Dateien dieses Typs" in response.content.decode()
    assert not MeasureAttachment.objects.exists()


def test_removing_deletes_the_file(
    client, body, measure, make_member, django_capture_on_commit_callbacks
):
    client.force_login(make_member(body, "staff"))
    upload(client, measure)
    attachment = MeasureAttachment.objects.get()
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/{body.slug}/verwaltung/massnahmen/{measure.pk}/anlagen/",
            {"entfernen": attachment.pk},
        )
    assert not MeasureAttachment.objects.exists()
    assert not storage.exists(name)


@pytest.mark.parametrize("role", [None, "citizen", "moderator"])
def test_only_staff_and_leads_upload(client, body, measure, citizen, make_member, role):
    if role == "citizen":
        client.force_login(citizen)
    elif role:
        client.force_login(make_member(body, role))
    assert upload(client, measure).status_code in (302, 403)
    assert not MeasureAttachment.objects.exists()
