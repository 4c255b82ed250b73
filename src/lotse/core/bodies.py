"""A body page's body, kept in each process's memory between requests.

Every body page looks its body up by the slug in the URL (with its parent and the flags the
navigation needs, ``navigation.body_queryset``). Bodies change rarely, so for anonymous
reading requests the row is kept in the process's memory (``versioned.local``) under the
namespace ``bodies``: a page served from cached HTML then needs no query at all. Signed-in
people and writes always read the current row, so whoever changes a body sees the change
on the next page, whichever process serves it. Each request gets its own copy (the memory
keeps pickles), so a view may set attributes on it.

A saved or deleted body, and a change to what the flags read (``register_body_annotation``'s
``depends_on``), bumps the namespace: at once in this process, in the others within
``versioned.VERSION_SECONDS``; a kept body is read again after
``settings.LOTSE_BODY_CACHE_SECONDS`` (60) at the latest, and 0 turns the memory off. Bulk
updates send no signals; who writes bodies that way calls :func:`changed`.

The tests turn it off (``tests/conftest.py``), so the query counts they pin include the
body's lookup, the most a page costs; ``tests/core/test_bodies.py`` tests the memory itself.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.shortcuts import get_object_or_404

from lotse.core import versioned

NAMESPACE = "bodies"


def get_body(slug: str, request=None):
    """The body of ``slug`` as a body page looks it up (404 for an unknown slug).

    Kept bodies serve anonymous reading requests (``GET``, ``HEAD``) — the bulk of the
    traffic. A signed-in person (who may just have changed the body, in another app process)
    and every write read the current row."""
    from lotse.core.navigation import body_queryset

    seconds = settings.LOTSE_BODY_CACHE_SECONDS
    if not seconds or not _may_keep(request):
        return get_object_or_404(body_queryset(), slug=slug)
    key = versioned.key(NAMESPACE, slug)
    body = versioned.local.get(key)
    if body is None:
        body = get_object_or_404(body_queryset(), slug=slug)
        versioned.local.set(key, body, seconds)
    return body


def _may_keep(request) -> bool:
    if request is None:
        return True
    user = getattr(request, "user", None)
    return request.method in ("GET", "HEAD") and user is not None and not user.is_authenticated


def changed(*args, **kwargs) -> None:
    """Forget the kept bodies: now, and again when the change is committed (so a request
    that read the old row meanwhile does not keep it)."""
    versioned.bump(NAMESPACE)
    transaction.on_commit(lambda: versioned.bump(NAMESPACE))


def follow(model) -> None:
    """Forget the kept bodies whenever a ``model`` row is saved or deleted."""
    label = model._meta.label_lower
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"bodies_saved_{label}")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"bodies_deleted_{label}")
