"""Saving an imported paper also records its decision where the export holds one."""

import datetime as dt

import pytest

from lotse.council.models import Decision
from lotse.paperimport import services
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
