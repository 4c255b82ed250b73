"""Asking the one index: the search page, the site-wide search and the lists' searches.

Every query becomes one full-text match on the index — the stems typed, the phrases, the
reference numbers, and marker tokens for the body, the facets chosen and the grants the
person holds — so the database intersects it all in its inverted index. Of the matches the
newest ``CAP`` (on PostgreSQL by the objects' dates; on SQLite in the order FTS5 keeps,
the order they were indexed, which follows the dates after a rebuild only kind by kind) are ranked
(bm25 on SQLite, ``ts_rank`` on PostgreSQL) and counted for the facets; a query of common
words thus costs the same as a rare one. Only one page of entries is read in full.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from django.core.paginator import Paginator
from django.db import connections
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lotse.search import compounds, planner
from lotse.search import text as german
from lotse.search.index import tag
from lotse.search.models import SearchEntry
from lotse.search.registry import LABELS, PROVIDERS, grants

# So many matches are ranked and counted; more are reported as "more than".
CAP = 1000
PAGE_SIZE = 20
FACETS = ("kind", "organization", "year", "state", "field")


def vendor(using: str = "default") -> str:
    return "postgresql" if connections[using].vendor == "postgresql" else "sqlite"


# ---------------------------------------------------------------------------------------------
# Match expressions. Stems are letters and digits only, and tags are made by ``tag``, so
# quoting is all the escaping either query language needs.


def _stem_term(value: str, db: str, prefix: bool) -> str:
    # A word matches the title, the text, or a compound's later part (ranked lower).
    if db == "postgresql":
        return f"'{value}':*ABC" if prefix else f"'{value}':ABC"
    term = f'"{value}"*' if prefix else f'"{value}"'
    return "{title_terms terms parts} : " + term


def _token(value: str, db: str) -> str:
    return f"'{value}'" if db == "postgresql" else f'"{value}"'


def match_expression(
    query: german.Query,
    db: str,
    filters: list[list[str]] = (),
    *,
    any_word: bool = False,
    prefix: str = "long",
) -> str | None:
    """The match of ``query`` and of every group of ``filters`` (tags, one of each group).

    With ``prefix="long"`` a stem at least PREFIX_MIN long also matches as the start of a word
    (compounds); with "last" (a title being typed) only the last one does, with "none" none.
    ``any_word`` matches entries with any of the words instead of all."""
    and_, or_ = (" & ", " | ") if db == "postgresql" else (" AND ", " OR ")
    parts = []
    for n, value in enumerate(query.stems):
        if prefix == "last":
            starts = n == len(query.stems) - 1 and len(value) >= 3
        else:
            starts = prefix == "long" and len(value) >= german.PREFIX_MIN
        parts.append(_stem_term(value, db, starts))
    for phrase in query.phrases:
        if db == "postgresql":
            parts.append("(" + " <-> ".join(f"'{s}':AB" for s in phrase) + ")")
        else:
            # A phrase is read in the words as written, never in the compounds' parts.
            parts.append("{title_terms terms} : " + '"' + " ".join(phrase) + '"')
    words = None
    if parts:
        # Each term names its columns: the marker tokens are not for the words typed.
        words = "(" + (or_ if any_word else and_).join(parts) + ")"
    references = [_token("zq" + r, db) for r in query.references]
    text = [w for w in [words, or_.join(references)] if w]
    if not text:
        return None
    if len(text) > 1:
        text = ["(" + (or_ if any_word else and_).join(f"({t})" for t in text) + ")"]
    groups = [text[0]]
    for group in filters:
        group = list(dict.fromkeys(group))
        if not group:
            return None  # nothing can match
        groups.append("(" + or_.join(_token(t, db) for t in group) + ")")
    return and_.join(groups)


SQL = {
    "sqlite": {
        "candidates": (
            "SELECT e.id, e.kind, e.object_id, e.date, e.state, e.organizations, "
            "e.action_field_id, -bm25(search_fts, 5.0, 1.0, 0.0, 0.2) "
            "FROM search_fts JOIN search_searchentry e ON e.id = search_fts.rowid "
            "WHERE search_fts MATCH %s ORDER BY search_fts.rowid DESC LIMIT %s"
        ),
        "matching": (
            "SELECT e.object_id FROM search_fts "
            "JOIN search_searchentry e ON e.id = search_fts.rowid WHERE search_fts MATCH %s"
        ),
        "count": "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s",
    },
    "postgresql": {
        "candidates": (
            "SELECT s.id, s.kind, s.object_id, s.date, s.state, s.organizations, "
            "s.action_field_id, ts_rank(s.vector, to_tsquery('simple'::regconfig, %s)) FROM ("
            "SELECT id, kind, object_id, date, state, organizations, action_field_id, vector "
            "FROM search_searchentry WHERE vector @@ to_tsquery('simple'::regconfig, %s) "
            "ORDER BY date DESC NULLS LAST, id DESC LIMIT %s) s"
        ),
        # The same rows for a rare query: ``date + 0`` cannot be read from the index of the
        # newest (migration 0004), so PostgreSQL asks the GIN index for every match and keeps
        # the newest (see planner).
        "candidates_rare": (
            "SELECT s.id, s.kind, s.object_id, s.date, s.state, s.organizations, "
            "s.action_field_id, ts_rank(s.vector, to_tsquery('simple'::regconfig, %s)) FROM ("
            "SELECT id, kind, object_id, date, state, organizations, action_field_id, vector "
            "FROM search_searchentry WHERE vector @@ to_tsquery('simple'::regconfig, %s) "
            "ORDER BY date + 0 DESC NULLS LAST, id + 0 DESC LIMIT %s) s"
        ),
        "matching": (
            "SELECT object_id FROM search_searchentry "
            "WHERE vector @@ to_tsquery('simple'::regconfig, %s)"
        ),
    },
}


@dataclass(slots=True)  # a thousand per query: no dict each, less for the collector
class Candidate:
    id: int
    kind: str
    object_id: int
    date: dt.date | None
    state: str
    organizations: list[int]
    action_field_id: int | None
    score: float


def candidates_sql(match: str, using: str = "default") -> str:
    """The key in ``SQL`` of the way to find ``match``'s newest entries: on PostgreSQL through
    the GIN index when few entries are expected to match, else by walking the newest."""
    if vendor(using) == "postgresql" and planner.use_index(match, using):
        return "candidates_rare"
    return "candidates"


def candidates(match: str, using: str = "default", limit: int = CAP) -> list[Candidate]:
    """The newest ``limit`` entries matching ``match``, with their rank (higher is better)."""
    db = vendor(using)
    params = [match, limit] if db == "sqlite" else [match, match, limit]
    with connections[using].cursor() as cursor:
        cursor.execute(SQL[db][candidates_sql(match, using)], params)
        rows = cursor.fetchall()
    found = []
    for pk, kind, object_id, date, state, organizations, field_id, score in rows:
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        found.append(
            Candidate(
                pk,
                kind,
                object_id,
                date,
                state,
                [int(o) for o in (organizations or "").split()],
                field_id,
                float(score or 0),
            )
        )
    return found


# ---------------------------------------------------------------------------------------------
# What the lists use (their querysets already hold only what the person may see)


def kind_filters(kind: str, body_id: int | None) -> list[list[str]]:
    filters = [[tag("k", kind)]]
    if body_id is not None:
        filters.append([tag("b", body_id)])
    return filters


def matching(kind: str, q: str, using: str = "default", body_id: int | None = None):
    """A subquery of the ids of ``kind`` whose text matches ``q`` (every word, in any German
    form, or as the start of a compound), or None when ``q`` holds no word."""
    db = vendor(using)
    match = match_expression(german.parse(q), db, kind_filters(kind, body_id))
    if match is None:
        return None
    return RawSQL(SQL[db]["matching"], [match])  # noqa: S611 (fixed SQL, parameter only)


@dataclass
class Listed:
    """A list's search: the matching object ids in the order the list shows them, and
    whether only the newest ``CAP`` matches were taken (the list then says "more than")."""

    ranked: list[int]
    capped: bool


def list_search(
    kind: str,
    q: str,
    using: str,
    *,
    body_id: int | None,
    grants: set[str] | None,
    tags: list[list[str]],
    best_ranked: int,
    rest_key,
) -> Listed | None:
    """What a list's own search shows: of the newest ``CAP`` entries of ``kind`` matching
    ``q`` within the person's ``grants`` and the list's filters (``tags``: groups of index
    tags, one of each group), the ``best_ranked`` best first, then the rest by ``rest_key``
    (largest first). None when ``q`` holds no word. A word found almost everywhere costs what
    a rare one does: nothing joins or sorts every match; the caller's queryset then keeps
    what the person may see (see ``page_of_ranked``)."""
    filters = kind_filters(kind, body_id)
    if grants is not None:
        filters.append([tag("a", g) for g in sorted(grants)])
    filters += tags
    match = match_expression(german.parse(q), vendor(using), filters)
    if match is None:
        return None
    newest = candidates(match, using, CAP)
    best = sorted(newest, key=lambda c: (-c.score, -c.id))[:best_ranked]
    chosen = {c.object_id for c in best}
    rest = sorted((c for c in newest if c.object_id not in chosen), key=rest_key, reverse=True)
    ranked = [c.object_id for c in best] + [c.object_id for c in rest]
    return Listed(ranked, len(newest) >= CAP)


def page_of_ranked(queryset, ranked: list[int], number, per_page: int):
    """One page of a list's search in ``ranked``'s order: the ids of ``queryset`` (which holds
    the person's visibility and the list's filters) in one query, the page's rows in a
    second; the database sorts nothing."""
    visible = set(queryset.order_by().filter(pk__in=ranked).values_list("pk", flat=True))
    page = Paginator([pk for pk in ranked if pk in visible], per_page).get_page(number)
    rows = queryset.order_by().in_bulk(page.object_list)
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return page


def best(kind: str, q: str, using: str = "default", body_id: int | None = None) -> list[int]:
    """Ids of ``kind`` matching ``q``, best first (of the newest CAP matches)."""
    db = vendor(using)
    match = match_expression(german.parse(q), db, kind_filters(kind, body_id))
    if match is None:
        return []
    ranked = sorted(candidates(match, using), key=lambda c: (-c.score, -c.id))
    return [c.object_id for c in ranked]


# ---------------------------------------------------------------------------------------------
# The search page


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Hit:
    kind: str
    kind_label: str
    title: SafeString
    snippet: SafeString
    url: str
    date: dt.date | None
    state: str
    body_id: int


@dataclass
class Result:
    query: german.Query
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    capped: bool = False
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    page: object = None
    suggestion: str = ""


def person_grants(user, bodies) -> set[str]:
    held: set[str] = set()
    for body in bodies:
        held |= grants(user, body)
    return held


def search(
    user,
    q: str,
    bodies,
    *,
    body_id: int | None = None,
    selected: dict[str, str] | None = None,
    sort: str = "relevanz",
    page: int | str = 1,
    using: str = "default",
) -> Result:
    """Everything ``user`` may see that matches ``q``: in one body (``body_id``) or in all
    ``bodies``; ``selected`` narrows by facet (kind, organization, year, state, field)."""
    db = vendor(using)
    query = german.parse(q)
    result = Result(query=query)
    if not query:
        return result
    selected = {k: v for k, v in (selected or {}).items() if v and k in FACETS}
    filters = [[tag("a", g) for g in person_grants(user, bodies)]]
    if body_id is not None:
        filters.append([tag("b", body_id)])
    prefixes = {"kind": "k", "organization": "g", "year": "y", "state": "s", "field": "f"}
    for name, value in selected.items():
        filters.append([tag(prefixes[name], value)])
    match = match_expression(query, db, filters)
    if match is None:
        return result
    found = candidates(match, using)
    result.total = len(found)
    result.capped = len(found) >= CAP
    result.facets = _facets(found, selected)
    if sort == "datum":
        found.sort(key=lambda c: (c.date or dt.date.min, c.id), reverse=True)
    else:
        found.sort(key=lambda c: (-c.score, -(c.date or dt.date.min).toordinal(), -c.id))
    paginator = Paginator(found, PAGE_SIZE)
    result.page = paginator.get_page(page)
    ids = [c.id for c in result.page.object_list]
    rows = SearchEntry.objects.using(using).in_bulk(ids)
    highlight = query.highlight
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            continue
        provider = PROVIDERS.get(row.kind)
        result.hits.append(
            Hit(
                kind=row.kind,
                kind_label=str(provider.label) if provider else row.kind,
                title=mark(row.title, highlight, whole=True),
                snippet=mark(row.excerpt, highlight),
                url=row.url,
                date=row.date,
                state=str(provider.state_labels.get(row.state, "")) if provider else "",
                body_id=row.body_id,
            )
        )
    if not found:
        result.suggestion = suggest(query, q, using)
    return result


def _facets(found: list[Candidate], selected: dict[str, str]) -> dict[str, list[FacetValue]]:
    counts = {name: Counter() for name in FACETS}
    for c in found:
        counts["kind"][c.kind] += 1
        for organization in c.organizations:
            counts["organization"][str(organization)] += 1
        if c.date:
            counts["year"][str(c.date.year)] += 1
        if c.state:
            counts["state"][f"{c.kind}:{c.state}"] += 1
        if c.action_field_id:
            counts["field"][str(c.action_field_id)] += 1
    facets = {}
    kind_labels = {k: str(p.label) for k, p in PROVIDERS.items()}
    for name, counter in counts.items():
        if not counter:
            continue
        if name == "kind":
            labels = kind_labels
        elif name == "state":
            labels = {}
            for key in counter:
                kind, state = key.split(":", 1)
                provider = PROVIDERS.get(kind)
                label = provider.state_labels.get(state, state) if provider else state
                labels[key] = f"{label} ({kind_labels.get(kind, kind)})"
        elif name in LABELS:
            labels = {str(k): v for k, v in LABELS[name]({int(k) for k in counter}).items()}
        else:
            labels = {}
        values = []
        for value, count in counter.most_common(12 if name != "year" else 30):
            plain = value.split(":", 1)[1] if name == "state" else value
            values.append(
                FacetValue(plain, str(labels.get(value, value)), count, selected.get(name) == plain)
            )
        if name == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        facets[name] = values
    return facets


# ---------------------------------------------------------------------------------------------
# Snippets: the text as written, escaped, with the words found in <mark>

SNIPPET_CHARS = 240


def _matches(word: str, stems: list[str]) -> bool:
    """Whether the folded ``word`` is one the query found: by its stem, as the start of a
    compound, or by a compound's later part."""
    candidates = [german.stem(word), *(compounds.parts(word) if len(word) >= 7 else ())]
    return any(
        c == s or (len(s) >= german.PREFIX_MIN and (word if n == 0 else c).startswith(s))
        for n, c in enumerate(candidates)
        for s in stems
    )


def _marks(text: str, stems: list[str]) -> list[tuple[int, int]]:
    if not stems:
        return []
    return [m.span() for m in german.WORD.finditer(text) if _matches(german.fold(m.group()), stems)]


def mark(text: str, stems: list[str], whole: bool = False) -> SafeString:
    """``text`` (or, unless ``whole``, a window of it around the first word found) escaped,
    the words matching ``stems`` wrapped in <mark>."""
    spans = _marks(text, stems)
    start, end = 0, len(text)
    if not whole:
        first = spans[0][0] if spans else 0
        start = max(0, first - SNIPPET_CHARS // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = min(len(text), start + SNIPPET_CHARS)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
    out, position = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[position:s]))
        out.append("<mark>" + escape(text[s:e]) + "</mark>")
        position = e
    out.append(escape(text[position:end]))
    html = "".join(out)
    html = re.sub(r"\s+", " ", html).strip()
    if not whole:
        html = ("… " if start else "") + html + (" …" if end < len(text) else "")
    return mark_safe(html)


# ---------------------------------------------------------------------------------------------
# "Meinten Sie …?"


@cache
def _has_trigram(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'search_word_trigram'")
        return cursor.fetchone() is not None


def _closest(word: str, using: str) -> str | None:
    if len(word) < 4:
        return None
    db = vendor(using)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT 1 FROM search_searchword WHERE key = %s", [word])
        if cursor.fetchone():
            return None
        if db == "postgresql" and _has_trigram(using):
            cursor.execute(
                "SELECT word, key FROM search_searchword WHERE key %% %s "
                "ORDER BY similarity(key, %s) DESC, key LIMIT 50",
                [word, word],
            )
        else:
            # Same first letter and about the same length: a typo rarely hits the first letter.
            cursor.execute(
                "SELECT word, key FROM search_searchword WHERE key >= %s AND key < %s "
                "AND length(key) BETWEEN %s AND %s ORDER BY key LIMIT 20000",
                [word[0], chr(ord(word[0]) + 1), len(word) - 2, len(word) + 2],
            )
        rows = cursor.fetchall()
    scored = sorted(
        (german.distance(word, key), abs(len(key) - len(word)), key, surface)
        for surface, key in rows
    )
    if scored and scored[0][0] <= 2:
        return scored[0][3]
    return None


def suggest(query: german.Query, q: str, using: str = "default") -> str:
    """``q`` with each unknown word replaced by the closest word of public texts, or ""."""
    if not query.words:
        return ""
    changed = False
    out = []
    for chunk in q.split():
        folded = german.words(chunk)
        if len(folded) == 1 and (better := _closest(folded[0], using)):
            out.append(better)
            changed = True
        else:
            out.append(chunk)
    return " ".join(out) if changed else ""
