"""Per-person rate limits for what people post, counted in the database so they hold across
several app processes. Views answer :class:`RateLimited` with the friendly 429 page, the API
with status 429."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core.models import Body
from lotse.participation.models import Comment, Idea, ParticipationSettings, Report


class RateLimited(Exception):
    """The person has posted as much as the body allows for now."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _check(limit: int, recent_rows, message: str) -> None:
    since = timezone.now() - timedelta(hours=1)
    if recent_rows.filter(created_at__gte=since).count() >= limit:
        raise RateLimited(message % {"limit": limit})


def check_idea_rate(user, body: Body) -> None:
    _check(
        ParticipationSettings.of(body).ideas_per_hour,
        Idea.objects.filter(body=body, author=user),
        _("You have submitted %(limit)d ideas in the last hour. Please wait a while."),
    )


def check_comment_rate(user, body: Body) -> None:
    _check(
        ParticipationSettings.of(body).comments_per_hour,
        Comment.objects.filter(idea__body=body, author=user),
        _("You have written %(limit)d comments in the last hour. Please wait a while."),
    )


def check_report_rate(user, body: Body) -> None:
    _check(
        ParticipationSettings.of(body).reports_per_hour,
        Report.objects.filter(body=body, reporter=user),
        _("You have sent %(limit)d reports in the last hour. Please wait a while."),
    )


def rate_limited_response(request, exc: RateLimited):
    """The friendly German 429 page with the limit that was reached."""
    from django.shortcuts import render

    return render(request, "429.html", {"message": exc.message}, status=429)
