"""Who runs or votes in a meeting signs in with a second factor: chairs and deputy chairs
always, voting members where their body asks for it (the default)."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache

from lotse.council.models import MembershipRole
from tests.council.factories import MembershipFactory, OrganizationFactory, PersonFactory
from tests.factories import PASSWORD, UserFactory, add_totp


@pytest.fixture(autouse=True)
def fresh_state(db):
    cache.clear()


def seat(body, role=MembershipRole.MEMBER, voting_right=True):
    user = UserFactory()
    MembershipFactory(
        organization=OrganizationFactory(body=body),
        person=PersonFactory(body=body, user=user),
        role=role,
        voting_right=voting_right,
    )
    return user


def page_for(client, user, body):
    client.force_login(user)
    return client.get(f"/{body.slug}/")


@pytest.mark.parametrize("role", [MembershipRole.CHAIR, MembershipRole.DEPUTY_CHAIR])
def test_chairs_must_set_up_a_second_factor(client, body, role):
    body.voters_need_mfa = False  # does not matter for those who run the meeting
    body.save()
    response = page_for(client, seat(body, role), body)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/2fa/totp/activate/")


def test_chair_with_totp_goes_on(client, body):
    chair = seat(body, MembershipRole.CHAIR)
    add_totp(chair)
    assert page_for(client, chair, body).status_code == 200


def test_voting_member_needs_it_by_default(client, body):
    assert body.voters_need_mfa
    response = page_for(client, seat(body), body)
    assert response.status_code == 302


def test_voting_member_goes_on_where_the_body_switched_it_off(client, body):
    body.voters_need_mfa = False
    body.save()
    assert page_for(client, seat(body), body).status_code == 200


def test_advisory_member_without_a_vote_is_not_asked(client, body):
    member = seat(body, MembershipRole.ADVISORY, voting_right=False)
    assert page_for(client, member, body).status_code == 200


def test_a_passkey_counts_as_second_factor(client, body):
    chair = seat(body, MembershipRole.CHAIR)
    Authenticator.objects.create(
        user=chair, type=Authenticator.Type.WEBAUTHN, data={"name": "Schlüssel", "credential": {}}
    )
    assert page_for(client, chair, body).status_code == 200


def test_the_requirement_is_found_at_a_password_sign_in(client, body):
    chair = seat(body, MembershipRole.CHAIR)
    response = client.post("/konto/login/", {"login": chair.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(f"/{body.slug}/")["Location"].startswith("/konto/2fa/totp/activate/")


def test_body_admin_switches_the_voters_setting_with_history(client, body, make_member):
    admin = make_member(body, "body_admin")
    client.force_login(admin)
    form = client.get(f"/{body.slug}/verwaltung/koerperschaft/").content.decode()
    assert 'name="voters_need_mfa"' in form and "checked" in form
    fields = {"contact_email": "digital@teststadt.example", "accent_colour": "#aa0000"}
    client.post(f"/{body.slug}/verwaltung/koerperschaft/", fields)
    body.refresh_from_db()
    assert body.voters_need_mfa is False
    assert body.history.first().history_user == admin
