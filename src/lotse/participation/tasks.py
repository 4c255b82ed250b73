"""Background work of participation (run by ``lotse db_worker``): notification mails, at once
or as the daily digest."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from lotse.core.worker import register_reclaim


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


@task()
def send_daily_digests() -> int:
    """One mail per person in daily-digest mode listing their un-mailed notifications of
    the last day; they are then marked as mailed. Returns how many mails went out."""
    from lotse.accounts.models import User
    from lotse.participation.models import Notification
    from lotse.participation.notifications import claim_for_digest, digest_recipients

    now = timezone.now()
    sent = 0
    for user_id in list(digest_recipients(now)):
        user = User.objects.get(pk=user_id)
        if not user.email:
            continue
        notifications = claim_for_digest(user_id, now)
        if not notifications:
            continue
        context = {
            "user": user,
            "notifications": notifications,
            "base_url": settings.BASE_URL,
        }
        with translation.override("de"):
            subject = render_to_string("participation/mail/digest_subject.txt", context)
            text = render_to_string("participation/mail/digest_body.txt", context)
        try:
            send_mail(" ".join(subject.split()), text, None, [user.email])
        except Exception:
            # Not sent: leave them for the next run instead of losing them.
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                emailed_at=None
            )
            raise
        sent += 1
    return sent


# Each notification is mailed once (rows already mailed or claimed are skipped), so a task
# whose worker died is simply run again.
register_reclaim(mail_notifications, retry=True)
register_reclaim(send_daily_digests, retry=True)
