"""The council office's paper workspace: drafting, impacts and E-Government-Check,
co-signing, release, supplements and the planned Beratungsfolge."""

import pytest
from django.urls import reverse

from lotse.assessment import services as assessment_services
from lotse.council.models import (
    AgendaItem,
    Consultation,
    ConsultationRole,
    Paper,
    PaperState,
    PaperType,
    Signoff,
    SignoffState,
)
from tests.council.factories import (
    ConsultationFactory,
    MeetingFactory,
    OrganizationFactory,
    PaperFactory,
)
from tests.strategy.factories import OrgUnitFactory


def url(name, body, *args):
    return reverse(f"council:{name}", args=[body.slug, *args])


@pytest.fixture
def office(body, make_member):
    return make_member(body, "council_office")


@pytest.fixture
def staff(body, make_member):
    return make_member(body, "staff")


@pytest.fixture
def units(body):
    return [OrgUnitFactory(body=body, code="FB 10"), OrgUnitFactory(body=body, code="FB 20")]


@pytest.fixture
def draft(body):
    return PaperFactory(body=body, name="Digitale Akte einführen")


@pytest.fixture
def released(body):
    return PaperFactory(
        body=body, name="Glasfaser für Schulen", reference="26/0007", state=PaperState.RELEASED
    )


def paper_data(**overrides):
    data = {
        "paper_type": PaperType.PROPOSAL,
        "name": "Onlinezugang für Bauanträge",
        "date": "2026-11-20",
        "is_public": "on",
        "decision_proposal": "Der Ausschuss beschließt den Onlinezugang.",
        "reasoning": "Das OZG verlangt es.",
        "related_references": "",
    }
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# The whole way: create, route, answer, release, supplement


def test_office_creates_routes_signs_off_and_releases_a_paper(
    client, body, office, staff, units, measure, released
):
    client.force_login(office)
    response = client.post(
        url("office_paper_new", body),
        paper_data(
            measures=[measure.pk], related_references="26/0007", originator_unit=units[0].pk
        ),
    )
    paper = Paper.objects.get(name="Onlinezugang für Bauanträge")
    assert response.status_code == 302
    assert response["Location"] == url("office_paper", body, paper.pk)
    assert paper.state == PaperState.DRAFT and paper.reference == ""
    assert list(paper.measures.all()) == [measure]
    assert list(paper.related_papers.all()) == [released]
    assert list(released.related_papers.all()) == [paper]

    client.post(
        url("office_paper_signoffs", body, paper.pk),
        {"units": [u.pk for u in units], "required": "on"},
    )
    paper.refresh_from_db()
    assert paper.state == PaperState.SIGNING
    first, second = Signoff.objects.filter(paper=paper).order_by("unit__code")

    # Release before everyone has signed: refused with the units named.
    response = client.post(url("office_paper_release", body, paper.pk), follow=True)
    assert "FB 10" in " ".join(messages_of(response))
    paper.refresh_from_db()
    assert paper.state == PaperState.SIGNING

    # The administration answers in the list of open requests.
    client.force_login(staff)
    page = client.get(url("office_signoffs", body)).content.decode()
    assert "Onlinezugang für Bauanträge" in page
    client.post(
        url("office_signoffs", body), {"signoff": first.pk, f"s{first.pk}-state": "zugestimmt"}
    )
    client.post(
        url("office_signoffs", body),
        {
            "signoff": second.pk,
            f"s{second.pk}-state": "anmerkung",
            f"s{second.pk}-comment": "Datenschutz beachten.",
        },
    )
    assert {s.state for s in Signoff.objects.filter(paper=paper)} == {
        SignoffState.APPROVED,
        SignoffState.COMMENTED,
    }
    assert client.get(url("office_signoffs", body)).context["rows"] == []
    # Staff may not release.
    assert client.post(url("office_paper_release", body, paper.pk)).status_code == 403

    client.force_login(office)
    response = client.post(url("office_paper_release", body, paper.pk), follow=True)
    paper.refresh_from_db()
    assert paper.state == PaperState.RELEASED
    assert paper.reference.startswith("26/")
    assert f"als {paper.reference} freigegeben" in " ".join(messages_of(response))
    page = response.content.decode()
    assert "Ergänzungsvorlage anlegen" in page and "Vorlage bearbeiten" not in page


def test_a_comment_or_refusal_needs_its_text_and_nothing_is_stored(
    client, body, staff, draft, units
):
    signoff = Signoff.objects.create(paper=draft, unit=units[0])
    draft.state = PaperState.SIGNING
    draft.save()
    client.force_login(staff)
    response = client.post(
        url("office_signoffs", body), {"signoff": signoff.pk, f"s{signoff.pk}-state": "abgelehnt"}
    )
    assert response.status_code == 400
    assert "Bitte schreiben Sie Ihre Anmerkung oder die Begründung." in response.content.decode()
    signoff.refresh_from_db()
    assert signoff.state == SignoffState.OPEN


def test_released_paper_is_read_only_and_gets_a_supplement(client, body, office, released):
    client.force_login(office)
    for name in ("office_paper_edit", "office_paper_impacts", "office_paper_check"):
        response = client.get(url(name, body, released.pk), follow=True)
        assert response.redirect_chain[-1][0] == url("office_paper", body, released.pk)
        assert "Ergänzungsvorlage" in " ".join(messages_of(response))
    response = client.post(url("office_paper_edit", body, released.pk), paper_data(name="Neu"))
    released.refresh_from_db()
    assert released.name == "Glasfaser für Schulen"

    response = client.post(url("office_paper_supplement", body, released.pk))
    supplement = Paper.objects.get(supplements=released)
    assert response["Location"] == url("office_paper_edit", body, supplement.pk)
    assert supplement.paper_type == PaperType.SUPPLEMENT and supplement.state == PaperState.DRAFT
    form = client.get(response["Location"]).context["form"]
    assert [value for value, _label in form.fields["paper_type"].choices] == ["ergaenzungsvorlage"]


def test_supplement_of_a_draft_is_refused(client, body, office, draft):
    client.force_login(office)
    response = client.post(url("office_paper_supplement", body, draft.pk), follow=True)
    assert "Nur eine freigegebene Vorlage" in " ".join(messages_of(response))
    assert not Paper.objects.filter(supplements=draft).exists()


# Bad input: German errors, nothing stored


def test_missing_subject_and_follow_up_without_unit_show_german_errors(client, body, office):
    client.force_login(office)
    response = client.post(url("office_paper_new", body), paper_data(name=""))
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    response = client.post(
        url("office_paper_new", body), paper_data(follow_up_wanted="on", follow_up_due="2027-01-31")
    )
    page = response.content.decode()
    assert "Nennen Sie die Organisationseinheit, die über die Beschlusskontrolle" in page
    assert "Onlinezugang für Bauanträge" in page  # what was typed stays in the form
    assert not Paper.objects.exists()


def test_unknown_related_paper_number_is_refused(client, body, office, other_body):
    PaperFactory(body=other_body, reference="26/0099", state=PaperState.RELEASED)
    client.force_login(office)
    response = client.post(url("office_paper_new", body), paper_data(related_references="26/0099"))
    assert "26/0099" in response.context["form"].errors["related_references"][0]
    assert not Paper.objects.filter(body=body).exists()


def test_draft_is_edited(client, body, staff, draft, measure):
    client.force_login(staff)
    response = client.post(
        url("office_paper_edit", body, draft.pk),
        paper_data(name="Digitale Akte für alle Ämter", measures=[measure.pk]),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "Digitale Akte für alle Ämter"
    assert list(draft.measures.all()) == [measure]
    assert draft.history.count() == 2


# Impacts and E-Government-Check


def test_impacts_are_validated_and_saved(client, body, staff, draft):
    client.force_login(staff)
    target = url("office_paper_impacts", body, draft.pk)
    data = {
        "has_financial_impact": "on",
        "expense_annual": "1000",
        "personnel_annual": "1500",
        "climate": "keine",
        "inclusion": "keine",
        "budget_available": "unknown",
    }
    response = client.post(target, data)
    assert "mehr als die Summe" in response.content.decode()
    draft.refresh_from_db()
    assert draft.impacts is None
    assert client.post(target, {**data, "personnel_annual": "800"}).status_code == 302
    draft.refresh_from_db()
    assert draft.impacts.personnel_annual == 800
    client.post(target, {**data, "personnel_annual": "900"})
    draft.refresh_from_db()
    assert draft.impacts.personnel_annual == 900


def check_data(body, **overrides):
    data = {"result": "digital", "legal_reason": "", "internal_note": ""}
    for question in assessment_services.ensure_default_questions(body):
        data[f"answer_{question.pk}"] = "ja"
        data[f"note_{question.pk}"] = ""
    data.update(overrides)
    return data


def test_e_government_check_of_a_paper(client, body, staff, draft):
    client.force_login(staff)
    target = url("office_paper_check", body, draft.pk)
    response = client.post(target, check_data(body, result="teilweise"))
    assert "Rechtsgrund" in response.content.decode() or "rechtlichen Grund" in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.digital_check is None
    assert client.post(target, check_data(body)).status_code == 302
    draft.refresh_from_db()
    check = draft.digital_check
    assert check.result == "digital" and check.measure is None and check.body == body
    assert check.answers.count() == 10
    client.post(target, check_data(body, result="teilweise", legal_reason="§ 3a VwVfG"))
    check.refresh_from_db()
    assert check.result == "teilweise"
    assert Paper.objects.get(pk=draft.pk).digital_check_id == check.pk


# Beratungsfolge


def test_consultations_are_added_reordered_and_removed(client, body, office, released):
    committee = OrganizationFactory(body=body, name="Digitalisierungsausschuss")
    council = OrganizationFactory(body=body, name="Rat")
    client.force_login(office)
    target = url("office_paper_consultations", body, released.pk)
    for organization, role in ((council, "entscheidung"), (committee, "vorberatung")):
        response = client.post(
            target,
            {
                "action": "add",
                "organization": organization.pk,
                "role": role,
                "planned_date": "2026-12-01",
                "is_public": "on",
            },
        )
        assert response.status_code == 302
    first, second = Consultation.objects.filter(paper=released).order_by("order")
    assert first.organization == council
    client.post(target, {"action": "down", "consultation": first.pk})
    assert [c.organization for c in released.consultations.order_by("order")] == [
        committee,
        council,
    ]
    client.post(target, {"action": "remove", "consultation": first.pk})
    assert list(released.consultations.all()) == [second]


def test_consultation_on_an_agenda_stays(client, body, office, released):
    committee = OrganizationFactory(body=body)
    meeting = MeetingFactory(body=body, organizations=[committee])
    on_agenda = ConsultationFactory(paper=released, organization=committee, meeting=meeting)
    AgendaItem.objects.create(meeting=meeting, order=1, name="x", consultation=on_agenda)
    planned = ConsultationFactory(
        paper=released, organization=committee, role=ConsultationRole.NOTICE, order=2
    )
    client.force_login(office)
    target = url("office_paper_consultations", body, released.pk)
    response = client.post(target, {"action": "remove", "consultation": on_agenda.pk}, follow=True)
    assert "bereits auf der Tagesordnung" in " ".join(messages_of(response))
    client.post(target, {"action": "up", "consultation": planned.pk})
    assert Consultation.objects.filter(paper=released).count() == 2
    on_agenda.refresh_from_db()
    assert on_agenda.meeting == meeting


def test_consultation_form_error_in_german(client, body, office, draft):
    client.force_login(office)
    response = client.post(
        url("office_paper_consultations", body, draft.pk), {"action": "add", "role": "entscheidung"}
    )
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not Consultation.objects.exists()


# Who may


PAGES = [
    ("office_papers", False),
    ("office_paper_new", False),
    ("office_paper", True),
    ("office_paper_edit", True),
    ("office_paper_impacts", True),
    ("office_paper_check", True),
    ("office_paper_signoffs", True),
    ("office_paper_consultations", True),
    ("office_signoffs", False),
]


@pytest.mark.parametrize("who", ["anonymous", "citizen", "moderator", "other_staff"])
@pytest.mark.parametrize("name,with_paper", PAGES)
def test_workspace_is_closed_to_others(
    client, body, other_body, citizen, make_member, draft, who, name, with_paper
):
    if who == "citizen":
        client.force_login(citizen)
    elif who == "moderator":
        client.force_login(make_member(body, "moderator"))
    elif who == "other_staff":
        client.force_login(make_member(other_body, "council_office"))
    target = url(name, body, *([draft.pk] if with_paper else []))
    response = client.get(target)
    assert response.status_code == (302 if who == "anonymous" else 403)
    response = client.post(target, paper_data(name="Übernommen"))
    assert response.status_code in (302, 403)
    assert not Paper.objects.filter(name="Übernommen").exists()


@pytest.mark.parametrize("who", ["anonymous", "citizen", "other_staff", "staff"])
def test_release_and_supplement_are_refused(
    client, body, other_body, citizen, make_member, draft, released, who
):
    if who == "citizen":
        client.force_login(citizen)
    elif who == "other_staff":
        client.force_login(make_member(other_body, "council_office"))
    elif who == "staff":
        client.force_login(make_member(body, "staff"))
    response = client.post(url("office_paper_release", body, draft.pk))
    assert response.status_code == (302 if who == "anonymous" else 403)
    if who != "staff":
        response = client.post(url("office_paper_supplement", body, released.pk))
        assert response.status_code == (302 if who == "anonymous" else 403)
    draft.refresh_from_db()
    assert draft.state == PaperState.DRAFT
    assert not Paper.objects.filter(supplements=released).exists()


def test_paper_of_another_body_is_not_found(client, body, other_body, office):
    foreign = PaperFactory(body=other_body)
    client.force_login(office)
    for name in ("office_paper", "office_paper_edit", "office_paper_consultations"):
        assert client.get(url(name, body, foreign.pk)).status_code == 404
    assert client.post(url("office_paper_release", body, foreign.pk)).status_code == 404


def test_signoff_of_another_body_cannot_be_answered(client, body, other_body, staff, units):
    foreign = PaperFactory(body=other_body, state=PaperState.SIGNING)
    signoff = Signoff.objects.create(paper=foreign, unit=OrgUnitFactory(body=other_body))
    client.force_login(staff)
    response = client.post(
        url("office_signoffs", body), {"signoff": signoff.pk, f"s{signoff.pk}-state": "zugestimmt"}
    )
    assert response.status_code == 404
    signoff.refresh_from_db()
    assert signoff.state == SignoffState.OPEN


def test_get_on_a_button_is_not_allowed(client, body, office, draft):
    client.force_login(office)
    assert client.get(url("office_paper_release", body, draft.pk)).status_code == 405


# Query counts


def add_rows(body, units, count):
    for _ in range(count):
        paper = PaperFactory(body=body, state=PaperState.SIGNING)
        for unit in units:
            Signoff.objects.create(paper=paper, unit=unit)
        ConsultationFactory(paper=paper)


@pytest.fixture
def busy_draft(body, units, measure, released):
    paper = PaperFactory(body=body, state=PaperState.SIGNING)
    for unit in units:
        Signoff.objects.create(paper=paper, unit=unit)
    for _ in range(3):
        ConsultationFactory(paper=paper)
    paper.measures.add(measure)
    paper.related_papers.add(released)
    return paper


# session, user, roles, body, then the page's own queries
QUERY_COUNTS = {
    "office_papers": 7,
    "office_paper_new": 9,
    "office_paper": 11,
    "office_paper_edit": 13,
    "office_paper_impacts": 6,
    "office_paper_check": 8,
    "office_paper_signoffs": 8,
    "office_paper_consultations": 8,
    "office_signoffs": 6,
}


@pytest.mark.parametrize("name,with_paper", PAGES)
def test_pinned_query_counts(
    client, body, office, units, busy_draft, name, with_paper, django_assert_num_queries
):
    client.force_login(office)
    assessment_services.ensure_default_questions(body)
    target = url(name, body, *([busy_draft.pk] if with_paper else []))
    add_rows(body, units, 2)
    client.get(target)  # warm caches that live beyond a request (content types)
    with django_assert_num_queries(QUERY_COUNTS[name]):
        assert client.get(target).status_code == 200
    add_rows(body, units, 5)
    with django_assert_num_queries(QUERY_COUNTS[name]):
        assert client.get(target).status_code == 200


def test_office_services_check_permissions_themselves(body, citizen, make_member, draft):
    from django.core.exceptions import PermissionDenied

    from lotse.assessment.models import DigitalCheck
    from lotse.core.impacts import ImpactAssessment
    from lotse.council import services_office

    consultation = ConsultationFactory(paper=draft)
    for user in (citizen, make_member(body, "moderator")):
        with pytest.raises(PermissionDenied):
            services_office.save_paper_impacts(user, draft, ImpactAssessment())
        with pytest.raises(PermissionDenied):
            services_office.save_paper_check(user, draft, DigitalCheck(result="digital"), {})
        with pytest.raises(PermissionDenied):
            services_office.remove_consultation(user, consultation)
        with pytest.raises(PermissionDenied):
            services_office.move_consultation(user, consultation, 1)
        with pytest.raises(PermissionDenied):
            services_office.save_paper_with_links(user, draft, [], [])
    draft.refresh_from_db()
    assert draft.impacts is None and draft.digital_check is None
    assert Consultation.objects.filter(pk=consultation.pk).exists()
    assert not ImpactAssessment.objects.exists() and not DigitalCheck.objects.exists()
