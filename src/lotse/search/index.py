"""Writing the one index: entries of any kind, in step with every change."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connections, transaction
from django_tasks import task

from lotse.search import planner
from lotse.search import text as german
from lotse.search.models import SearchEntry, SearchWord
from lotse.search.registry import PROVIDERS, PUBLIC, Entry, providers

# A hostile or huge attachment must not make one save slow: so much text is indexed.
MAX_INDEXED_CHARS = 200_000
# So much of the text as written is kept for snippets.
EXCERPT_CHARS = 4_000
_NOT_ALNUM = re.compile(r"[^0-9a-z]")


def tag(prefix: str, value) -> str:
    """A marker token of letters and digits only, which both tokenizers keep whole."""
    return "zq" + prefix + _NOT_ALNUM.sub("", str(value).lower())


def _tags(entry: Entry) -> str:
    found = [tag("k", entry.kind), tag("b", entry.body_id)]
    found += [tag("a", grant) for grant in entry.access]
    found += [tag("g", organization) for organization in entry.organizations]
    if entry.date:
        found.append(tag("y", entry.date.year))
    if entry.state:
        found.append(tag("s", entry.state))
    if entry.action_field_id:
        found.append(tag("f", entry.action_field_id))
    for reference in entry.references:
        if reference and (token := german.reference_token(reference)):
            found.append("zq" + token)
    return " ".join(dict.fromkeys(found))


def _row(entry: Entry) -> SearchEntry:
    return SearchEntry(
        kind=entry.kind,
        object_id=entry.object_id,
        body_id=entry.body_id,
        title=entry.title[:500],
        excerpt=entry.text[:EXCERPT_CHARS],
        url=entry.url[:500],
        date=entry.date,
        state=entry.state[:40],
        organizations=" ".join(str(o) for o in entry.organizations)[:500],
        action_field_id=entry.action_field_id,
        access=" ".join(entry.access)[:500],
        title_terms=german.terms(entry.title) if entry.title_searchable else "",
        terms=german.terms(entry.text, MAX_INDEXED_CHARS),
        parts=german.compound_parts(
            (entry.title + " " if entry.title_searchable else "") + entry.text[:MAX_INDEXED_CHARS]
        ),
        tags=_tags(entry),
    )


def _vocabulary(entries: Iterable[Entry], using: str) -> None:
    """Remember the words of public entries (never of others: a suggestion must not tell
    what a non-public text says)."""
    found: dict[str, str] = {}
    for entry in entries:
        if PUBLIC not in entry.access:
            continue
        for word in german.WORD.findall(f"{entry.title} {entry.text[:EXCERPT_CHARS]}".lower()):
            if 4 <= len(word) <= 40 and word.isalpha():
                found.setdefault(word, german.fold(word)[:40])
    if found:
        SearchWord.objects.using(using).bulk_create(
            [SearchWord(word=w, key=k) for w, k in found.items()],
            ignore_conflicts=True,
            batch_size=1000,
        )


def write(kind: str, ids: list[int], entries: list[Entry], using: str = "default") -> int:
    """Replace the entries of ``ids`` of ``kind`` by ``entries``."""
    rows = [_row(entry) for entry in entries]
    with transaction.atomic(using=using):
        SearchEntry.objects.using(using).filter(kind=kind, object_id__in=ids).delete()
        SearchEntry.objects.using(using).bulk_create(rows, batch_size=500)
        _vocabulary(entries, using)
    return len(rows)


def refresh(kind: str, ids: Iterable[int], using: str = "default") -> int:
    """Index these objects of ``kind`` anew (or drop them from the index if they are gone or
    no longer searchable)."""
    provider = PROVIDERS[kind]
    ids = sorted(set(ids))
    written = 0
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        written += write(kind, batch, provider.build(batch, using), using)
    return written


@task()
def refresh_task(kind: str, ids: list[int], using: str = "default") -> int:
    return refresh(kind, ids, using)


def refresh_later(kind: str, ids: Iterable[int], using: str = "default") -> None:
    """Index in the background once the change is committed (extracting and stemming a file's
    text may take a while)."""
    ids = sorted(set(ids))
    transaction.on_commit(lambda: refresh_task.enqueue(kind, ids, using), using=using, robust=True)


def rebuild(body=None, using: str = "default", batch_size: int = 1000, kinds=None) -> int:
    """Index everything (of ``body``, or of every body) anew, kind by kind in batches; for
    restores and data created in bulk, which sends no signals. Returns the entries written."""
    body_id = getattr(body, "pk", body)
    entries = SearchEntry.objects.using(using)
    if body_id is not None:
        entries = entries.filter(body_id=body_id)
    if kinds:
        entries = entries.filter(kind__in=kinds)
    entries.delete()
    if body_id is None and not kinds:
        SearchWord.objects.using(using).all().delete()
    written = 0
    for provider in providers():
        if kinds and provider.kind not in kinds:
            continue
        batch: list[int] = []
        for pk in provider.ids(using, body_id):
            batch.append(pk)
            if len(batch) >= batch_size:
                written += _append(provider, batch, using)
                batch = []
        written += _append(provider, batch, using)
    if connections[using].vendor == "postgresql":
        with connections[using].cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")
        planner.forget(using)  # the plan choice reads the fresh statistics
    return written


def _append(provider, ids: list[int], using: str) -> int:
    if not ids:
        return 0
    entries = provider.build(ids, using)
    with transaction.atomic(using=using):
        SearchEntry.objects.using(using).bulk_create([_row(e) for e in entries], batch_size=500)
        _vocabulary(entries, using)
    return len(entries)
