"""A small town with a year of strategy, participation and council data for the status
report and the cockpit. Dates are fixed around the first half of 2026 (``PERIOD``), so figures
can be checked by hand; meetings ahead are relative to now."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.council.models import (
    AgendaItem,
    Decision,
    DecisionOutcome,
    FollowUp,
    FollowUpState,
    MeetingState,
    Organization,
    PaperState,
)
from lotse.participation.models import IdeaState
from lotse.strategy.models import (
    MeasureGoal,
    MeasureStatus,
    MeasureTransition,
    Milestone,
    StatusUpdate,
)
from tests.council.factories import (
    ConsultationFactory,
    MeetingFactory,
    OrganizationFactory,
    PaperFactory,
)
from tests.participation.factories import IdeaFactory, ProcessFactory
from tests.strategy.factories import (
    ActionFieldFactory,
    GoalFactory,
    MeasureFactory,
    StrategyFactory,
)

D = datetime.date
PERIOD = (D(2026, 1, 1), D(2026, 6, 30))
PREVIOUS_PERIOD = (D(2025, 7, 1), D(2025, 12, 31))
AS_OF = D(2026, 7, 15)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@dataclass
class Town:
    body: object
    strategy: object
    administration: object  # action field "Digitale Verwaltung"
    topic: object  # its topic "E-Akte"
    education: object  # action field "Bildung"
    goal: object
    running: object  # in progress, 30 % → 60 %, yellow at the end of the period
    finished: object  # completed in the period (topic of "administration")
    decided: object  # decided, no Sachstand yet ("education")
    internal: object  # not public: never in a report or the cockpit
    committee: object  # Digitalisierungsausschuss
    past_meeting: object
    next_meeting: object
    decision: object  # public, in the period, with an open follow-up overdue since May
    secret_decision: object  # non-public item, in the period
    program_owner: object
    staff: object
    council_office: object
    citizen: object


def _measure(field, title, status, **kwargs):
    return MeasureFactory(primary_field=field, title=title, status=status, **kwargs)


def _updates(measure, *rows):
    for day, progress, light in rows:
        StatusUpdate.objects.create(
            measure=measure,
            reported_on=day,
            progress=progress,
            traffic_light=light,
            text=f"Stand {day:%m/%Y}",
            explanation="" if light == "gruen" else "Verzögerung bei der Lieferung.",
        )
    latest = measure.updates.order_by("-reported_on", "-pk").first()
    if latest:
        measure.progress, measure.traffic_light = latest.progress, latest.traffic_light
        measure.last_update_on = latest.reported_on
        measure.save(update_fields=["progress", "traffic_light", "last_update_on"])


def _decision(body, meeting, paper, organization, *, public, number, day):
    consultation = ConsultationFactory(paper=paper, organization=organization, meeting=meeting)
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=AgendaItem.objects.filter(meeting=meeting).count() + 1,
        number=("Ö " if public else "N ") + "1",
        name=paper.name,
        is_public=public,
        consultation=consultation,
    )
    return Decision.objects.create(
        body=body,
        agenda_item=item,
        outcome=DecisionOutcome.ADOPTED,
        number=number,
        date=day,
        votes_for=9,
        votes_against=2,
        abstentions=0,
    )


@pytest.fixture
def town(body, make_member, citizen) -> Town:
    strategy = StrategyFactory(body=body, status="beschlossen", version=1)
    administration = ActionFieldFactory(strategy=strategy, title="Digitale Verwaltung", order=1)
    topic = ActionFieldFactory(strategy=strategy, parent=administration, title="E-Akte", order=1)
    education = ActionFieldFactory(strategy=strategy, title="Bildung", order=2)
    goal = GoalFactory(strategy=strategy, title="Teilhabe")

    running = _measure(
        administration,
        "Digitales Bürgerbüro",
        MeasureStatus.IN_PROGRESS,
        budget_planned=Decimal("10000"),
        budget_spent=Decimal("4000"),
        actual_start=D(2025, 11, 1),
    )
    MeasureTransition.objects.create(
        measure=running,
        from_status=MeasureStatus.DECIDED,
        to_status=MeasureStatus.IN_PROGRESS,
        at=at(D(2025, 11, 1)),
    )
    _updates(running, (D(2025, 12, 15), 30, "gruen"), (D(2026, 5, 10), 60, "gelb"))
    Milestone.objects.create(
        measure=running, title="Terminbuchung live", due_on=D(2026, 3, 1), done_on=D(2026, 2, 28)
    )
    Milestone.objects.create(measure=running, title="Bezahlfunktion", due_on=D(2026, 4, 1))
    MeasureGoal.objects.create(measure=running, goal=goal, weight=3)

    finished = _measure(
        topic,
        "E-Akte im Bauamt",
        MeasureStatus.COMPLETED,
        actual_start=D(2025, 6, 1),
        actual_end=D(2026, 4, 15),
    )
    MeasureTransition.objects.create(
        measure=finished,
        from_status=MeasureStatus.IN_PROGRESS,
        to_status=MeasureStatus.COMPLETED,
        at=at(D(2026, 4, 15)),
    )
    _updates(finished, (D(2025, 12, 1), 80, "gruen"), (D(2026, 4, 15), 100, "gruen"))

    decided = _measure(education, "Tablets für Grundschulen", MeasureStatus.DECIDED)
    MeasureGoal.objects.create(measure=decided, goal=goal, weight=1)
    internal = _measure(
        administration, "Interne Firewall-Erneuerung", MeasureStatus.IN_PROGRESS, is_public=False
    )
    _updates(internal, (D(2026, 3, 1), 90, "rot"))

    process = ProcessFactory(body=body)
    in_period = at(D(2026, 2, 1))
    IdeaFactory(process=process, action_field=administration, created_at=in_period)
    IdeaFactory(
        process=process,
        action_field=topic,
        created_at=in_period,
        state=IdeaState.ACCEPTED,
        answer="Wird geprüft und umgesetzt.",
        answered_at=at(D(2026, 3, 3)),
        measure=running,
    )
    IdeaFactory(
        process=process,
        action_field=administration,
        created_at=in_period,
        state=IdeaState.REJECTED,
        answer="Nicht zuständig.",
        answered_at=at(D(2026, 2, 11)),
    )
    IdeaFactory(
        process=process,
        action_field=education,
        created_at=at(D(2025, 10, 1)),
        state=IdeaState.REJECTED,
        answer="Bereits erledigt.",
        answered_at=at(D(2026, 1, 20)),
    )
    IdeaFactory(process=process, action_field=education, created_at=in_period, is_hidden=True)

    committee = OrganizationFactory(body=body, name="Digitalisierungsausschuss")
    past_meeting = MeetingFactory(
        body=body,
        name="3. Sitzung des Digitalisierungsausschusses",
        start=at(D(2026, 3, 10), 17),
        state=MeetingState.HELD,
        organizations=[committee],
    )
    next_meeting = MeetingFactory(
        body=body,
        name="Nächste Sitzung des Digitalisierungsausschusses",
        start=timezone.now() + datetime.timedelta(days=14),
        organizations=[committee],
    )
    MeetingFactory(
        body=body,
        name="Abgesagte Sitzung",
        start=timezone.now() + datetime.timedelta(days=20),
        state=MeetingState.CANCELLED,
        organizations=[committee],
    )
    paper = PaperFactory(
        body=body,
        name="Einführung des digitalen Bürgerbüros",
        reference="26/0001",
        state=PaperState.RELEASED,
    )
    decision = _decision(
        body, past_meeting, paper, committee, public=True, number="1/26", day=D(2026, 3, 10)
    )
    FollowUp.objects.create(
        body=body, decision=decision, due_date=D(2026, 5, 1), state=FollowUpState.OPEN
    )
    secret_paper = PaperFactory(
        body=body,
        name="Vergabe Rechenzentrum (vertraulich)",
        reference="26/0002",
        state=PaperState.RELEASED,
        is_public=False,
    )
    secret_decision = _decision(
        body, past_meeting, secret_paper, committee, public=False, number="2/26", day=D(2026, 3, 10)
    )
    return Town(
        body=body,
        strategy=strategy,
        administration=administration,
        topic=topic,
        education=education,
        goal=goal,
        running=running,
        finished=finished,
        decided=decided,
        internal=internal,
        committee=committee,
        past_meeting=past_meeting,
        next_meeting=next_meeting,
        decision=decision,
        secret_decision=secret_decision,
        program_owner=make_member(body, Role.PROGRAM_OWNER),
        staff=make_member(body, Role.STAFF),
        council_office=make_member(body, Role.COUNCIL_OFFICE),
        citizen=citizen,
    )


@pytest.fixture
def other_committee(town):
    return Organization.objects.create(
        body=town.body, name="Hauptausschuss", organization_type="ausschuss"
    )
