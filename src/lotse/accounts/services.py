"""Writes about accounts: roles, API tokens, data export and erasure (GDPR Art. 15 and 17)."""

from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from lotse.accounts.models import ApiToken, BodyRole, User, hash_token
from lotse.core.models import Body

# Sent inside the erasure transaction; later apps remove or anonymise their personal data.
user_erased = Signal()

# Apps add a section to "download my data" with register_personal_data("ideas", func).
_personal_data_sections: dict[str, Callable[[User], Any]] = {}


def register_personal_data(section: str, collect: Callable[[User], Any]) -> None:
    _personal_data_sections[section] = collect


def export_personal_data(user: User) -> dict[str, Any]:
    """Everything Lotse stores about a person, as JSON-ready data (GDPR Art. 15)."""
    data: dict[str, Any] = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "roles": [
            {"body": r.body.name, "role": r.role, "granted_at": r.granted_at.isoformat()}
            for r in BodyRole.objects.filter(user=user).select_related("body")
        ],
        "two_factor_methods": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
        "api_tokens": [
            {
                "name": t.name,
                "starts_with": t.hint,
                "created_at": t.created_at.isoformat(),
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in ApiToken.objects.filter(user=user)
        ],
    }
    for section, collect in sorted(_personal_data_sections.items()):
        data[section] = collect(user)
    return data


@transaction.atomic
def erase_user(user: User) -> None:
    """Remove a person's personal data (GDPR Art. 17) but keep the row, so that content that
    must stay shows "deleted account" as its author."""
    user_erased.send(sender=User, user=user)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    BodyRole.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@invalid.invalid"
    user.display_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = timezone.now()
    # A new (unusable) password hash also ends every open session of the account.
    user.set_unusable_password()
    user.save()


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the user; returns it with the raw key, which is never stored."""
    if not user.has_perm("accounts.hold_api_token"):
        raise PermissionDenied
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=hash_token(raw), hint=raw[: len("lotse_") + 4]
    )
    return token, raw


def revoke_api_token(user: User, token_id: int) -> None:
    ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def user_for_token(raw: str) -> User | None:
    """The active user a raw token belongs to, or None. Marks the token as used."""
    token = ApiToken.objects.active().select_related("user").filter(key_hash=hash_token(raw))
    token = token.first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def grant_role(actor: User, body: Body, user: User, role: str) -> BodyRole:
    if not actor.has_perm("accounts.manage_roles", body):
        raise PermissionDenied
    body_role, _created = BodyRole.objects.get_or_create(user=user, body=body, role=role)
    return body_role


def revoke_role(actor: User, body: Body, role_id: int) -> None:
    if not actor.has_perm("accounts.manage_roles", body):
        raise PermissionDenied
    role = BodyRole.objects.for_body(body).filter(pk=role_id).first()
    if role is not None:
        role.delete()
