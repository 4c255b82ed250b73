"""The one search index: a row per searchable thing of any app.

``SearchEntry`` is an ordinary Django table (so test flushes and ``TRUNCATE`` empty it like any
other); the full-text part lives beside it: on PostgreSQL a generated ``tsvector`` column with
a GIN index on the same table, on SQLite an FTS5 table over this one (external content) kept
in step by triggers. Both are created by migration 0001. Only ``lotse.search`` writes here.
"""

from django.db import models


class SearchEntry(models.Model):
    # The small columns first: a query reads them for a thousand candidates, and SQLite then
    # finds them on the row's first page without following the long texts' overflow pages.
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    body_id = models.IntegerField()
    date = models.DateField(null=True)
    state = models.CharField(max_length=40, blank=True)
    # Ids as " 3 7 ": organizations (Gremien), for the facet.
    organizations = models.CharField(max_length=500, blank=True)
    action_field_id = models.IntegerField(null=True)  # the Handlungsfeld
    # Who may see it: grant tokens (see lotse.search.registry), space-separated.
    access = models.CharField(max_length=500)
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    # What the full-text index reads: stems of the title, marker tokens (kind, body, access,
    # facets, reference numbers) and stems of the text.
    title_terms = models.TextField()
    tags = models.TextField()
    # The start of the text as written, for snippets.
    excerpt = models.TextField(blank=True)
    terms = models.TextField()
    # Stems of the later parts of compounds in the title and text ("konzept" of
    # "Radwegekonzept"), ranked below the words themselves (see lotse.search.compounds).
    parts = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class SearchWord(models.Model):
    """Words of public titles and texts, for "Meinten Sie …?"; ``key`` is the folded form."""

    word = models.CharField(max_length=40, unique=True)
    key = models.CharField(max_length=40, db_index=True)

    def __str__(self) -> str:
        return self.word
