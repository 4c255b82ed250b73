"""Send everyone who must use a second factor to set one up before anything else."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from lotse.accounts.mfa import has_second_factor, missing_second_factor, remember_next

# Paths a user without MFA may still reach: setting it up, leaving, and static assets.
EXEMPT_PREFIXES = (
    "/konto/2fa/",
    "/konto/logout/",
    "/konto/reauthenticate/",
    "/static/",
    "/media/",
    "/i18n/",
    "/health",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
)


def user_has_totp(user) -> bool:
    """Kept for callers of the old name: any second factor (TOTP or a passkey) counts."""
    return has_second_factor(user)


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path == reverse("mfa_activate_totp") and request.GET.get("next"):
            # The page the person wanted; the recovery-code page's "Weiter" leads there.
            remember_next(request, request.GET["next"])
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and missing_second_factor(request, user)
        ):
            messages.warning(
                request,
                _(
                    "Your account has rights in the administration or in council meetings. "
                    "Please set up two-factor authentication before you continue."
                ),
            )
            target = reverse("mfa_activate_totp")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)
