"""Versioned cache keys: what is cached under a namespace (e.g. ``ideas:12``, the ideas of
one body) is found under a key that carries the namespace's current version, so bumping the
version — from a signal, when the data changes — makes every entry of it stale at once,
in every app process that shares the cache."""

import hashlib
import uuid

from django.core.cache import cache


def _version_key(namespace: str) -> str:
    return f"lotse:version:{namespace}"


def bump(*namespaces: str) -> None:
    """Forget what is cached under these namespaces (new versions; old entries expire)."""
    cache.set_many({_version_key(n): uuid.uuid4().hex for n in namespaces}, None)


def version(namespace: str) -> str:
    """The namespace's current version (one cache read; a first one is made if none)."""
    found = cache.get(_version_key(namespace))
    if found is None:
        found = uuid.uuid4().hex
        # Another process may have set one meanwhile; theirs wins.
        if not cache.add(_version_key(namespace), found, None):
            found = cache.get(_version_key(namespace), found)
    return found


def key(namespace: str, *parts) -> str:
    """The cache key of ``parts`` under the namespace's current version (one cache read)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"lotse:v:{namespace}:{version(namespace)}:{digest}"


def cached_html(namespace: str, parts: tuple, render, seconds: int) -> str:
    """``render()`` (a string of HTML) cached under the namespace's version: renewed as
    soon as the namespace is bumped, and at the latest after ``seconds``. What is rendered
    must be the same for everyone whose ``parts`` are the same: never a CSRF token, never
    anything of one person."""
    from django.utils.safestring import mark_safe

    found_key = key(namespace, *parts)
    html = cache.get(found_key)
    if html is None:
        html = str(render())
        cache.set(found_key, html, seconds)
    return mark_safe(html)
