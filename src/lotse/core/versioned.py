"""Versioned cache keys: what is cached under a namespace (e.g. ``ideas:12``, the ideas of
one body) is found under a key that carries the namespace's current version, so bumping the
version — from a signal, when the data changes — makes every entry of it stale at once,
in every app process that shares the cache.

Two levels: the shared cache (``CACHES["default"]``: the database, or Redis) and a small
memory of each process. What is stored under a versioned key never changes, so the
process keeps a copy of it without asking anyone; only the version itself is asked for
again after ``VERSION_SECONDS``, so another process's change reaches this one at most that
late (a change made in this process, at once)."""

import hashlib
import uuid

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

VERSION_SECONDS = 2
# About 300 pages' HTML of 20–60 KB: a few MB per process at most.
local = LocMemCache("lotse-versioned", {"TIMEOUT": 60, "OPTIONS": {"MAX_ENTRIES": 300}})


def _version_key(namespace: str) -> str:
    return f"lotse:version:{namespace}"


def bump(*namespaces: str) -> None:
    """Forget what is cached under these namespaces (new versions; old entries expire)."""
    versions = {_version_key(n): uuid.uuid4().hex for n in namespaces}
    cache.set_many(versions, None)
    local.set_many(versions, VERSION_SECONDS)


def version(namespace: str) -> str:
    """The namespace's current version (from this process's memory if it is fresh, else
    one cache read; a first one is made if there is none)."""
    name = _version_key(namespace)
    found = local.get(name)
    if found is not None:
        return found
    found = cache.get(name)
    if found is None:
        found = uuid.uuid4().hex
        # Another process may have set one meanwhile; theirs wins.
        if not cache.add(name, found, None):
            found = cache.get(name, found)
    local.set(name, found, VERSION_SECONDS)
    return found


def key(namespace: str, *parts) -> str:
    """The cache key of ``parts`` under the namespace's current version."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"lotse:v:{namespace}:{version(namespace)}:{digest}"


def cached_html(namespace: str, parts: tuple, render, seconds: int) -> str:
    """``render()`` (a string of HTML) cached under the namespace's version: renewed as
    soon as the namespace is bumped, and at the latest after ``seconds``. What is rendered
    must be the same for everyone whose ``parts`` are the same: never anything of one
    person; HTML with a CSRF token is never stored."""
    from django.utils.safestring import mark_safe

    found_key = key(namespace, *parts)
    html = local.get(found_key)
    if html is None:
        html = cache.get(found_key)
        if html is None:
            html = str(render())
            if "csrfmiddlewaretoken" in html:
                return mark_safe(html)
            cache.set(found_key, html, seconds)
        local.set(found_key, html, seconds)
    return mark_safe(html)


def clear_local() -> None:
    """Forget this process's copies (tests, whose database starts afresh each time)."""
    local.clear()
