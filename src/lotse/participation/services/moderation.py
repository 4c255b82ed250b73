"""Moderation: reports, hiding with a reason the author is told, restoring, blocks and
internal notes. Every act is written to :class:`ModerationAction` and, for ideas and
comments, to their history, so the moderation log answers who did what, when and why."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from lotse.core.models import Body
from lotse.core.services import require
from lotse.participation import limits
from lotse.participation.models import (
    Block,
    Comment,
    Idea,
    ModerationAction,
    ModerationNote,
    NotificationKind,
    ParticipationSettings,
    Report,
    ReportReason,
)
from lotse.participation.notifications import notify
from lotse.participation.rules import BLOCK_CACHE

Target = Idea | Comment


def auto_hide_reason() -> str:
    """The reason stored on content that hid itself; kept in German like every text the
    platform writes for its readers."""
    with translation.override("de"):
        return _("automatically hidden after reports, under review")


def _parts(target: Target) -> dict:
    """The ``idea=``/``comment=`` keywords that point a report, an act or a note at
    ``target``."""
    if isinstance(target, Idea):
        return {"idea": target}
    if isinstance(target, Comment):
        return {"comment": target}
    raise TypeError(f"cannot moderate {type(target).__name__}")


def body_of(target: Target) -> Body:
    return target.body if isinstance(target, Idea) else target.idea.body


def _locked(target: Target) -> Target:
    """The target again, locked for this transaction, so two moderators (or a report and a
    moderator) do not overwrite each other."""
    model = type(target)
    related = ["body"] if model is Idea else ["idea__body"]
    return model.objects.select_for_update().select_related(*related).get(pk=target.pk)


def target_url(target: Target) -> str:
    if isinstance(target, Idea):
        return target.get_absolute_url()
    return f"{target.idea.get_absolute_url()}#kommentar-{target.pk}"


def _describe(target: Target) -> str:
    """How a message names the content: the idea's title, or the comment on it."""
    if isinstance(target, Idea):
        return _("your idea “%(title)s”") % {"title": target.title}
    return _("your comment on “%(title)s”") % {"title": target.idea.title}


def how_to_object(body: Body) -> str:
    """Where a person can object to a decision: the body's contact address, else its page."""
    from django.conf import settings

    if body.contact_email:
        return _("If you disagree, write to %(email)s; a person will look at it again.") % {
            "email": body.contact_email
        }
    return _("If you disagree, contact %(body)s (%(url)s); a person will look at it again.") % {
        "body": body.name,
        "url": settings.BASE_URL + body.get_absolute_url(),
    }


def _save(target: Target, user, reason: str, fields: list[str]) -> None:
    target._change_reason = reason[:100]
    target._history_user = user
    target.save(update_fields=fields)


def _log(body: Body, kind: str, moderator, target: Target | None, reason: str, user=None):
    parts = _parts(target) if target is not None else {}
    if user is None and target is not None:
        user = target.author
    return ModerationAction.objects.create(
        body=body, kind=kind, moderator=moderator, user=user, reason=reason, **parts
    )


def _open_reports(target: Target):
    return Report.objects.filter(resolved_at__isnull=True, **_parts(target))


def _resolve_reports(target: Target, moderator) -> int:
    return _open_reports(target).update(resolved_at=timezone.now(), resolved_by=moderator)


def _tell_author(target: Target, body: Body, title: str, text: str, url: str = "") -> None:
    if target.author_id is None:
        return
    notify(
        [target.author],
        body=body,
        kind=NotificationKind.MODERATION,
        title=title,
        text=text,
        url=url or target_url(target),
    )


# --- Reports ----------------------------------------------------------------------------------


@transaction.atomic
def report(user, target: Target, reason: str, text: str = "") -> Report:
    """Flag an idea or a comment. One open report per person and target (a second is a
    no-op). At the body's threshold of open reports the content hides itself until a
    moderator has looked at it."""
    body = body_of(target)
    require(user, "participation.post", target)
    idea = target if isinstance(target, Idea) else target.idea
    readable = user.has_perm("participation.view_idea", target) and user.has_perm(
        "participation.view_idea", idea
    )
    if not readable or not (
        idea.process.is_published or user.has_perm("participation.manage_processes", body)
    ):
        raise PermissionDenied
    if reason not in ReportReason.values:
        raise ValidationError({"reason": _("Please choose a reason.")})
    existing = _open_reports(target).filter(reporter=user).first()
    if existing is not None:
        return existing
    limits.check_report_rate(user, body)
    created = Report.objects.create(
        body=body, reporter=user, reason=reason, text=text.strip()[:1000], **_parts(target)
    )
    type(target).objects.filter(pk=target.pk).update(report_count=F("report_count") + 1)
    target = _locked(target)
    threshold = ParticipationSettings.of(body).reports_to_hide
    if not target.is_hidden and _open_reports(target).count() >= threshold:
        hidden_reason = auto_hide_reason()
        target.is_hidden = True
        target.hidden_reason = hidden_reason
        _save(target, None, hidden_reason, ["is_hidden", "hidden_reason"])
        _log(body, ModerationAction.Kind.AUTO_HIDE, None, target, hidden_reason)
        with translation.override("de"):
            _tell_author(
                target,
                body,
                _("We have hidden %(what)s for now") % {"what": _describe(target)},
                _(
                    "Several people have reported it. It stays hidden until a moderator has "
                    "looked at it; you will hear from us then."
                ),
            )
    return created


def is_auto_hidden(target: Target) -> bool:
    """Whether the content hides because of reports (not by a moderator's decision): the
    latest act that hid or showed it was the automatic one."""
    if not target.is_hidden:
        return False
    latest = (
        ModerationAction.objects.filter(
            kind__in=[
                ModerationAction.Kind.HIDE,
                ModerationAction.Kind.AUTO_HIDE,
                ModerationAction.Kind.RESTORE,
                ModerationAction.Kind.DISMISS,
            ],
            **_parts(target),
        )
        .order_by("-created_at", "-pk")
        .values_list("kind", flat=True)
        .first()
    )
    return latest == ModerationAction.Kind.AUTO_HIDE


# --- Decisions of moderators ------------------------------------------------------------------


@transaction.atomic
def hide(moderator, target: Target, reason: str) -> ModerationAction:
    """Hide content with a reason. Open reports are resolved; the author is told the reason
    and how to object, in-app and by e-mail (as they chose to receive mail)."""
    body = body_of(target)
    require(moderator, "participation.moderate", body)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please say why the content is hidden.")})
    target = _locked(target)
    target.is_hidden = True
    target.hidden_reason = reason
    _save(target, moderator, reason, ["is_hidden", "hidden_reason"])
    _resolve_reports(target, moderator)
    action = _log(body, ModerationAction.Kind.HIDE, moderator, target, reason)
    with translation.override("de"):
        _tell_author(
            target,
            body,
            _("We have hidden %(what)s") % {"what": _describe(target)},
            _("Reason: %(reason)s") % {"reason": reason} + "\n\n" + how_to_object(body),
        )
    return action


@transaction.atomic
def restore(moderator, target: Target, reason: str = "") -> ModerationAction:
    """Show hidden content again and tell its author."""
    body = body_of(target)
    require(moderator, "participation.moderate", body)
    reason = (reason or "").strip()
    target = _locked(target)
    target.is_hidden = False
    target.hidden_reason = ""
    _save(target, moderator, reason or "restored", ["is_hidden", "hidden_reason"])
    _resolve_reports(target, moderator)
    action = _log(body, ModerationAction.Kind.RESTORE, moderator, target, reason)
    with translation.override("de"):
        text = _("Everyone can read it again.")
        if reason:
            text += "\n\n" + _("Note from the moderation: %(reason)s") % {"reason": reason}
        _tell_author(
            target, body, _("%(what)s is visible again") % {"what": _describe(target)}, text
        )
    return action


@transaction.atomic
def delete_idea(moderator, idea: Idea, reason: str) -> ModerationAction:
    """Delete an idea for everyone, its author included, with a reason for the log. Soft:
    the row stays (hidden, with ``deleted_at``) so a measure or decision referring to it
    keeps it, and its comments, supports and ratings leave every public view with it."""
    body = body_of(idea)
    require(moderator, "participation.moderate", body)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please say why the idea is deleted.")})
    idea = _locked(idea)
    if idea.deleted_at is not None:
        raise ValidationError(_("This idea has already been deleted."))
    idea.is_hidden = True
    idea.hidden_reason = reason
    idea.deleted_at = timezone.now()
    _save(idea, moderator, reason, ["is_hidden", "hidden_reason", "deleted_at"])
    _resolve_reports(idea, moderator)
    action = _log(body, ModerationAction.Kind.DELETE, moderator, idea, reason)
    with translation.override("de"):
        _tell_author(
            idea,
            body,
            _("We have deleted %(what)s") % {"what": _describe(idea)},
            _("Reason: %(reason)s") % {"reason": reason} + "\n\n" + how_to_object(body),
            # The idea's page is gone; the author's list of ideas is not.
            url=reverse("participation:my_ideas", kwargs={"body_slug": body.slug}),
        )
    return action


@transaction.atomic
def dismiss_reports(moderator, target: Target, note: str = "") -> ModerationAction:
    """The reports were unfounded: resolve them, and show content again that had hidden
    itself because of them (a moderator's own decision to hide stays)."""
    body = body_of(target)
    require(moderator, "participation.moderate", body)
    target = _locked(target)
    was_auto_hidden = is_auto_hidden(target)
    _resolve_reports(target, moderator)
    if was_auto_hidden:
        target.is_hidden = False
        target.hidden_reason = ""
        _save(target, moderator, note or "reports dismissed", ["is_hidden", "hidden_reason"])
    action = _log(body, ModerationAction.Kind.DISMISS, moderator, target, note.strip())
    if was_auto_hidden:
        with translation.override("de"):
            _tell_author(
                target,
                body,
                _("%(what)s is visible again") % {"what": _describe(target)},
                _("A moderator has checked the reports and found nothing wrong."),
            )
    return action


def _forget_block_cache(user) -> None:
    if hasattr(user, BLOCK_CACHE):
        delattr(user, BLOCK_CACHE)


def active_blocks(body: Body):
    from django.db.models import Q

    return (
        Block.objects.for_body(body)
        .filter(lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=timezone.now()))
    )


@transaction.atomic
def block_user(moderator, body: Body, user, reason: str, until=None) -> Block:
    """Stop a person posting in the body's participation (until ``until`` or until lifted),
    and tell them why and how to object."""
    require(moderator, "participation.moderate", body)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please say why the person is blocked.")})
    if user.pk == moderator.pk:
        raise ValidationError(_("You cannot block yourself."))
    if until is not None and until <= timezone.now():
        raise ValidationError({"until": _("The end of a block must be in the future.")})
    active_blocks(body).filter(user=user).update(lifted_at=timezone.now())
    block = Block.objects.create(
        body=body, user=user, reason=reason, blocked_by=moderator, until=until
    )
    _log(body, ModerationAction.Kind.BLOCK, moderator, None, reason, user=user)
    _forget_block_cache(user)
    with translation.override("de"):
        if until:
            title = _("You cannot post in the participation of %(body)s until %(until)s") % {
                "body": body.short_name,
                "until": formats.date_format(timezone.localtime(until), "DATETIME_FORMAT"),
            }
        else:
            title = _("You cannot post in the participation of %(body)s for now") % {
                "body": body.short_name
            }
        notify(
            [user],
            body=body,
            kind=NotificationKind.MODERATION,
            title=title,
            text=_("Reason: %(reason)s") % {"reason": reason} + "\n\n" + how_to_object(body),
            url=body.get_absolute_url(),
        )
    return block


@transaction.atomic
def unblock_user(moderator, body: Body, user, reason: str = "") -> int:
    """Lift a person's blocks in the body and tell them."""
    require(moderator, "participation.moderate", body)
    lifted = active_blocks(body).filter(user=user).update(lifted_at=timezone.now())
    _log(body, ModerationAction.Kind.UNBLOCK, moderator, None, (reason or "").strip(), user=user)
    _forget_block_cache(user)
    if lifted:
        with translation.override("de"):
            notify(
                [user],
                body=body,
                kind=NotificationKind.MODERATION,
                title=_("You can post in the participation of %(body)s again")
                % {"body": body.short_name},
                url=body.get_absolute_url(),
            )
    return lifted


@transaction.atomic
def add_note(
    moderator, body: Body, text: str, *, idea=None, comment=None, user=None
) -> ModerationNote:
    """An internal note among the body's moderators; never shown to the person concerned."""
    require(moderator, "participation.moderate", body)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Please write the note.")})
    if idea is not None and idea.body_id != body.pk:
        raise ValidationError(_("The idea belongs to another body."))
    if comment is not None and comment.idea.body_id != body.pk:
        raise ValidationError(_("The comment belongs to another body."))
    return ModerationNote.objects.create(
        body=body, author=moderator, text=text[:2000], idea=idea, comment=comment, user=user
    )
