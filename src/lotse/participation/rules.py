"""Who may do what on the idea platform. Objects are a Body, an Idea, a Comment or a Process.

Posting (ideas, comments, supports, ratings, reports) needs a verified e-mail address and no
active block in the body; whether the process's current phase allows the action is checked by
the services, which can then say why not.
"""

import rules
from allauth.account.models import EmailAddress
from django.db.models import Q
from django.utils import timezone

from lotse.accounts.rules import (
    body_id_of,
    is_moderator,
    is_staff_member,
    sees_internal,
)

VERIFIED_CACHE = "_lotse_has_verified_email"
BLOCK_CACHE = "_lotse_blocked_bodies"


@rules.predicate
def has_verified_email(user) -> bool:
    if not (user.is_authenticated and user.is_active) or user.erased_at:
        return False
    cached = getattr(user, VERIFIED_CACHE, None)
    if cached is None:
        cached = EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists()
        setattr(user, VERIFIED_CACHE, cached)
    return cached


def blocked_body_ids(user) -> frozenset[int]:
    """Bodies whose participation the user is currently blocked from (one query a request)."""
    cached = getattr(user, BLOCK_CACHE, None)
    if cached is None:
        from lotse.participation.models import Block

        now = timezone.now()
        cached = frozenset(
            Block.objects.filter(user=user, lifted_at__isnull=True)
            .filter(Q(until__isnull=True) | Q(until__gt=now))
            .values_list("body_id", flat=True)
        )
        setattr(user, BLOCK_CACHE, cached)
    return cached


@rules.predicate
def is_blocked(user, obj) -> bool:
    if not user.is_authenticated:
        return False
    return body_id_of(obj) in blocked_body_ids(user)


@rules.predicate
def is_author(user, obj) -> bool:
    return bool(
        user.is_authenticated and obj is not None and getattr(obj, "author_id", None) == user.pk
    )


@rules.predicate
def is_visible_content(user, obj) -> bool:
    """Ideas and comments are public unless hidden by moderation."""
    return bool(obj is not None and not getattr(obj, "is_hidden", True))


@rules.predicate
def is_deleted(user, obj) -> bool:
    """Deleted by moderation (an idea) or by its author or a moderator (a comment)."""
    return bool(obj is not None and getattr(obj, "deleted_at", None) is not None)


may_post = has_verified_email & ~is_blocked

rules.add_perm(
    "participation.view_idea", ~is_deleted & (is_visible_content | is_author | is_moderator)
)
rules.add_perm("participation.post", may_post)
rules.add_perm("participation.moderate", is_moderator)
# Official answers, state changes, merging and idea → measure: the administration.
rules.add_perm("participation.answer_idea", is_staff_member)
rules.add_perm("participation.manage_processes", is_staff_member)
rules.add_perm("participation.manage_workshops", is_staff_member)
rules.add_perm("participation.view_internal", sees_internal | is_moderator)
