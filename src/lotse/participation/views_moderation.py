"""Moderation pages: report forms for everyone signed in, and for the body's moderators the
queue, the hidden content, blocks and the log. Views only translate HTTP into service calls."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.core.views import BodyMixin
from lotse.participation import limits, selectors
from lotse.participation.forms_moderation import BlockForm, ReportForm
from lotse.participation.models import (
    Comment,
    Idea,
    ModerationAction,
    ModerationNote,
    Report,
    ReportReason,
)
from lotse.participation.services import moderation

QUEUE_REPORTS = 500  # open reports shown at most; the oldest first
HIDDEN_SHOWN = 50
LOG_PAGE = 50


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Reporting --------------------------------------------------------------------------------


class ReportMixin(LoginRequiredMixin, BodyMixin, FormView):
    """``/<body>/ideen/<id>/melden/`` and ``…/kommentare/<id>/melden/``."""

    template_name = "participation/moderation_report.html"
    form_class = ReportForm

    def get_idea(self) -> Idea:
        ideas = selectors.visible_ideas(self.request.user, self.body).select_related("body")
        idea = get_object_or_404(ideas, pk=self.kwargs["pk"])
        if idea.is_hidden:
            # Its author may see it, but there is nothing left to report.
            raise Http404
        return idea

    def get_target(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.target = self.get_target()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        target = self.target
        idea = target if isinstance(target, Idea) else target.idea
        return super().get_context_data(target=target, idea=idea, **kwargs)

    def form_valid(self, form):
        idea = self.target if isinstance(self.target, Idea) else self.target.idea
        if not form.is_bot:
            try:
                moderation.report(
                    self.request.user,
                    self.target,
                    form.cleaned_data["reason"],
                    form.cleaned_data["text"],
                )
            except limits.RateLimited as exc:
                return limits.rate_limited_response(self.request, exc)
            except ValidationError as error:
                form.add_error(None, error)
                return self.form_invalid(form)
        messages.success(
            self.request,
            _("Thank you. The moderators will look at your report."),
        )
        return redirect(idea.get_absolute_url())


class ReportIdeaView(ReportMixin):
    def get_target(self):
        return self.get_idea()


class ReportCommentView(ReportMixin):
    def get_target(self):
        idea = self.get_idea()
        comment = get_object_or_404(
            Comment.objects.select_related("idea__body"),
            idea=idea,
            pk=self.kwargs["comment_pk"],
            deleted_at__isnull=True,
            is_hidden=False,
        )
        return comment


# --- The moderators' pages --------------------------------------------------------------------


class ModerationMixin(BodyMixin, PermissionRequiredMixin):
    permission_required = "participation.moderate"


class QueueItem:
    """One reported idea or comment with its open reports."""

    def __init__(self, kind: str, target):
        self.kind = kind
        self.target = target
        self.reports: list[Report] = []
        self.notes: list[ModerationNote] = []

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.target.pk}"

    @property
    def idea(self) -> Idea:
        return self.target if self.kind == "idea" else self.target.idea

    @property
    def reasons(self) -> list[tuple[str, int]]:
        counts = Counter(r.reason for r in self.reports)
        return [(ReportReason(reason).label, n) for reason, n in counts.most_common()]

    @property
    def details(self) -> list[str]:
        return [r.text for r in self.reports if r.text]

    @property
    def first_reported(self):
        return self.reports[0].created_at


def queue_items(body) -> list[QueueItem]:
    """Open reports grouped by their target; content that hid itself first, then the
    longest waiting. A fixed number of queries however many reports are open."""
    reports = (
        Report.objects.for_body(body)
        .filter(resolved_at__isnull=True)
        .select_related("idea__author", "idea__body", "comment__author", "comment__idea__body")
        .order_by("created_at", "pk")[:QUEUE_REPORTS]
    )
    items: dict[str, QueueItem] = {}
    for found in reports:
        kind, target = ("idea", found.idea) if found.idea_id else ("comment", found.comment)
        item = items.setdefault(f"{kind}-{target.pk}", QueueItem(kind, target))
        item.reports.append(found)
    ordered = sorted(items.values(), key=lambda i: (not i.target.is_hidden, i.first_reported))
    attach_notes(body, ordered)
    return ordered


def attach_notes(body, items) -> None:
    idea_ids = [i.target.pk for i in items if i.kind == "idea"]
    comment_ids = [i.target.pk for i in items if i.kind == "comment"]
    if not items:
        return
    notes = ModerationNote.objects.for_body(body).filter(
        Q(idea_id__in=idea_ids, comment__isnull=True) | Q(comment_id__in=comment_ids)
    )
    by_key: dict[str, list] = {}
    for note in notes.select_related("author"):
        key = f"comment-{note.comment_id}" if note.comment_id else f"idea-{note.idea_id}"
        by_key.setdefault(key, []).append(note)
    for item in items:
        item.notes = by_key.get(item.key, [])


class ModerationQueueView(ModerationMixin, TemplateView):
    """``/<body>/verwaltung/moderation/``: what people reported, and what is hidden."""

    template_name = "participation/moderation_queue.html"

    def get_context_data(self, **kwargs):
        items = queue_items(self.body)
        reported_ideas = {i.target.pk for i in items if i.kind == "idea"}
        reported_comments = {i.target.pk for i in items if i.kind == "comment"}
        hidden_ideas = [
            QueueItem("idea", idea)
            for idea in Idea.objects.for_body(self.body)
            .filter(is_hidden=True, deleted_at__isnull=True)
            .exclude(pk__in=reported_ideas)
            .select_related("author", "body")
            .order_by("-updated_at")[:HIDDEN_SHOWN]
        ]
        hidden_comments = [
            QueueItem("comment", comment)
            for comment in Comment.objects.filter(
                idea__body=self.body, is_hidden=True, deleted_at__isnull=True
            )
            .exclude(pk__in=reported_comments)
            .select_related("author", "idea__body")
            .order_by("-created_at")[:HIDDEN_SHOWN]
        ]
        return super().get_context_data(
            items=items,
            hidden=hidden_ideas + hidden_comments,
            block_form=BlockForm(),
            **kwargs,
        )


ACTIONS = {"hide", "restore", "dismiss", "note", "delete"}


class ModerationActView(ModerationMixin, View):
    """POST only: hide, restore, dismiss reports or note something about one idea or
    comment; back to the queue (or a safe ``next`` address) with a message."""

    def post(self, request, body_slug: str):
        kind = request.POST.get("kind")
        action = request.POST.get("action")
        pk = request.POST.get("pk", "")
        if kind not in {"idea", "comment"} or action not in ACTIONS or not pk.isdigit():
            messages.error(request, _("This action is not possible."))
            return self.back()
        if kind == "idea":
            target = get_object_or_404(Idea.objects.for_body(self.body), pk=pk)
        else:
            target = get_object_or_404(
                Comment.objects.select_related("idea__body"), idea__body=self.body, pk=pk
            )
        text = request.POST.get("reason", "")
        if action == "delete":
            return self.delete(request, kind, target, text)
        try:
            if action == "hide":
                moderation.hide(request.user, target, text)
                messages.success(request, _("Hidden. The author has been told the reason."))
            elif action == "restore":
                moderation.restore(request.user, target, text)
                messages.success(request, _("Visible again. The author has been told."))
            elif action == "dismiss":
                moderation.dismiss_reports(request.user, target, text)
                messages.success(request, _("The reports have been dismissed."))
            else:
                parts = {kind: target}
                moderation.add_note(request.user, self.body, request.POST.get("text", ""), **parts)
                messages.success(request, _("The note has been saved."))
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return self.back()

    def delete(self, request, kind: str, target, reason: str):
        """Delete an idea: only with a reason and the confirmation ticked; then to the list
        of ideas, as the idea's page is gone."""
        if kind != "idea":
            messages.error(request, _("This action is not possible."))
            return self.back()
        if not request.POST.get("confirm"):
            messages.error(request, _("Please confirm that the idea is to be deleted."))
            return self.back()
        try:
            moderation.delete_idea(request.user, target, reason)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return self.back()
        messages.success(
            request, _("The idea has been deleted. The author has been told the reason.")
        )
        return redirect("participation:ideas", body_slug=self.body.slug)

    def back(self):
        target = self.request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=False
        ):
            return redirect(target)
        return redirect("participation:moderation", body_slug=self.body.slug)


def people_of_body(body):
    """Accounts that have written something in the body: the ones a moderator can block."""
    return (
        get_user_model()
        .objects.filter(Q(ideas__body=body) | Q(idea_comments__idea__body=body))
        .distinct()
    )


class ModerationBlocksView(ModerationMixin, TemplateView):
    """``/<body>/verwaltung/moderation/sperren/``: who is blocked; POST blocks a person."""

    template_name = "participation/moderation_blocks.html"

    def get_context_data(self, **kwargs):
        blocks = (
            moderation.active_blocks(self.body)
            .select_related("user", "blocked_by")
            .order_by("-created_at")
        )
        return super().get_context_data(blocks=blocks, **kwargs)

    def post(self, request, body_slug: str):
        user_pk = request.POST.get("user", "")
        if not user_pk.isdigit():
            raise Http404
        person = get_object_or_404(people_of_body(self.body), pk=user_pk)
        form = BlockForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                " ".join(str(e) for errors in form.errors.values() for e in errors),
            )
            return redirect("participation:moderation", body_slug=self.body.slug)
        try:
            moderation.block_user(
                request.user,
                self.body,
                person,
                form.cleaned_data["reason"],
                form.cleaned_data["until"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("participation:moderation", body_slug=self.body.slug)
        messages.success(request, _("The person is blocked and has been told why."))
        return redirect("participation:moderation_blocks", body_slug=self.body.slug)


class ModerationUnblockView(ModerationMixin, View):
    def post(self, request, body_slug: str, user_pk: int):
        person = get_object_or_404(get_user_model(), pk=user_pk)
        lifted = moderation.unblock_user(
            request.user, self.body, person, request.POST.get("reason", "")
        )
        if lifted:
            messages.success(request, _("The block has been lifted."))
        return redirect("participation:moderation_blocks", body_slug=self.body.slug)


class ModerationLogView(ModerationMixin, TemplateView):
    """``/<body>/verwaltung/moderation/protokoll/``: every act, newest first."""

    template_name = "participation/moderation_log.html"

    def get_context_data(self, **kwargs):
        actions = (
            ModerationAction.objects.for_body(self.body)
            .select_related("moderator", "user", "idea__body", "comment__idea__body")
            .order_by("-created_at", "-pk")
        )
        page = Paginator(actions, LOG_PAGE).get_page(self.request.GET.get("seite"))
        return super().get_context_data(page=page, actions=page.object_list, **kwargs)
