"""Adopting copies the shared attachments' files to storage before its transaction: a
successful adoption has its own copies, a failing one leaves no stray file behind."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError

from lotse.region import services
from lotse.region.models import Adoption
from lotse.strategy.models import Measure, MeasureAttachment

pytestmark = pytest.mark.django_db


def _stored_files() -> set[Path]:
    location = Path(MeasureAttachment._meta.get_field("file").storage.location)
    return {path for path in location.rglob("*") if path.is_file()}


@pytest.fixture
def shared(district, staff, published):
    """Two attachments of the published measure, both shared with the district."""
    attachments = []
    for title, name, data in (
        ("Konzept", "konzept.pdf", b"%PDF-1.4 Konzept"),
        ("Sensorliste", "sensoren.csv", b"Sensor;Ort\n1;Markt\n"),
    ):
        attachment = MeasureAttachment(measure=district.measure_a, title=title, original_name=name)
        attachment.file.save(name, ContentFile(data), save=True)
        attachments.append(attachment)
    published.attachments.set(attachments)
    return attachments


def test_an_adoption_has_its_own_copies_of_the_shared_files(district, staff, published, shared):
    before = _stored_files()
    adoption = services.adopt(staff(district.town_b), published, district.town_b, district.field_b)
    copies = list(adoption.measure.attachments.order_by("pk"))
    assert [(c.title, c.original_name) for c in copies] == [
        ("Konzept", "konzept.pdf"),
        ("Sensorliste", "sensoren.csv"),
    ]
    for copy, original in zip(copies, shared, strict=True):
        assert copy.file.name != original.file.name
        with copy.file.open("rb") as handle:
            assert handle.read() == original.file.open("rb").read()
    assert _stored_files() - before == {Path(c.file.path) for c in copies}
    # The originals stay where they were.
    assert all(Path(a.file.path) in before for a in shared)


def test_a_failing_save_leaves_no_stray_file(district, staff, published, shared, monkeypatch):
    def fails(**fields):
        raise IntegrityError("the adoption could not be saved")

    # The last write of the transaction, after the copies' rows were written.
    monkeypatch.setattr(services.RegionalLink.objects, "create", fails)
    before = _stored_files()
    attachments_before = MeasureAttachment.objects.count()
    with pytest.raises(IntegrityError):
        services.adopt(staff(district.town_b), published, district.town_b, district.field_b)
    assert _stored_files() == before
    assert MeasureAttachment.objects.count() == attachments_before
    assert not Measure.objects.filter(body=district.town_b).exists()
    assert not Adoption.objects.exists()


def test_a_file_that_cannot_be_copied_takes_the_copies_made_before_with_it(
    district, staff, published, shared
):
    shared[1].file.storage.delete(shared[1].file.name)  # gone from the disk
    before = _stored_files()
    with pytest.raises(FileNotFoundError):
        services.adopt(staff(district.town_b), published, district.town_b, district.field_b)
    assert _stored_files() == before
    assert not Adoption.objects.exists()
