"""Which way PostgreSQL should find the newest matches of a query (issue 18, "One search").

The search reads the newest ``CAP`` entries matching a ``tsquery``. Left to itself PostgreSQL
walks the index of the newest (date, then id, across kinds; migration 0004) and tests every
row until it has ``CAP`` hits: quick when the query matches much of the index, slow when it
matches little among the newest rows (at 400,000 entries "Digitalisierung", in 2 % of them,
tests about 120,000 rows, ~70 ms). It used to walk the primary key, the order of indexing:
after a rebuild, kind by kind, the 199,000 comments came last, so a word of papers ("Netz",
in a quarter of the entries) tested 312,000 rows (146 ms) where the date walk tests 10,000
(10 ms). Asking the GIN index for
the whole match set and sorting that is quick for a rare query and slow for one found almost
everywhere ("stadt": 3 ms walking, ~360 ms through the index). So the way is chosen per query
from an estimate of how many entries match.

The estimate comes from the column statistics ANALYZE keeps of ``search_searchentry.vector``
(``pg_stats.most_common_elems`` with their frequencies; the rebuild runs ANALYZE). They are read
once per process and database alias and again after ``REFRESH`` seconds, or when the index is
rebuilt in this process. A lexeme's share of the rows is:

- listed: its frequency;
- not listed: at most the smallest listed frequency (ANALYZE keeps the most common elements,
  so one left out is rarer than those kept);
- a prefix (``'konzept':*``): the sum of the listed lexemes that start with it (a prefix
  matches all of them), plus the smallest listed frequency for the unlisted ones — an upper
  bound as long as the unlisted ones together are not more common than one listed element,
  which errs only towards the walk, the old plan.

``&`` and ``<->`` take the smallest share of their operands (no more rows can match all than
match the rarest), ``|`` the sum (capped at 1), ``!`` counts as everything. Times the number of
rows (``pg_class.reltuples``) that gives the expected matches; at most ``GIN_MAX`` of them and
the GIN index is asked, else the walk stays. Both ways return the same rows.

GIN_MAX: the walk tests about ``CAP / share`` rows and the index path reads about
``rows × share``, at about the same cost per row (~1 µs, measured); they cost the same at
``share = √(CAP / rows)``, about 20,000 matches at 400,000 rows. Most of the newest rows are
comments, where most words of papers are rarer than on average, so the walk is often worse
than its even estimate: the limit is set somewhat higher, at 30,000 matches. Measured at
412,000 entries: about 9,500 matches cost 37–70 ms either way; 111,000 matches ("Strasse")
cost 12 ms walking and 312 ms through the index.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.db import connections

GIN_MAX = 30_000
REFRESH = 300.0  # seconds

_TOKEN = re.compile(r"\s*(?:(?P<lexeme>'(?:[^']|'')*'(?::[*A-D]*)?)|(?P<op><->|<\d+>|[&|!()]))")


@dataclass
class Stats:
    rows: float
    frequencies: dict[str, float]
    smallest: float


# Per database alias: the statistics (None before ANALYZE) and when they were read.
_cache: dict[str, tuple[Stats | None, float]] = {}


def forget(using: str = "default") -> None:
    """Drop the statistics read for ``using`` (after a rebuild's ANALYZE)."""
    _cache.pop(using, None)


def stats(using: str = "default") -> Stats | None:
    """The lexeme frequencies of ``search_searchentry.vector``, or None before ANALYZE."""
    cached = _cache.get(using)
    if cached is None or time.monotonic() - cached[1] >= REFRESH:
        cached = _cache[using] = (_read(using), time.monotonic())
    return cached[0]


def _read(using: str) -> Stats | None:
    # Through the driver's own cursor, outside Django's query log: a cache refreshed every few
    # minutes, not a page's work, so a page's pinned query count does not depend on whether
    # its request happened to refresh it.
    connection = connections[using]
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
            "AND s.tablename = 'search_searchentry' AND s.attname = 'vector' "
            "WHERE c.oid = 'search_searchentry'::regclass"
        )
        row = cursor.fetchone()
    if not row or not row[0] or not row[2] or row[2] <= 0:
        return None
    elements, frequencies, rows = row
    # After the elements' own frequencies come their smallest, largest and the null share.
    own = [float(f) for f in frequencies[: len(elements)]]
    return Stats(float(rows), dict(zip(elements, own, strict=True)), min(own))


def _parse(tsquery: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(tsquery):
        if not tsquery[position:].strip():
            break
        match = _TOKEN.match(tsquery, position)
        if match is None:
            raise ValueError(f"not a tsquery this search writes: {tsquery!r}")
        if match.group("lexeme"):
            tokens.append(("lexeme", match.group("lexeme")))
        else:
            tokens.append(("op", match.group("op")))
        position = match.end()
    return tokens


def share(tsquery: str, found: Stats) -> float:
    """The expected share of rows matching ``tsquery`` (see the module's docstring)."""
    tokens = _parse(tsquery)
    position = 0

    def peek() -> str | None:
        return tokens[position][1] if position < len(tokens) else None

    def take() -> tuple[str, str]:
        nonlocal position
        position += 1
        return tokens[position - 1]

    def lexeme(text: str) -> float:
        quoted, _, flags = text.rpartition("'")
        value = quoted[1:].replace("''", "'")
        if "*" in flags:
            listed = sum(f for e, f in found.frequencies.items() if e.startswith(value))
            return min(1.0, listed + found.smallest)
        return found.frequencies.get(value, found.smallest)

    def atom() -> float:
        kind, text = take()
        if kind == "lexeme":
            return lexeme(text)
        if text == "(":
            inner = either()
            take()  # ")"
            return inner
        if text == "!":
            atom()
            return 1.0
        raise ValueError(f"unexpected {text!r} in {tsquery!r}")

    def phrase() -> float:
        value = atom()
        while peek() is not None and (peek() == "<->" or re.fullmatch(r"<\d+>", peek())):
            take()
            value = min(value, atom())
        return value

    def both() -> float:
        value = phrase()
        while peek() == "&":
            take()
            value = min(value, phrase())
        return value

    def either() -> float:
        value = both()
        while peek() == "|":
            take()
            value = min(1.0, value + both())
        return value

    return either()


def expected(tsquery: str, using: str = "default") -> float | None:
    """The expected number of entries matching ``tsquery``, or None without statistics."""
    found = stats(using)
    if found is None:
        return None
    return share(tsquery, found) * found.rows


def use_index(tsquery: str, using: str = "default") -> bool:
    """Whether to ask the GIN index for every match (few expected) rather than walk the
    newest entries until ``CAP`` match. Without statistics (no ANALYZE yet) the walk stays."""
    estimate = expected(tsquery, using)
    return estimate is not None and estimate <= GIN_MAX
