"""Signing in as demo roles in a real browser, including setting up TOTP."""

import pytest

from lotse.accounts.demo import DEMO_PASSWORD
from tests.browser.helpers import enter_code, totp

pytestmark = pytest.mark.browser


def test_citizen_logs_in_and_sees_the_profile(visitor):
    visitor.login("buerger@lotse.example", DEMO_PASSWORD)
    visitor.page.wait_for_url("**/konto/profil/")
    assert visitor.page.locator("h1").inner_text() == "Mein Konto"
    assert visitor.axe_violations() == []


def test_body_admin_must_set_up_totp_then_manages_roles(visitor):
    page = visitor.page
    visitor.login("admin@beispielstadt.example", DEMO_PASSWORD)
    # Right after the password: the set-up of the second factor, without asking again.
    page.wait_for_url("**/konto/2fa/totp/activate/**")
    assert "Zwei-Faktor" in page.content()
    assert visitor.axe_violations() == []

    enter_code(page, page.input_value("#authenticator_secret"))
    page.wait_for_url("**/konto/2fa/recovery-codes/")
    page.click("text=Ich habe die Codes gesichert – weiter")
    page.wait_for_load_state()

    visitor.goto("/beispielstadt/verwaltung/rollen/")
    assert page.locator("h1").inner_text() == "Rollen in Stadt Beispielstadt"
    assert visitor.axe_violations() == []

    visitor.goto("/beispielstadt/verwaltung/koerperschaft/")
    page.fill("#id_contact_phone", "+49 123 5555-10")
    page.click("main form button[type=submit]")
    assert "gespeichert" in page.locator(".messages").inner_text()
    assert visitor.axe_violations() == []
    assert visitor.csp_violations == []


def test_wrong_password_shows_a_german_error_next_to_the_form(visitor):
    visitor.login("buerger@lotse.example", "falsch-falsch")
    assert "leider falsch" in visitor.page.locator("main").inner_text()
    assert visitor.axe_violations() == []


def test_staff_pages_pass_axe(visitor, orm):
    from lotse.accounts.models import User
    from tests.factories import add_totp

    user = User.objects.get(email="verwaltung@musterkreis.example")
    if not user.authenticator_set.exists():
        add_totp(user)
    page = visitor.page
    visitor.login(user.email, DEMO_PASSWORD)
    page.wait_for_url("**/konto/2fa/authenticate/")
    page.fill("#id_code", totp("JBSWY3DPEHPK3PXP"))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/konto/profil/")
    for path in [
        "/konto/profil/",
        "/konto/api-tokens/",
        "/konto/loeschen/",
        "/konto/2fa/",
        "/konto/2fa/webauthn/add/",
        "/konto/email/",
        "/konto/password/change/",
    ]:
        visitor.goto(path)
        assert visitor.axe_violations() == [], path
    # Staff may not manage roles: a German 403 page, itself accessible.
    response = page.goto(visitor.base_url + "/musterkreis/verwaltung/rollen/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Zugriff verweigert"
    assert visitor.axe_violations() == []
    visitor.goto("/konto/api-tokens/")
    page.fill("#id_name", "Fachverfahren")
    page.click("main form button[type=submit]")
    assert page.locator("code.token").inner_text().startswith("lotse_")
    assert visitor.axe_violations() == []
