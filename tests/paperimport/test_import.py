"""Upload, review and save of imported papers; the import_papers command."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from lotse.council.models import Consultation, File, Paper, PaperState
from lotse.paperimport import services
from lotse.paperimport.models import ImportBatch
from tests.council.factories import MeetingFactory, OrganizationFactory, PaperFactory
from tests.strategy.factories import OrgUnitFactory

from .samples import SKIP_REASON, samples_dir

PAPER = (
    "Beschlussvorlage\nDrucksache Nr.: 24/0578\nDatum: 01.02.2024\n"
    "Federführung: Amt 61 Stadtplanung\n\n"
    "Beratungsfolge\tSitzungstermin\tBehandlung\n"
    "Bauausschuss\t12.02.2024\töffentlich / Vorberatung\n"
    "Rat\t20.02.2024\tnicht öffentlich / Entscheidung\n\n"
    "Betreff\n\nBebauungsplan Nord\n\n"
    "Beschlussvorschlag:\n\nDer Rat beschließt den Bebauungsplan Nord.\n\n"
    "Sachverhalt:\n\nDer Plan ist fertig.\n"
)


@pytest.fixture
def office(body, make_member):
    return make_member(body, "council_office")


@pytest.fixture
def committees(body):
    return [
        OrganizationFactory(body=body, name="Bauausschuss"),
        OrganizationFactory(body=body, name="Rat der Stadt", short_name="Rat"),
    ]


def upload_url(body):
    return reverse("paperimport:upload", args=[body.slug])


def as_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_batch_saves_papers_consultations_and_main_file(body, office, committees):
    unit = OrgUnitFactory(body=body, code="Amt 61", name="Stadtplanungsamt")
    meeting = MeetingFactory(body=body, start=dt.datetime(2024, 2, 20, 17, tzinfo=dt.UTC))
    meeting.organizations.add(committees[1])
    batch = services.create_batch(
        office, body, [("b.zip", as_zip({"24-0578.txt": PAPER.encode()}))]
    )
    [item] = batch.items.all()
    reviewed = services.reviewed_from_recognition(item)
    [paper] = services.save_batch(office, batch, [reviewed])
    paper.refresh_from_db()
    assert (paper.reference, paper.name, paper.state) == (
        "24/0578",
        "Bebauungsplan Nord",
        PaperState.RELEASED,
    )
    assert paper.decision_proposal == "Der Rat beschließt den Bebauungsplan Nord."
    assert paper.originator_unit == unit
    steps = list(Consultation.objects.filter(paper=paper).order_by("order"))
    assert [(s.organization, s.role, s.is_public, s.meeting) for s in steps] == [
        (committees[0], "vorberatung", True, None),
        (committees[1], "entscheidung", False, meeting),
    ]
    main = File.objects.get(paper=paper)
    assert main.role == File.Role.MAIN and main.file.read() == PAPER.encode()
    assert not ImportBatch.objects.exists()


def test_duplicates_and_unknown_organizations_refuse_the_whole_batch(body, office, committees):
    PaperFactory(body=body, reference="24/0578")
    other = PAPER.replace("24/0578", "24/0600").replace("Bauausschuss", "Schulausschuss")
    batch = services.create_batch(
        office, body, [("a.txt", PAPER.encode()), ("b.txt", other.encode())]
    )
    reviewed = [services.reviewed_from_recognition(i) for i in batch.items.all()]
    with pytest.raises(ValidationError) as error:
        services.save_batch(office, batch, reviewed)
    text = " ".join(error.value.messages)
    assert "24/0578" in text and "Schulausschuss" in text
    review = services.check(body, reviewed)
    assert any("Schulausschuss" in warning for warning in review)
    assert Paper.objects.filter(body=body).count() == 1
    assert not File.objects.exists()


def test_originals_are_stored_before_the_transaction_and_removed_on_failure(
    body, office, committees, monkeypatch
):
    from django.db import connection

    storage = File._meta.get_field("file").storage
    batch = services.create_batch(office, body, [("a.txt", PAPER.encode())])
    reviewed = [services.reviewed_from_recognition(i) for i in batch.items.all()]
    saved, in_transaction = [], []
    original_save = storage.save

    def watching_save(name, content, *args, **kwargs):
        in_transaction.append(connection.in_atomic_block and not _outer_test_atomic(connection))
        saved.append(original_save(name, content, *args, **kwargs))
        return saved[-1]

    def fails(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(storage, "save", watching_save)
    monkeypatch.setattr(services, "meeting_on", fails)
    with pytest.raises(RuntimeError):
        services.save_batch(office, batch, reviewed)
    assert saved and in_transaction == [False]
    assert not any(storage.exists(name) for name in saved)
    assert not Paper.objects.exists() and ImportBatch.objects.filter(pk=batch.pk).exists()


def _outer_test_atomic(connection) -> bool:
    """Whether the only atomic blocks open are the test's own (pytest-django wraps each test
    in one)."""
    return len(connection.atomic_blocks) <= 1


def test_same_reference_twice_in_one_batch_is_refused(body, office, committees):
    batch = services.create_batch(
        office, body, [("a.txt", PAPER.encode()), ("b.txt", PAPER.encode())]
    )
    reviewed = [services.reviewed_from_recognition(i) for i in batch.items.all()]
    with pytest.raises(ValidationError):
        services.save_batch(office, batch, reviewed)
    assert not Paper.objects.exists()


def test_only_the_council_office_imports(body, make_member):
    staff = make_member(body, "staff")
    with pytest.raises(PermissionDenied):
        services.create_batch(staff, body, [("a.txt", PAPER.encode())])


def test_zip_limits(body, office, monkeypatch):
    monkeypatch.setattr(services, "MAX_ZIP_MEMBERS", 2)
    data = as_zip({f"{n}.txt": PAPER.encode() for n in range(3)})
    with pytest.raises(ValidationError):
        services.create_batch(office, body, [("many.zip", data)])


def test_pages_upload_review_and_save(client, body, office, committees):
    client.force_login(office)
    assert client.get(upload_url(body)).status_code == 200
    response = client.post(
        upload_url(body), {"files": [io.BytesIO(PAPER.encode())]}, format="multipart"
    )
    # Django's test client names a BytesIO upload after the object; give it a name.
    upload = io.BytesIO(PAPER.encode())
    upload.name = "vorlage.txt"
    response = client.post(upload_url(body), {"files": [upload]})
    batch = ImportBatch.objects.latest("created_at")
    assert response.status_code == 302 and response.url.endswith(f"/{batch.pk}/")
    page = client.get(response.url).content.decode()
    assert "<mark" in page and "24/0578" in page and "Bebauungsplan Nord" in page
    assert "„Rat“" not in page  # "Rat" is the short name of an existing organization
    item = batch.items.get(file_name="vorlage.txt")
    prefix = f"p{item.pk}"
    data = {"save": "1"}
    for other in batch.items.exclude(pk=item.pk):
        other.delete()
    data.update(
        {
            f"{prefix}-reference": "24/0578",
            f"{prefix}-name": "Bebauungsplan Nord (korrigiert)",
            f"{prefix}-paper_type": "beschlussvorlage",
            f"{prefix}-date": "2024-02-01",
            f"{prefix}-is_public": "on",
            f"{prefix}-released": "on",
            f"{prefix}-steps": (
                "Bauausschuss | 12.02.2024 | Vorberatung | öffentlich\nRat | | Entscheidung"
            ),
            f"{prefix}-decision_proposal": "Der Rat beschließt.",
            f"{prefix}-reasoning": "Weil.",
        }
    )
    response = client.post(response.url, data)
    assert response.status_code == 302
    paper = Paper.objects.get(body=body, reference="24/0578")
    assert paper.name == "Bebauungsplan Nord (korrigiert)"
    assert paper.consultations.count() == 2


def test_review_of_another_body_is_404(client, body, other_body, office, make_member):
    batch = services.create_batch(office, body, [("a.txt", PAPER.encode())])
    client.force_login(make_member(other_body, "council_office"))
    url = reverse("paperimport:review", args=[other_body.slug, batch.pk])
    assert client.get(url).status_code == 404


def test_staff_without_office_role_gets_no_page(client, body, make_member):
    client.force_login(make_member(body, "staff"))
    assert client.get(upload_url(body)).status_code == 403


def test_unreadable_pdf_is_reported_in_the_review(client, body, office):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    batch = services.create_batch(office, body, [("scan.pdf", buffer.getvalue())])
    [item] = batch.items.all()
    assert item.error


def test_command_dry_run_and_import(body, office, committees, tmp_path, capsys):
    (tmp_path / "a.txt").write_text(PAPER, encoding="utf-8")
    call_command("import_papers", str(tmp_path), body=body.slug, user=office.email, dry_run=True)
    assert not Paper.objects.exists()
    call_command("import_papers", str(tmp_path), body=body.slug, user=office.email)
    assert Paper.objects.get(body=body).reference == "24/0578"
    with pytest.raises(CommandError):  # a second run finds the duplicate
        call_command("import_papers", str(tmp_path), body=body.slug, user=office.email)
    assert Paper.objects.count() == 1


def test_command_names_untitled_papers_after_their_file_when_asked(body, office, tmp_path):
    (tmp_path / "Vorlage_ohne_Betreff.txt").write_text(
        "Drucksache Nr. 1/2020\nBeschlussvorschlag:\nJa.\n", encoding="utf-8"
    )
    with pytest.raises(CommandError):
        call_command("import_papers", str(tmp_path), body=body.slug, user=office.email)
    call_command(
        "import_papers", str(tmp_path), body=body.slug, user=office.email, name_from_file=True
    )
    assert Paper.objects.get(body=body).name == "Vorlage ohne Betreff"


def test_samples_upload_as_one_batch(client, body, office, django_capture_on_commit_callbacks):
    folder = samples_dir()
    if folder is None:
        pytest.skip(SKIP_REASON)
    OrganizationFactory(body=body, name="Haupt- und Digitalisierungsausschuss")
    uploads = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.txt"))]
    batch = services.create_batch(office, body, uploads)
    reviewed = [services.reviewed_from_recognition(i) for i in batch.items.all()]
    assert [r.reference for r in reviewed] == ["", "21/0219", ""]
    for r in reviewed:  # the two exports without a Betreff get one in the review
        r.name = r.name or "Vestischer Digitalpakt"
    with django_capture_on_commit_callbacks(execute=True):  # the index follows the commit
        papers = services.save_batch(office, batch, reviewed)
    assert len(papers) == 3
    assert all(p.state == PaperState.RELEASED for p in papers)
    page = client.get(reverse("council:papers", args=[body.slug])).content.decode()
    assert "Erarbeitung einer IT- und Digitalisierungsstrategie" in page
    assert "Vestischer Digitalpakt" in page
    assert Paper.objects.get(reference="21/0219").consultations.count() == 1
    # And in the one search, by a word of their text and by the reference as typed.
    search = reverse("search:body", args=[body.slug])
    found = client.get(search, {"q": "Digitalisierungsstrategien"}).content.decode()
    assert "Erarbeitung einer IT- und <mark>Digitalisierungsstrategie</mark>" in found, found
    found = client.get(search, {"q": "21/219"}).content.decode()
    assert f'href="{reverse("council:paper", args=[body.slug, papers[1].pk])}"' in found


def test_upload_page_lists_waiting_batches_in_fixed_queries(
    client, body, office, django_assert_num_queries
):
    client.force_login(office)
    services.create_batch(office, body, [("a.txt", PAPER.encode())])
    client.get(upload_url(body))  # warm caches of the session and the navigation
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(upload_url(body))
    for _ in range(3):
        services.create_batch(office, body, [("a.txt", PAPER.encode()), ("b.txt", b"x")])
    with django_assert_num_queries(len(one)):
        page = client.get(upload_url(body)).content.decode()
    assert page.count("/verwaltung/vorlagen/import/") >= 4
