"""The public council pages: organizations, meetings (list and month), papers, decisions."""

import datetime
import itertools
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotse.council.models import (
    AgendaItem,
    Decision,
    DecisionOutcome,
    FollowUp,
    FollowUpState,
    Meeting,
    MeetingState,
    MembershipRole,
    Organization,
    OrganizationType,
    Paper,
    PaperState,
    PaperType,
)
from tests.council.factories import (
    ConsultationFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    PaperFactory,
    PersonFactory,
)
from tests.factories import UserFactory, add_totp

SECRET_ITEM = "Vertrauliche Personalsache Geheimhausen"
SECRET_PAPER = "Grundstücksankauf Geheimweg"
SECRET_DECISION = "Der Ankauf zum geheimen Preis wird beschlossen."


@dataclass
class Scene:
    committee: Organization
    other_committee: Organization
    meeting: Meeting
    upcoming: Meeting
    public_paper: Paper
    secret_paper: Paper
    public_item: AgendaItem
    secret_item: AgendaItem
    decision: Decision
    secret_decision: Decision
    member: object
    other_member: object


def treat(meeting, paper, organization, order, number, *, public=True, name=None):
    consultation = ConsultationFactory(
        paper=paper, organization=organization, meeting=meeting, is_public=public
    )
    return AgendaItem.objects.create(
        meeting=meeting,
        order=order,
        number=number,
        name=name or paper.name,
        is_public=public,
        consultation=consultation,
    )


def decide(item, text, **kwargs):
    return Decision.objects.create(
        body=item.meeting.body,
        agenda_item=item,
        outcome=DecisionOutcome.ADOPTED,
        resolution_text=text,
        date=timezone.localdate(item.meeting.start),
        **kwargs,
    )


def make_scene(body) -> Scene:
    """A committee's past meeting with a public item (Ö 1) and a non-public one (N 1), each
    with a released paper and a decision; a member of the committee and one of another."""
    committee = OrganizationFactory(body=body, name="Digitalisierungsausschuss")
    other_committee = OrganizationFactory(body=body, name="Bauausschuss")
    member, other_member = UserFactory(), UserFactory()
    add_totp(member)  # a chair signs in with a second factor
    add_totp(other_member)  # so does a voting member (Body.voters_need_mfa)
    MembershipFactory(
        organization=committee,
        person=PersonFactory(body=body, user=member, family_name="Mitglied"),
        role=MembershipRole.CHAIR,
    )
    MembershipFactory(
        organization=other_committee, person=PersonFactory(body=body, user=other_member)
    )
    meeting = MeetingFactory(
        body=body,
        name="12. Sitzung des Digitalisierungsausschusses",
        start=timezone.now() - datetime.timedelta(days=3),
        location="Rathaus, Sitzungssaal",
        state=MeetingState.HELD,
        is_hybrid=True,
        video_url="https://video.example.org/raum-geheim",
        organizations=[committee],
    )
    upcoming = MeetingFactory(
        body=body,
        name="13. Sitzung des Digitalisierungsausschusses",
        start=timezone.now() + datetime.timedelta(days=10),
        organizations=[committee],
    )
    public_paper = PaperFactory(
        body=body,
        reference="26/0001",
        name="Digitale Bürgerdienste ausbauen",
        state=PaperState.RELEASED,
    )
    secret_paper = PaperFactory(
        body=body,
        reference="26/0002",
        name=SECRET_PAPER,
        state=PaperState.RELEASED,
        is_public=False,
    )
    public_item = treat(meeting, public_paper, committee, 1, "Ö 1")
    secret_item = treat(meeting, secret_paper, committee, 2, "N 1", public=False, name=SECRET_ITEM)
    decision = decide(public_item, "Die Bürgerdienste werden ausgebaut.", number="1/26")
    decision.votes_for, decision.votes_against, decision.abstentions = 9, 2, 1
    decision.save()
    secret_decision = decide(secret_item, SECRET_DECISION, number="2/26")
    return Scene(
        committee,
        other_committee,
        meeting,
        upcoming,
        public_paper,
        secret_paper,
        public_item,
        secret_item,
        decision,
        secret_decision,
        member,
        other_member,
    )


@pytest.fixture
def scene(body):
    return make_scene(body)


def url(name, body, *args):
    return reverse(f"council:{name}", args=[body.slug, *args])


# Organizations


def test_organization_list_groups_by_type_with_member_counts(client, body, scene):
    OrganizationFactory(body=body, name="Fraktion Grün", organization_type=OrganizationType.FACTION)
    OrganizationFactory(name="Fremder Ausschuss")
    page = client.get(url("organizations", body)).content.decode()
    assert page.index("Ausschuss</h2>") < page.index("Fraktion</h2>")
    assert "Digitalisierungsausschuss" in page and "Fraktion Grün" in page
    assert "1 Mitglied" in page
    assert "Fremder Ausschuss" not in page


def test_organization_page_shows_members_and_meetings(client, body, scene):
    faction = OrganizationFactory(
        body=body, name="Fraktion Blau", organization_type=OrganizationType.FACTION
    )
    MembershipFactory(
        organization=scene.committee,
        person=PersonFactory(body=body, family_name="Beraterin"),
        role=MembershipRole.EXPERT_CITIZEN,
        voting_right=False,
        on_behalf_of=faction,
    )
    MembershipFactory(
        organization=scene.committee,
        person=PersonFactory(body=body, family_name="Ehemalig"),
        end_date=datetime.date(2020, 1, 1),
    )
    page = client.get(url("organization", body, scene.committee.pk)).content.decode()
    assert "Vorsitz" in page and "Maria Beraterin" in page and "Fraktion Blau" in page
    assert "Ehemalig" not in page
    assert page.index("Maria Mitglied") < page.index("Maria Beraterin")
    assert scene.meeting.name in page and scene.upcoming.name in page
    assert url("organization_calendar", body, scene.committee.pk) in page


def test_organization_of_another_body_is_not_found(client, body, other_body):
    foreign = OrganizationFactory(body=other_body)
    assert client.get(url("organization", body, foreign.pk)).status_code == 404


# Meetings


def test_meeting_list_splits_upcoming_and_past_and_filters(client, body, scene):
    MeetingFactory(body=body, name="Ratssitzung", organizations=[scene.other_committee])
    page = client.get(url("meetings", body)).content.decode()
    assert page.index(scene.upcoming.name) < page.index("Vergangene Sitzungen")
    assert page.index("Vergangene Sitzungen") < page.index(scene.meeting.name)
    assert "Ratssitzung" in page
    filtered = client.get(url("meetings", body), {"gremium": scene.committee.pk})
    assert "Ratssitzung" not in filtered.content.decode()
    assert url("organization_calendar", body, scene.committee.pk) in filtered.content.decode()


def test_month_view_is_a_table_with_the_meetings_of_the_month(client, body, scene):
    start = datetime.datetime(2026, 11, 17, 17, 0, tzinfo=datetime.UTC)
    november = MeetingFactory(body=body, name="Novembersitzung", start=start)
    MeetingFactory(body=body, name="Dezembersitzung", start=start + datetime.timedelta(days=30))
    response = client.get(url("meetings", body), {"ansicht": "monat", "monat": "2026-11"})
    page = response.content.decode()
    assert "<caption>November 2026</caption>" in page
    assert '<th scope="col">Montag</th>' in page
    assert url("meeting", body, november.pk) in page
    assert "Dezembersitzung" not in page
    assert "monat=2026-12" in page and "monat=2026-10" in page


def test_month_view_takes_the_current_month_for_a_bad_value(client, body):
    response = client.get(url("meetings", body), {"ansicht": "monat", "monat": "kaputt"})
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)


def test_meeting_page_shows_agenda_papers_and_results(client, body, scene):
    page = client.get(url("meeting", body, scene.meeting.pk)).content.decode()
    assert "Rathaus, Sitzungssaal" in page and "durchgeführt" in page
    assert "Ö 1" in page and url("paper", body, scene.public_paper.pk) in page
    assert "Die Bürgerdienste werden ausgebaut." in page
    assert "Ja: 9, Nein: 2, Enthaltungen: 1" in page
    assert "N 1 – nicht öffentlich" in page


def test_video_link_only_for_members_council_office_and_staff(
    client, body, scene, citizen, make_member
):
    link = scene.meeting.video_url
    target = url("meeting", body, scene.meeting.pk)
    assert link not in client.get(target).content.decode()
    for user in (citizen, scene.other_member):
        client.force_login(user)
        assert link not in client.get(target).content.decode()
    for user in (scene.member, make_member(body, "council_office"), make_member(body, "staff")):
        client.force_login(user)
        assert link in client.get(target).content.decode()


# Papers


def test_paper_list_searches_and_filters(client, body, scene):
    PaperFactory(
        body=body,
        reference="25/0100",
        name="Anfrage zum Glasfaserausbau",
        paper_type=PaperType.INQUIRY,
        state=PaperState.RELEASED,
        date=datetime.date(2025, 3, 1),
    )
    PaperFactory(body=body, name="Entwurf einer Vorlage")
    papers = url("papers", body)

    def names(**query):
        return {p.name for p in client.get(papers, query).context["papers"]}

    assert names() == {"Anfrage zum Glasfaserausbau", "Digitale Bürgerdienste ausbauen"}
    assert names(q="glasfaser") == {"Anfrage zum Glasfaserausbau"}
    assert names(q="26/00") == {"Digitale Bürgerdienste ausbauen"}
    assert names(typ=PaperType.INQUIRY) == {"Anfrage zum Glasfaserausbau"}
    assert names(gremium=scene.committee.pk) == {"Digitale Bürgerdienste ausbauen"}
    assert names(jahr=2025) == {"Anfrage zum Glasfaserausbau"}


def test_staff_see_drafts_in_the_paper_list(client, body, scene, make_member):
    PaperFactory(body=body, name="Entwurf einer Vorlage")
    client.force_login(make_member(body, "staff"))
    page = client.get(url("papers", body)).content.decode()
    assert "Entwurf einer Vorlage" in page and "Entwurf</span>" in page


def test_paper_page_shows_beratungsfolge_decision_and_measures(
    client, body, scene, measure, internal_measure
):
    scene.public_paper.decision_proposal = "Der Ausschuss **beschließt** den Ausbau."
    scene.public_paper.save()
    scene.public_paper.measures.add(measure, internal_measure)
    ConsultationFactory(
        paper=scene.public_paper,
        organization=OrganizationFactory(body=body, name="Rat der Stadt"),
        planned_date=datetime.date(2026, 12, 10),
        order=5,
    )
    page = client.get(url("paper", body, scene.public_paper.pk)).content.decode()
    assert "<strong>beschließt</strong>" in page
    assert page.index("Digitalisierungsausschuss") < page.index("Rat der Stadt")
    assert url("meeting", body, scene.meeting.pk) in page
    assert "10. Dezember 2026" in page
    assert "Die Bürgerdienste werden ausgebaut." in page and "Beschluss-Nr. 1/26" in page
    assert measure.title in page and internal_measure.title not in page


def test_drafts_and_other_bodies_papers_are_not_found(client, body, other_body):
    draft = PaperFactory(body=body)
    foreign = PaperFactory(body=other_body, state=PaperState.RELEASED)
    assert client.get(url("paper", body, draft.pk)).status_code == 404
    assert client.get(url("paper", body, foreign.pk)).status_code == 404


# Decisions


def test_decision_list_shows_follow_ups_and_filters_overdue(client, body, scene):
    FollowUp.objects.create(
        body=body,
        decision=scene.decision,
        due_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    other_meeting = MeetingFactory(body=body, organizations=[scene.other_committee])
    item = AgendaItem.objects.create(meeting=other_meeting, order=1, number="Ö 1", name="Bau")
    done = decide(item, "Gebaut.")
    FollowUp.objects.create(
        body=body, decision=done, due_date=datetime.date(2020, 1, 1), state=FollowUpState.DONE
    )
    decisions = url("decisions", body)
    page = client.get(decisions).content.decode()
    assert "überfällig" in page and "Gebaut." in page
    overdue = client.get(decisions, {"ueberfaellig": "1"}).context["decisions"]
    assert [d.pk for d in overdue] == [scene.decision.pk]
    by_committee = client.get(decisions, {"gremium": scene.other_committee.pk}).context["decisions"]
    assert [d.pk for d in by_committee] == [done.pk]


# Query counts: independent of the number of rows.


REFERENCES = itertools.count(1000)


def add_rows(body, scene, count):
    for n in range(count):
        meeting = MeetingFactory(
            body=body,
            start=timezone.now() - datetime.timedelta(days=10 + n),
            organizations=[scene.committee, scene.other_committee],
        )
        paper = PaperFactory(
            body=body, reference=f"26/{next(REFERENCES)}", state=PaperState.RELEASED
        )
        item = treat(meeting, paper, scene.committee, 1, "Ö 1")
        decide(item, f"Beschluss {n}")
        secret = treat(
            meeting,
            PaperFactory(body=body, state=PaperState.RELEASED, is_public=False),
            scene.committee,
            2,
            "N 1",
            public=False,
        )
        FollowUp.objects.create(body=body, decision=decide(secret, "Geheim"), due_date=None)
        order = next(REFERENCES) % 30000
        treat(scene.upcoming, paper, scene.committee, order, f"Ö {order}")
        ConsultationFactory(paper=scene.public_paper, organization=scene.other_committee)
        MembershipFactory(organization=scene.committee, person=PersonFactory(body=body))


PAGES = [
    ("organizations", lambda s: []),
    ("organization", lambda s: [s.committee.pk]),
    ("meetings", lambda s: []),
    ("meeting", lambda s: [s.upcoming.pk]),
    ("papers", lambda s: []),
    ("paper", lambda s: [s.public_paper.pk]),
    ("decisions", lambda s: []),
    ("calendar", lambda s: []),
    ("organization_calendar", lambda s: [s.committee.pk]),
]


def count_queries(client, target) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(target).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name,args", PAGES)
@pytest.mark.parametrize("who", ["anonymous", "member", "council_office"])
def test_query_counts_do_not_grow_with_rows(client, body, scene, make_member, name, args, who):
    if who == "member":
        client.force_login(scene.member)
    elif who == "council_office":
        client.force_login(make_member(body, "council_office"))
    target = url(name, body, *args(scene))
    add_rows(body, scene, 2)
    before = count_queries(client, target)
    add_rows(body, scene, 5)
    assert count_queries(client, target) == before


def test_pinned_query_counts(client, body, scene, django_assert_num_queries):
    client.force_login(scene.member)
    # session, user, roles, body, then the page's own queries
    expected = {
        "organizations": 5,
        "organization": 10,
        "meetings": 12,  # + the running meetings (today / läuft) and their organizations
        "meeting": 11,  # + files, live session and whether the user chairs it
        "papers": 10,  # the first and the last year are two index seeks
        "paper": 12,  # + its files
        "decisions": 10,
        "calendar": 5,
        "organization_calendar": 6,
    }
    for name, args in PAGES:
        with django_assert_num_queries(expected[name]):
            assert client.get(url(name, body, *args(scene))).status_code == 200


def test_paper_page_shows_impacts_check_and_files(client, body, make_member):
    """A paper carries the impact blocks and the E-Government-Check of issue 3 and its
    attachments; the check's internal note stays inside the administration."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lotse.assessment.models import CheckAnswer, DigitalCheck
    from lotse.assessment.services import ensure_default_questions
    from lotse.core.impacts import ImpactAssessment
    from lotse.council import files

    staff = make_member(body, "staff")
    question = ensure_default_questions(body)[0]
    check = DigitalCheck.objects.create(
        body=body,
        result="teilweise",
        legal_reason="§ 3a VwVfG verlangt die Schriftform.",
        internal_note="Nur für die Verwaltung",
    )
    CheckAnswer.objects.create(digital_check=check, question=question, answer="nein", note="")
    impacts = ImpactAssessment.objects.create(climate=ImpactAssessment.Climate.POSITIVE)
    paper = PaperFactory(body=body, impacts=impacts, digital_check=check)
    files.attach_file(
        staff,
        paper=paper,
        upload=SimpleUploadedFile("notiz.txt", "Glasfaser für alle".encode()),
        name="Notiz zur Vorlage",
        role="anlage",
    )
    # Released after the attachment: a released paper's files are fixed.
    Paper.objects.filter(pk=paper.pk).update(state=PaperState.RELEASED, reference="26/0042")
    page = client.get(url("paper", body, paper.pk)).content.decode()
    assert "Auswirkungen" in page
    assert "E-Government-Check" in page
    assert "§ 3a VwVfG verlangt die Schriftform." in page
    assert question.text in page
    assert "Nur für die Verwaltung" not in page
    assert "Notiz zur Vorlage" in page
    assert "/dateien/" in page
