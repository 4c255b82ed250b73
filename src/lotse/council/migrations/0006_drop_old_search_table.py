"""The one search index (lotse.search) replaced this app's own search table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("council", "0005_oparl_timestamps")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS council_search", migrations.RunSQL.noop),
    ]
