"""The German search index of papers (see lotse.council.search).

One row per paper, keyed by its id. On PostgreSQL a plain table with a stored ``tsvector`` in
the ``german`` configuration and a GIN index; on SQLite an FTS5 table whose text is stemmed in
Python. No Django model: only lotse.council.search reads and writes it.
"""

from django.db import migrations

POSTGRES = [
    """
    CREATE TABLE council_search (
        key bigint PRIMARY KEY,
        body_id integer NOT NULL,
        title text NOT NULL,
        text text NOT NULL,
        vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('german'::regconfig, title), 'A')
            || setweight(to_tsvector('german'::regconfig, text), 'B')
        ) STORED
    )
    """,
    "CREATE INDEX council_search_vector ON council_search USING gin (vector)",
    "CREATE INDEX council_search_body ON council_search (body_id)",
]
SQLITE = [
    """
    CREATE VIRTUAL TABLE council_search USING fts5(
        body_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
]


def create(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS council_search")


def fill(apps, schema_editor):
    # The one search index (lotse.search) replaced this table; ``lotse search_rebuild`` fills it.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0002_paper_digital_check"),
    ]

    operations = [
        migrations.RunPython(create, drop),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
