"""What citizens do on the idea platform: submit ideas, support, rate, comment, follow.

Every function checks the permission (``participation.post``: verified e-mail, not blocked),
whether the process's current phase allows the action, and the body's rate limits, then
changes the rows and the counters on :class:`Idea` in one transaction. Counters move with
``F()`` expressions so concurrent requests cannot lose an update.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, FloatField
from django.db.models.functions import Cast
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lotse.participation import images as idea_images
from lotse.participation import limits
from lotse.participation.models import (
    COMMENT_EDIT_MINUTES,
    COMMENT_TEXT_MAX,
    IDEA_TEXT_MAX,
    IDEA_TITLE_MAX,
    PHASE_ACTIONS,
    Action,
    Comment,
    Follow,
    Idea,
    IdeaImage,
    IdeaState,
    NotificationKind,
    Phase,
    Process,
    Rating,
    Support,
)
from lotse.participation.notifications import notify
from lotse.strategy.models import ActionField

COUNTERS = ["support_count", "comment_count", "rating_count", "rating_sum", "rating_mean"]


# --- Checks ----------------------------------------------------------------------------------


def _require_post(user, body) -> None:
    if not user.is_authenticated or not user.has_perm("participation.post", body):
        raise PermissionDenied


def _require_visible(user, idea: Idea) -> None:
    if not idea.process.is_published and not user.has_perm(
        "participation.manage_processes", idea.body
    ):
        raise PermissionDenied
    if not user.has_perm("participation.view_idea", idea):
        raise PermissionDenied


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def action_label(action: str) -> str:
    return str(Action(action).label)


@dataclass
class PhaseInfo:
    """What a process allows now, for the pages: the phase, its actions and its end, and
    when submitting opens next (if it is closed now)."""

    phase: Phase | None
    actions: list[str]
    until: datetime | None
    submit_opens: datetime | None

    @property
    def action_labels(self) -> list[str]:
        return [action_label(a) for a in self.actions]

    def allows(self, action: str) -> bool:
        return action in self.actions


def phase_info(process: Process, now: datetime | None = None) -> PhaseInfo:
    now = now or timezone.now()
    phases = list(process.phases.all())
    current = process.current_phase(now)
    opens = next(
        (p.start for p in phases if p.start > now and Action.SUBMIT in PHASE_ACTIONS[p.kind]),
        None,
    )
    return PhaseInfo(
        phase=current,
        actions=current.actions if current else [],
        until=current.end if current else None,
        submit_opens=opens,
    )


def _require_phase(process: Process, action: str) -> None:
    """Raise a German error naming the phase, and when the action opens or closed."""
    now = timezone.now()
    if process.allows(action, now):
        return
    phases = list(process.phases.all())
    current = process.current_phase(now)
    label = action_label(action)
    if current:
        message = _("In the current phase “%(phase)s” you cannot %(action)s.") % {
            "phase": current.get_kind_display(),
            "action": label,
        }
    else:
        message = _("The process “%(process)s” has no open phase at the moment.") % {
            "process": process.title
        }
    later = [p for p in phases if p.start > now and action in PHASE_ACTIONS[p.kind]]
    earlier = [p for p in phases if p.end and p.end <= now and action in PHASE_ACTIONS[p.kind]]
    if later:
        message += " " + _("This will be possible from %(date)s.") % {"date": _when(later[0].start)}
    elif earlier:
        message += " " + _("This was possible until %(date)s.") % {"date": _when(earlier[-1].end)}
    raise ValidationError(message, code="phase")


def _require_open_idea(idea: Idea) -> None:
    if idea.state == IdeaState.MERGED or idea.merged_into_id:
        raise ValidationError(
            _("This idea has been merged with another one; please take part there."),
            code="merged",
        )
    if idea.is_hidden:
        raise ValidationError(
            _("This idea is hidden by the moderation and cannot receive contributions."),
            code="hidden",
        )


def _clean_text(text: str, max_length: int, field: str, empty_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: empty_message}, code="required")
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("Please shorten the text to at most %(max)d characters (now %(n)d).")
                % {"max": max_length, "n": len(text)}
            },
            code="max_length",
        )
    return text


def allowed_action_fields(process: Process):
    """The action fields an idea of this process may name: the process's fields and their
    topics, or, when it names none, every field of the body's strategies."""
    in_scope = list(process.action_fields.values_list("pk", flat=True))
    if in_scope:
        return ActionField.objects.filter(pk__in=in_scope) | ActionField.objects.filter(
            parent_id__in=in_scope
        )
    return ActionField.objects.filter(strategy__body_id=process.body_id)


def _refresh_counters(idea: Idea) -> None:
    idea.refresh_from_db(fields=COUNTERS)


def _update_mean(idea_id: int) -> None:
    # A second statement: within one UPDATE the right-hand sides see the old values.
    Idea.objects.filter(pk=idea_id, rating_count__gt=0).update(
        rating_mean=Cast(F("rating_sum"), FloatField()) / F("rating_count")
    )
    Idea.objects.filter(pk=idea_id, rating_count=0).update(rating_mean=0)


# --- Ideas -----------------------------------------------------------------------------------


def submit_idea(
    user,
    process: Process,
    *,
    title: str,
    text: str,
    action_field: ActionField | None = None,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    images: Iterable = (),
) -> Idea:
    """A citizen's new idea in ``process``. ``images`` are ``(file, alt_text)`` pairs; each
    is re-encoded without metadata. The author follows the idea; followers of the process
    hear about it."""
    _require_post(user, process.body)
    if not process.is_published:
        raise PermissionDenied
    _require_phase(process, Action.SUBMIT)
    title = _clean_text(title, IDEA_TITLE_MAX, "title", _("Please give your idea a title."))
    text = _clean_text(text, IDEA_TEXT_MAX, "text", _("Please describe your idea."))
    if (
        action_field is not None
        and not allowed_action_fields(process).filter(pk=action_field.pk).exists()
    ):
        raise ValidationError(
            {"action_field": _("Please choose an action field of this process.")},
            code="action_field",
        )
    images = [(file, (alt or "").strip()) for file, alt in images if file]
    if len(images) > idea_images.MAX_IMAGES_PER_IDEA:
        raise ValidationError(
            _("An idea can have at most %(max)d images.")
            % {"max": idea_images.MAX_IMAGES_PER_IDEA},
            code="images",
        )
    for _file, alt in images:
        if not alt:
            raise ValidationError(
                _("Please describe each image in a few words for people who cannot see it."),
                code="alt_text",
            )
    # Re-encode before anything is stored, so a rejected upload leaves no row behind.
    encoded = [(idea_images.reencode(file), alt[:200]) for file, alt in images]
    idea = Idea(
        body=process.body,
        process=process,
        title=title,
        text=text,
        action_field=action_field,
        address=(address or "").strip(),
        latitude=latitude,
        longitude=longitude,
        author=user,
    )
    idea.full_clean(exclude=["origin_result", "merged_into", "measure"])
    with transaction.atomic():
        limits.check_idea_rate(user, process.body)
        idea.save()
        for order, (image, alt) in enumerate(encoded):
            row = IdeaImage(idea=idea, alt_text=alt, content_type=image.content_type, order=order)
            row.image.save(image.name, image.content, save=False)
            row.save()
        Follow.objects.get_or_create(user=user, idea=idea)
        followers = get_user_model().objects.filter(follows__process=process)
        notify(
            followers,
            body=process.body,
            kind=NotificationKind.NEW_IDEA,
            title=_("New idea in “%(process)s”: %(title)s")
            % {"process": process.title, "title": title},
            url=idea.get_absolute_url(),
            exclude=user,
        )
    return idea


# --- Supports and ratings --------------------------------------------------------------------


def support(user, idea: Idea) -> Support:
    """Support an idea; supporting twice changes nothing."""
    _require_post(user, idea.body)
    _require_visible(user, idea)
    _require_open_idea(idea)
    _require_phase(idea.process, Action.SUPPORT)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row, created = Support.objects.get_or_create(idea=idea, user=user)
        except IntegrityError:  # a parallel request won the race
            row, created = Support.objects.get(idea=idea, user=user), False
        if created:
            Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    _refresh_counters(idea)
    return row


def withdraw_support(user, idea: Idea) -> None:
    """Take a support back, while the phase allows supporting."""
    _require_post(user, idea.body)
    _require_visible(user, idea)
    _require_phase(idea.process, Action.SUPPORT)
    with transaction.atomic():
        deleted, _rows = Support.objects.filter(idea=idea, user=user).delete()
        if deleted:
            Idea.objects.filter(pk=idea.pk, support_count__gt=0).update(
                support_count=F("support_count") - 1
            )
    _refresh_counters(idea)


def rate(user, idea: Idea, value: int) -> Rating:
    """Give or change one's Einschätzung (1–5) on the process's question."""
    _require_post(user, idea.body)
    _require_visible(user, idea)
    _require_open_idea(idea)
    _require_phase(idea.process, Action.RATE)
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationError({"value": _("Please choose a value from 1 to 5.")}, code="value")
    with transaction.atomic():
        existing = Rating.objects.select_for_update().filter(idea=idea, user=user).first()
        if existing is None:
            try:
                with transaction.atomic():
                    row = Rating.objects.create(idea=idea, user=user, value=value)
            except IntegrityError:  # a parallel first rating: treat ours as a change
                existing = Rating.objects.select_for_update().get(idea=idea, user=user)
            else:
                Idea.objects.filter(pk=idea.pk).update(
                    rating_count=F("rating_count") + 1, rating_sum=F("rating_sum") + value
                )
                _update_mean(idea.pk)
        if existing is not None:
            row = existing
            if existing.value != value:
                Idea.objects.filter(pk=idea.pk).update(
                    rating_sum=F("rating_sum") + (value - existing.value)
                )
                existing.value = value
                existing.save(update_fields=["value"])
                _update_mean(idea.pk)
    _refresh_counters(idea)
    return row


# --- Comments --------------------------------------------------------------------------------


def add_comment(user, idea: Idea, text: str, parent: Comment | None = None) -> Comment:
    """A comment, or a reply (a reply to a reply joins the top-level comment's thread).
    The commenter follows the idea; its other followers are told."""
    _require_post(user, idea.body)
    _require_visible(user, idea)
    _require_open_idea(idea)
    _require_phase(idea.process, Action.COMMENT)
    text = _clean_text(text, COMMENT_TEXT_MAX, "text", _("Please write a comment."))
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise ValidationError(_("You can only reply to a comment on the same idea."))
        if parent.parent_id:
            parent = parent.parent
        if parent.deleted_at:
            raise ValidationError(_("You cannot reply to a deleted comment."), code="deleted")
    with transaction.atomic():
        limits.check_comment_rate(user, idea.body)
        comment = Comment.objects.create(idea=idea, parent=parent, author=user, text=text)
        Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
        Follow.objects.get_or_create(user=user, idea=idea)
        followers = get_user_model().objects.filter(follows__idea=idea)
        notify(
            followers,
            body=idea.body,
            kind=NotificationKind.COMMENT,
            title=_("New comment on “%(title)s”") % {"title": idea.title},
            text=text[:500],
            url=f"{idea.get_absolute_url()}#kommentar-{comment.pk}",
            exclude=user,
        )
    _refresh_counters(idea)
    return comment


def can_edit_comment(user, comment: Comment, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(
        user.is_authenticated
        and comment.author_id == user.pk
        and not comment.deleted_at
        and now < comment.editable_until()
    )


def edit_comment(user, comment: Comment, text: str) -> Comment:
    """The author corrects a comment within the first minutes."""
    if not user.is_authenticated or comment.author_id != user.pk:
        raise PermissionDenied
    _require_post(user, comment.idea.body)
    if comment.deleted_at:
        raise ValidationError(_("A deleted comment cannot be edited."), code="deleted")
    if timezone.now() >= comment.editable_until():
        raise ValidationError(
            _("Comments can only be edited within %(minutes)d minutes of writing them.")
            % {"minutes": COMMENT_EDIT_MINUTES},
            code="too_late",
        )
    text = _clean_text(text, COMMENT_TEXT_MAX, "text", _("Please write a comment."))
    with transaction.atomic():
        comment.text = text
        comment.edited_at = timezone.now()
        comment.save(update_fields=["text", "edited_at"])
    return comment


def can_delete_comment(user, comment: Comment) -> bool:
    if not user.is_authenticated or comment.deleted_at:
        return False
    return comment.author_id == user.pk or user.has_perm(
        "participation.moderate", comment.idea.body
    )


def delete_comment(user, comment: Comment) -> None:
    """Soft delete by the author or a moderator: the thread keeps its shape and shows
    "gelöscht"."""
    if not user.is_authenticated:
        raise PermissionDenied
    if comment.author_id != user.pk and not user.has_perm(
        "participation.moderate", comment.idea.body
    ):
        raise PermissionDenied
    with transaction.atomic():
        # Locked, so two deletes cannot both lower the counter.
        row = Comment.objects.select_for_update().get(pk=comment.pk)
        if row.deleted_at is None:
            row.deleted_at = timezone.now()
            row.save(update_fields=["deleted_at"])  # through save(): the history keeps it
            Idea.objects.filter(pk=comment.idea_id, comment_count__gt=0).update(
                comment_count=F("comment_count") - 1
            )
    comment.deleted_at = row.deleted_at
    _refresh_counters(comment.idea)


# --- Follows ---------------------------------------------------------------------------------


def follow_idea(user, idea: Idea) -> Follow:
    if not user.is_authenticated:
        raise PermissionDenied
    _require_visible(user, idea)
    try:
        with transaction.atomic():
            row, _created = Follow.objects.get_or_create(user=user, idea=idea)
    except IntegrityError:
        row = Follow.objects.get(user=user, idea=idea)
    return row


def unfollow_idea(user, idea: Idea) -> None:
    if not user.is_authenticated:
        raise PermissionDenied
    Follow.objects.filter(user=user, idea=idea).delete()
