"""The full-text part of the search index (see lotse.search.models).

PostgreSQL: a generated ``tsvector`` of the stems (``simple`` configuration: the stems are made
in Python, identical on both databases) with weights A (title), B (text) and D (markers), behind
a GIN index; ``pg_trgm`` with a trigram index on the vocabulary for "Meinten Sie …?" where the
database lets the owner create the extension (it is a trusted extension from PostgreSQL 13 and
ships with Debian's postgresql-15 / postgresql-contrib).

SQLite: an FTS5 table with external content (``search_searchentry``), kept in step by triggers,
so deleting entries — also a test run's flush — empties the index too.
"""

from django.db import migrations

POSTGRES = [
    """
    ALTER TABLE search_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, terms), 'B')
        || setweight(to_tsvector('simple'::regconfig, tags), 'D')
    ) STORED
    """,
    "CREATE INDEX search_entry_vector ON search_searchentry USING gin (vector)",
]
TRIGRAM = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX search_word_trigram ON search_searchword USING gin (key gin_trgm_ops)",
]
SQLITE = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title_terms, terms, tags,
        content = 'search_searchentry', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts (rowid, title_terms, terms, tags)
        VALUES (new.id, new.title_terms, new.terms, new.tags);
    END
    """,
    """
    CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_terms, terms, tags)
        VALUES ('delete', old.id, old.title_terms, old.terms, old.tags);
    END
    """,
    """
    CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_terms, terms, tags)
        VALUES ('delete', old.id, old.title_terms, old.terms, old.tags);
        INSERT INTO search_fts (rowid, title_terms, terms, tags)
        VALUES (new.id, new.title_terms, new.terms, new.tags);
    END
    """,
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        for statement in SQLITE:
            schema_editor.execute(statement)
        return
    for statement in POSTGRES:
        schema_editor.execute(statement)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SAVEPOINT search_trigram")
            for statement in TRIGRAM:
                cursor.execute(statement)
            cursor.execute("RELEASE SAVEPOINT search_trigram")
    except Exception:  # noqa: BLE001  (not permitted: suggestions fall back to a range scan)
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK TO SAVEPOINT search_trigram")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_word_trigram")
        schema_editor.execute("ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector")
        return
    for name in ("ai", "ad", "au"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS search_entry_{name}")
    schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
