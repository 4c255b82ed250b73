"""The paper list's search, answered by the one search index (:mod:`lotse.search`): reference,
Betreff, Beschlussvorschlag, reasoning and the text of the files, in any German form.

The caller passes a queryset that already went through ``selectors.visible_papers``.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from lotse.core.models import Body
from lotse.council.models import Paper
from lotse.search import engine, index
from lotse.search.text import REFERENCE

TABLE = "search_searchentry"
KIND = "paper"
# So many matches are ranked by relevance; more would not be read page by page anyway.
BEST_RANKED = 200


def index_paper(paper_id: int, using: str = "default") -> None:
    """(Re)index one paper with the text of its files."""
    index.refresh(KIND, [paper_id], using)


def unindex_paper(paper_id: int, using: str = "default") -> None:
    index.refresh(KIND, [paper_id], using)


def rebuild_index(body: Body | None = None, using: str = "default", **kwargs) -> int:
    """Index all papers (of ``body``, or of every body) anew; for data created in bulk, which
    sends no signals. Returns the number of entries written."""
    return index.rebuild(body, using, kinds=[KIND])


def looks_like_reference(q: str) -> bool:
    return bool(REFERENCE.match(q.strip()))


@dataclass
class Found:
    """Papers matching a search, best first, and whether only the newest ``engine.CAP``
    matches were taken (the page then says "more than"). For a search of words, ``ranked``
    holds the matching ids in the order shown (at most ``engine.CAP``), so a list can page
    them without asking the database to sort."""

    papers: QuerySet[Paper]
    capped: bool = False
    ranked: list[int] | None = None


def search_papers(queryset: QuerySet[Paper], q: str, body: Body | None = None) -> QuerySet[Paper]:
    """Papers of ``queryset`` (already limited to what the user may see) matching ``q``; see
    :func:`find_papers`."""
    return find_papers(queryset, q, body=body).papers


def find_papers(
    queryset: QuerySet[Paper],
    q: str,
    body: Body | None = None,
    grants: set[str] | None = None,
    tags: list[str] | None = None,
) -> Found:
    """Papers of ``queryset`` (already limited to what the user may see) matching ``q``.

    A Drucksachennummer ("26/0101") is found exactly, or, if no paper has it, as the start of
    references ("26/01"), or as typed without its zeros ("26/101"). Other text must contain
    every word of ``q`` in any German form (or as the start of a compound), in the reference,
    Betreff, Beschlussvorschlag, reasoning or a file: of the newest ``engine.CAP`` such papers
    (as on the search page), the best ``BEST_RANKED`` first, then the rest newest first.

    Taking the newest matches from the index keeps a word that occurs in nearly every paper
    as cheap as a rare one: the list never joins or sorts every match. So that the cap counts
    only what the list can show, the caller passes the person's ``grants`` and its filters as
    index ``tags`` (``index.tag("y", 2024)``); the queryset still decides what is shown."""
    q = q.strip()
    if not q:
        return Found(queryset)
    if looks_like_reference(q):
        # References are compared as they are, so the unique index on (body, reference)
        # answers; a prefix is a range on the same index.
        numbered = queryset.exclude(reference="")
        exact = numbered.filter(reference=q)
        if exact.exists():
            return Found(exact)
        by_prefix = numbered.filter(reference__gte=q, reference__lt=q + "\U0010ffff")
        if by_prefix.exists():
            return Found(by_prefix)
        # "24/578" for 24/0578: the index keeps references without their padding.
        matching = engine.matching(KIND, q, queryset.db)
        return Found(queryset.filter(pk__in=matching) if matching is not None else by_prefix)
    listed = engine.list_search(
        KIND,
        q,
        queryset.db,
        body_id=body.pk if body is not None else None,
        grants=grants,
        tags=[[t] for t in tags or []],
        best_ranked=BEST_RANKED,
        rest_key=lambda c: (c.date or datetime.date.min, c.object_id),
    )
    if listed is None:
        return Found(queryset.filter(reference__iexact=q))
    capped, ranked = listed.capped, listed.ranked
    found = queryset.filter(pk__in=ranked)
    best = ranked[:BEST_RANKED]
    if not best:
        return Found(found.order_by("-date", "-pk"), capped, ranked)
    # Most matches are not among the best: one look-up in the list settles them first.
    position = Case(
        When(~Q(pk__in=best), then=Value(len(best))),
        *[When(pk=pk, then=Value(n)) for n, pk in enumerate(best)],
        default=Value(len(best)),
        output_field=IntegerField(),
    )
    return Found(found.order_by(position, "-date", "-pk"), capped, ranked)


def page_of(found: Found, number, per_page: int):
    """One page of a search of words, in ``found.ranked``'s order (see
    ``engine.page_of_ranked``)."""
    return engine.page_of_ranked(found.papers, found.ranked, number, per_page)
