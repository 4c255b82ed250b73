"""Reads of participation data. ``visible_ideas`` is the one gate every page, feed, export
and API answer goes through, so hidden content cannot leak by another road."""

from django.db.models import Q, QuerySet

from lotse.core.models import Body
from lotse.participation.models import Comment, Idea, Process


def ideas_namespace(body_id: int) -> str:
    """The cache namespace of what is cached about a body's ideas (the lists' HTML, a
    visitor's comment thread), renewed by ``cache_signals`` when anything they show changes."""
    return f"ideas:{body_id}"


def idea_counts_namespace(body_id: int) -> str:
    """The cache namespace of the large counts of a body's idea lists, renewed when an idea
    or process changes (not by supports, comments and ratings: they move no idea in or out
    of a list)."""
    return f"idea-counts:{body_id}"


def visible_processes(user, body: Body) -> QuerySet[Process]:
    qs = Process.objects.for_body(body)
    if user.has_perm("participation.manage_processes", body):
        return qs
    return qs.filter(is_published=True)


def visible_ideas(user, body: Body) -> QuerySet[Idea]:
    """Ideas the user may see in the body: public ones; hidden ones only to their author and
    the body's moderators; ideas of unpublished processes only to staff."""
    qs = Idea.objects.for_body(body)
    if not user.has_perm("participation.manage_processes", body):
        qs = qs.filter(process__is_published=True)
    # A deleted idea is hidden too, so only the branches that show hidden ones leave it out.
    if user.has_perm("participation.moderate", body):
        return qs.filter(deleted_at__isnull=True)
    if user.is_authenticated:
        return qs.filter(Q(is_hidden=False) | Q(author=user, deleted_at__isnull=True))
    return qs.filter(is_hidden=False)


def listed_ideas(user, body: Body) -> QuerySet[Idea]:
    """What lists, searches and hints show: the public ideas, for everyone alike. Moderators
    find hidden ones in the moderation queue, authors in "Meine Ideen", staff the ideas of an
    unpublished process in their idea list; each may still open such an idea's page."""
    return visible_ideas(user, body).filter(is_hidden=False, process__is_published=True)


def public_ideas(body: Body) -> QuerySet[Idea]:
    """What anonymous readers, open data and the API without a token see."""
    return Idea.objects.for_body(body).filter(process__is_published=True, is_hidden=False)


def comment_is_readable(user, comment: Comment) -> bool:
    """A hidden comment's text is shown to its author and the body's moderators only; everyone
    else sees that a comment was hidden, so the thread keeps its shape."""
    if comment.deleted_at:
        return False
    if not comment.is_hidden:
        return True
    if user.is_authenticated and comment.author_id == user.pk:
        return True
    return user.has_perm("participation.moderate", comment.idea.body)
