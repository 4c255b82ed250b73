"""The paper list's search, answered by the one search index (:mod:`lotse.search`): reference,
Betreff, Beschlussvorschlag, reasoning and the text of the files, in any German form.

The caller passes a queryset that already went through ``selectors.visible_papers``.
"""

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


def search_papers(queryset: QuerySet[Paper], q: str, body: Body | None = None) -> QuerySet[Paper]:
    """Papers of ``queryset`` (already limited to what the user may see) matching ``q``.

    A Drucksachennummer ("26/0101") is found exactly, or, if no paper has it, as the start of
    references ("26/01"), or as typed without its zeros ("26/101"). Other text must contain
    every word of ``q`` in any German form (or as the start of a compound), in the reference,
    Betreff, Beschlussvorschlag, reasoning or a file; with ``body`` the best matches first
    (one more query), else newest first."""
    q = q.strip()
    if not q:
        return queryset
    if looks_like_reference(q):
        # References are compared as they are, so the unique index on (body, reference)
        # answers; a prefix is a range on the same index.
        numbered = queryset.exclude(reference="")
        exact = numbered.filter(reference=q)
        if exact.exists():
            return exact
        by_prefix = numbered.filter(reference__gte=q, reference__lt=q + "\U0010ffff")
        if by_prefix.exists():
            return by_prefix
        # "24/578" for 24/0578: the index keeps references without their padding.
        matching = engine.matching(KIND, q, queryset.db)
        return queryset.filter(pk__in=matching) if matching is not None else by_prefix
    matching = engine.matching(KIND, q, queryset.db)
    if matching is None:
        return queryset.filter(reference__iexact=q)
    found = queryset.filter(pk__in=matching)
    if body is None:
        return found.order_by("-date", "-pk")
    best = engine.best(KIND, q, queryset.db, body_id=body.pk)[:BEST_RANKED]
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
