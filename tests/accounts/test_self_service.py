"""Profile, my data (GDPR Art. 15), delete my account (Art. 17), API tokens, role admin."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from lotse.accounts.models import ApiToken, BodyRole, User, hash_token
from tests.factories import PASSWORD, BodyRoleFactory


@pytest.mark.django_db
def test_profile_saves_the_display_name(client, citizen):
    client.force_login(citizen)
    response = client.post("/konto/profil/", {"display_name": "Bürgerin Berta"}, follow=True)
    assert "gespeichert" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.display_name == "Bürgerin Berta"


@pytest.mark.django_db
def test_data_export_contains_what_we_store(client, body, make_member):
    user = make_member(body, "staff")
    client.force_login(user)
    response = client.get("/konto/meine-daten.json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert data["roles"] == [
        {"body": body.name, "role": "staff", "granted_at": data["roles"][0]["granted_at"]}
    ]
    assert data["two_factor_methods"] == ["totp"]
    assert "password" not in json.dumps(data)


@pytest.mark.django_db
def test_export_needs_login(client):
    response = client.get("/konto/meine-daten.json")
    assert response.status_code == 302


@pytest.mark.django_db
def test_delete_account_erases_personal_data(client, body, make_member):
    user = make_member(body, "staff")
    client.force_login(user)
    client.post("/konto/api-tokens/", {"name": "Fachverfahren"})
    response = client.post("/konto/loeschen/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.erased_at is not None
    assert user.public_name == "gelöschtes Konto"
    assert not user.is_active and not user.has_usable_password()
    assert user.display_name == "" and user.email.endswith("@invalid.invalid")
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not BodyRole.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert client.get("/konto/profil/").status_code == 302  # logged out


@pytest.mark.django_db
def test_delete_account_with_wrong_password_keeps_everything(client, citizen):
    client.force_login(citizen)
    response = client.post("/konto/loeschen/", {"password": "falsch", "confirm": "on"})
    assert "Passwort ist nicht korrekt" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.erased_at is None and citizen.is_active


@pytest.mark.django_db
def test_api_token_is_shown_once_and_stored_hashed(client, body, make_member):
    user = make_member(body, "staff")
    client.force_login(user)
    html = client.post("/konto/api-tokens/", {"name": "Fachverfahren"}).content.decode()
    raw = html.split('<code class="token">')[1].split("<")[0]
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hash_token(raw)
    assert raw not in token.hint and raw.startswith(token.hint)
    assert raw not in client.get("/konto/api-tokens/").content.decode()

    client.post(f"/konto/api-tokens/{token.pk}/widerrufen/")
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
def test_citizen_cannot_create_api_tokens(client, citizen):
    client.force_login(citizen)
    assert client.post("/konto/api-tokens/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_nobody_revokes_another_persons_token(client, body, make_member):
    owner = make_member(body, "staff")
    client.force_login(owner)
    client.post("/konto/api-tokens/", {"name": "Mein Token"})
    token = ApiToken.objects.get()
    client.force_login(make_member(body, "staff"))
    client.post(f"/konto/api-tokens/{token.pk}/widerrufen/")
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_body_admin_grants_and_revokes_roles_with_history(client, body, make_member, citizen):
    admin = make_member(body, "body_admin")
    client.force_login(admin)
    url = f"/{body.slug}/verwaltung/rollen/"
    client.post(url, {"email": citizen.email, "role": "moderator"})
    role = BodyRole.objects.get(user=citizen, body=body)
    assert role.role == "moderator"
    assert role.history.first().history_user == admin
    client.post(f"{url}{role.pk}/entziehen/")
    assert not BodyRole.objects.filter(user=citizen).exists()
    assert role.history.model.objects.filter(id=role.pk, history_type="-").exists()


@pytest.mark.django_db
def test_granting_to_an_unknown_address_is_refused(client, body, make_member):
    client.force_login(make_member(body, "body_admin"))
    response = client.post(
        f"/{body.slug}/verwaltung/rollen/", {"email": "niemand@example.org", "role": "staff"}
    )
    assert "kein Konto" in response.content.decode()
    assert BodyRole.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "moderator", "program_owner", "council_office"])
def test_other_roles_cannot_manage_roles(client, body, make_member, citizen, role):
    client.force_login(make_member(body, role))
    url = f"/{body.slug}/verwaltung/rollen/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"email": citizen.email, "role": "body_admin"}).status_code == 403
    assert not BodyRole.objects.filter(user=citizen).exists()


@pytest.mark.django_db
def test_roles_page_query_count_does_not_grow(
    client, body, make_member, django_assert_max_num_queries
):
    client.force_login(make_member(body, "body_admin"))
    for _ in range(20):
        BodyRoleFactory(body=body)
    with django_assert_max_num_queries(7):
        assert client.get(f"/{body.slug}/verwaltung/rollen/").status_code == 200


@pytest.mark.django_db
def test_erased_user_keeps_row_for_content_that_must_stay(citizen):
    from lotse.accounts.services import erase_user

    erase_user(citizen)
    assert User.objects.filter(pk=citizen.pk).exists()
    assert str(citizen) == "gelöschtes Konto"
