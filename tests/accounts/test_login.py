"""Login, lockout, password reset and the MFA requirement for roles above citizen."""

import re

import pytest
from allauth.account.forms import EmailAwarePasswordResetTokenGenerator
from django.core import mail
from django.core.cache import cache
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def fresh_state(db):
    cache.clear()


def login(client, email, password):
    return client.post("/konto/login/", {"login": email, "password": password})


def test_citizen_logs_in_with_email(client, citizen):
    response = login(client, citizen.email, PASSWORD)
    assert response.status_code == 302
    assert client.get("/konto/profil/").status_code == 200


def test_wrong_password_gets_a_german_message(client, citizen):
    response = login(client, citizen.email, "falsch")
    assert response.status_code == 200
    assert "leider falsch" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_after_the_configured_number_of_failures(client, citizen, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert login(client, citizen.email, "falsch").status_code == 200
    settings.AXES_COOLOFF_TIME = 0.5
    response = login(client, citizen.email, "falsch")
    assert response.status_code == 429
    assert "für 30 Minuten vorübergehend gesperrt" in response.content.decode()
    # Even the right password is refused while the lockout lasts.
    assert login(client, citizen.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_counts_the_address_case_insensitively(client, citizen, settings):
    settings.AXES_FAILURE_LIMIT = 2
    login(client, citizen.email.upper(), "falsch")
    assert login(client, citizen.email, "falsch").status_code == 429


def test_password_reset_mail_and_expired_link(client, citizen, settings):
    client.post("/konto/password/reset/", {"email": citizen.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/konto/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    assert client.get(path, follow=True).status_code == 200

    settings.PASSWORD_RESET_TIMEOUT = -1  # every token is now expired
    response = client.get(path, follow=True)
    html = response.content.decode()
    assert "ungültig" in html
    assert "password1" not in html


def test_tampered_reset_link_is_refused(client, citizen):
    uid = urlsafe_base64_encode(force_bytes(citizen.pk))
    token = EmailAwarePasswordResetTokenGenerator().make_token(citizen)
    response = client.get(f"/konto/password/reset/key/{uid}-{token[:-2]}xx/", follow=True)
    assert "ungültig" in response.content.decode()


def test_staff_without_totp_is_sent_to_set_it_up(client, body, make_member):
    staff = make_member(body, "staff", totp=False)
    client.force_login(staff)
    response = client.get(f"/{body.slug}/")
    assert response.status_code == 302
    assert response["Location"] == f"/konto/2fa/totp/activate/?next=%2F{body.slug}%2F"
    page = client.get(response["Location"], follow=True)
    assert "Zwei-Faktor" in page.content.decode()


def test_staff_with_totp_goes_on(client, body, make_member):
    client.force_login(make_member(body, "staff"))
    assert client.get(f"/{body.slug}/").status_code == 200


def test_citizen_is_not_asked_for_mfa(client, citizen, body):
    client.force_login(citizen)
    assert client.get(f"/{body.slug}/").status_code == 200


def test_staff_with_totp_must_enter_a_code_at_login(client, body, make_member):
    staff = make_member(body, "staff")
    response = login(client, staff.email, PASSWORD)
    assert response.status_code == 302
    assert "/konto/2fa/authenticate" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_a_totp_code_signs_in_once_and_is_refused_the_second_time(client, body, make_member):
    """RFC 6238 § 5.2: a code seen once is not accepted again (a code read over someone's
    shoulder is worthless after use). The browser tests' sign-in helper relies on this
    being tested here when it forgets its own earlier use instead of waiting 30 seconds."""
    from django.test import Client

    from tests.browser.helpers import SECRET, totp

    staff = make_member(body, "staff")
    code = totp(SECRET)
    login(client, staff.email, PASSWORD)
    response = client.post("/konto/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)

    other = Client()
    login(other, staff.email, PASSWORD)
    response = other.post("/konto/2fa/authenticate/", {"code": code})
    assert "_auth_user_id" not in other.session
    assert response.status_code == 200


def test_signup_stores_the_display_name_and_asks_for_verification(client):
    response = client.post(
        "/konto/signup/",
        {
            "email": "neu@example.org",
            "password1": "ein-gutes-Passwort-7",
            "password2": "ein-gutes-Passwort-7",
            "display_name": "Neue Person",
        },
    )
    assert response.status_code == 302
    from lotse.accounts.models import User

    assert User.objects.get(email="neu@example.org").display_name == "Neue Person"
    assert "Bestätigen" in mail.outbox[0].subject or "bestätigen" in mail.outbox[0].body


def test_signup_with_taken_address_creates_nothing_and_reveals_nothing(client, citizen):
    response = client.post(
        "/konto/signup/",
        {
            "email": citizen.email,
            "password1": "ein-gutes-Passwort-7",
            "password2": "ein-gutes-Passwort-7",
        },
    )
    # Answered like a new sign-up, so strangers cannot probe which addresses have accounts;
    # the owner of the address is told by mail instead.
    assert response.status_code == 302
    assert UserFactory._meta.model.objects.filter(email=citizen.email).count() == 1
    assert mail.outbox[0].to == [citizen.email]
