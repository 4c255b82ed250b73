"""Who may reach which assessment page: role × page × method, other bodies, visibility."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from lotse.accounts.models import User
from lotse.assessment import services
from lotse.assessment.models import CostBenefit, DigitalCheck, PriorityDecision, PriorityWeights

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["ranking", "csv", "xlsx", "check", "cost_benefit"]
OWNER_PAGES = ["weights"]


def url(name, body, measure):
    base = f"/{body.slug}/"
    return {
        "ranking": base + "priorisierung/",
        "csv": base + "priorisierung/export.csv",
        "xlsx": base + "priorisierung/export.xlsx",
        "check": f"{base}verwaltung/massnahmen/{measure.pk}/egov-check/",
        "cost_benefit": f"{base}verwaltung/massnahmen/{measure.pk}/bewertung/",
        "weights": base + "verwaltung/gewichtung/",
    }[name]


def posts(body, measure):
    """A valid submission for every page that takes one."""
    questions = services.ensure_default_questions(body)
    check = {"result": "digital", "legal_reason": "", "internal_note": ""}
    for question in questions:
        check[f"answer_{question.pk}"] = "ja"
    return {
        "ranking": {
            "measure": measure.pk,
            "outcome": "priorisiert",
            "rank": "1",
            "decided_on": "2026-03-10",
        },
        "check": check,
        "cost_benefit": {
            "one_off_cost": "1000",
            "annual_cost": "0",
            "staff_days": "1",
            "citizen_benefit": "3",
            "time_saving": "3",
            "hours_saved_per_year": "0",
            "cost_saving": "0",
            "annual_savings": "0",
            "climate": "0",
        },
        "weights": {
            "citizen_benefit": "3",
            "time_saving": "2",
            "cost_saving": "2",
            "climate": "1",
            "goals": "2",
            "reference_effort": "100000",
            "staff_day_rate": "600",
            "horizon_years": "5",
        },
    }


def nothing_stored():
    return not (
        DigitalCheck.objects.exists()
        or CostBenefit.objects.exists()
        or PriorityDecision.objects.exists()
        or PriorityWeights.objects.exists()
    )


def user_for(who, body, other_body, citizen, make_member, site_admin):
    if who == "anonymous":
        return None
    if who == "citizen":
        return citizen
    if who == "site_admin":
        return site_admin
    if who == "other_admin":
        return make_member(other_body, "body_admin")
    return make_member(body, who)


REFUSED = ["citizen", "moderator", "council_office", "other_admin"]


@pytest.mark.parametrize("who", ["anonymous", *REFUSED])
@pytest.mark.parametrize("page", STAFF_PAGES + OWNER_PAGES)
def test_refused_on_every_page_and_post(
    client, body, other_body, citizen, make_member, site_admin, candidate, who, page
):
    user = user_for(who, body, other_body, citizen, make_member, site_admin)
    if user:
        client.force_login(user)
    address = url(page, body, candidate)
    expected = 302 if user is None else 403
    response = client.get(address)
    assert response.status_code == expected
    if user is None:
        assert response["Location"].startswith("/konto/login/")
    data = posts(body, candidate).get(page)
    if data is not None:
        assert client.post(address, data).status_code == expected
        assert nothing_stored()
        candidate.refresh_from_db()
        assert candidate.status == "in_pruefung"


@pytest.mark.parametrize("who", ["staff", "program_owner", "body_admin", "site_admin"])
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_reach_the_assessment_pages(
    client, body, other_body, citizen, make_member, site_admin, candidate, who, page
):
    client.force_login(user_for(who, body, other_body, citizen, make_member, site_admin))
    assert client.get(url(page, body, candidate)).status_code == 200


@pytest.mark.parametrize("page", ["check", "cost_benefit"])
def test_staff_may_save_assessments(client, body, staff, candidate, page):
    client.force_login(staff)
    response = client.post(url(page, body, candidate), posts(body, candidate)[page])
    assert response.status_code == 302
    assert DigitalCheck.objects.exists() or CostBenefit.objects.exists()


def test_staff_may_not_decide_nor_set_weights(client, body, staff, candidate):
    client.force_login(staff)
    page = client.get(url("ranking", body, candidate)).content.decode()
    assert "Entscheidung des Lenkungsgremiums erfassen" not in page
    assert "/verwaltung/gewichtung/" not in page
    data = posts(body, candidate)
    assert client.post(url("ranking", body, candidate), data["ranking"]).status_code == 403
    assert client.get(url("weights", body, candidate)).status_code == 403
    assert client.post(url("weights", body, candidate), data["weights"]).status_code == 403
    assert nothing_stored()


@pytest.mark.parametrize("who", ["program_owner", "body_admin", "site_admin"])
def test_owner_and_admins_decide_and_set_weights(
    client, body, other_body, citizen, make_member, site_admin, candidate, who
):
    client.force_login(user_for(who, body, other_body, citizen, make_member, site_admin))
    data = posts(body, candidate)
    page = client.get(url("ranking", body, candidate)).content.decode()
    assert "Entscheidung des Lenkungsgremiums erfassen" in page
    assert f'href="/{body.slug}/verwaltung/gewichtung/"' in page
    assert client.post(url("ranking", body, candidate), data["ranking"]).status_code == 302
    assert client.post(url("weights", body, candidate), data["weights"]).status_code == 302
    assert PriorityDecision.objects.count() == PriorityWeights.objects.count() == 1


@pytest.mark.parametrize("page", ["check", "cost_benefit"])
def test_another_bodys_measure_answers_404(client, body, other_body, make_member, page):
    from tests.strategy.factories import MeasureFactory

    foreign = MeasureFactory(primary_field__strategy__body=other_body, status="in_pruefung")
    client.force_login(make_member(body, "staff"))
    assert client.get(url(page, body, foreign)).status_code == 404
    assert client.post(url(page, body, foreign), posts(body, foreign)[page]).status_code == 404
    assert nothing_stored()


def test_another_bodys_candidate_cannot_be_decided(client, body, other_body, owner):
    from tests.strategy.factories import MeasureFactory

    foreign = MeasureFactory(primary_field__strategy__body=other_body, status="in_pruefung")
    client.force_login(owner)
    response = client.post(url("ranking", body, foreign), posts(body, foreign)["ranking"])
    assert 'id="id_measure_error"' in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.status == "in_pruefung"


def test_services_check_permissions_themselves(candidate, citizen):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.record_decision(citizen, candidate, outcome="priorisiert", rank=1)
    with pytest.raises(PermissionDenied):
        services.save_digital_check(
            citizen, DigitalCheck(body=candidate.body, measure=candidate, result="digital"), {}
        )
    assert nothing_stored()


def test_navigation_item_only_for_staff(client, body, staff, citizen):
    client.force_login(staff)
    assert f'href="/{body.slug}/priorisierung/"' in client.get(f"/{body.slug}/").content.decode()
    client.force_login(citizen)
    assert (
        f'href="/{body.slug}/priorisierung/"' not in client.get(f"/{body.slug}/").content.decode()
    )


def render_include(measure, user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "assessment/includes/measure_assessment.html",
        {"measure": measure, "user": user},
        request=request,
    )


@pytest.fixture
def assessed(body, field, make_member):
    """A public and an internal measure, both checked and scored, with internal notes."""
    from tests.strategy.factories import MeasureFactory

    staff = make_member(body, "staff")
    measures = {}
    for name, public in [("public", True), ("internal", False)]:
        measure = MeasureFactory(primary_field=field, is_public=public, title=f"Maßnahme {name}")
        services.save_digital_check(
            staff,
            DigitalCheck(
                body=body,
                measure=measure,
                result="teilweise",
                legal_reason="Persönliches Erscheinen nach § 9 PAuswG",
                internal_note="Geheime Notiz zum Check",
            ),
            {},
        )
        services.save_cost_benefit(
            staff,
            CostBenefit(
                body=body, measure=measure, citizen_benefit=5, internal_note="Geheime Kalkulation"
            ),
            {},
        )
        measures[name] = measure
    return staff, measures


@pytest.mark.parametrize("who", ["anonymous", "citizen", "moderator"])
def test_public_sees_result_and_score_of_public_measures_only(
    body, assessed, citizen, make_member, who
):
    from django.contrib.auth.models import AnonymousUser

    _staff, measures = assessed
    user = {
        "anonymous": AnonymousUser(),
        "citizen": citizen,
        "moderator": make_member(body, "moderator") if who == "moderator" else None,
    }[who]
    html = render_include(measures["public"], user)
    assert "teilweise digital" in html
    assert "§ 9 PAuswG" in html
    assert "Priorisierungswert" in html
    assert "Geheime" not in html
    assert "bearbeiten" not in html
    assert render_include(measures["internal"], user).strip() == ""


def test_staff_see_internal_notes_and_internal_measures(assessed):
    staff, measures = assessed
    staff = User.objects.get(pk=staff.pk)
    for measure in measures.values():
        html = render_include(measure, staff)
        assert "Geheime Notiz zum Check" in html
        assert "Geheime Kalkulation" in html
        assert "E-Government-Check bearbeiten" in html


def test_internal_measures_appear_on_staff_pages_only(
    client, body, internal_measure, citizen, make_member
):
    internal_measure.status = "in_pruefung"
    internal_measure.save()
    for user in [citizen, make_member(body, "moderator")]:
        client.force_login(user)
        assert client.get(f"/{body.slug}/priorisierung/").status_code == 403
        assert client.get(f"/{body.slug}/priorisierung/export.csv").status_code == 403
    client.force_login(make_member(body, "staff"))
    assert "Interne Maßnahme" in client.get(f"/{body.slug}/priorisierung/").content.decode()
    assert (
        "Interne Maßnahme" in client.get(f"/{body.slug}/priorisierung/export.csv").content.decode()
    )
