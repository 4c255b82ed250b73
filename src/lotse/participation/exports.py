"""Open-data downloads of a body's public ideas and comments, as CSV.

Authors appear as a pseudonym only: the same person gets the same pseudonym within one body
(so analyses can count people), but it cannot be traced back to the account or compared
across bodies — it is a keyed hash (HMAC with the installation's secret key) of body and
account. Hidden ideas, ideas of unpublished processes and hidden or deleted comments' texts
are never exported; the rows go through :func:`selectors.public_ideas`.
"""

import csv
import hashlib
import hmac
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext as _

from lotse.core.models import Body
from lotse.core.spreadsheets import defuse
from lotse.participation.models import Comment, IdeaState
from lotse.participation.selectors import public_ideas

CHUNK = 2000


def pseudonym(body: Body, user_id: int | None) -> str:
    if user_id is None:
        return ""
    message = f"lotse-participation-author:{body.pk}:{user_id}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return f"P-{digest[:12]}"


class _Echo:
    """A file-like object whose write returns the line, for streaming with csv.writer."""

    def write(self, value: str) -> str:
        return value


def _stream(header: list[str], rows) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheet programs read UTF-8
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([defuse(cell) for cell in row])


def idea_rows(body: Body) -> Iterator[str]:
    states = dict(IdeaState.choices)
    ideas = (
        public_ideas(body)
        .select_related("process", "action_field", "measure")
        .order_by("pk")
        .iterator(chunk_size=CHUNK)
    )
    header = [
        _("ID"),
        _("Title"),
        _("Text"),
        _("Process"),
        _("Action field"),
        _("Place"),
        _("Latitude"),
        _("Longitude"),
        _("State"),
        _("Reason"),
        _("Author (pseudonym)"),
        _("Submitted"),
        _("Supports"),
        _("Comments"),
        _("Ratings"),
        _("Mean rating"),
        _("Official answer"),
        _("Answered"),
        _("Merged into"),
        _("Measure"),
        _("Address"),
    ]
    base = settings.BASE_URL

    def rows():
        for idea in ideas:
            measure = idea.measure if idea.measure_id and idea.measure.is_public else None
            yield [
                idea.pk,
                idea.title,
                idea.text,
                idea.process.title,
                idea.action_field.title if idea.action_field_id else "",
                idea.address,
                idea.latitude if idea.latitude is not None else "",
                idea.longitude if idea.longitude is not None else "",
                str(states.get(idea.state, idea.state)),
                idea.state_reason,
                pseudonym(body, idea.author_id),
                idea.created_at.isoformat(),
                idea.support_count,
                idea.comment_count,
                idea.rating_count,
                round(idea.rating_mean, 2) if idea.rating_count else "",
                idea.answer,
                idea.answered_at.isoformat() if idea.answered_at else "",
                idea.merged_into_id or "",
                f"{base}{measure.get_absolute_url()}" if measure else "",
                f"{base}/{body.slug}/ideen/{idea.pk}/",
            ]

    return _stream(header, rows())


def comment_rows(body: Body) -> Iterator[str]:
    comments = (
        Comment.objects.filter(idea__in=public_ideas(body))
        .order_by("idea_id", "pk")
        .values_list(
            "pk",
            "idea_id",
            "parent_id",
            "author_id",
            "text",
            "created_at",
            "edited_at",
            "deleted_at",
            "is_hidden",
        )
        .iterator(chunk_size=CHUNK)
    )
    header = [
        _("ID"),
        _("Idea"),
        _("Reply to"),
        _("Author (pseudonym)"),
        _("Comment"),
        _("Written"),
        _("Edited"),
        _("State"),
    ]

    def rows():
        for pk, idea_id, parent_id, author_id, text, created, edited, deleted, hidden in comments:
            if deleted:
                state, text, author = _("deleted"), "", ""
            elif hidden:
                state, text, author = _("hidden by the moderation"), "", ""
            else:
                state, author = "", pseudonym(body, author_id)
            yield [
                pk,
                idea_id,
                parent_id or "",
                author,
                text,
                created.isoformat(),
                edited.isoformat() if edited else "",
                state,
            ]

    return _stream(header, rows())
