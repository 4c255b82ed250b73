"""Background work of participation (run by ``lotse db_worker``): notification mails."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task


@task()
def mail_notifications(notification_ids: list[int]) -> int:
    """E-mail notifications one by one (immediate mode). Each is sent once: rows already
    mailed are skipped, so a retried task does not send twice."""
    from lotse.participation.models import Notification

    sent = 0
    pending = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("user", "body")
    for notification in pending:
        user = notification.user
        if not user.email or user.erased_at:
            continue
        context = {"notification": notification, "base_url": settings.BASE_URL}
        with translation.override("de"):
            subject = render_to_string("participation/mail/notification_subject.txt", context)
            text = render_to_string("participation/mail/notification_body.txt", context)
        send_mail(" ".join(subject.split()), text, None, [user.email])
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
