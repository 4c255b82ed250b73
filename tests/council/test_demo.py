"""The council demo: Musterstadt's council work with meetings before and after today, papers of
every type, numbered decisions and their Beschlusskontrolle; loaded twice without duplicates,
and leaving the strategy demo intact."""

import itertools
from io import StringIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.utils import timezone

from lotse.council.models import (
    AgendaItem,
    ConsultationRole,
    Decision,
    DecisionOutcome,
    File,
    FollowUp,
    FollowUpState,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
    NumberSequence,
    Organization,
    OrganizationType,
    Paper,
    PaperState,
    PaperType,
    Person,
)
from lotse.strategy.models import Measure, MeasureStatus, MeasureTransition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]


def load_demo():
    call_command("demo", stdout=StringIO())


def counts():
    models = [*apps.get_app_config("council").get_models(), Measure, MeasureTransition]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def demo():
    return Organization.objects.get(body__slug="musterstadt", organization_type="rat").body


def test_demo_loads_twice_without_duplicates(demo, client, site_admin):
    """Loading the demo is slow, so one test checks everything after the first load."""
    for check in [
        check_organizations_and_members,
        check_meetings_before_and_after_today,
        check_papers_of_every_type_and_their_numbers,
        check_decisions_follow_ups_and_sequences,
        check_non_public_item_and_status_report,
        check_strategy_demo_stays_valid,
    ]:
        check(demo)
    check_admin_pages(client, site_admin)
    first = counts()
    load_demo()
    assert counts() == first


def check_organizations_and_members(demo):
    organizations = Organization.objects.filter(body=demo)
    kinds = list(organizations.values_list("organization_type", flat=True))
    # The CDO network (type Netzwerk) belongs to the Kreis, not to a town (issue 17).
    assert set(kinds) == set(OrganizationType.values) - {OrganizationType.NETWORK}
    assert kinds.count(OrganizationType.TOPIC_GROUP) == 5
    assert kinds.count(OrganizationType.FACTION) == 3
    assert Person.objects.filter(body=demo).count() >= 40
    for group in organizations.filter(organization_type=OrganizationType.TOPIC_GROUP):
        assert group.memberships.filter(role=MembershipRole.TANDEM_LEAD).count() == 2
    sub = organizations.get(organization_type=OrganizationType.SUBCOMMITTEE)
    assert sub.memberships.filter(role=MembershipRole.ADVISORY, voting_right=False).count() >= 5
    assert sub.memberships.filter(role=MembershipRole.EXPERT_CITIZEN).exists()
    seats = Membership.objects.filter(organization__organization_type=OrganizationType.COUNCIL)
    assert seats.filter(on_behalf_of__isnull=False).count() >= 18
    assert set(Membership.objects.values_list("role", flat=True)) == set(MembershipRole.values)
    member = Person.objects.get(body=demo, user__email="ratsmitglied@musterstadt.example")
    assert member.memberships.filter(organization__organization_type="ausschuss").exists()


def check_meetings_before_and_after_today(demo):
    meetings = Meeting.objects.filter(body=demo)
    now = timezone.now()
    assert meetings.count() >= 12
    assert meetings.filter(start__lt=now).count() >= 6
    assert meetings.filter(start__gt=now).count() >= 4
    assert set(meetings.values_list("state", flat=True)) == set(MeetingState.values)
    assert meetings.filter(state=MeetingState.CANCELLED).count() == 1
    assert meetings.filter(is_hybrid=True).exclude(video_url="").exists()
    working_group = meetings.filter(organizations__organization_type="arbeitsgruppe")
    days = sorted(
        timezone.localdate(start) for start in working_group.values_list("start", flat=True)
    )
    assert {(b - a).days for a, b in itertools.pairwise(days)} == {14}
    for kind in ["rat", "ausschuss", "unterausschuss"]:
        assert meetings.filter(organizations__organization_type=kind).count() >= 3
    assert not meetings.filter(start__gt=now, state=MeetingState.HELD).exists()


def check_papers_of_every_type_and_their_numbers(demo):
    papers = Paper.objects.filter(body=demo)
    assert papers.count() >= 30
    assert set(papers.values_list("paper_type", flat=True)) == set(PaperType.values)
    assert set(papers.values_list("state", flat=True)) == set(PaperState.values)
    released = papers.filter(state=PaperState.RELEASED)
    references = list(released.values_list("reference", flat=True))
    assert all(references) and len(set(references)) == len(references)
    assert not papers.exclude(state=PaperState.RELEASED).exclude(reference="").exists()
    for paper in released.filter(originator_unit__isnull=False):
        assert paper.signoffs.exists()
        assert all(signoff.is_given for signoff in paper.signoffs.all())
    signing = papers.get(state=PaperState.SIGNING)
    assert not all(signoff.is_given for signoff in signing.signoffs.all())
    supplement = papers.get(paper_type=PaperType.SUPPLEMENT)
    assert supplement.supplements.is_released
    assert papers.filter(originator_organization__organization_type="fraktion").count() >= 4
    assert papers.filter(measures__isnull=False).distinct().count() >= 10
    two_step = [
        p for p in released if p.consultations.values("organization").distinct().count() > 1
    ]
    assert len(two_step) >= 15


def check_decisions_follow_ups_and_sequences(demo):
    decisions = Decision.objects.filter(body=demo)
    numbers = list(decisions.values_list("number", flat=True))
    assert all(numbers) and len(set(numbers)) == len(numbers)
    assert decisions.filter(unanimous=True).exists()
    assert decisions.filter(votes_against__gt=0).exists()
    for decision in decisions:
        assert decision.agenda_item.meeting.state == MeetingState.HELD
    assert decisions.filter(outcome=DecisionOutcome.REJECTED).exists()
    today = timezone.localdate()
    follow_ups = FollowUp.objects.filter(body=demo)
    assert any(f.is_overdue() for f in follow_ups)
    assert follow_ups.filter(state=FollowUpState.DONE, done_on__isnull=False).exists()
    assert follow_ups.filter(state=FollowUpState.IN_PROGRESS, due_date__gt=today).exists()
    assert follow_ups.filter(notes__isnull=False).exists()

    sequences = NumberSequence.objects.filter(body=demo)
    for sequence in sequences.filter(kind=NumberSequence.Kind.PAPER):
        yy = f"{sequence.year % 100:02d}"
        used = [int(r.split("/")[1]) for r in references(demo) if r.startswith(f"{yy}/")]
        assert sequence.last == max(used)
    for sequence in sequences.filter(kind=NumberSequence.Kind.DECISION):
        yy = f"{sequence.year % 100:02d}"
        used = [int(n.split("/")[0]) for n in numbers if n.endswith(f"/{yy}")]
        assert sequence.last == max(used)
    assert sequences.filter(kind=NumberSequence.Kind.PAPER).exists()
    assert sequences.filter(kind=NumberSequence.Kind.DECISION).exists()


def references(body):
    return Paper.objects.filter(body=body).exclude(reference="").values_list("reference", flat=True)


def check_non_public_item_and_status_report(demo):
    item = AgendaItem.objects.get(meeting__body=demo, number="N 1", consultation__isnull=False)
    assert not item.is_public
    assert not item.consultation.paper.is_public
    assert item.consultation.paper.name.startswith("Vergabe Rechenzentrumsdienstleistungen")
    report = Paper.objects.get(body=demo, name="Sachstandsbericht Unterausschuss Digitalisierung")
    assert report.paper_type == PaperType.STATUS_REPORT
    consultations = report.consultations.all()
    assert {c.role for c in consultations} == {ConsultationRole.NOTICE}
    outcomes = {c.agenda_items.get().decision.outcome for c in consultations}
    assert outcomes == {DecisionOutcome.NOTED}
    public_numbers = AgendaItem.objects.filter(meeting__body=demo, is_public=True)
    assert all(
        number.startswith("Ö ") for number in public_numbers.values_list("number", flat=True)
    )


def check_strategy_demo_stays_valid(demo):
    measures = Measure.objects.filter(body=demo)
    assert set(measures.values_list("status", flat=True)) == set(MeasureStatus.values)
    for measure in measures:
        last = measure.transitions.order_by("at", "pk").last()
        assert (last.to_status if last else MeasureStatus.PROPOSED) == measure.status
    decided = measures.get(title="Mängelmelder-App")
    assert decided.status == MeasureStatus.DECIDED
    assert decided.transitions.order_by("at", "pk").last().reason.startswith("Beschluss ")


def check_admin_pages(client, site_admin):
    """Every council model in the admin opens as a list and, with its inlines, as a form."""
    client.force_login(site_admin)
    registered = [model for model in admin.site._registry if model._meta.app_label == "council"]
    assert Paper in registered and Meeting in registered
    for model in registered:
        url = f"/admin/council/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url
        row = model.objects.first()
        if row is None:
            assert model is File  # the demo has no attachments
            continue
        assert client.get(f"{url}{row.pk}/change/").status_code == 200, url
