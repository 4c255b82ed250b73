"""Template helpers of the sign-in pages."""

from django import template

from lotse.accounts.mfa import NEXT_SESSION_KEY
from lotse.accounts.views_signin import pending_signup_email as _pending_signup_email

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_signup_email(context) -> str:
    request = context.get("request")
    return _pending_signup_email(request) if request is not None else ""


@register.simple_tag(takes_context=True)
def in_first_mfa_setup(context) -> bool:
    """True while a person sets up their second factor on the way to a page they wanted."""
    request = context.get("request")
    return bool(request is not None and request.session.get(NEXT_SESSION_KEY))


@register.simple_tag
def webauthn_enabled() -> bool:
    from allauth.mfa import app_settings

    return "webauthn" in app_settings.SUPPORTED_TYPES
