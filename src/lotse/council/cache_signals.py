"""Renew what is cached about a body's papers when a paper changes: the paper list's HTML on
any change, its large counts when a paper is added or deleted. Other changes (a paper
released or made public, a changed Beratungsfolge) reach the cached counts within
``core.paging.COUNT_SECONDS``; the page shows them rounded and says "about"."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lotse.core import versioned
from lotse.council.models import Paper
from lotse.council.selectors import paper_counts_namespace, papers_namespace


@receiver(post_save, sender=Paper, dispatch_uid="council_paper_lists_saved")
def paper_saved(sender, instance, created=False, **kwargs):
    if created:
        versioned.bump(papers_namespace(instance.body_id), paper_counts_namespace(instance.body_id))
    else:
        versioned.bump(papers_namespace(instance.body_id))


@receiver(post_delete, sender=Paper, dispatch_uid="council_paper_lists_deleted")
def paper_deleted(sender, instance, **kwargs):
    versioned.bump(papers_namespace(instance.body_id), paper_counts_namespace(instance.body_id))
