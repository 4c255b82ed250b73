"""Notifications: an in-app row for each person, and an e-mail at once or in the daily digest
as the person chose. Mails go out from background tasks (``tasks.py``), never in the request.

Services call :func:`notify` inside their transaction; the mail task is enqueued on commit,
so a rolled-back change sends nothing.
"""

from collections.abc import Iterable

from django.db import transaction

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
            Notification(
                user=user, body=body, kind=kind, title=title[:300], text=text, url=url
            )
        )
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    immediate = [
        n.pk
        for n in created
        if n.pk is not None and email_mode(n.user) == NotificationSettings.Email.IMMEDIATE
    ]
    if immediate:
        from lotse.participation.tasks import mail_notifications

        transaction.on_commit(lambda: mail_notifications.enqueue(immediate))
    return created
