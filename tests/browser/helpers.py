"""What several browser tests need: TOTP codes and signing in a demo account with them."""

import base64
import hashlib
import hmac
import struct
import time

from lotse.accounts.demo import DEMO_PASSWORD

SECRET = "JBSWY3DPEHPK3PXP"


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 code for a base32 secret, as an authenticator app computes it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int((at or time.time()) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def sign_in_with_totp(visitor, email):
    """Sign in a demo account with TOTP, as its owner would. A code is accepted once per
    account (RFC 6238 § 5.2, tested in tests/accounts/test_login.py). The browser tests sign
    the same demo accounts in again and again; rather than wait up to 30 seconds for the next
    code, the test forgets its own earlier use of this window's code. A code that turns over
    on its way is typed again from the next window."""
    from lotse.accounts.models import User
    from tests.factories import add_totp

    user = User.objects.get(email=email)
    if not user.authenticator_set.exists():
        add_totp(user)
    page = visitor.page
    visitor.login(email, DEMO_PASSWORD)
    page.wait_for_url("**/konto/2fa/authenticate/")
    for _attempt in range(2):
        code = totp(SECRET)
        forget_used_code(user, code)
        page.fill("#id_code", code)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        if "/2fa/authenticate/" not in page.url:
            return user
        time.sleep(31 - time.time() % 30)
    raise AssertionError(f"{email} could not sign in with TOTP")


def forget_used_code(user, code: str) -> None:
    """Drop allauth's marker of a used code (kept in the cache for the code's window)."""
    from django.core.cache import cache

    cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")


def enter_code(page, secret):
    """Type the app's current code, as its owner would; a code that turned over on its way
    (every 30 seconds) is typed again from the next window."""
    for _attempt in range(2):
        page.fill("#id_code", totp(secret))
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        if "/totp/activate/" not in page.url:
            return
        time.sleep(31 - time.time() % 30)
    raise AssertionError("the authenticator code was not accepted")
