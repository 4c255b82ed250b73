"""The per-query plan of the search on PostgreSQL (issue 18, "One search"): the GIN index for
a rare query, the walk over the newest entries for a common one."""

import pytest
from django.db import connection

from lotse.search import engine, planner
from lotse.search import text as german
from lotse.search.index import tag
from lotse.search.models import SearchEntry

ROWS = 400_000
STATS = planner.Stats(
    rows=ROWS,
    frequencies={
        "stadt": 0.9,
        "zqapublic": 0.95,
        "zqbmusterstadt": 1.0,
        "zqkpaper": 0.3,
        "konzept": 0.01,
        "konzepte": 0.02,
        "konzeption": 0.03,
        "digital": 0.02,
    },
    smallest=0.004,
)


def pg_match(q: str, filters=()) -> str:
    return engine.match_expression(german.parse(q), "postgresql", filters)


def test_listed_word_counts_its_frequency():
    assert planner.share("'stadt':ABC", STATS) == pytest.approx(0.9)


def test_unlisted_word_counts_at_most_the_smallest_listed():
    assert planner.share("'xylophon':ABC", STATS) == pytest.approx(0.004)


def test_prefix_sums_the_listed_words_it_starts_plus_the_unlisted():
    assert planner.share("'konzept':*ABC", STATS) == pytest.approx(0.01 + 0.02 + 0.03 + 0.004)


def test_and_takes_the_rarest_or_the_sum():
    assert planner.share("'stadt' & 'digital'", STATS) == pytest.approx(0.02)
    assert planner.share("'stadt' | 'digital'", STATS) == pytest.approx(0.92)
    assert planner.share("'stadt' | 'zqapublic'", STATS) == 1.0  # capped
    # "&" binds closer than "|", as in PostgreSQL.
    assert planner.share("'zqkpaper' | 'stadt' & 'digital'", STATS) == pytest.approx(0.32)
    assert planner.share("('zqkpaper' | 'stadt') & 'digital'", STATS) == pytest.approx(0.02)
    assert planner.share("('stadt':AB <-> 'digital':AB)", STATS) == pytest.approx(0.02)
    assert planner.share("!'digital'", STATS) == 1.0


def test_every_match_the_search_writes_is_read():
    public = [[tag("a", "public")], [tag("b", "musterstadt")]]
    for q in [
        "Stadt",
        "Digitalisierung Konzept",
        '"Straßenbeleuchtung Marktplatz" Netz',
        "Breitband 2024",
        "26/0009",
        "Radweg 26/0009",
        "O'Brien",
    ]:
        match = pg_match(q, public)
        assert 0 < planner.share(match, STATS) <= 1, match
    references_only = engine.match_expression(german.parse("26/0009 26/0010"), "postgresql", public)
    assert planner.share(references_only, STATS) > 0


def test_common_word_walks_rare_word_asks_the_index(monkeypatch):
    monkeypatch.setattr(planner, "stats", lambda using="default": STATS)
    public = [[tag("a", "public")], [tag("b", "musterstadt")]]
    # 0.9 × 400,000 expected: the newest 1,000 are found after ~1,100 rows.
    assert not planner.use_index(pg_match("Stadt", public))
    # Unlisted: at most 0.004 × 400,000 = 1,600 expected.
    assert planner.use_index(pg_match("Xylophon", public))
    # "konzept" as a prefix: 0.064 × 400,000 = 25,600, below GIN_MAX.
    assert planner.use_index(pg_match("Konzept", public))
    assert planner.use_index(pg_match("Stadt Xylophon", public))  # "and": the rarer decides
    monkeypatch.setattr(planner, "GIN_MAX", 20_000)
    assert not planner.use_index(pg_match("Konzept", public))


def test_without_statistics_the_walk_stays(monkeypatch):
    monkeypatch.setattr(planner, "stats", lambda using="default": None)
    assert planner.expected("'xylophon':ABC") is None
    assert not planner.use_index("'xylophon':ABC")


def test_sqlite_keeps_its_one_query(monkeypatch):
    monkeypatch.setattr(engine, "vendor", lambda using="default": "sqlite")
    monkeypatch.setattr(planner, "stats", lambda using="default": STATS)
    assert engine.candidates_sql("'xylophon':ABC") == "candidates"


# ---------------------------------------------------------------------------------------------
# On PostgreSQL: the statistics ANALYZE keeps, and the plans of both ways

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the plan choice reads PostgreSQL's pg_stats and EXPLAIN; SQLite has one way (FTS5)",
)


def _entries(n: int, rare_every: int) -> None:
    SearchEntry.objects.bulk_create(
        SearchEntry(
            kind="paper",
            object_id=i,
            body_id=1,
            access=tag("a", "public"),
            url=f"/p/{i}/",
            title=f"Papier {i}",
            title_terms=f"papier wort{i}",
            tags=f"{tag('k', 'paper')} {tag('a', 'public')}",
            terms="stadt verwaltung " + ("seltenwort" if i % rare_every == 0 else "alltag"),
        )
        for i in range(n)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
    planner.forget()


@on_postgresql
@pytest.mark.django_db
def test_statistics_rate_the_words(monkeypatch):
    _entries(3000, rare_every=500)
    found = planner.stats()
    assert found.rows == pytest.approx(3000, rel=0.05)
    assert found.frequencies["stadt"] == pytest.approx(1.0)
    public = [[tag("a", "public")]]
    assert planner.expected(pg_match("Stadt", public)) == pytest.approx(3000, rel=0.05)
    assert planner.expected(pg_match("Seltenwort", public)) < 100
    monkeypatch.setattr(planner, "GIN_MAX", 300)
    assert engine.candidates_sql(pg_match("Seltenwort", public)) == "candidates_rare"
    assert engine.candidates_sql(pg_match("Stadt", public)) == "candidates"
    # Both ways return the same rows.
    both = {}
    for key in ("candidates", "candidates_rare"):
        monkeypatch.setattr(engine, "candidates_sql", lambda match, using="default", k=key: k)
        both[key] = [c.object_id for c in engine.candidates(pg_match("Seltenwort", public))]
    assert both["candidates"] == both["candidates_rare"]
    assert both["candidates"] == list(range(2500, -1, -500))


@on_postgresql
@pytest.mark.django_db
def test_statistics_are_read_once_then_after_refresh(monkeypatch, django_assert_num_queries):
    _entries(200, rare_every=50)
    clock = [1000.0]
    monkeypatch.setattr(planner.time, "monotonic", lambda: clock[0])
    reads = []
    read = planner._read
    monkeypatch.setattr(planner, "_read", lambda using: reads.append(using) or read(using))
    planner.forget()
    # Outside the query log: a page's pinned count is the same whether or not it refreshed.
    with django_assert_num_queries(0):
        assert planner.stats().rows == pytest.approx(200, rel=0.05)
    planner.stats()
    assert reads == ["default"]
    clock[0] += planner.REFRESH + 1
    planner.stats()
    assert reads == ["default", "default"]


def _plan(key: str, match: str) -> str:
    with connection.cursor() as cursor:
        # So few rows would be read whole either way; the question is which index each may use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + engine.SQL["postgresql"][key], [match, match, engine.CAP])
        return "\n".join(row[0] for row in cursor.fetchall())


@on_postgresql
@pytest.mark.django_db
def test_the_rare_way_uses_the_gin_index(monkeypatch):
    """What the walk's plan is stays the planner's choice (on a small table it may take the
    GIN index too); the rare way must never walk the primary key."""
    _entries(3000, rare_every=500)
    match = pg_match("Seltenwort", [[tag("a", "public")]])
    monkeypatch.setattr(planner, "GIN_MAX", 300)
    key = engine.candidates_sql(match)
    assert key == "candidates_rare"
    rare = _plan(key, match)
    assert "Bitmap Index Scan on search_entry_vector" in rare, rare
    assert "Backward" not in rare, rare
    assert "search_entry_newest" not in rare, rare


@on_postgresql
@pytest.mark.django_db
def test_the_walk_reads_the_index_of_the_newest_without_sorting():
    """The walk's order is the order of the index of the newest (date, then id, across kinds),
    so PostgreSQL can stop after ``CAP`` hits instead of sorting every match."""
    _entries(3000, rare_every=500)
    match = pg_match("Seltenwort", [[tag("a", "public")]])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    walk = _plan("candidates", match)
    assert "Index Scan using search_entry_newest" in walk, walk
    assert "Sort" not in walk, walk
