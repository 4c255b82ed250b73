"""Where apps tell the search what they have: providers (one per kind of thing) and grants.

The search app sits early in the loop (after ``core`` and ``accounts``) so every app can use
its engine, and it imports no app after it: each app registers its providers and grants in
its ``AppConfig.ready``. A later app (e.g. OZG services) adds a kind the same way.

Visibility lives in the index: every entry lists the *grants* that open it — ``pub`` for
everyone, ``b<body>:<name>`` for a permission in one body (e.g. ``b3:council_nonpublic``),
``o<id>`` for the members of an organization, ``none`` for nobody. A grant function tells,
per person and body, which of these the person holds; a query only matches entries carrying
one of them, so results, counts, facets and snippets never show anything else.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

PUBLIC = "pub"
NOBODY = "none"


def body_grant(body_id: int, name: str) -> str:
    return f"b{body_id}:{name}"


def organization_grant(organization_id: int) -> str:
    return f"o{organization_id}"


@dataclass
class Entry:
    """One thing as the index keeps it."""

    kind: str
    object_id: int
    body_id: int
    title: str
    text: str
    url: str
    access: Iterable[str]
    date: dt.date | None = None
    state: str = ""
    organizations: Iterable[int] = ()
    action_field_id: int | None = None
    references: Iterable[str] = ()
    # False where the title is another thing's (a comment shows its idea's): not searched.
    title_searchable: bool = True


@dataclass
class Provider:
    """A kind of searchable thing.

    ``build(ids, using)`` returns the entries of those objects that should be in the index (an
    id without entry is removed); ``ids(using, body_id)`` lists every object for a rebuild;
    ``watch`` maps a model to a function giving, for a saved or deleted instance, the ids of
    this kind to index again (the kind's own model included). ``background`` lists models
    whose changes are indexed by a background task (files' text)."""

    kind: str
    label: object  # lazy translated name, e.g. "Vorlage"
    plural: object
    build: Callable[[list[int], str], list[Entry]]
    ids: Callable[[str, int | None], Iterable[int]]
    watch: dict[type[Model], Callable[[Model], Iterable[int]]] = field(default_factory=dict)
    background: frozenset = frozenset()
    state_labels: dict[str, object] = field(default_factory=dict)
    order: int = 100
    # Per watched model, the fields that matter: a save with ``update_fields`` naming none
    # of them (a counter) does not index again.
    fields: dict[type[Model], frozenset[str]] = field(default_factory=dict)


PROVIDERS: dict[str, Provider] = {}
# Grant functions: (user, body) → the grant tokens the user holds in that body.
GRANTS: list[Callable] = []
# Facet labels: facet name → function(ids) → {id: label}.
LABELS: dict[str, Callable[[set[int]], dict[int, str]]] = {}


def register(provider: Provider) -> None:
    """Register a kind; connects receivers that keep its entries in step."""
    PROVIDERS[provider.kind] = provider
    for model, affected in provider.watch.items():
        uid = f"lotse_search_{provider.kind}_{model._meta.label_lower}"
        receiver = _receiver(
            provider.kind, affected, model in provider.background, provider.fields.get(model)
        )
        if model._meta.auto_created:
            # A many-to-many table: ``affected`` gets the instance whose set changed.
            m2m_changed.connect(
                _m2m_receiver(receiver), sender=model, weak=False, dispatch_uid=uid + "_m2m"
            )
            continue
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "_saved")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "_deleted")


def register_grants(function: Callable) -> None:
    if function not in GRANTS:
        GRANTS.append(function)


def register_labels(facet: str, function: Callable) -> None:
    LABELS[facet] = function


def providers() -> list[Provider]:
    return sorted(PROVIDERS.values(), key=lambda p: (p.order, p.kind))


_state = threading.local()


@contextmanager
def paused():
    """Saves inside do not touch the index (in this thread). For bulk loads such as the demo,
    which rebuild the index once at the end instead of refreshing it row by row."""
    before = getattr(_state, "paused", False)
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = before


def _receiver(kind: str, affected, background: bool, fields: frozenset[str] | None):
    def receiver(sender, instance, raw=False, using="default", update_fields=None, **kwargs):
        if raw or getattr(_state, "paused", False):
            return
        if fields is not None and update_fields is not None and not fields & set(update_fields):
            return
        ids = [pk for pk in affected(instance) if pk]
        if not ids:
            return
        from lotse.search import index

        if background:
            index.refresh_later(kind, ids, using)
        else:
            index.refresh(kind, ids, using)

    return receiver


def _m2m_receiver(receiver):
    def changed(sender, instance, action, using="default", **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            receiver(sender, instance, using=using)

    return changed


def grants(user, body) -> set[str]:
    """Every grant ``user`` holds in ``body``."""
    held = {PUBLIC}
    for function in GRANTS:
        held |= set(function(user, body))
    return held
