"""Renew what is cached about a body's papers (the paper list's large counts) when a paper
changes. A changed Beratungsfolge (which non-public papers an organization's members see)
reaches the cached counts within ``core.paging.COUNT_SECONDS``; the page says "about"."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lotse.core import versioned
from lotse.council.models import Paper
from lotse.council.selectors import papers_namespace


@receiver(post_save, sender=Paper, dispatch_uid="council_paper_lists_saved")
@receiver(post_delete, sender=Paper, dispatch_uid="council_paper_lists_deleted")
def paper_lists_changed(sender, instance, **kwargs):
    versioned.bump(papers_namespace(instance.body_id))
