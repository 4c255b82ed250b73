"""Renew what is cached about a body's ideas (the lists' HTML and large counts) when
something a list shows changes: an idea or a process (saved or deleted), or a support,
comment or rating (whose counters the services update in place, without a signal of the
idea's own)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lotse.core import versioned
from lotse.participation.models import Comment, Idea, Process, Rating, Support
from lotse.participation.selectors import idea_counts_namespace, ideas_namespace


@receiver(post_save, sender=Idea, dispatch_uid="participation_idea_lists_saved")
@receiver(post_delete, sender=Idea, dispatch_uid="participation_idea_lists_deleted")
@receiver(post_save, sender=Process, dispatch_uid="participation_process_lists_saved")
@receiver(post_delete, sender=Process, dispatch_uid="participation_process_lists_deleted")
def idea_lists_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    versioned.bump(ideas_namespace(instance.body_id), idea_counts_namespace(instance.body_id))


@receiver(post_save, sender=Support, dispatch_uid="participation_support_lists_saved")
@receiver(post_delete, sender=Support, dispatch_uid="participation_support_lists_deleted")
@receiver(post_save, sender=Rating, dispatch_uid="participation_rating_lists_saved")
@receiver(post_delete, sender=Rating, dispatch_uid="participation_rating_lists_deleted")
@receiver(post_save, sender=Comment, dispatch_uid="participation_comment_lists_saved")
@receiver(post_delete, sender=Comment, dispatch_uid="participation_comment_lists_deleted")
def idea_counters_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    idea = instance._state.fields_cache.get("idea")
    if idea is not None:
        body_id = idea.body_id
    else:
        body_id = Idea.objects.filter(pk=instance.idea_id).values_list("body_id", flat=True)
        body_id = body_id.first()
    if body_id is not None:
        versioned.bump(ideas_namespace(body_id))
