"""Background work of the core app (run by ``lotse worker``)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def mail_accessibility_report(report_id: int) -> int:
    """Send a new barrier report to the accessibility contact and the site admins."""
    from lotse.core.models import AccessibilityReport

    report = AccessibilityReport.objects.get(pk=report_id)
    admins = get_user_model().objects.filter(is_superuser=True, is_active=True)
    recipients = {
        settings.LOTSE_OPERATOR["accessibility_email"],
        *admins.values_list("email", flat=True),
    }
    with translation.override("de"):
        subject = render_to_string("core/mail/accessibility_subject.txt", {"report": report})
        body = render_to_string("core/mail/accessibility_body.txt", {"report": report})
    return send_mail(" ".join(subject.split()), body, None, sorted(r for r in recipients if r))
