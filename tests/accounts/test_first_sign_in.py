"""Sign-up and first sign-in: resending the confirmation mail, the shared error summary, and
staff's one continuous way from the password to the page they wanted."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache

from tests.browser.helpers import totp
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def fresh_state(db):
    cache.clear()


def sign_up(client, email="neu@example.org", **fields):
    data = {
        "email": email,
        "password1": "ein-gutes-Passwort-7",
        "password2": "ein-gutes-Passwort-7",
    }
    data.update(fields)
    return client.post("/konto/signup/", data, follow=True)


def test_confirmation_page_offers_a_resend_and_names_the_operator(client, settings):
    page = sign_up(client).content.decode()
    assert "Bestätigungs-E-Mail erneut senden" in page
    assert settings.LOTSE_OPERATOR["email"] in page
    # The address of the pending sign-up is filled in.
    assert 'value="neu@example.org"' in page


def test_resend_sends_a_new_link_once_per_cooldown(client):
    sign_up(client)
    assert len(mail.outbox) == 1
    cache.clear()  # past allauth's cool-down of three minutes per address
    response = client.post("/konto/bestaetigung-erneut-senden/", {"email": "Neu@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert "/konto/confirm-email/" in mail.outbox[1].body
    # Right away again: the message is the same, no further mail.
    page = client.post(
        "/konto/bestaetigung-erneut-senden/", {"email": "neu@example.org"}, follow=True
    )
    assert "unterwegs" in page.content.decode()
    assert len(mail.outbox) == 2


def test_resend_for_an_unknown_or_confirmed_address_reveals_nothing(client, citizen):
    assert citizen.emailaddress_set.get().verified
    for email in ("niemand@example.org", citizen.email):
        page = client.post("/konto/bestaetigung-erneut-senden/", {"email": email}, follow=True)
        assert "unterwegs" in page.content.decode()
    assert mail.outbox == []


def test_resend_is_rate_limited_per_address(client, settings):
    settings.LOTSE_RESEND_CONFIRMATION_RATE = "2/h"
    for _ in range(2):
        client.post("/konto/bestaetigung-erneut-senden/", {"email": "x@example.org"})
    response = client.post("/konto/bestaetigung-erneut-senden/", {"email": "x@example.org"})
    assert response.status_code == 429


def test_resend_with_a_malformed_address_shows_the_error_summary(client):
    response = client.post("/konto/bestaetigung-erneut-senden/", {"email": "kein-at"})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>Fehler: ", html)
    assert 'class="error-summary"' in html and 'href="#id_email"' in html


def test_signup_errors_use_the_shared_error_summary(client):
    response = sign_up(client, password2="anders-als-oben-9")
    html = response.content.decode()
    assert re.search(r"<title>Fehler:\s+Registrieren", html)
    assert 'class="error-summary"' in html
    assert 'href="#id_password2"' in html
    assert "forms.js" in html  # moves the focus to the summary


def test_a_form_without_errors_has_no_summary(client):
    # The form without errors has neither summary nor "Fehler:" title.
    html = client.get("/konto/signup/").content.decode()
    assert "error-summary" not in html and "Fehler:" not in html


def test_first_sign_in_is_one_flow_to_the_wanted_page(client, body, make_member):
    staff = make_member(body, "staff", totp=False)
    wanted = f"/{body.slug}/verwaltung/massnahmen/"
    response = client.post(
        f"/konto/login/?next={wanted}", {"login": staff.email, "password": PASSWORD}
    )
    assert response["Location"] == wanted
    response = client.get(wanted)
    assert response["Location"].startswith("/konto/2fa/totp/activate/?next=")

    # Right after the password, no second password prompt: the set-up page, explained.
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Zwei-Faktor-Authentisierung einrichten" in html
    assert 'aria-current="step"' in html
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', html).group(1)

    response = client.post("/konto/2fa/totp/activate/", {"code": totp(secret)})
    assert response["Location"] == "/konto/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()

    html = client.get("/konto/2fa/recovery-codes/").content.decode()
    assert "Codes herunterladen" in html and "Codes drucken" in html
    assert "/konto/2fa/weiter/" in html
    assert client.get("/konto/2fa/recovery-codes/download/").status_code == 200

    response = client.get("/konto/2fa/weiter/")
    assert response["Location"] == wanted
    assert client.get(wanted).status_code == 200


def test_changing_the_factor_later_still_asks_for_the_password(client, body, make_member):
    staff = make_member(body, "staff", totp=False)
    client.force_login(staff)  # no password entered in this session
    response = client.get("/konto/2fa/totp/activate/", follow=True)
    html = response.content.decode()
    assert "Zugriff bestätigen" in html
    assert "Passwort noch einmal" in html


def test_a_foreign_next_is_not_followed(client, body, make_member):
    staff = make_member(body, "staff", totp=False)
    client.post("/konto/login/", {"login": staff.email, "password": PASSWORD})
    client.get("/konto/2fa/totp/activate/?next=https://evil.example/")
    assert client.get("/konto/2fa/weiter/")["Location"] == "/konto/profil/"
