"""Who must use a second factor, and the first sign-in flow that sets one up.

Everyone above citizen (a role in a body, or a site admin) needs one. Later apps add their
own reasons with ``register_mfa_requirement`` (the council: chairs, deputy chairs and voting
members); those are asked once per sign-in and remembered in the session, so that requests
do not pay a query for them.
"""

import time
from collections.abc import Callable

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme

from lotse.accounts.selectors import has_any_role

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
REQUIRED_SESSION_KEY = "lotse_mfa_required"
NEXT_SESSION_KEY = "lotse_mfa_next"
FIRST_SETUP_SESSION_KEY = "lotse_mfa_first_setup"
HAS_FACTOR_SESSION_KEY = "lotse_mfa_has_factor"
# What the check found for a user with a role, as of the user's ``access_changed_at``:
# ``[stamp, has a role, has a second factor]`` (the factor kept only once found).
ROLE_STATE_SESSION_KEY = "lotse_mfa_roles"

_requirements: list[Callable] = []


def register_mfa_requirement(predicate: Callable) -> None:
    """``predicate(user) -> bool``: True when the user must use a second factor."""
    if predicate not in _requirements:
        _requirements.append(predicate)


def required_by_other_apps(user) -> bool:
    return any(predicate(user) for predicate in _requirements)


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def remember_requirement(request, user) -> None:
    """At sign-in: store whether another app asks this user for a second factor, whether
    they hold a role, and whether they have a second factor, so that later requests need no
    query for any of them."""
    session = getattr(request, "session", None)
    if session is None:
        return
    required = required_by_other_apps(user)
    session[REQUIRED_SESSION_KEY] = required
    session[HAS_FACTOR_SESSION_KEY] = bool(required and has_second_factor(user))
    # The stamp as stored now (the user object handed to the sign-in may be older).
    user.access_changed_at = (
        type(user).objects.filter(pk=user.pk).values_list("access_changed_at", flat=True).first()
    )
    _role_state(session, user)


def access_stamp(user) -> str:
    changed = getattr(user, "access_changed_at", None)
    return changed.isoformat() if changed else ""


def _role_state(session, user) -> list:
    """``[stamp, has a role, has a second factor]`` for a user who is no site admin, from
    the session while the user's ``access_changed_at`` has not moved, else read again."""
    stamp = access_stamp(user)
    state = session.get(ROLE_STATE_SESSION_KEY) if session is not None else None
    if not (isinstance(state, list) and len(state) == 3 and state[0] == stamp):
        has_role = has_any_role(user)
        state = [stamp, has_role, bool(has_role and has_second_factor(user))]
        if session is not None:
            session[ROLE_STATE_SESSION_KEY] = state
    return state


def access_changed(user_id: int) -> None:
    """A role or a second factor of the user changed: every session checks again."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    get_user_model().objects.filter(pk=user_id).update(access_changed_at=timezone.now())


def forget_second_factor(request) -> None:
    """After a factor was removed: check again on the next request."""
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(HAS_FACTOR_SESSION_KEY, None)
        session.pop(ROLE_STATE_SESSION_KEY, None)


def missing_second_factor(request, user) -> bool:
    """True when the signed-in user must use a second factor and has none yet."""
    if not settings.LOTSE_MFA_REQUIRED or not user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if user.is_superuser:
        return not has_second_factor(user)
    _stamp, has_role, has_factor = _role_state(session, user)
    if has_role:
        if has_factor:
            return False
        if has_second_factor(user):
            if session is not None:
                session[ROLE_STATE_SESSION_KEY] = [_stamp, True, True]
            return False
        return True
    if session is None:
        return False
    if REQUIRED_SESSION_KEY not in session:
        remember_requirement(request, user)
    if not session[REQUIRED_SESSION_KEY] or session.get(HAS_FACTOR_SESSION_KEY):
        return False
    if has_second_factor(user):
        session[HAS_FACTOR_SESSION_KEY] = True
        return False
    return True


def remember_next(request, url: str) -> None:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT_SESSION_KEY] = url


def pop_next(request) -> str | None:
    """The wanted page, at the end of the first set-up (which ends here as well)."""
    request.session.pop(FIRST_SETUP_SESSION_KEY, None)
    return request.session.pop(NEXT_SESSION_KEY, None)


def just_signed_in_with_password(request) -> bool:
    """The password was entered moments ago in this session (within allauth's
    reauthentication timeout), so asking for it again would only confuse."""
    from allauth.account import app_settings

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    records = [
        r for r in get_authentication_records(request, user) if r.get("method") == "password"
    ]
    if not records:
        return False
    return time.time() - records[-1]["at"] < app_settings.REAUTHENTICATION_TIMEOUT
