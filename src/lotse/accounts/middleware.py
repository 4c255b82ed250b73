"""Send everyone above citizen to set up TOTP before they can use anything else."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.accounts.selectors import has_any_role

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
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.LOTSE_MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and has_any_role(user)
            and not user_has_totp(user)
        ):
            messages.warning(
                request,
                _(
                    "Your account has rights in the administration. Please set up two-factor "
                    "authentication with an authenticator app before you continue."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
