"""German-aware search over papers: reference, Betreff, Beschlussvorschlag, reasoning and the
text of their files.

Words are folded and stemmed exactly as in :mod:`lotse.participation.search` (the same
``words`` and ``stem``), so "Straßenbeleuchtung" finds "Strassenbeleuchtungen" on both
databases: PostgreSQL stems the folded words with the ``german`` configuration into a stored
``tsvector`` behind a GIN index; SQLite keeps Snowball-stemmed words in an FTS5 table.

The index is the table ``council_search`` (migration 0003), one row per paper keyed by its id.
Receivers below keep it in step with saves of papers and files; bulk-created data calls
:func:`rebuild_index`. Visibility is never stored in the index: the caller passes a queryset
that already went through ``selectors.visible_papers``.
"""

import re
from collections.abc import Iterable

from django.db import connections
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lotse.core.models import Body
from lotse.council.models import File, Paper
from lotse.participation.search import MAX_QUERY_WORDS, stem, words

TABLE = "council_search"
# A hostile or huge attachment must not make one save slow: so much text of a paper is indexed.
MAX_INDEXED_CHARS = 200_000
# "26/0101", "A-12/2025", "0578/24": a Drucksachennummer is looked up by itself.
# So many matches are ranked by relevance; more would not be read page by page anyway.
BEST_RANKED = 200
# Shorter terms are matched as whole words only: a prefix of two letters matches too much.
PREFIX_MIN = 3
REFERENCE = re.compile(r"^[\w.-]*\d[\w.-]*/[\w./-]*$")

SQL = {
    "postgresql": {
        "insert": "INSERT INTO council_search (key, body_id, title, text) VALUES (%s, %s, %s, %s)",
        "delete": "DELETE FROM council_search WHERE key = %s",
        "delete_body": "DELETE FROM council_search WHERE body_id = %s",
        "delete_all": "DELETE FROM council_search",
        "papers": (
            "SELECT key FROM council_search WHERE vector @@ to_tsquery('german'::regconfig, %s)"
        ),
        "best": (
            "SELECT key FROM council_search, to_tsquery('german'::regconfig, %s) query "
            "WHERE vector @@ query AND body_id = %s "
            "ORDER BY ts_rank(vector, query) DESC, key DESC LIMIT %s"
        ),
    },
    "sqlite": {
        "insert": (
            "INSERT INTO council_search (rowid, body_id, title, text) VALUES (%s, %s, %s, %s)"
        ),
        "delete": "DELETE FROM council_search WHERE rowid = %s",
        "delete_body": "DELETE FROM council_search WHERE body_id = %s",
        "delete_all": "DELETE FROM council_search",
        "papers": "SELECT rowid FROM council_search WHERE council_search MATCH %s",
        # bm25 weights per column (body_id, title, text): a word of the Betreff counts five times.
        "best": (
            "SELECT rowid FROM council_search WHERE council_search MATCH %s AND body_id = %s "
            "ORDER BY bm25(council_search, 0.0, 5.0, 1.0), rowid DESC LIMIT %s"
        ),
    },
}


def _vendor(using: str = "default") -> str:
    return "postgresql" if connections[using].vendor == "postgresql" else "sqlite"


def _index_text(text: str, vendor: str) -> str:
    found = words(text[:MAX_INDEXED_CHARS])
    if vendor != "postgresql":
        found = [stem(w) for w in found]
    return " ".join(found)


def _row(pk: int, body_id: int, title: str, texts: Iterable[str], vendor: str) -> tuple:
    text = "\n".join(t for t in texts if t)[:MAX_INDEXED_CHARS]
    return (pk, body_id, _index_text(title, vendor), _index_text(text, vendor))


# ---------------------------------------------------------------------------------------------
# Writing the index


def index_paper(paper_id: int, using: str = "default") -> None:
    """(Re)index one paper with the text of its files."""
    vendor = _vendor(using)
    sql = SQL[vendor]
    found = (
        Paper._default_manager.using(using)
        .filter(pk=paper_id)
        .values_list("body_id", "reference", "name", "decision_proposal", "reasoning")
        .first()
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql["delete"], [paper_id])
        if found is None:
            return
        body_id, reference, name, proposal, reasoning = found
        files = File._default_manager.using(using).filter(paper_id=paper_id).order_by("pk")
        texts = [proposal, reasoning, *files.values_list("text", flat=True)]
        cursor.execute(sql["insert"], _row(paper_id, body_id, f"{reference} {name}", texts, vendor))


def unindex_paper(paper_id: int, using: str = "default") -> None:
    with connections[using].cursor() as cursor:
        cursor.execute(SQL[_vendor(using)]["delete"], [paper_id])


def rebuild_index(
    body: Body | None = None,
    using: str = "default",
    *,
    paper_model=Paper,
    file_model=File,
    batch_size: int = 2000,
) -> int:
    """Index all papers (of ``body``, or of every body) anew, in batches; for data created in
    bulk, which sends no signals. Returns the number of rows written."""
    vendor = _vendor(using)
    sql = SQL[vendor]
    papers = paper_model._default_manager.using(using)
    files = file_model._default_manager.using(using).filter(paper__isnull=False)
    with connections[using].cursor() as cursor:
        if body is None:
            cursor.execute(sql["delete_all"])
        else:
            papers = papers.filter(body_id=body.pk)
            files = files.filter(body_id=body.pk)
            cursor.execute(sql["delete_body"], [body.pk])
    fields = ("pk", "body_id", "reference", "name", "decision_proposal", "reasoning")
    written = 0
    batch: list[tuple] = []

    def flush() -> int:
        if not batch:
            return 0
        ids = [row[0] for row in batch]
        texts: dict[int, list[str]] = {}
        for paper_id, text in (
            files.filter(paper_id__in=ids).order_by("pk").values_list("paper_id", "text")
        ):
            texts.setdefault(paper_id, []).append(text)
        rows = [
            _row(pk, body_id, f"{ref} {name}", [prop, reason, *texts.get(pk, [])], vendor)
            for pk, body_id, ref, name, prop, reason in batch
        ]
        with connections[using].cursor() as cursor:
            cursor.executemany(sql["insert"], rows)
        count = len(rows)
        batch.clear()
        return count

    for row in papers.order_by("pk").values_list(*fields).iterator(chunk_size=batch_size):
        batch.append(row)
        if len(batch) >= batch_size:
            written += flush()
    written += flush()
    return written


# ---------------------------------------------------------------------------------------------
# Asking the index


def looks_like_reference(q: str) -> bool:
    return bool(REFERENCE.match(q.strip()))


def _match(terms: list[str], vendor: str) -> str:
    """Every term must occur, as a word or the start of one: German compounds put the word
    someone types first ("Glasfaser" in "Glasfaserausbau"). Terms are runs of word characters
    only (see ``words``), so quoting them is all the escaping the query languages need."""
    if vendor == "postgresql":
        return " & ".join(f"'{t}':*" if len(t) >= PREFIX_MIN else f"'{t}'" for t in terms)
    return " AND ".join(f'"{t}"*' if len(t) >= PREFIX_MIN else f'"{t}"' for t in terms)


def search_papers(queryset: QuerySet[Paper], q: str, body: Body | None = None) -> QuerySet[Paper]:
    """Papers of ``queryset`` (already limited to what the user may see) matching ``q``.

    A Drucksachennummer ("26/0101") is found exactly, or, if no paper has it, as the start of
    references ("26/01"). Other text must contain every word of ``q`` in any German form, in
    the reference, Betreff, Beschlussvorschlag, reasoning or a file; with ``body`` the best
    matches first (one more query), else newest first."""
    q = q.strip()
    if not q:
        return queryset
    if looks_like_reference(q):
        # References are digits and separators: compared as they are, so the unique index
        # on (body, reference) answers; a prefix is a range on the same index.
        # (The index is partial, for numbered papers; the exclude lets the planner use it.)
        numbered = queryset.exclude(reference="")
        exact = numbered.filter(reference=q)
        if exact.exists():
            return exact
        return numbered.filter(reference__gte=q, reference__lt=q + "\U0010ffff")
    vendor = _vendor(queryset.db)
    terms = list(dict.fromkeys(words(q)))[:MAX_QUERY_WORDS]
    if vendor != "postgresql":
        terms = list(dict.fromkeys(stem(w) for w in terms))
    if not terms:
        return queryset.filter(reference__iexact=q)
    match = _match(terms, vendor)
    sql = SQL[vendor]
    matching = RawSQL(sql["papers"], [match])  # noqa: S611 (fixed SQL, parameter only)
    # The reference is in the index too; a plain IN lets the database start from the matches.
    found = queryset.filter(pk__in=matching)
    if body is None:
        return found.order_by("-date", "-pk")
    # Ranking every match row by row is quadratic on SQLite's FTS5 and slow for common words;
    # the best BEST_RANKED are ranked in one pass, the rest follow newest first.
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql["best"], [match, body.pk, BEST_RANKED])
        best = [row[0] for row in cursor.fetchall()]
    if not best:
        return found.order_by("-date", "-pk")
    # Most matches are not among the best: one look-up in the list settles them first.
    position = Case(
        When(~Q(pk__in=best), then=Value(len(best))),
        *[When(pk=pk, then=Value(n)) for n, pk in enumerate(best)],
        default=Value(len(best)),
        output_field=IntegerField(),
    )
    return found.order_by(position, "-date", "-pk")


# ---------------------------------------------------------------------------------------------
# Keeping the index in step (connected when this module is imported; see apps.ready)

PAPER_FIELDS = frozenset({"reference", "name", "decision_proposal", "reasoning", "body", "body_id"})
FILE_FIELDS = frozenset({"text", "paper", "paper_id"})


def _touches(update_fields, searched: frozenset[str]) -> bool:
    return update_fields is None or bool(searched & set(update_fields))


@receiver(post_save, sender=Paper, dispatch_uid="lotse_council_search_paper_saved")
def paper_saved(sender, instance, raw=False, update_fields=None, using="default", **kwargs):
    if not raw and _touches(update_fields, PAPER_FIELDS):
        index_paper(instance.pk, using)


@receiver(post_delete, sender=Paper, dispatch_uid="lotse_council_search_paper_deleted")
def paper_deleted(sender, instance, using="default", **kwargs):
    unindex_paper(instance.pk, using)


@receiver(post_save, sender=File, dispatch_uid="lotse_council_search_file_saved")
def file_saved(sender, instance, raw=False, update_fields=None, using="default", **kwargs):
    if not raw and instance.paper_id and _touches(update_fields, FILE_FIELDS):
        index_paper(instance.paper_id, using)


@receiver(post_delete, sender=File, dispatch_uid="lotse_council_search_file_deleted")
def file_deleted(sender, instance, using="default", **kwargs):
    # A paper being deleted takes its files with it; its row is gone by then or goes next.
    if instance.paper_id:
        index_paper(instance.paper_id, using)
