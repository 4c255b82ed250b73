"""Reads about users and their roles, cached on the user object for one request."""

from lotse.accounts.models import ApiToken, BodyRole, User

ROLE_CACHE_ATTR = "_lotse_roles_by_body"


def roles_by_body(user: User) -> dict[int, frozenset[str]]:
    """``{body_id: {role, …}}`` for the user, loaded with one query per request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, ROLE_CACHE_ATTR, None)
    if cached is None:
        grouped: dict[int, set[str]] = {}
        for body_id, role in BodyRole.objects.filter(user=user).values_list("body_id", "role"):
            grouped.setdefault(body_id, set()).add(role)
        cached = {body_id: frozenset(roles) for body_id, roles in grouped.items()}
        setattr(user, ROLE_CACHE_ATTR, cached)
    return cached


def has_any_role(user: User) -> bool:
    """True for every user above citizen: a role in some body, or a site admin."""
    return bool(user.is_authenticated and (user.is_superuser or roles_by_body(user)))


def roles_in_body(body_id: int):
    return BodyRole.objects.filter(body_id=body_id).select_related("user").order_by("user__email")


def active_tokens(user: User):
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")
