"""Sign-up and first sign-in as new people meet them, on a phone and on a desktop: a citizen
signs up with an error, corrects it and has the confirmation sent again; a staff member signs
in for the first time and is led from the password through the authenticator and the recovery
codes to the page they wanted."""

import re

import pytest

from lotse.accounts.demo import DEMO_PASSWORD
from tests.browser.helpers import enter_code

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}


def clean(visitor, what):
    assert visitor.axe_violations() == [], what
    assert visitor.csp_violations == [], what
    assert visitor.console_errors == [], what


def fits(page):
    return (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


@pytest.mark.parametrize("size", VIEWPORTS)
def test_citizen_signs_up_with_an_error_and_has_the_mail_sent_again(visitor, orm, size):
    from django.core import mail
    from django.core.cache import cache

    page = visitor.page
    page.set_viewport_size(VIEWPORTS[size])
    email = f"neu-{size}@beispiel.example"
    visitor.goto("/konto/signup/")
    page.fill("#id_email", email)
    page.fill("#id_password1", "ein-gutes-Passwort-7")
    page.fill("#id_password2", "ein-anderes-Passwort-8")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Fehler:")
    # Focus is on the summary, whose link leads to the field to correct.
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    page.click(".error-summary a[href='#id_password2']")
    assert page.evaluate("document.activeElement.id") == "id_password2" or page.url.endswith(
        "#id_password2"
    )
    assert fits(page)
    clean(visitor, "sign-up with an error")

    page.fill("#id_password1", "ein-gutes-Passwort-7")
    page.fill("#id_password2", "ein-gutes-Passwort-7")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/konto/confirm-email/")
    assert page.locator("h1").inner_text() == "Bestätigen Sie Ihre E-Mail-Adresse"
    assert page.input_value("#id_email") == email
    assert "digitalisierung@musterkreis.example" in page.locator("main").inner_text()
    assert fits(page)
    clean(visitor, "confirmation page")

    sent = [m for m in mail.outbox if m.to == [email]]
    assert len(sent) == 1
    cache.clear()  # as if allauth's three minutes between two mails had passed
    page.click("text=Bestätigungs-E-Mail erneut senden")
    page.wait_for_url("**/konto/confirm-email/")
    assert "unterwegs" in page.locator(".messages").inner_text()
    assert len([m for m in mail.outbox if m.to == [email]]) == 2
    clean(visitor, "confirmation page after a resend")


def new_staff_member(size):
    from lotse.accounts.models import BodyRole, Role, User
    from lotse.core.models import Body
    from tests.factories import UserFactory

    email = f"erstanmeldung-{size}@musterstadt.example"
    User.objects.filter(email=email).delete()
    user = UserFactory(email=email, password=DEMO_PASSWORD)
    BodyRole.objects.create(user=user, body=Body.objects.get(slug="musterstadt"), role=Role.STAFF)
    return user


@pytest.mark.parametrize("size", VIEWPORTS)
def test_staff_first_sign_in_leads_to_the_wanted_page(visitor, orm, size):
    page = visitor.page
    page.set_viewport_size(VIEWPORTS[size])
    user = new_staff_member(size)
    wanted = "/musterstadt/verwaltung/massnahmen/"

    # Step 1: the wanted page asks for the sign-in.
    visitor.goto(wanted)
    page.wait_for_url("**/konto/login/**")
    page.fill("#id_login", user.email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")

    # Step 2: no second password prompt; the set-up is explained, step by step.
    page.wait_for_url(re.compile(r".*/konto/2fa/totp/activate/\?next=.*"))
    assert page.locator("h1").inner_text() == "Zwei-Faktor-Authentisierung einrichten"
    assert page.locator(".steps [aria-current=step]").inner_text().startswith("Zweiter Faktor")
    assert "Sicherheitsschlüssel oder Passkey hinzufügen" in page.locator("main").inner_text()
    assert fits(page)
    clean(visitor, "authenticator set-up")
    page.fill("#id_code", "000000")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Fehler:")
    clean(visitor, "authenticator set-up with a wrong code")
    secret = page.input_value("#authenticator_secret")
    enter_code(page, secret)

    # Step 3: recovery codes, to download or print, then on.
    page.wait_for_url("**/konto/2fa/recovery-codes/")
    assert page.locator(".recovery-codes li").count() >= 8
    assert page.locator("[data-print]").is_visible()
    with page.expect_download() as download:
        page.click("text=Codes herunterladen")
    assert download.value.suggested_filename.endswith(".txt")
    assert fits(page)
    clean(visitor, "recovery codes")
    page.click("text=Ich habe die Codes gesichert – weiter")

    # Step 4: the page they wanted.
    page.wait_for_url("**" + wanted)
    assert page.locator("h1").is_visible()
    clean(visitor, "the wanted page")


def test_staff_member_chooses_a_passkey_instead_of_an_app(visitor, orm):
    """WebAuthn through allauth's MFA, with Chromium's virtual authenticator standing in for
    a security key. Browsers allow WebAuthn on http only for localhost."""
    page = visitor.page
    user = new_staff_member("passkey")
    base = visitor.base_url.replace("127.0.0.1", "localhost")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    page.goto(base + "/konto/login/?next=/musterstadt/verwaltung/massnahmen/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/konto/2fa/totp/activate/**")
    page.click("text=Sicherheitsschlüssel oder Passkey hinzufügen")
    page.wait_for_url("**/konto/2fa/webauthn/add/")
    clean(visitor, "adding a security key")
    page.click("#mfa_webauthn_add")
    page.wait_for_url("**/konto/2fa/recovery-codes/")
    page.click("text=Ich habe die Codes gesichert – weiter")
    page.wait_for_url("**/musterstadt/verwaltung/massnahmen/")
    assert user.authenticator_set.filter(type="webauthn").exists()
    clean(visitor, "the wanted page after a passkey")
