"""The council's writes: papers with co-signing and release, Beratungsfolge, agendas,
decisions moving measures, and the Beschlusskontrolle."""

import datetime
import threading
from datetime import UTC

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from lotse.council import services
from lotse.council.models import (
    AgendaItem,
    ConsultationRole,
    CouncilSettings,
    Decision,
    DecisionOutcome,
    FollowUpState,
    MeetingState,
    OrganizationType,
    Paper,
    PaperState,
    PaperType,
    SignoffState,
)
from lotse.strategy.models import MeasureStatus, MeasureTransition
from lotse.strategy.services import apply_council_decision
from tests.council.factories import MeetingFactory, OrganizationFactory, PaperFactory
from tests.strategy.factories import MeasureFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db

APPROVED = SignoffState.APPROVED


@pytest.fixture
def office(body, make_member):
    return make_member(body, "council_office")


@pytest.fixture
def staff(body, make_member):
    return make_member(body, "staff")


@pytest.fixture
def units(body):
    return OrgUnitFactory(body=body, code="FB 10"), OrgUnitFactory(body=body, code="FB 20")


@pytest.fixture
def committee(body):
    return OrganizationFactory(body=body, name="Digitalisierungsausschuss")


@pytest.fixture
def council(body):
    return OrganizationFactory(body=body, name="Rat", organization_type=OrganizationType.COUNCIL)


def released_paper(user, body, **fields):
    paper = services.save_paper(user, PaperFactory.build(body=body, **fields))
    return services.release_paper(user, paper)


def test_done_when_paper_to_decision_moves_measure_and_follow_up(
    office, staff, body, units, committee, council, measure
):
    measure.status = MeasureStatus.PRIORITISED
    measure.save()
    due = datetime.date(2025, 6, 30)
    paper = PaperFactory.build(
        body=body,
        date=datetime.date(2024, 11, 5),
        originator_unit=units[0],
        follow_up_wanted=True,
        follow_up_unit=units[0],
        follow_up_due=due,
    )
    paper = services.save_paper(office, paper, measure_ids=[measure.pk])
    assert list(paper.measures.all()) == [measure]
    services.add_consultation(office, paper, committee, ConsultationRole.PRELIMINARY)
    services.add_consultation(office, paper, council, ConsultationRole.DECISION, authoritative=True)
    first, second = services.request_signoffs(office, paper, [u.pk for u in units])
    paper.refresh_from_db()
    assert paper.state == PaperState.SIGNING

    services.sign_off(staff, first, APPROVED)
    with pytest.raises(ValidationError) as error:
        services.release_paper(office, paper)
    assert "FB 20" in error.value.messages[0] and "FB 10" not in error.value.messages[0]
    assert "mitgezeichnet" in error.value.messages[0]
    services.sign_off(staff, second, SignoffState.COMMENTED, "Mit Hinweis zum Datenschutz.")
    paper = services.release_paper(office, paper)
    assert (paper.state, paper.reference, paper.released_by) == ("freigegeben", "24/0001", office)
    assert paper.released_at is not None
    assert paper.history.first().history_change_reason == "Freigegeben"

    committee_meeting = MeetingFactory(
        body=body, organizations=[committee], start=datetime.datetime(2024, 11, 20, 17, tzinfo=UTC)
    )
    council_meeting = MeetingFactory(
        body=body, organizations=[council], start=datetime.datetime(2024, 12, 12, 17, tzinfo=UTC)
    )
    preliminary = services.put_on_agenda(office, paper, committee_meeting)
    final = services.put_on_agenda(office, paper, council_meeting)
    assert preliminary.consultation.role == ConsultationRole.PRELIMINARY
    assert final.consultation.authoritative and final.consultation.meeting == council_meeting
    assert paper.consultations.count() == 2  # filled, not added
    assert (preliminary.number, final.number) == ("Ö 1", "Ö 1")

    recommended = services.record_decision(
        office, preliminary, DecisionOutcome.ADOPTED, votes_for=9, votes_against=2
    )
    assert (recommended.decision.number, recommended.decision.date) == (
        "1/24",
        datetime.date(2024, 11, 20),
    )
    assert recommended.moved == [] and recommended.follow_up is None
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PRIORITISED  # a recommendation only

    decided = services.record_decision(
        office,
        final,
        DecisionOutcome.ADOPTED_UNCHANGED,
        resolution_text="Der Rat beschließt wie vorgeschlagen.",
        unanimous=True,
    )
    assert decided.decision.number == "2/24"  # the committee's decision was 1/24
    assert decided.decision.votes_against == 0
    final.refresh_from_db()
    assert final.result == "ungeändert beschlossen"
    assert final.resolution_text == "Der Rat beschließt wie vorgeschlagen."
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DECIDED
    assert decided.moved == [measure]
    step = MeasureTransition.objects.get(measure=measure)
    assert (step.from_status, step.to_status, step.actor) == ("priorisiert", "beschlossen", office)
    assert "2/24" in step.reason and "Rat" in step.reason
    assert measure.history.first().history_change_reason == step.reason

    follow_up = decided.follow_up
    assert (follow_up.unit, follow_up.due_date, follow_up.state) == (units[0], due, "offen")
    assert list(services.overdue_follow_ups(body, today=due)) == []
    later = due + datetime.timedelta(days=1)
    assert list(services.overdue_follow_ups(body, today=later)) == [follow_up]
    assert follow_up.is_overdue(today=later)
    services.add_follow_up_note(staff, follow_up, "Ausschreibung läuft.")
    services.set_follow_up_state(staff, follow_up, FollowUpState.DONE, today=later)
    follow_up.refresh_from_db()
    assert follow_up.done_on == later and follow_up.notes.count() == 1
    assert list(services.overdue_follow_ups(body, today=later)) == []


def test_rejection_moves_measures_and_skips_impossible_ones(office, body, council, field):
    ready = MeasureFactory(primary_field=field, status=MeasureStatus.PRIORITISED)
    done = MeasureFactory(primary_field=field, status=MeasureStatus.COMPLETED)
    already = MeasureFactory(primary_field=field, status=MeasureStatus.REJECTED)
    paper = services.save_paper(
        office,
        PaperFactory.build(body=body, follow_up_wanted=False),
        measure_ids=[ready.pk, done.pk, already.pk],
    )
    services.add_consultation(office, paper, council, ConsultationRole.DECISION, True)
    services.release_paper(office, paper)
    item = services.put_on_agenda(office, paper, MeetingFactory(body=body, organizations=[council]))
    recorded = services.record_decision(
        office, item, DecisionOutcome.REJECTED, votes_for=3, votes_against=20
    )
    assert recorded.moved == [ready]
    assert [measure for measure, _ in recorded.skipped] == [done, already]
    assert "kann nicht von" in recorded.skipped[0][1]
    assert recorded.follow_up is None
    assert MeasureTransition.objects.filter(to_status="abgelehnt").count() == 1
    done.refresh_from_db()
    assert done.status == MeasureStatus.COMPLETED


def test_apply_council_decision_needs_no_staff_role(citizen, measure):
    measure.status = MeasureStatus.PRIORITISED
    measure.save()
    step = apply_council_decision(measure, MeasureStatus.DECIDED, "Beschluss 5/24", citizen)
    assert step.reason == "Beschluss 5/24"
    with pytest.raises(ValidationError):
        apply_council_decision(measure, MeasureStatus.COMPLETED, "Beschluss 6/24", citizen)


@pytest.mark.parametrize(
    ("role", "edit", "sign", "release", "meetings", "decide", "follow"),
    [
        (None, False, False, False, False, False, False),
        ("moderator", False, False, False, False, False, False),
        ("staff", True, True, False, False, False, True),
        ("council_office", True, True, True, True, True, True),
    ],
)
def test_permission_matrix(
    body, citizen, make_member, units, council, role, edit, sign, release, meetings, decide, follow
):
    office = make_member(body, "council_office")
    user = make_member(body, role) if role else citizen
    draft = services.save_paper(office, PaperFactory.build(body=body))
    signoff, second = services.request_signoffs(office, draft, [u.pk for u in units])
    ready = released_paper(
        office,
        body,
        follow_up_wanted=True,
        follow_up_unit=units[0],
        follow_up_due=datetime.date(2030, 1, 1),
    )
    services.add_consultation(office, ready, council, ConsultationRole.DECISION, True)
    meeting = MeetingFactory(body=body, organizations=[council])
    item = services.put_on_agenda(office, ready, meeting)
    pending = services.put_on_agenda(office, released_paper(office, body), meeting)
    other = released_paper(office, body)
    follow_up = services.record_decision(office, item, DecisionOutcome.ADOPTED).follow_up

    def allowed(call) -> bool:
        try:
            call()
        except PermissionDenied:
            return False
        return True

    assert allowed(lambda: services.save_paper(user, PaperFactory.build(body=body))) is edit
    assert allowed(lambda: services.request_signoffs(user, draft, [units[1].pk])) is edit
    assert allowed(lambda: services.create_supplement(user, ready)) is edit
    assert (
        allowed(lambda: services.add_consultation(user, draft, council, ConsultationRole.NOTICE))
        is edit
    )
    assert allowed(lambda: services.sign_off(user, signoff, APPROVED)) is sign
    services.sign_off(office, second, APPROVED)
    assert allowed(lambda: services.release_paper(user, draft)) is release
    assert allowed(lambda: services.put_on_agenda(user, other, meeting)) is meetings
    assert allowed(lambda: services.record_decision(user, pending, "vertagt")) is decide
    assert allowed(lambda: services.add_follow_up_note(user, follow_up, "Stand")) is follow
    assert allowed(lambda: services.set_follow_up_state(user, follow_up, "in_umsetzung")) is follow


def test_other_body_cannot_act(body, other_body, make_member):
    stranger = make_member(other_body, "council_office")
    office = make_member(body, "council_office")
    paper = services.save_paper(office, PaperFactory.build(body=body))
    with pytest.raises(PermissionDenied):
        services.release_paper(stranger, paper)


def test_released_paper_is_immutable_and_supplement_copies_it(office, body, units, measure):
    original = PaperFactory.build(body=body, name="Glasfaser für Schulen")
    original = services.save_paper(office, original, measure_ids=[measure.pk])
    related = services.save_paper(office, PaperFactory.build(body=body))
    original.related_papers.add(related)
    services.release_paper(office, original)

    original.name = "Geändert"
    with pytest.raises(ValidationError) as error:
        services.save_paper(office, original)
    assert "Ergänzungsvorlage" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.request_signoffs(office, original, [units[0].pk])
    original.refresh_from_db()
    assert original.name == "Glasfaser für Schulen"

    supplement = services.create_supplement(office, original)
    assert supplement.paper_type == PaperType.SUPPLEMENT
    assert (supplement.state, supplement.reference) == ("entwurf", "")
    assert supplement.supplements == original
    assert (supplement.name, supplement.decision_proposal, supplement.reasoning) == (
        original.name,
        original.decision_proposal,
        original.reasoning,
    )
    assert list(supplement.related_papers.all()) == [related]
    assert list(supplement.measures.all()) == [measure]
    supplement.decision_proposal = "Der Rat beschließt die geänderte Fassung."
    services.save_paper(office, supplement)
    original.refresh_from_db()
    assert original.decision_proposal == "Der Ausschuss beschließt die Maßnahme."
    with pytest.raises(ValidationError):
        services.create_supplement(office, supplement)  # not released yet


def test_save_paper_validates(office, body, other_body, measure):
    paper = PaperFactory.build(body=body, state=PaperState.RELEASED, reference="99/9999")
    paper = services.save_paper(office, paper)
    assert (paper.state, paper.reference) == ("entwurf", "")  # only release sets these
    foreign = MeasureFactory(primary_field__strategy__body=other_body)
    with pytest.raises(ValidationError) as error:
        services.save_paper(office, paper, measure_ids=[foreign.pk])
    assert "measures" in error.value.message_dict
    paper.follow_up_wanted = True
    with pytest.raises(ValidationError) as error:
        services.save_paper(office, paper)
    assert set(error.value.message_dict) == {"follow_up_unit", "follow_up_due"}


def test_sign_off_needs_text_for_comment_and_refusal(office, staff, body, units):
    paper = services.save_paper(office, PaperFactory.build(body=body))
    signoff = services.request_signoffs(office, paper, [units[0].pk])[0]
    for state in (SignoffState.REFUSED, SignoffState.COMMENTED):
        with pytest.raises(ValidationError) as error:
            services.sign_off(staff, signoff, state, "  ")
        assert "comment" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.sign_off(staff, signoff, SignoffState.OPEN)
    signoff = services.sign_off(staff, signoff, SignoffState.REFUSED, "Haushalt fehlt.")
    assert (signoff.signed_by, signoff.comment) == (staff, "Haushalt fehlt.")
    with pytest.raises(ValidationError):
        services.release_paper(office, paper)  # a refusal is not a sign-off


def test_optional_signoff_does_not_block_release(office, body, units):
    paper = services.save_paper(office, PaperFactory.build(body=body))
    services.request_signoffs(office, paper, [units[0].pk], required=False)
    assert services.release_paper(office, paper).is_released


def test_reference_follows_body_pattern_and_papers_date(office, body):
    CouncilSettings.objects.create(body=body, paper_reference_pattern="DS {yyyy}-{nnn}")
    first = released_paper(office, body, date=datetime.date(2023, 12, 31))
    second = released_paper(office, body, date=datetime.date(2024, 1, 1))
    third = released_paper(office, body, date=datetime.date(2024, 3, 1))
    assert [first.reference, second.reference, third.reference] == [
        "DS 2023-001",
        "DS 2024-001",
        "DS 2024-002",
    ]
    with pytest.raises(ValidationError):
        services.release_paper(office, third)


def test_agenda_numbering_public_then_non_public(office, body, committee):
    meeting = MeetingFactory(body=body, organizations=[committee])
    papers = [released_paper(office, body) for _ in range(4)]
    a = services.put_on_agenda(office, papers[0], meeting)
    secret = services.put_on_agenda(office, papers[1], meeting, is_public=False)
    b = services.put_on_agenda(office, papers[2], meeting)
    hidden_paper = released_paper(office, body, is_public=False)
    hidden = services.put_on_agenda(office, hidden_paper, meeting)
    c = services.put_on_agenda(office, papers[3], meeting)
    rows = list(meeting.agenda_items.order_by("order").values_list("pk", "order", "number"))
    assert rows == [
        (a.pk, 1, "Ö 1"),
        (b.pk, 2, "Ö 2"),
        (c.pk, 3, "Ö 3"),
        (secret.pk, 4, "N 1"),
        (hidden.pk, 5, "N 2"),
    ]
    assert c.number == "Ö 3" and hidden.is_public is False
    moved = AgendaItem.objects.get(pk=secret.pk).history.first()
    assert (moved.number, moved.history_change_reason) == ("N 1", "Tagesordnung neu nummeriert")
    # A hand-made item moved to the public part: renumber_agenda puts it in place.
    AgendaItem.objects.filter(pk=secret.pk).update(is_public=True)
    services.renumber_agenda(meeting)
    numbers = list(meeting.agenda_items.order_by("order").values_list("pk", "number"))
    assert numbers == [
        (a.pk, "Ö 1"),
        (b.pk, "Ö 2"),
        (c.pk, "Ö 3"),
        (secret.pk, "Ö 4"),
        (hidden.pk, "N 1"),
    ]
    with pytest.raises(ValidationError):
        services.put_on_agenda(office, papers[0], meeting)  # already on it


def test_put_on_agenda_refuses_drafts_and_cancelled_meetings(office, body, committee):
    draft = services.save_paper(office, PaperFactory.build(body=body))
    meeting = MeetingFactory(body=body, organizations=[committee])
    with pytest.raises(ValidationError):
        services.put_on_agenda(office, draft, meeting)
    cancelled = MeetingFactory(body=body, organizations=[committee], state=MeetingState.CANCELLED)
    with pytest.raises(ValidationError):
        services.put_on_agenda(office, released_paper(office, body), cancelled)


def test_record_decision_checks(office, body, committee, council):
    paper = released_paper(office, body)
    item = services.put_on_agenda(
        office, paper, MeetingFactory(body=body, organizations=[committee])
    )
    with pytest.raises(ValidationError) as error:
        services.record_decision(
            office, item, DecisionOutcome.ADOPTED, votes_against=1, unanimous=True
        )
    assert "votes_against" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_decision(office, item, DecisionOutcome.REFERRED)
    assert "referred_to" in error.value.message_dict
    assert not Decision.objects.exists()
    recorded = services.record_decision(office, item, DecisionOutcome.REFERRED, referred_to=council)
    item.refresh_from_db()
    assert item.result == "verwiesen an Rat"
    assert recorded.decision.number.endswith(f"/{timezone.localdate(item.meeting.start):%y}")
    with pytest.raises(ValidationError):
        services.record_decision(office, item, DecisionOutcome.ADOPTED)


def test_follow_up_state_back_from_done_clears_the_day(office, body, units, council):
    paper = released_paper(
        office,
        body,
        follow_up_wanted=True,
        follow_up_unit=units[1],
        follow_up_due=datetime.date(2024, 1, 1),
    )
    services.add_consultation(office, paper, council, ConsultationRole.DECISION, True)
    item = services.put_on_agenda(office, paper, MeetingFactory(body=body, organizations=[council]))
    follow_up = services.record_decision(office, item, DecisionOutcome.ADOPTED).follow_up
    with pytest.raises(ValidationError):
        services.add_follow_up_note(office, follow_up, " ")
    services.set_follow_up_state(office, follow_up, FollowUpState.DONE)
    follow_up = services.set_follow_up_state(office, follow_up, FollowUpState.IN_PROGRESS)
    assert follow_up.done_on is None
    assert list(services.overdue_follow_ups(body, today=datetime.date(2024, 1, 2))) == [follow_up]


def test_two_releases_get_different_numbers(office, body):
    papers = [released_paper(office, body, date=datetime.date(2024, 4, 1)) for _ in range(2)]
    assert [p.reference for p in papers] == ["24/0001", "24/0002"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_concurrent_releases_get_different_numbers(body, make_member):
    """Many clerks release at once: the row lock hands out each number once."""
    from django.db import connections

    office = make_member(body, "council_office")
    papers = [
        services.save_paper(office, PaperFactory.build(body=body, date=datetime.date(2024, 4, 1)))
        for _ in range(8)
    ]
    start = threading.Barrier(len(papers))
    errors = []

    def release(paper):
        try:
            start.wait()
            services.release_paper(office, paper)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=release, args=(paper,)) for paper in papers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = sorted(Paper.objects.filter(body=body).values_list("reference", flat=True))
    assert references == [f"24/{n:04d}" for n in range(1, 9)]
