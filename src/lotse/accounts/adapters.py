"""allauth adapters: Lotse's rules where allauth asks the project."""

from allauth.account.adapter import DefaultAccountAdapter

from lotse.accounts.client_ip import client_ip
from lotse.accounts.mfa import (
    FIRST_SETUP_SESSION_KEY,
    has_second_factor,
    just_signed_in_with_password,
)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        # The same address as axes and django-ratelimit count (LOTSE_TRUSTED_PROXIES).
        return client_ip(request) or super().get_client_ip(request)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Setting up the first second factor right after signing in with the password (and
        # seeing its recovery codes): do not ask for the password a second time. Changing an
        # existing factor later still asks.
        request = self.request
        if app == "allauth.mfa" and request is not None and just_signed_in_with_password(request):
            if request.session.get(FIRST_SETUP_SESSION_KEY):
                return False
            if not has_second_factor(request.user):
                request.session[FIRST_SETUP_SESSION_KEY] = True
                return False
        return super().is_reauthentication_required(app=app, **kwargs)
