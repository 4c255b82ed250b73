"""Compound parts in the index (see lotse.search.compounds): a ``parts`` column, read by the
full-text index with a lower weight than the words themselves — weight C on PostgreSQL (below
title A and text B), a fourth FTS5 column on SQLite (bm25 weight 0.2 in the engine).

The column starts empty: ``lotse search_rebuild`` fills it (the stems kept so far do not tell
the words' parts, "haushaltsplan" being the stem of "Haushaltsplanung").

On PostgreSQL the marker tokens now come first: ``ts_rank`` of a query of several tokens
weighs how close together they stand, and every query holds marker tokens (body, grants), so
the title, right after them, ranks above the text and the text above the parts."""

import importlib

from django.db import migrations, models

POSTGRES = [
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector",
    """
    ALTER TABLE search_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, tags), 'D')
        || setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, terms), 'B')
        || setweight(to_tsvector('simple'::regconfig, parts), 'C')
    ) STORED
    """,
    "CREATE INDEX search_entry_vector ON search_searchentry USING gin (vector)",
]
COLUMNS = "title_terms, terms, tags, parts"
SQLITE = [
    *(f"DROP TRIGGER IF EXISTS search_entry_{name}" for name in ("ai", "ad", "au")),
    "DROP TABLE IF EXISTS search_fts",
    f"""
    CREATE VIRTUAL TABLE search_fts USING fts5(
        {COLUMNS},
        content = 'search_searchentry', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts (rowid, {COLUMNS})
        VALUES (new.id, new.title_terms, new.terms, new.tags, new.parts);
    END
    """,
    f"""
    CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts (search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.title_terms, old.terms, old.tags, old.parts);
    END
    """,
    f"""
    CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts (search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.title_terms, old.terms, old.tags, old.parts);
        INSERT INTO search_fts (rowid, {COLUMNS})
        VALUES (new.id, new.title_terms, new.terms, new.tags, new.parts);
    END
    """,
    "INSERT INTO search_fts (search_fts) VALUES ('rebuild')",
]


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES if postgres else SQLITE:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    before = importlib.import_module("lotse.search.migrations.0002_fulltext")
    before.drop(apps, schema_editor)
    before.create(apps, schema_editor)
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.execute("INSERT INTO search_fts (search_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="parts",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(create, drop),
    ]
