"""Receivers that keep the search index (lotse.participation.search) in step with ideas and
measures. Saves that only touch counters (``update_fields`` without a searched field) are
skipped, so a support does not re-index its idea."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lotse.participation.models import Idea
from lotse.strategy.models import Measure

IDEA_FIELDS = frozenset({"title", "text", "body", "body_id"})
MEASURE_FIELDS = frozenset({"title", "summary", "description", "body", "body_id"})


def _touches(update_fields, searched: frozenset[str]) -> bool:
    return update_fields is None or bool(searched & set(update_fields))


@receiver(post_save, sender=Idea, dispatch_uid="lotse_search_idea_saved")
def idea_saved(sender, instance, raw=False, update_fields=None, using="default", **kwargs):
    from lotse.participation import search

    if not raw and _touches(update_fields, IDEA_FIELDS):
        search.index_idea(instance, using)


@receiver(post_delete, sender=Idea, dispatch_uid="lotse_search_idea_deleted")
def idea_deleted(sender, instance, using="default", **kwargs):
    from lotse.participation import search

    search.unindex(search.IDEA, instance.pk, using)


@receiver(post_save, sender=Measure, dispatch_uid="lotse_search_measure_saved")
def measure_saved(sender, instance, raw=False, update_fields=None, using="default", **kwargs):
    from lotse.participation import search

    if not raw and _touches(update_fields, MEASURE_FIELDS):
        search.index_measure(instance, using)


@receiver(post_delete, sender=Measure, dispatch_uid="lotse_search_measure_deleted")
def measure_deleted(sender, instance, using="default", **kwargs):
    from lotse.participation import search

    search.unindex(search.MEASURE, instance.pk, using)
