"""Receivers that tie participation to the rest of Lotse: progress of a measure made from
ideas reaches the ideas' authors and followers; "download my data" gets a participation
section; erasing an account removes what only served that person."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from lotse.accounts.services import register_personal_data, user_erased
from lotse.strategy.models import MeasureStatus, MeasureTransition, StatusUpdate


def _people_of_measure(measure) -> tuple[list, list]:
    """The ideas linked to a measure, and their authors and followers."""
    from lotse.participation.models import Follow, Idea

    ideas = list(Idea.objects.filter(measure=measure).select_related("author"))
    if not ideas:
        return [], []
    people = [idea.author for idea in ideas]
    people += [f.user for f in Follow.objects.filter(idea__in=ideas).select_related("user")]
    return ideas, people


@receiver(post_save, sender=MeasureTransition, dispatch_uid="participation_measure_status")
def measure_status_changed(sender, instance: MeasureTransition, created: bool, **kwargs):
    if not created or kwargs.get("raw"):
        return
    from lotse.participation.models import IdeaState, NotificationKind
    from lotse.participation.notifications import notify

    measure = instance.measure
    ideas, people = _people_of_measure(measure)
    if not ideas:
        return
    if instance.to_status == MeasureStatus.COMPLETED:
        # A completed measure means the ideas it came from are implemented.
        for idea in ideas:
            if idea.state == IdeaState.ACCEPTED:
                idea.state = IdeaState.IMPLEMENTED
                idea._change_reason = f"measure #{measure.pk} completed"
                idea._history_user = instance.actor
                idea.save(update_fields=["state", "updated_at"])
    if not measure.is_public:
        # An internal measure's progress is not for the public.
        return
    with translation.override("de"):
        notify(
            people,
            body=measure.body,
            kind=NotificationKind.MEASURE,
            title=_("The measure “%(measure)s” is now: %(status)s")
            % {"measure": measure.title, "status": MeasureStatus(instance.to_status).label},
            text=instance.reason,
            url=measure.get_absolute_url(),
            exclude=instance.actor,
        )


@receiver(post_save, sender=StatusUpdate, dispatch_uid="participation_measure_update")
def measure_progress_reported(sender, instance: StatusUpdate, created: bool, **kwargs):
    if not created or kwargs.get("raw"):
        return
    from lotse.participation.models import NotificationKind
    from lotse.participation.notifications import notify

    measure = instance.measure
    if not measure.is_public:
        return
    ideas, people = _people_of_measure(measure)
    if not ideas:
        return
    with translation.override("de"):
        notify(
            people,
            body=measure.body,
            kind=NotificationKind.MEASURE,
            title=_("Progress of the measure “%(measure)s”: %(progress)s %%")
            % {"measure": measure.title, "progress": instance.progress},
            text=instance.text[:1000],
            url=measure.get_absolute_url(),
            exclude=instance.author,
        )


def personal_data(user) -> dict:
    """The participation section of "download my data" (GDPR Art. 15)."""
    from lotse.participation.models import (
        Comment,
        Follow,
        Idea,
        Notification,
        NotificationSettings,
        Rating,
        Report,
        Support,
    )

    def when(value):
        return value.isoformat() if value else None

    settings_row = NotificationSettings.objects.filter(user=user).first()
    return {
        "ideas": [
            {
                "id": i.pk,
                "body": i.body.slug,
                "title": i.title,
                "text": i.text,
                "address": i.address,
                "state": i.state,
                "hidden": i.is_hidden,
                "created_at": when(i.created_at),
            }
            for i in Idea.objects.filter(author=user).select_related("body").order_by("pk")
        ],
        "comments": [
            {
                "id": c.pk,
                "idea": c.idea_id,
                "text": c.text,
                "created_at": when(c.created_at),
                "deleted_at": when(c.deleted_at),
                "hidden": c.is_hidden,
            }
            for c in Comment.objects.filter(author=user).order_by("pk")
        ],
        "supports": [
            {"idea": s.idea_id, "created_at": when(s.created_at)}
            for s in Support.objects.filter(user=user).order_by("pk")
        ],
        "ratings": [
            {"idea": r.idea_id, "value": r.value, "created_at": when(r.created_at)}
            for r in Rating.objects.filter(user=user).order_by("pk")
        ],
        "follows": [
            {"idea": f.idea_id, "process": f.process_id, "created_at": when(f.created_at)}
            for f in Follow.objects.filter(user=user).order_by("pk")
        ],
        "reports": [
            {
                "idea": r.idea_id,
                "comment": r.comment_id,
                "reason": r.reason,
                "text": r.text,
                "created_at": when(r.created_at),
            }
            for r in Report.objects.filter(reporter=user).order_by("pk")
        ],
        "notifications": [
            {
                "title": n.title,
                "text": n.text,
                "url": n.url,
                "created_at": when(n.created_at),
                "read_at": when(n.read_at),
                "emailed_at": when(n.emailed_at),
            }
            for n in Notification.objects.filter(user=user).order_by("pk")
        ],
        "notification_settings": {"email": settings_row.email if settings_row else "sofort"},
    }


register_personal_data("participation", personal_data)


@receiver(user_erased, dispatch_uid="participation_user_erased")
def forget_user(sender, user, **kwargs):
    """Remove what only served the person. Ideas and comments stay in their threads and show
    "deleted account" (``user.public_name``); supports and ratings stay as anonymous counts,
    so the numbers others saw remain true."""
    from lotse.participation.models import (
        Follow,
        ModerationNote,
        Notification,
        NotificationSettings,
    )

    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    NotificationSettings.objects.filter(user=user).delete()
    ModerationNote.objects.filter(user=user).delete()
