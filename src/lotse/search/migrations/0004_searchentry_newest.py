"""On PostgreSQL, an index to walk the entries newest first by their date (then id), across
kinds: the way a query found in much of the index takes its newest matches (see
lotse.search.planner). Walking the primary key instead visits the entries in the order they
were indexed — after a rebuild, kind by kind — so a word of papers had to pass every comment
first. SQLite's FTS5 walks its own rowids and needs nothing here."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS search_entry_newest "
    "ON search_searchentry (date DESC NULLS LAST, id DESC)"
)
DROP = "DROP INDEX IF EXISTS search_entry_newest"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_searchentry_parts")]

    operations = [migrations.RunPython(forwards, backwards)]
