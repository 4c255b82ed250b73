"""The German search index of ideas and measures (see lotse.participation.search).

One row per idea or measure, keyed ``object_id * 2 + kind`` (0 idea, 1 measure) so a row is
found by its key alone. On PostgreSQL a plain table with a stored ``tsvector`` in the
``german`` configuration and a GIN index; on SQLite an FTS5 table whose text is stemmed in
Python. No Django model: only lotse.participation.search reads and writes it.
"""

from django.db import migrations

POSTGRES = [
    """
    CREATE TABLE participation_search (
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
    "CREATE INDEX participation_search_vector ON participation_search USING gin (vector)",
    "CREATE INDEX participation_search_body ON participation_search (body_id)",
]
SQLITE = [
    """
    CREATE VIRTUAL TABLE participation_search USING fts5(
        body_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
]


def create(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS participation_search")


def fill(apps, schema_editor):
    # The one search index (lotse.search) replaced this table; ``lotse search_rebuild`` fills it.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0001_initial"),
        ("strategy", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create, drop),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
