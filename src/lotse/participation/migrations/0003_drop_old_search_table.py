"""The one search index (lotse.search) replaced this app's own search table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("participation", "0002_search_index")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS participation_search", migrations.RunSQL.noop),
    ]
