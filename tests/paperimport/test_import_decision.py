"""Saving an imported paper also records its decision where the export holds one."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from lotse.council.models import Decision, MeetingState, Paper
from lotse.paperimport import services
from lotse.paperimport.forms import ReviewForm
from tests.council.factories import MeetingFactory, OrganizationFactory

from .test_import import PAPER, as_zip

pytestmark = pytest.mark.django_db

DECIDED = (
    PAPER
    + "\nBeschluss:\n\nungeändert beschlossen\n\nAbstimmungsergebnis:\n\neinstimmig\n\n"
    + "Beschluss-Nr.: 567/24\n"
)


@pytest.fixture
def office(body, make_member):
    return make_member(body, "council_office")


@pytest.fixture
def council(body):
    OrganizationFactory(body=body, name="Bauausschuss")
    rat = OrganizationFactory(body=body, name="Rat der Stadt", short_name="Rat")
    meeting = MeetingFactory(body=body, start=dt.datetime(2024, 2, 20, 17, tzinfo=dt.UTC))
    meeting.organizations.add(rat)
    return meeting


def save(office, body, text):
    batch = services.create_batch(office, body, [("b.zip", as_zip({"p.txt": text.encode()}))])
    [item] = batch.items.all()
    [paper] = services.save_batch(office, batch, [services.reviewed_from_recognition(item)])
    return paper


def test_the_decision_is_recorded_on_the_deciding_meeting(body, office, council):
    paper = save(office, body, DECIDED)

    decision = Decision.objects.get()
    item = decision.agenda_item
    assert item.meeting == council
    assert (
        item.consultation.paper == paper and item.consultation.organization.name == "Rat der Stadt"
    )
    assert not item.is_public  # the Beratungsfolge says "nicht öffentlich"
    assert (decision.outcome, decision.unanimous, decision.votes_against) == (
        "ungeaendert",
        True,
        0,
    )
    assert decision.number == "567/24"
    assert decision.date == dt.date(2024, 2, 20)
    assert item.result == "ungeändert beschlossen"
    assert decision.history.count() >= 1


def test_a_taken_number_gets_the_next_one_of_the_body(body, office, council):
    first = save(office, body, DECIDED)
    second = save(office, body, DECIDED.replace("24/0578", "24/0579"))

    numbers = dict(Decision.objects.values_list("agenda_item__consultation__paper_id", "number"))
    assert numbers[first.pk] == "567/24"
    assert numbers[second.pk] and numbers[second.pk] != "567/24"


def test_without_a_known_meeting_or_outcome_no_decision_is_recorded(body, office):
    OrganizationFactory(body=body, name="Bauausschuss")
    OrganizationFactory(body=body, name="Rat der Stadt", short_name="Rat")
    save(office, body, DECIDED)
    save(office, body, PAPER.replace("24/0578", "24/0580"))

    assert not Decision.objects.exists()


# The review says, before saving, when a recognised decision will be skipped; the save report
# lists it (the page's messages, the command's output, ``Saved.skipped``).


def review_page(client, office, body, text=DECIDED):
    client.force_login(office)
    batch = services.create_batch(office, body, [("b.zip", as_zip({"p.txt": text.encode()}))])
    url = reverse("paperimport:review", args=[body.slug, batch.pk])
    return batch, url, client.get(url).content.decode()


def test_review_warns_next_to_the_decision_when_its_meeting_is_unknown(client, body, office):
    OrganizationFactory(body=body, name="Bauausschuss")
    OrganizationFactory(body=body, name="Rat der Stadt", short_name="Rat")

    _batch, _url, page = review_page(client, office, body)

    decision = page[page.index("Beschluss im Export") : page.index("Quelltext")]
    assert "ungeändert beschlossen" in decision and "567/24" in decision
    assert "Wird nicht gespeichert:" in decision
    assert (
        "Der erkannte Beschluss Nr. 567/24 wird nicht gespeichert: Zur Beratungsfolge ist "
        "keine Sitzung an ihrem Datum bekannt." in decision
    )


def test_review_says_the_decision_will_be_saved_when_its_meeting_is_known(
    client, body, office, council
):
    _batch, _url, page = review_page(client, office, body)

    assert "Beschluss im Export" in page
    assert "Wird nicht gespeichert" not in page
    assert "Er wird mit der Vorlage gespeichert" in page


def test_review_without_a_decision_shows_no_decision_block(client, body, office, council):
    _batch, _url, page = review_page(client, office, body, PAPER)

    assert "Beschluss im Export" not in page


def test_a_cancelled_meeting_is_named_in_the_warning(client, body, office, council):
    council.state = MeetingState.CANCELLED
    council.save()

    _batch, _url, page = review_page(client, office, body)

    assert "wird nicht gespeichert: Seine Sitzung „" in page and "wurde abgesagt" in page


def test_an_unrecognised_outcome_is_warned_of(client, body, office, council):
    text = DECIDED.replace("ungeändert beschlossen", "irgendwie erledigt")

    _batch, _url, page = review_page(client, office, body, text)

    assert "wird nicht gespeichert: Sein Ergebnis wurde nicht erkannt." in page


def test_the_save_report_lists_the_skipped_decision(client, body, office):
    OrganizationFactory(body=body, name="Bauausschuss")
    OrganizationFactory(body=body, name="Rat der Stadt", short_name="Rat")
    batch, url, _page = review_page(client, office, body)
    [item] = batch.items.all()
    initial = ReviewForm.initial_from(services.reviewed_from_recognition(item))
    data = {"save": "1"}
    for name, value in initial.items():
        if value is True:
            data[f"p{item.pk}-{name}"] = "on"
        elif value not in (False, None):
            data[f"p{item.pk}-{name}"] = str(value)

    response = client.post(url, data, follow=True)

    page = response.content.decode()
    assert response.redirect_chain and "1 Vorlagen wurden importiert." in page
    assert "p.txt (24/0578): Der erkannte Beschluss Nr. 567/24 wird nicht gespeichert" in page
    assert Paper.objects.filter(body=body, reference="24/0578").exists()
    assert not Decision.objects.exists()


def test_save_batch_returns_the_skipped_decisions(body, office, council):
    OrganizationFactory(body=body, name="Stadtrat")
    saved_text = DECIDED.replace("24/0578", "24/0581")
    skipped_text = DECIDED.replace("Rat\t20.02.2024", "Stadtrat\t21.02.2024")
    batch = services.create_batch(
        office,
        body,
        [("b.zip", as_zip({"a.txt": saved_text.encode(), "b.txt": skipped_text.encode()}))],
    )
    reviewed = [services.reviewed_from_recognition(i) for i in batch.items.order_by("file_name")]

    saved = services.save_batch(office, batch, reviewed)

    assert len(saved) == 2 and Decision.objects.count() == 1
    assert len(saved.skipped) == 1
    assert saved.skipped[0].startswith("b.txt (24/0578): Der erkannte Beschluss Nr. 567/24")


def test_the_command_notes_and_reports_a_skipped_decision(body, office, tmp_path, capsys):
    OrganizationFactory(body=body, name="Bauausschuss")
    OrganizationFactory(body=body, name="Rat der Stadt", short_name="Rat")
    (tmp_path / "a.txt").write_text(DECIDED, encoding="utf-8")

    call_command("import_papers", str(tmp_path), body=body.slug, user=office.email)

    out = capsys.readouterr().out
    assert "HINWEIS a.txt: Der erkannte Beschluss Nr. 567/24 wird nicht gespeichert" in out
    assert "NICHT GESPEICHERT a.txt (24/0578): Der erkannte Beschluss" in out
