"""The idea list search and the similar-idea hints, answered by the one search index
(:mod:`lotse.search`): "Straßenbeleuchtung" finds "Strassenbeleuchtungen", "Schule" "Schulen"
and "Buerger" "Bürger" (see :mod:`lotse.search.text`). Visibility is checked again here: every
answer goes through ``listed_ideas`` and ``visible_measures``.
"""

from dataclasses import dataclass

from django.db import connections
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lotse.core.models import Body
from lotse.participation.models import Idea, IdeaState
from lotse.participation.selectors import listed_ideas
from lotse.search import engine, index
from lotse.search.text import MAX_QUERY_WORDS, STOP_WORDS, fold, stem, words  # noqa: F401
from lotse.strategy.selectors import visible_measures

TABLE = "search_searchentry"
IDEA, MEASURE = "idea", "measure"
# So many of the best matches are ranked on the list; the rest follow newest first.
BEST_RANKED = 200


def rebuild_index(body: Body | None = None, using: str = "default", **kwargs) -> int:
    """Index all ideas and measures (of ``body``, or of every body) anew; for data created in
    bulk, which sends no signals. Returns the number of entries written."""
    return index.rebuild(body, using, kinds=[IDEA, MEASURE])


def search_ideas(queryset: QuerySet[Idea], q: str) -> QuerySet[Idea]:
    """Ideas of ``queryset`` that contain every word of ``q`` (in any German form), the best
    matches first; the caller may order otherwise. A query without words changes nothing."""
    matching = engine.matching(IDEA, q, queryset.db)
    if matching is None:
        return queryset
    found = queryset.filter(pk__in=matching)
    best = engine.best(IDEA, q, queryset.db)[:BEST_RANKED]
    if not best:
        return found.order_by("-pk")
    position = Case(
        When(~Q(pk__in=best), then=Value(len(best))),
        *[When(pk=pk, then=Value(n)) for n, pk in enumerate(best)],
        default=Value(len(best)),
        output_field=IntegerField(),
    )
    return found.order_by(position, "-pk")


@dataclass
class Found:
    """Ideas matching a list's search: the queryset (best first), whether only the newest
    ``engine.CAP`` matches were taken, and their ids in the order shown."""

    ideas: QuerySet[Idea]
    capped: bool = False
    ranked: list[int] | None = None


def find_ideas(
    queryset: QuerySet[Idea],
    q: str,
    body: Body,
    grants: set[str],
    tags: list[list[str]] | None = None,
) -> Found:
    """Ideas of ``queryset`` matching ``q``, as the list shows them: of the newest
    ``engine.CAP`` matches of the body within the person's ``grants`` and the list's filters
    (``tags``: groups of index tags, one of each group), the best ``BEST_RANKED`` first, then
    the rest newest first. A word in thousands of ideas costs what a rare one does: the list
    never joins or sorts every match (see ``council.search.find_papers``)."""
    listed = engine.list_search(
        IDEA,
        q,
        queryset.db,
        body_id=body.pk,
        grants=grants,
        tags=tags or [],
        best_ranked=BEST_RANKED,
        rest_key=lambda c: c.object_id,
    )
    if listed is None:
        return Found(queryset)
    return Found(queryset.filter(pk__in=listed.ranked), listed.capped, listed.ranked)


@dataclass(frozen=True)
class Hit:
    """One similar idea or measure, ready to show."""

    kind: str  # "idea" or "measure"
    pk: int
    title: str
    url: str
    extra: str  # state and supports of an idea, status of a measure

    @property
    def kind_label(self) -> str:
        return _("Idea") if self.kind == "idea" else _("Measure")


CANDIDATES = {
    "sqlite": (
        "SELECT e.kind, e.object_id, e.title_terms, e.terms FROM search_fts "
        "JOIN search_searchentry e ON e.id = search_fts.rowid WHERE search_fts MATCH %s "
        "ORDER BY bm25(search_fts, 5.0, 1.0, 0.0, 0.2), e.id DESC LIMIT %s OFFSET %s"
    ),
    "postgresql": (
        "SELECT kind, object_id, title_terms, terms "
        "FROM search_searchentry, to_tsquery('simple'::regconfig, %s) query "
        "WHERE vector @@ query ORDER BY ts_rank(vector, query) DESC, id DESC LIMIT %s OFFSET %s"
    ),
}


def _candidates(match: str, limit: int, offset: int) -> list[tuple[str, int, str, str]]:
    """Kind, id, title stems and text stems of the best matches, best first."""
    with connections["default"].cursor() as cursor:
        cursor.execute(CANDIDATES[engine.vendor()], [match, limit, offset])
        return cursor.fetchall()


def _coverage(terms: list[str], prefix_last: bool, title: str, text: str) -> int:
    """How many of the typed words an entry has, a word in its title counting double.

    The databases' rankings weigh rare words and short texts; someone typing a title expects
    the entry sharing most of its words first."""
    in_title, in_text = set(title.split()[:400]), set(text.split()[:400])
    score = 0
    for n, term in enumerate(terms):
        if prefix_last and n == len(terms) - 1:
            has = lambda found, term=term: any(w.startswith(term) for w in found)  # noqa: E731
        else:
            has = lambda found, term=term: term in found  # noqa: E731
        score += 2 if has(in_title) else int(has(in_text))
    return score


def similar(user, body: Body, text: str, limit: int = 5) -> list[Hit]:
    """Up to ``limit`` ideas and measures of the body that resemble ``text`` (a title being
    typed: any of its words counts, the last one may be unfinished), the most similar first.
    Only what ``user`` may see: listed ideas (no hidden ones, none merged away) and visible
    measures."""
    found = words(text.replace('"', " "))
    terms = list(dict.fromkeys(stem(w) for w in found))[:MAX_QUERY_WORDS]
    if not terms or limit < 1:
        return []
    typing = bool(text) and not text[-1].isspace() and len(terms[-1]) >= 3
    query = engine.german.Query(stems=terms)
    filters = [[index.tag("k", IDEA), index.tag("k", MEASURE)], [index.tag("b", body.pk)]]
    match = engine.match_expression(
        query, engine.vendor(), filters, any_word=True, prefix="last" if typing else "none"
    )
    hits: list[Hit] = []
    batch = max(limit * 6, 30)
    # Visibility is checked once more through the selectors: take a batch of the best matches,
    # keep the visible ones and look further only if too few of them were visible.
    for round_ in range(5):
        rows = _candidates(match, batch, round_ * batch)
        ranked = sorted(
            enumerate(rows),
            key=lambda item: (-_coverage(terms, typing, item[1][2], item[1][3]), item[0]),
        )
        hits.extend(_visible_hits(user, body, [(row[0], row[1]) for _, row in ranked]))
        if len(hits) >= limit or len(rows) < batch:
            break
    return hits[:limit]


def _visible_hits(user, body: Body, keys: list[tuple[str, int]]) -> list[Hit]:
    idea_pks = [pk for kind, pk in keys if kind == IDEA]
    measure_pks = [pk for kind, pk in keys if kind == MEASURE]
    found: dict[tuple[str, int], Hit] = {}
    if idea_pks:
        ideas = (
            listed_ideas(user, body)
            .filter(pk__in=idea_pks)
            .exclude(state=IdeaState.MERGED)
            .only("pk", "title", "state", "support_count")
        )
        for idea in ideas:
            supports = ngettext("%(count)d support", "%(count)d supports", idea.support_count) % {
                "count": idea.support_count
            }
            found[(IDEA, idea.pk)] = Hit(
                kind="idea",
                pk=idea.pk,
                title=idea.title,
                url=reverse("participation:idea", kwargs={"body_slug": body.slug, "pk": idea.pk}),
                extra=f"{idea.get_state_display()}, {supports}",
            )
    if measure_pks:
        measures = (
            visible_measures(user, body).filter(pk__in=measure_pks).only("pk", "title", "status")
        )
        for measure in measures:
            found[(MEASURE, measure.pk)] = Hit(
                kind="measure",
                pk=measure.pk,
                title=measure.title,
                url=reverse("strategy:measure", kwargs={"body_slug": body.slug, "pk": measure.pk}),
                extra=measure.get_status_display(),
            )
    return [found[k] for k in keys if k in found]
