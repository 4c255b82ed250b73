"""German-aware search over ideas and measures: the similar-idea hints and the idea list search.

"Straßenbeleuchtung" must find "Strassenbeleuchtungen", "Schule" "Schulen" and "Buerger"
"Bürger". Text is folded in Python first (lower case, ä/ae→a, ö/oe→o, ü/ue→u, ß→ss, other accents
dropped, German stop words removed), so both databases see the same words and no database
extension (unaccent) is needed:

- PostgreSQL stems the folded words itself, with the ``german`` text search configuration, into
  a stored ``tsvector`` behind a GIN index;
- SQLite has no German stemmer, so the words are stemmed here (Snowball German, the same
  algorithm) and kept in an FTS5 table.

The index is the table ``participation_search`` (migration 0002), one row per idea or measure
keyed ``pk * 2`` (idea) or ``pk * 2 + 1`` (measure). ``search_signals`` keeps it in step with
every save and delete; bulk-created data calls :func:`rebuild_index`. Visibility is never
stored in the index: every answer goes through ``listed_ideas`` and ``visible_measures``.
"""

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lotse.core.models import Body
from lotse.participation.models import Idea, IdeaState
from lotse.participation.selectors import listed_ideas
from lotse.strategy.models import Measure
from lotse.strategy.selectors import visible_measures

TABLE = "participation_search"
IDEA, MEASURE = 0, 1
# A query of more words than this is cut: a title is short, and each word costs a lookup.
MAX_QUERY_WORDS = 12

# German stop words (Snowball's list, folded like the text), so "die Schule an der Ecke" looks
# for "Schule" and "Ecke" only.
_STOP_WORDS = """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes anderm andern anderr anders auch auf aus bei bin bis bist da damit dann das dass
    dasselbe dazu dein deine deinem deinen deiner deines dem demselben den denn denselben der
    derer derselbe derselben des desselben dessen dich die dies diese dieselbe dieselben diesem
    diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines einig einige
    einigem einigen einiger einiges einmal er es etwas euch euer eure eurem euren eurer eures
    fuer gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr
    ihre ihrem ihren ihrer ihres im in indem ins ist jede jedem jeden jeder jedes jene jenem
    jenen jener jenes jetzt kann kein keine keinem keinen keiner keines koennen koennte machen
    man manche manchem manchen mancher manches mein meine meinem meinen meiner meines mich mir
    mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem seinen
    seiner seines selbst sich sie sind so solche solchem solchen solcher solches soll sollte
    sondern sonst ueber um und uns unsere unserem unseren unser unseres unter viel vom von vor
    waehrend war waren warst was weg weil weiter welche welchem welchen welcher welches wenn
    werde werden wie wieder will wir wird wirst wo wollen wollte wuerde wuerden zu zum zur zwar
    zwischen
    """

_WORD = re.compile(r"\w+")
_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss"})
# "ae", "oe", "ue" written for ä, ö, ü (but not the "ue" of "Quelle"), as Snowball's German
# stemmer reads them.
_WRITTEN_OUT = re.compile(r"ae|oe|(?<!q)ue")


def fold(text: str) -> str:
    """Lower case without umlauts or accents, whichever way they were typed: "Bürger" and
    "Buerger" → "burger", "Bänke" → "banke", "Straße" → "strasse".

    Folding ä to a (not ae) keeps "Bank" and "Bänke" one word after stemming. The stemmers
    see only folded words, on both sides of the search, so they agree with each other."""
    text = _WRITTEN_OUT.sub(lambda m: m.group()[0], text.lower()).translate(_UMLAUTS)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOP_WORDS = frozenset(fold(word) for word in _STOP_WORDS.split())


def words(text: str) -> list[str]:
    """The folded words of ``text`` that carry meaning (no stop words, no single letters)."""
    return [w for w in _WORD.findall(fold(text)) if len(w) > 1 and w not in STOP_WORDS]


_stemmers = threading.local()


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Snowball German stem of a folded word."""
    stemmer = getattr(_stemmers, "german", None)
    if stemmer is None:
        stemmer = _stemmers.german = snowballstemmer.stemmer("german")
    return fold(stemmer.stemWord(word))


# The statements on each database, written out: the table name is fixed and whatever someone
# typed reaches them only as a parameter (a match expression built by ``_match``).
SQL = {
    "postgresql": {
        "insert": (
            "INSERT INTO participation_search (key, body_id, title, text) VALUES (%s, %s, %s, %s)"
        ),
        "delete": "DELETE FROM participation_search WHERE key = %s",
        "delete_body": "DELETE FROM participation_search WHERE body_id = %s",
        "delete_all": "DELETE FROM participation_search",
        "ideas": (
            "SELECT key / 2 FROM participation_search "
            "WHERE vector @@ to_tsquery('german'::regconfig, %s) AND key %% 2 = 0"
        ),
        # Correlated with the outer idea; only evaluated when a list is ordered by relevance.
        "idea_rank": (
            "(SELECT ts_rank(vector, to_tsquery('german'::regconfig, %s)) "
            "FROM participation_search WHERE key = participation_idea.id * 2)"
        ),
        "candidates": (
            "SELECT key, title, text "
            "FROM participation_search, to_tsquery('german'::regconfig, %s) query "
            "WHERE body_id = %s AND vector @@ query "
            "ORDER BY ts_rank(vector, query) DESC, key DESC LIMIT %s OFFSET %s"
        ),
    },
    "sqlite": {
        "insert": (
            "INSERT INTO participation_search (rowid, body_id, title, text) VALUES (%s, %s, %s, %s)"
        ),
        "delete": "DELETE FROM participation_search WHERE rowid = %s",
        "delete_body": "DELETE FROM participation_search WHERE body_id = %s",
        "delete_all": "DELETE FROM participation_search",
        "ideas": (
            "SELECT rowid / 2 FROM participation_search "
            "WHERE participation_search MATCH %s AND rowid %% 2 = 0"
        ),
        # bm25 weights per column (body_id, title, text): a title word counts five times.
        "idea_rank": (
            "(SELECT bm25(participation_search, 0.0, 5.0, 1.0) FROM participation_search "
            "WHERE participation_search MATCH %s AND rowid = participation_idea.id * 2)"
        ),
        "candidates": (
            "SELECT rowid, title, text FROM participation_search "
            "WHERE participation_search MATCH %s AND body_id = %s "
            "ORDER BY bm25(participation_search, 0.0, 5.0, 1.0), rowid DESC LIMIT %s OFFSET %s"
        ),
    },
}


def _vendor(using: str = "default") -> str:
    return "postgresql" if connections[using].vendor == "postgresql" else "sqlite"


def _index_text(text: str, vendor: str) -> str:
    found = words(text)
    if vendor != "postgresql":
        found = [stem(w) for w in found]
    return " ".join(found)


# ---------------------------------------------------------------------------------------------
# Writing the index


def _rows(kind: int, items: Iterable[tuple[int, int, str, str]], vendor: str) -> list[tuple]:
    return [
        (pk * 2 + kind, body_id, _index_text(title, vendor), _index_text(text, vendor))
        for pk, body_id, title, text in items
    ]


def _measure_text(summary: str, description: str) -> str:
    return f"{summary}\n{description[:2000]}"


def _replace(kind: int, pk: int, body_id: int, title: str, text: str, using: str) -> None:
    sql = SQL[_vendor(using)]
    (row,) = _rows(kind, [(pk, body_id, title, text)], _vendor(using))
    with connections[using].cursor() as cursor:
        cursor.execute(sql["delete"], [row[0]])
        cursor.execute(sql["insert"], row)


def index_idea(idea: Idea, using: str = "default") -> None:
    """(Re)index one idea after it was saved."""
    _replace(IDEA, idea.pk, idea.body_id, idea.title, idea.text, using)


def index_measure(measure: Measure, using: str = "default") -> None:
    """(Re)index one measure after it was saved."""
    text = _measure_text(measure.summary, measure.description)
    _replace(MEASURE, measure.pk, measure.body_id, measure.title, text, using)


def unindex(kind: int, pk: int, using: str = "default") -> None:
    with connections[using].cursor() as cursor:
        cursor.execute(SQL[_vendor(using)]["delete"], [pk * 2 + kind])


def rebuild_index(
    body: Body | None = None,
    using: str = "default",
    *,
    idea_model=Idea,
    measure_model=Measure,
    batch_size: int = 2000,
) -> int:
    """Index all ideas and measures (of ``body``, or of every body) anew, in batches; for data
    created in bulk, which sends no signals. Returns the number of rows written."""
    vendor = _vendor(using)
    sql = SQL[vendor]
    ideas = idea_model._default_manager.using(using)
    measures = measure_model._default_manager.using(using)
    with connections[using].cursor() as cursor:
        if body is None:
            cursor.execute(sql["delete_all"])
        else:
            ideas = ideas.filter(body_id=body.pk)
            measures = measures.filter(body_id=body.pk)
            cursor.execute(sql["delete_body"], [body.pk])
    written = 0
    sources = [
        (IDEA, ideas.values_list("pk", "body_id", "title", "text")),
        (MEASURE, measures.values_list("pk", "body_id", "title", "summary", "description")),
    ]
    for kind, found in sources:
        batch = []
        for row in found.order_by("pk").iterator(chunk_size=batch_size):
            batch.append(row if kind == IDEA else (*row[:3], _measure_text(row[3], row[4])))
            if len(batch) >= batch_size:
                written += _insert(sql["insert"], _rows(kind, batch, vendor), using)
                batch = []
        written += _insert(sql["insert"], _rows(kind, batch, vendor), using)
    return written


def _insert(statement: str, rows: list[tuple], using: str) -> int:
    if rows:
        with connections[using].cursor() as cursor:
            cursor.executemany(statement, rows)
    return len(rows)


# ---------------------------------------------------------------------------------------------
# Asking the index


def _terms(q: str, vendor: str) -> list[str]:
    found = list(dict.fromkeys(words(q)))[:MAX_QUERY_WORDS]
    if vendor != "postgresql":
        found = list(dict.fromkeys(stem(w) for w in found))
    return found


def _match(terms: list[str], vendor: str, operator: str, prefix_last: bool) -> str:
    """A full-text query of ``terms``. Terms are runs of word characters only (see
    :func:`words`), so quoting them is all the escaping the query languages need."""
    if vendor == "postgresql":
        parts = [f"'{t}'" for t in terms]
        if prefix_last:
            parts[-1] += ":*"
        return f" {'|' if operator == 'OR' else '&'} ".join(parts)
    parts = [f'"{t}"' for t in terms]
    if prefix_last:
        parts[-1] += "*"
    return f" {operator} ".join(parts)


def search_ideas(queryset: QuerySet[Idea], q: str) -> QuerySet[Idea]:
    """Ideas of ``queryset`` that contain every word of ``q`` (in any German form), the best
    matches first; the caller may order otherwise. A query without words changes nothing."""
    vendor = _vendor(queryset.db)
    terms = _terms(q, vendor)
    if not terms:
        return queryset
    match = _match(terms, vendor, "AND", prefix_last=False)
    sql = SQL[vendor]
    matching = RawSQL(sql["ideas"], [match])  # noqa: S611 (fixed SQL, parameter only)
    rank = RawSQL(sql["idea_rank"], [match])  # noqa: S611 (fixed SQL, parameter only)
    best_first = rank.desc() if vendor == "postgresql" else rank.asc()
    return queryset.filter(pk__in=matching).order_by(best_first, "-pk")


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


def _candidates(
    body: Body, match: str, vendor: str, limit: int, offset: int
) -> list[tuple[int, str, str]]:
    """Index key, title and text of the best matches in the body, best first."""
    with connections["default"].cursor() as cursor:
        cursor.execute(SQL[vendor]["candidates"], [match, body.pk, limit, offset])
        return cursor.fetchall()


def _coverage(terms: list[str], prefix_last: bool, title: str, text: str, vendor: str) -> int:
    """How many of the typed words an entry has, a word in its title counting double.

    The databases' rankings weigh rare words and short texts; someone typing a title expects
    the entry sharing most of its words first."""

    def stems(indexed: str) -> set[str]:
        found = indexed.split()[:400]
        return {stem(w) for w in found} if vendor == "postgresql" else set(found)

    if vendor == "postgresql":
        terms = [stem(t) for t in terms]
    in_title, in_text = stems(title), stems(text)
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
    vendor = _vendor()
    terms = _terms(text, vendor)
    if not terms or limit < 1:
        return []
    typing = bool(text) and not text[-1].isspace() and len(terms[-1]) >= 3
    match = _match(terms, vendor, "OR", prefix_last=typing)
    hits: list[Hit] = []
    batch = max(limit * 6, 30)
    # The index does not know who may see what, so take a batch of the best matches, keep the
    # visible ones and look further only if too few of them were visible.
    for round_ in range(5):
        rows = _candidates(body, match, vendor, batch, round_ * batch)
        ranked = sorted(
            enumerate(rows),
            key=lambda item: (-_coverage(terms, typing, item[1][1], item[1][2], vendor), item[0]),
        )
        hits.extend(_visible_hits(user, body, [row[0] for _, row in ranked]))
        if len(hits) >= limit or len(rows) < batch:
            break
    return hits[:limit]


def _visible_hits(user, body: Body, keys: list[int]) -> list[Hit]:
    idea_pks = [k // 2 for k in keys if k % 2 == IDEA]
    measure_pks = [k // 2 for k in keys if k % 2 == MEASURE]
    found: dict[int, Hit] = {}
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
            found[idea.pk * 2 + IDEA] = Hit(
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
            found[measure.pk * 2 + MEASURE] = Hit(
                kind="measure",
                pk=measure.pk,
                title=measure.title,
                url=reverse("strategy:measure", kwargs={"body_slug": body.slug, "pk": measure.pk}),
                extra=measure.get_status_display(),
            )
    return [found[k] for k in keys if k in found]


# Keep the index in step wherever this module is used (apps.ready imports it too).
from lotse.participation import search_signals  # noqa: E402, F401
