"""The council office's meeting work: meetings and their state, building the agenda,
recording decisions, the Beschlusskontrolle and its public report (HTML and CSV)."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotse.council import services
from lotse.council.models import (
    AgendaItem,
    Decision,
    DecisionOutcome,
    FollowUp,
    FollowUpNote,
    FollowUpState,
    Meeting,
    MeetingState,
    PaperState,
)
from lotse.council.services_sessions import set_meeting_state
from lotse.strategy.models import MeasureStatus
from tests.council.factories import (
    ConsultationFactory,
    MeetingFactory,
    OrganizationFactory,
    PaperFactory,
)
from tests.council.test_pages import SECRET_DECISION, SECRET_ITEM, make_scene
from tests.strategy.factories import OrgUnitFactory


@pytest.fixture
def office(body, make_member):
    return make_member(body, "council_office")


@pytest.fixture
def staff(body, make_member):
    return make_member(body, "staff")


@pytest.fixture
def scene(body):
    return make_scene(body)


def url(name, body, *args):
    return reverse(f"council:{name}", args=[body.slug, *args])


def released(body, **fields):
    return PaperFactory(
        body=body, state=PaperState.RELEASED, reference=fields.pop("reference", ""), **fields
    )


def page_text(response) -> str:
    return response.content.decode()


def follow_up_for(decision, **fields) -> FollowUp:
    return FollowUp.objects.create(body=decision.body, decision=decision, **fields)


# Permissions


OFFICE_PAGES = [
    ("office_meetings", lambda s: []),
    ("office_meeting_new", lambda s: []),
    ("office_meeting", lambda s: [s.upcoming.pk]),
    ("office_meeting_edit", lambda s: [s.upcoming.pk]),
    ("office_decision", lambda s: [s.meeting.pk, s.public_item.pk]),
]
FOLLOW_UP_PAGES = [
    ("office_follow_ups", lambda s: []),
    ("office_follow_up", lambda s: [s.follow_up.pk]),
]


@pytest.fixture
def scene_with_follow_up(scene):
    scene.follow_up = follow_up_for(scene.decision, due_date=datetime.date(2020, 1, 1))
    return scene


@pytest.mark.parametrize("name,args", OFFICE_PAGES + FOLLOW_UP_PAGES)
def test_workspace_refuses_anonymous_citizens_members_and_other_bodies(
    client, body, other_body, scene_with_follow_up, citizen, make_member, name, args
):
    target = url(name, body, *args(scene_with_follow_up))
    response = client.get(target)
    assert response.status_code == 302 and "login" in response.url
    for user in (citizen, scene_with_follow_up.member, make_member(other_body, "council_office")):
        client.force_login(user)
        assert client.get(target).status_code == 403
        assert client.post(target, {"action": "item", "item-name": "x"}).status_code == 403
    client.force_login(make_member(body, "staff"))
    expected = 200 if (name, args) in FOLLOW_UP_PAGES else 403
    assert client.get(target).status_code == expected
    client.force_login(make_member(body, "council_office"))
    assert client.get(target).status_code == 200


def test_state_change_and_writes_are_refused_without_permission(
    client, body, scene, citizen, staff
):
    meeting = scene.upcoming
    for user in (citizen, staff):
        client.force_login(user)
        response = client.post(url("office_meeting_state", body, meeting.pk), {"state": "abgesagt"})
        assert response.status_code == 403
        response = client.post(
            url("office_decision", body, scene.meeting.pk, scene.secret_item.pk),
            {"outcome": "beschlossen", "date": "2026-01-01"},
        )
        assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED


def test_other_bodys_meeting_and_item_are_not_found(client, body, other_body, scene, office):
    foreign = MeetingFactory(body=other_body)
    client.force_login(office)
    assert client.get(url("office_meeting", body, foreign.pk)).status_code == 404
    assert client.get(url("office_meeting_edit", body, foreign.pk)).status_code == 404
    # An item of another meeting is not reached through this meeting.
    target = url("office_decision", body, scene.upcoming.pk, scene.public_item.pk)
    assert client.get(target).status_code == 404


# Meetings


def test_meeting_list_says_what_is_left_to_do(client, body, scene, office):
    stale = MeetingFactory(
        body=body,
        name="Vergessene Sitzung",
        start=timezone.now() - datetime.timedelta(days=30),
        organizations=[scene.committee],
    )
    open_paper = released(body, reference="26/0009")
    AgendaItem.objects.create(
        meeting=scene.meeting,
        order=3,
        number="Ö 2",
        name="Offener Punkt",
        consultation=ConsultationFactory(
            paper=open_paper, organization=scene.committee, meeting=scene.meeting
        ),
    )
    client.force_login(office)
    page = page_text(client.get(url("office_meetings", body)))
    assert page.index(scene.upcoming.name) < page.index(scene.meeting.name)
    assert "Die Tagesordnung ist leer." in page and "Einladung versenden." in page
    assert "Zu 1 Punkten mit Vorlage fehlt noch der Beschluss." in page
    assert stale.name in page and "oder sagen Sie sie ab" in page


def test_create_meeting_and_refuse_bad_input_keeping_it(client, body, other_body, scene, office):
    client.force_login(office)
    foreign = OrganizationFactory(body=other_body)
    data = {
        "name": "14. Sitzung",
        "organizations": [scene.committee.pk],
        "start": "2027-03-04T17:00",
        "end": "2027-03-04T16:00",
        "location": "Ratssaal",
    }
    response = client.post(url("office_meeting_new", body), data)
    assert response.status_code == 200
    assert "Eine Sitzung kann nicht vor ihrem Beginn enden." in page_text(response)
    assert 'value="Ratssaal"' in page_text(response)
    response = client.post(
        url("office_meeting_new", body), {**data, "end": "", "organizations": [foreign.pk]}
    )
    assert response.status_code == 200 and "Auswahl" in page_text(response)
    assert not Meeting.objects.filter(name="14. Sitzung").exists()

    response = client.post(url("office_meeting_new", body), {**data, "end": "2027-03-04T19:00"})
    meeting = Meeting.objects.get(name="14. Sitzung")
    assert response.status_code == 302
    assert response.url == url("office_meeting", body, meeting.pk)
    assert list(meeting.organizations.all()) == [scene.committee]
    assert (meeting.state, meeting.sequence, meeting.location) == ("geplant", 0, "Ratssaal")
    assert timezone.localtime(meeting.start).hour == 17


def test_editing_time_raises_the_sequence_and_a_plain_save_does_not(client, body, scene, office):
    meeting = scene.upcoming
    meeting.start = meeting.start.replace(second=0, microsecond=0)
    meeting.save()
    client.force_login(office)
    start = timezone.localtime(meeting.start).strftime("%Y-%m-%dT%H:%M")
    data = {"name": meeting.name, "organizations": [scene.committee.pk], "start": start}
    assert client.post(url("office_meeting_edit", body, meeting.pk), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    data["location"] = "Bürgerhaus"
    client.post(url("office_meeting_edit", body, meeting.pk), data)
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.location) == (1, "Bürgerhaus")


def test_state_changes_bump_the_sequence_and_cancelling_keeps_the_meeting(
    client, body, scene, office
):
    meeting = scene.upcoming
    client.force_login(office)
    target = url("office_meeting_state", body, meeting.pk)
    response = client.post(target, {"state": MeetingState.INVITED}, follow=True)
    assert "Die Sitzung hat jetzt den Status „eingeladen“." in page_text(response)
    client.post(target, {"state": MeetingState.CANCELLED})
    meeting.refresh_from_db()
    assert (meeting.state, meeting.sequence) == (MeetingState.CANCELLED, 2)
    response = client.post(target, {"state": MeetingState.HELD}, follow=True)
    assert "kann nicht auf „durchgeführt“ gesetzt werden" in page_text(response)
    meeting.refresh_from_db()
    assert (meeting.state, meeting.sequence) == (MeetingState.CANCELLED, 2)
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    page = page_text(client.get(url("office_meeting", body, meeting.pk)))
    assert "Die Sitzung ist abgesagt; ihre Tagesordnung bleibt" in page
    assert 'name="paper-paper"' not in page


# Agenda


def test_build_the_agenda(client, body, scene, office):
    meeting = scene.upcoming
    paper = released(body, reference="26/0010", name="Open-Data-Portal")
    draft = PaperFactory(body=body, name="Noch im Entwurf")
    planned = ConsultationFactory(paper=paper, organization=scene.committee)
    client.force_login(office)
    target = url("office_meeting", body, meeting.pk)
    page = page_text(client.get(target))
    assert "Open-Data-Portal" in page and "Noch im Entwurf" not in page

    response = client.post(target, {"action": "paper", "paper-paper": paper.pk}, follow=True)
    assert "Ö 1 wurde auf die Tagesordnung gesetzt." in page_text(response)
    planned.refresh_from_db()
    assert planned.meeting == meeting
    client.post(target, {"action": "item", "item-name": "Mitteilungen", "item-is_public": "on"})
    client.post(target, {"action": "item", "item-name": "Personalangelegenheit"})

    def numbers():
        return list(meeting.agenda_items.order_by("order").values_list("number", "name"))

    assert numbers() == [
        ("Ö 1", "Open-Data-Portal"),
        ("Ö 2", "Mitteilungen"),
        ("N 1", "Personalangelegenheit"),
    ]
    meeting.refresh_from_db()
    assert meeting.sequence == 3

    notes = meeting.agenda_items.get(name="Mitteilungen")
    client.post(target, {"action": "up", "item": notes.pk})
    assert numbers()[:2] == [("Ö 1", "Mitteilungen"), ("Ö 2", "Open-Data-Portal")]
    client.post(target, {"action": "up", "item": notes.pk})  # already first: nothing moves
    assert numbers()[0] == ("Ö 1", "Mitteilungen")
    client.post(target, {"action": "down", "item": notes.pk})
    assert numbers()[:2] == [("Ö 1", "Open-Data-Portal"), ("Ö 2", "Mitteilungen")]
    client.post(target, {"action": "non_public", "item": notes.pk})
    assert numbers()[1:] == [("N 1", "Personalangelegenheit"), ("N 2", "Mitteilungen")]
    client.post(target, {"action": "public", "item": notes.pk})
    assert numbers()[1] == ("Ö 2", "Mitteilungen")

    item = meeting.agenda_items.get(consultation=planned)
    response = client.post(target, {"action": "remove", "item": item.pk}, follow=True)
    assert "Der Punkt wurde von der Tagesordnung genommen." in page_text(response)
    planned.refresh_from_db()
    assert planned.meeting is None and planned.planned_date == timezone.localdate(meeting.start)
    assert numbers() == [("Ö 1", "Mitteilungen"), ("N 1", "Personalangelegenheit")]
    assert not draft.consultations.exists()


def test_agenda_refusals_are_german_and_change_nothing(client, body, scene, office):
    client.force_login(office)
    target = url("office_meeting", body, scene.meeting.pk)
    draft = PaperFactory(body=body)
    response = client.post(target, {"action": "paper", "paper-paper": draft.pk})
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in page_text(response)
    response = client.post(target, {"action": "item", "item-name": "  "})
    assert response.status_code == 200 and "Dieses Feld ist zwingend" in page_text(response)
    response = client.post(target, {"action": "remove", "item": scene.public_item.pk}, follow=True)
    assert "Zu diesem Punkt ist ein Beschluss erfasst" in page_text(response)
    assert AgendaItem.objects.filter(meeting=scene.meeting).count() == 2
    foreign_item = AgendaItem.objects.create(meeting=scene.upcoming, order=1, name="Anderswo")
    assert client.post(target, {"action": "up", "item": foreign_item.pk}).status_code == 404


def test_a_paper_already_on_the_agenda_is_refused(client, body, scene, office):
    meeting = scene.upcoming
    paper = released(body, reference="26/0011")
    client.force_login(office)
    target = url("office_meeting", body, meeting.pk)
    client.post(target, {"action": "paper", "paper-paper": paper.pk, "paper-part": "non_public"})
    item = meeting.agenda_items.get()
    assert (item.number, item.is_public) == ("N 1", False)
    response = client.post(target, {"action": "paper", "paper-paper": paper.pk})
    assert "Bitte eine gültige Auswahl treffen" in page_text(response)
    assert meeting.agenda_items.count() == 1


def test_agenda_of_a_cancelled_meeting_is_fixed(client, body, scene, office):
    meeting = scene.upcoming
    item = AgendaItem.objects.create(meeting=meeting, order=1, number="Ö 1", name="Punkt")
    set_meeting_state(office, meeting, MeetingState.CANCELLED)
    client.force_login(office)
    target = url("office_meeting", body, meeting.pk)
    response = client.post(target, {"action": "remove", "item": item.pk}, follow=True)
    assert "Die Sitzung ist abgesagt." in page_text(response)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


# Decisions


def test_record_decision_moves_measures_and_creates_the_follow_up(
    client, body, scene, office, measure
):
    unit = OrgUnitFactory(body=body, code="FB 10")
    measure.status = MeasureStatus.PRIORITISED
    measure.save()
    due = timezone.localdate() + datetime.timedelta(days=60)
    paper = released(
        body,
        reference="26/0020",
        follow_up_wanted=True,
        follow_up_unit=unit,
        follow_up_due=due,
        decision_proposal="Der Rat beschließt das Portal.",
    )
    paper.measures.add(measure)
    ConsultationFactory(paper=paper, organization=scene.committee, authoritative=True)
    item = services.put_on_agenda(office, paper, scene.upcoming)
    client.force_login(office)
    target = url("office_decision", body, scene.upcoming.pk, item.pk)
    page = page_text(client.get(target))
    assert "Der Rat beschließt das Portal." in page  # the proposal as the starting text

    data = {
        "outcome": DecisionOutcome.REFERRED,
        "resolution_text": "Mein Beschlusstext",
        "votes_for": "-1",
        "date": "2026-12-01",
    }
    response = client.post(target, data)
    assert response.status_code == 200
    page = page_text(response)
    assert "Geben Sie an, wohin der Punkt verwiesen wurde." in page
    assert "größer oder gleich 0" in page
    assert "Mein Beschlusstext" in page and not Decision.objects.filter(agenda_item=item).exists()

    data.update(outcome=DecisionOutcome.ADOPTED, votes_for="9", votes_against="1")
    response = client.post(target, {**data, "unanimous": "on"})
    assert "Ein einstimmiger Beschluss hat keine Gegenstimmen." in page_text(response)
    assert not Decision.objects.filter(agenda_item=item).exists()

    response = client.post(target, data)
    assert response.status_code == 200
    decision = Decision.objects.get(agenda_item=item)
    page = page_text(response)
    assert f"Beschluss {decision.number} wurde erfasst." in page
    assert "Geänderte Maßnahmen:" in page and measure.title in page
    follow_up = decision.follow_up
    assert (follow_up.unit, follow_up.due_date) == (unit, due)
    assert url("office_follow_up", body, follow_up.pk) in page
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DECIDED

    response = client.post(target, data, follow=True)
    assert "Zu diesem Tagesordnungspunkt ist bereits ein Beschluss erfasst." in page_text(response)
    assert Decision.objects.filter(agenda_item=item).count() == 1
    page = page_text(client.get(target))
    assert "Erfasster Beschluss" in page and 'name="outcome"' not in page


def test_a_preliminary_decision_moves_nothing(client, body, scene, office, measure):
    paper = released(body, reference="26/0021")
    paper.measures.add(measure)
    item = services.put_on_agenda(office, paper, scene.upcoming)
    client.force_login(office)
    response = client.post(
        url("office_decision", body, scene.upcoming.pk, item.pk),
        {"outcome": DecisionOutcome.ADOPTED, "unanimous": "on", "date": "2026-12-01"},
    )
    page = page_text(response)
    assert "Keine Maßnahme wurde geändert." in page
    assert "Es wurde keine Beschlusskontrolle angelegt." in page


# Beschlusskontrolle


def test_follow_up_list_filters_open_overdue_unit_and_organization(client, body, scene, staff):
    unit, other_unit = OrgUnitFactory(body=body), OrgUnitFactory(body=body)
    late = follow_up_for(scene.decision, unit=unit, due_date=datetime.date(2020, 1, 1))
    soon = follow_up_for(
        scene.secret_decision,
        unit=other_unit,
        due_date=timezone.localdate() + datetime.timedelta(days=5),
    )
    other_meeting = MeetingFactory(body=body, organizations=[scene.other_committee])
    other_item = AgendaItem.objects.create(meeting=other_meeting, order=1, name="Bau", number="Ö 1")
    done = follow_up_for(
        Decision.objects.create(
            body=body, agenda_item=other_item, outcome="beschlossen", date=datetime.date(2025, 1, 1)
        ),
        state=FollowUpState.DONE,
    )
    client.force_login(staff)
    target = url("office_follow_ups", body)

    def shown(**params):
        page = page_text(client.get(target, params))
        return {f.pk for f in (late, soon, done) if url("office_follow_up", body, f.pk) in page}

    assert shown() == {late.pk, soon.pk}
    assert shown(anzeigen="overdue") == {late.pk}
    assert shown(anzeigen="all") == {late.pk, soon.pk, done.pk}
    assert shown(einheit=other_unit.pk) == {soon.pk}
    assert shown(anzeigen="all", gremium=scene.other_committee.pk) == {done.pk}
    assert "überfällig" in page_text(client.get(target))


def test_follow_up_notes_and_state(client, body, scene, staff):
    follow_up = follow_up_for(scene.decision, due_date=datetime.date(2020, 1, 1))
    client.force_login(staff)
    target = url("office_follow_up", body, follow_up.pk)
    response = client.post(target, {"action": "note", "note-text": "   "})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in page_text(response)
    assert not FollowUpNote.objects.exists()
    response = client.post(target, {"action": "note", "note-text": "Ausschreibung läuft."})
    assert response.status_code == 302
    response = client.post(target, {"action": "state", "state-state": "kaputt"})
    assert "Bitte eine gültige Auswahl treffen" in page_text(response)
    client.post(target, {"action": "state", "state-state": FollowUpState.DONE})
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.DONE and follow_up.done_on == timezone.localdate()
    page = page_text(client.get(target))
    assert "Ausschreibung läuft." in page and "überfällig" not in page


# The public report


@pytest.fixture
def report_scene(scene):
    follow_up_for(scene.decision, due_date=datetime.date(2020, 1, 1))
    follow_up_for(scene.secret_decision, due_date=datetime.date(2020, 2, 1))
    scene.public_item.name = "=cmd|' /C calc'!A0"
    scene.public_item.save()
    return scene


def test_report_shows_only_decisions_the_viewer_may_see(
    client, body, report_scene, citizen, make_member
):
    scene = report_scene
    target = url("follow_up_report", body)
    for user in (None, citizen, scene.other_member):
        if user:
            client.force_login(user)
        page = page_text(client.get(target))
        assert "1/26" in page and "2/26" not in page and SECRET_ITEM not in page
        assert SECRET_DECISION not in page
    for user in (scene.member, make_member(body, "council_office")):
        client.force_login(user)
        page = page_text(client.get(target))
        assert "1/26" in page and "2/26" in page and SECRET_ITEM in page
    page = page_text(client.get(target, {"gremium": scene.other_committee.pk}))
    assert "1/26" not in page and "Keine Beschlusskontrollen." in page


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_is_filtered_masked_and_defused(client, body, report_scene):
    scene = report_scene
    response = client.get(url("follow_up_report_csv", body))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][0] == "Beschluss-Nr." and len(rows) == 2
    assert rows[1][0] == "1/26" and rows[1][4].startswith("'=")
    assert rows[1][5] == "26/0001" and rows[1][10] == "ja"
    client.force_login(scene.member)
    assert len(read_csv(client.get(url("follow_up_report_csv", body)))) == 3
    filtered = client.get(url("follow_up_report_csv", body), {"gremium": scene.other_committee.pk})
    assert len(read_csv(filtered)) == 1


# Query counts


def test_pinned_query_counts(
    client, body, scene_with_follow_up, make_member, django_assert_num_queries
):
    scene = scene_with_follow_up
    client.force_login(make_member(body, "council_office"))
    # session, user, roles, body, then the page's own queries
    pages = {
        ("office_meetings", ()): 9,
        ("office_meeting_new", ()): 6,
        ("office_meeting", (scene.meeting.pk,)): 8,
        ("office_meeting_edit", (scene.meeting.pk,)): 8,
        ("office_decision", (scene.meeting.pk, scene.public_item.pk)): 5,
        ("office_follow_ups", ()): 8,
        ("office_follow_up", (scene.follow_up.pk,)): 6,
        ("follow_up_report", ()): 9,
        ("follow_up_report_csv", ()): 7,
    }
    for (name, args), expected in pages.items():
        with django_assert_num_queries(expected):
            response = client.get(url(name, body, *args))
            assert response.status_code == 200
            if name.endswith("_csv"):
                b"".join(response.streaming_content)


def count_queries(client, target) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(target)
        assert response.status_code == 200
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return len(captured)


def add_rows(body, scene, count):
    for _ in range(count):
        meeting = MeetingFactory(
            body=body,
            start=timezone.now() - datetime.timedelta(days=5),
            organizations=[scene.committee, scene.other_committee],
        )
        paper = released(body)
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=1,
            number="N 1",
            is_public=False,
            name=paper.name,
            consultation=ConsultationFactory(
                paper=paper, organization=scene.committee, meeting=meeting
            ),
        )
        decision = Decision.objects.create(
            body=body, agenda_item=item, outcome="beschlossen", date=datetime.date(2025, 1, 1)
        )
        follow_up_for(decision, unit=OrgUnitFactory(body=body), due_date=datetime.date(2020, 1, 1))
        AgendaItem.objects.create(
            meeting=scene.meeting,
            order=scene.meeting.agenda_items.count() + 1,
            name="Weiterer Punkt",
            consultation=ConsultationFactory(paper=paper, organization=scene.committee),
        )


GROWING = [
    ("office_meetings", "council_office"),
    ("office_meeting", "council_office"),
    ("office_follow_ups", "council_office"),
    ("follow_up_report", "member"),
    ("follow_up_report", "council_office"),
    ("follow_up_report_csv", "member"),
    ("follow_up_report_csv", "council_office"),
]


@pytest.mark.parametrize("name,who", GROWING)
def test_query_counts_do_not_grow_with_rows(client, body, scene, make_member, name, who):
    client.force_login(scene.member if who == "member" else make_member(body, who))
    target = url(name, body, *([scene.meeting.pk] if name == "office_meeting" else []))
    add_rows(body, scene, 1)
    before = count_queries(client, target)
    add_rows(body, scene, 4)
    assert count_queries(client, target) == before
