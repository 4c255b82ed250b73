"""Notifications: an in-app row for each person, and an e-mail at once or in the daily digest
as the person chose. Mails go out from background tasks (``tasks.py``), never in the request.

Services call :func:`notify` inside their transaction; the mail task is enqueued on commit,
so a rolled-back change sends nothing. People who chose the daily digest get one mail a day
(:func:`digest_recipients`, :func:`claim_for_digest`; sent by ``tasks.send_daily_digests``,
which ``lotse participation_scheduler`` enqueues every morning and ``lotse send_digests``
runs from cron).
"""

from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from lotse.core.models import Body
from lotse.participation.models import Notification, NotificationSettings


def email_mode(user) -> str:
    found = NotificationSettings.objects.filter(user=user).values_list("email", flat=True).first()
    return found or NotificationSettings.Email.IMMEDIATE


def notify(
    users: Iterable,
    *,
    body: Body,
    kind: str,
    title: str,
    text: str = "",
    url: str = "",
    exclude=None,
) -> list[Notification]:
    """Tell each of ``users`` (once each; never ``exclude``, e.g. the person who acted) about
    something. Erased and inactive accounts are skipped."""
    seen: set[int] = set()
    rows = []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        if exclude is not None and user.pk == exclude.pk:
            continue
        if not user.is_active or user.erased_at:
            continue
        rows.append(
            Notification(user=user, body=body, kind=kind, title=title[:300], text=text, url=url)
        )
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    # One query for everybody's choice, not one per recipient (a process may have many).
    chosen = dict(
        NotificationSettings.objects.filter(user_id__in=seen).values_list("user_id", "email")
    )
    immediate = [
        n.pk
        for n in created
        if n.pk is not None
        and chosen.get(n.user_id, NotificationSettings.Email.IMMEDIATE)
        == NotificationSettings.Email.IMMEDIATE
    ]
    if immediate:
        from lotse.participation.tasks import mail_notifications

        transaction.on_commit(lambda: mail_notifications.enqueue(immediate))
    return created


# A digest lists what has not been mailed yet from the last day.
DIGEST_WINDOW = timedelta(days=1)


def digest_recipients(now=None) -> QuerySet:
    """Ids of people in daily-digest mode with something un-mailed from the last day."""
    now = now or timezone.now()
    return (
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__gte=now - DIGEST_WINDOW,
            user__notification_settings__email=NotificationSettings.Email.DAILY,
            user__is_active=True,
            user__erased_at__isnull=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def claim_for_digest(user_id: int, now=None) -> list[Notification]:
    """Mark a person's un-mailed notifications of the last day as mailed and return them.
    Claiming first (one UPDATE) means two digest runs at once cannot both send them."""
    now = now or timezone.now()
    pending = Notification.objects.filter(
        user_id=user_id, emailed_at__isnull=True, created_at__gte=now - DIGEST_WINDOW
    )
    ids = list(pending.values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now)
    return list(
        Notification.objects.filter(pk__in=ids, emailed_at=now)
        .select_related("body")
        .order_by("created_at", "pk")
    )


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def set_email_mode(user, mode: str) -> NotificationSettings:
    """How the person wants to be mailed: at once, once a day, or never."""
    if mode not in NotificationSettings.Email.values:
        from django.core.exceptions import ValidationError

        raise ValidationError({"email": "unknown mode"})
    found, _created = NotificationSettings.objects.update_or_create(
        user=user, defaults={"email": mode}
    )
    return found


def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one of the person's notifications (or all of them) as read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
