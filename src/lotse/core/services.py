"""Writes of the core app."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from lotse.core.models import AccessibilityReport, Body
from lotse.core.tasks import mail_accessibility_report


def receive_accessibility_report(data: dict[str, Any]) -> AccessibilityReport | None:
    """Store a barrier report and mail it to the admins once the row is committed.

    A filled honeypot field means a bot: nothing is stored and nothing sent.
    """
    if data.get("hp_homepage"):
        return None
    fields = {k: data.get(k, "") for k in ("page_url", "description", "name", "email")}
    with transaction.atomic():
        report = AccessibilityReport.objects.create(**fields)
        transaction.on_commit(lambda: mail_accessibility_report.enqueue(report.pk))
    return report


def update_body_settings(actor, body: Body, form) -> Body:
    """Save a body's contact details and branding; the change lands in its history."""
    if not actor.has_perm("core.change_body", body):
        raise PermissionDenied
    return form.save()


def require(user, permission: str, obj) -> None:
    """Refuse unless ``rules`` grants ``permission`` on ``obj``: the first line of every
    service that writes."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied
