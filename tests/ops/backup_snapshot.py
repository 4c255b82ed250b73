"""What a restored installation must have of the original: every table's rows, the search
indexes' content and the answers of the idea and paper search. Run in the test's process and,
through ``python -m tests.ops.backup_snapshot``, in one configured for the restored copy."""

import hashlib
import json

from django.conf import settings
from django.db import connection

QUERIES = ["Schule", "WLAN", "Glasfaser", "Haushalt", "Digitalisierung", "Radweg"]
# The search index is rebuilt on restore, so its rows get new ids: compared without them.
SEARCH_TABLES = {"search_searchentry", "search_searchword"}
SEARCH_INDEX = (
    "SELECT kind, object_id, body_id, title, url, access, title_terms, terms, tags "
    "FROM search_searchentry"
)


def _value(value):
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    return repr(value)


def _rows(cursor, sql: str) -> dict:
    cursor.execute(sql)
    rows = sorted(tuple(_value(v) for v in row) for row in cursor.fetchall())
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()
    return {"count": len(rows), "sha256": digest}


def tables() -> dict:
    cache_tables = {str(c.get("LOCATION")) for c in settings.CACHES.values()}
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            if table not in cache_tables and table not in SEARCH_TABLES:
                found[table] = _rows(cursor, f"SELECT * FROM {quote(table)}")
        found["search index"] = _rows(cursor, SEARCH_INDEX)
        found["search words"] = _rows(cursor, "SELECT word, key FROM search_searchword")
    return found


def searches() -> dict:
    from django.contrib.auth.models import AnonymousUser

    from lotse.core.models import Body
    from lotse.council.search import search_papers
    from lotse.council.selectors import visible_papers
    from lotse.participation.search import similar

    anonymous = AnonymousUser()
    found = {}
    for body in Body.objects.order_by("slug"):
        for q in QUERIES:
            ideas = [f"{hit.kind}:{hit.pk}" for hit in similar(anonymous, body, q, limit=20)]
            papers = list(
                search_papers(visible_papers(anonymous, body), q, body).values_list("pk", flat=True)
            )
            found[f"{body.slug}/{q}"] = {"ideas": ideas, "papers": papers}
    return found


def snapshot() -> dict:
    return {"tables": tables(), "searches": searches()}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(snapshot()))
