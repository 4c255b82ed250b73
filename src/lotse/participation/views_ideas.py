"""The public idea platform: list, detail, submit form, "Meine Ideen", and the POST endpoints
for supports, ratings, comments and follows. Every endpoint works without JavaScript (POST,
then a redirect back to the idea) and with htmx (the updated part of the page)."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from lotse.core import paging, versioned
from lotse.core.views import BodyMixin
from lotse.participation import limits, selectors
from lotse.participation.forms import (
    SORTS,
    CommentEditForm,
    CommentForm,
    IdeaFilterForm,
    IdeaForm,
    RatingForm,
)
from lotse.participation.models import (
    Action,
    Comment,
    Follow,
    Idea,
    IdeaImage,
    Process,
    Rating,
    Support,
)
from lotse.participation.services import ideas as services
from lotse.participation.services import moderation
from lotse.search import engine, index
from lotse.search.engine import person_grants
from lotse.strategy.models import ActionField
from lotse.strategy.selectors import current_strategy, visible_measures

PAGE_SIZE = 25
LIST_SECONDS = 60


def strategy_fields(body):
    """The action fields of the body's current strategy, fields before their topics."""
    strategy = current_strategy(body)
    if strategy is None:
        return ActionField.objects.none()
    return (
        ActionField.objects.filter(strategy=strategy)
        .select_related("parent")
        .order_by("parent__order", "parent_id", "order", "pk")
    )


# --- List ------------------------------------------------------------------------------------


class IdeaListView(BodyMixin, TemplateView):
    """``/<body>/ideen/``: ideas with filters (process, action field, state), sorting,
    search and pagination.

    The list is the same for everyone of one audience (visitors, signed-in people, staff who
    see unpublished processes in the filter), so its HTML is cached per audience and query
    under the body's idea namespace: renewed when an idea, process, support, comment or
    rating changes (``cache_signals``), at the latest after ``LIST_SECONDS``."""

    template_name = "participation/idea_list.html"
    PARAMS = frozenset(
        {"verfahren", "handlungsfeld", "status", "sort", "q", "seite", "nach", "vor"}
    )

    def get_context_data(self, **kwargs):
        user = self.request.user
        if user.has_perm("participation.manage_processes", self.body):
            audience = "staff"
        else:
            audience = "user" if user.is_authenticated else "visitor"

        def render():
            return render_to_string(
                "participation/_idea_list_main.html", self.list_context(), request=self.request
            )

        params = self.request.GET
        if set(params) <= self.PARAMS:
            parts = ("list", get_language(), audience, sorted(params.lists()))
            main = versioned.cached_html(
                selectors.ideas_namespace(self.body.pk), parts, render, LIST_SECONDS
            )
        else:
            main = mark_safe(render())
        return super().get_context_data(main=main, **kwargs)

    def list_context(self) -> dict:
        user = self.request.user
        processes = list(selectors.visible_processes(user, self.body).order_by("-created_at", "pk"))
        form = IdeaFilterForm(
            self.request.GET or None,
            processes=processes,
            action_fields=strategy_fields(self.body),
        )
        ideas = selectors.listed_ideas(user, self.body)
        sort = "neueste"
        query = ""
        # The filters as tags of the search index, where the index holds them (it keeps an
        # idea's top Handlungsfeld and its state, not its process); None if one is not there.
        tags: list[list[str]] | None = []
        if form.is_valid():
            data = form.cleaned_data
            if data.get("verfahren"):
                ideas = ideas.filter(process__slug=data["verfahren"])
                tags = None
            if data.get("handlungsfeld"):
                field = data["handlungsfeld"]
                ideas = ideas.filter(Q(action_field=field) | Q(action_field__parent=field))
                if tags is not None and field.parent_id is None:
                    tags.append([index.tag("f", field.pk)])
                else:
                    tags = None
            if data.get("status"):
                ideas = ideas.filter(state=data["status"])
                if tags is not None:
                    tags.append([index.tag("s", data["status"])])
            sort = data.get("sort") or "neueste"
            query = (data.get("q") or "").strip()
        ideas = ideas.select_related("action_field__parent", "process")
        capped = False
        from lotse.participation.search import find_ideas, search_ideas

        if query and not self.request.GET.get("sort") and tags is not None:
            # Best matches first, of the newest matches in the index: paged in that order.
            grants = person_grants(user, [self.body])
            found = find_ideas(ideas, query, self.body, grants, tags)
            capped = found.capped
            if found.ranked is None:  # no word to search for: the list as it is
                page = Paginator(found.ideas.order_by("-pk"), PAGE_SIZE).get_page(
                    self.request.GET.get("seite")
                )
            else:
                page = engine.page_of_ranked(
                    found.ideas, found.ranked, self.request.GET.get("seite"), PAGE_SIZE
                )
        elif query and not self.request.GET.get("sort"):
            # A filter the index does not hold (the process): every match, joined.
            page = Paginator(search_ideas(ideas, query), PAGE_SIZE).get_page(
                self.request.GET.get("seite")
            )
        else:
            if query:
                ideas = search_ideas(ideas, query)
            page = paging.seek_page(
                ideas,
                SORTS[sort][0],
                self.request.GET,
                namespace=selectors.idea_counts_namespace(self.body.pk),
                per_page=PAGE_SIZE,
            )
        return {
            "body": self.body,
            "form": form,
            "page": page,
            "ideas": page.object_list,
            "capped": capped,
            "sort": sort,
            "query": query,
            "sorts": [(key, label) for key, (_o, label) in SORTS.items()],
        }


# --- Submit ----------------------------------------------------------------------------------


def submit_processes(user, body) -> list[Process]:
    """Published processes whose current phase accepts new ideas."""
    candidates = (
        selectors.visible_processes(user, body)
        .filter(is_published=True)
        .prefetch_related("phases", "action_fields")
        .order_by("-created_at", "pk")
    )
    return [p for p in candidates if p.allows(Action.SUBMIT)]


class IdeaCreateView(LoginRequiredMixin, BodyMixin, TemplateView):
    """``/<body>/ideen/neu/``: the submit form; ``?verfahren=<slug>`` preselects a
    process."""

    template_name = "participation/idea_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.processes = submit_processes(request.user, self.body)

    def chosen_process(self, data=None) -> Process | None:
        slug = (data or {}).get("process") or self.request.GET.get("verfahren", "")
        for process in self.processes:
            if slug in (process.slug, str(process.pk)):
                return process
        return self.processes[0] if self.processes else None

    def make_form(self, data=None, files=None) -> IdeaForm:
        allowed: set[int] = set()
        for process in self.processes:
            allowed |= set(services.allowed_action_fields(process).values_list("pk", flat=True))
        fields = strategy_fields(self.body).filter(pk__in=allowed)
        chosen = self.chosen_process(data)
        form = IdeaForm(
            data,
            files,
            processes=Process.objects.filter(pk__in=[p.pk for p in self.processes]).order_by(
                "-created_at", "pk"
            ),
            action_fields=fields,
            initial={"process": chosen.pk if chosen else None},
        )
        form.fields["title"].widget.attrs.update(
            {
                "hx-get": reverse("participation:similar", kwargs={"body_slug": self.body.slug}),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#similar-ideas",
                "autocomplete": "off",
            }
        )
        return form

    def get_context_data(self, **kwargs):
        user = self.request.user
        chosen = self.chosen_process(self.request.POST or None)
        upcoming = None
        if not self.processes:
            later = [
                (services.phase_info(p).submit_opens, p)
                for p in selectors.visible_processes(user, self.body)
                .filter(is_published=True)
                .prefetch_related("phases")
            ]
            later = sorted((when, p.pk, p) for when, p in later if when)
            upcoming = [(when, p) for when, _pk, p in later]
        kwargs.setdefault("form", self.make_form() if self.processes else None)
        return super().get_context_data(
            processes=self.processes,
            process=chosen,
            phase=services.phase_info(chosen) if chosen else None,
            upcoming=upcoming,
            may_post=user.has_perm("participation.post", self.body),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.processes:
            return self.get(request, *args, **kwargs)
        if not request.user.has_perm("participation.post", self.body):
            raise PermissionDenied
        form = self.make_form(request.POST, request.FILES)
        if form.is_valid():
            if form.is_bot:
                messages.success(request, _("Thank you for your idea."))
                return redirect("participation:ideas", body_slug=self.body.slug)
            data = form.cleaned_data
            try:
                idea = services.submit_idea(
                    request.user,
                    data["process"],
                    title=data["title"],
                    text=data["text"],
                    action_field=data.get("action_field"),
                    address=data.get("address", ""),
                    latitude=data.get("latitude"),
                    longitude=data.get("longitude"),
                    images=form.image_pairs(),
                )
            except limits.RateLimited as exc:
                return limits.rate_limited_response(request, exc)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("Thank you! Your idea has been published. You follow it now.")
                )
                return redirect(idea.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


def add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Detail ----------------------------------------------------------------------------------


def get_idea(user, body, pk) -> Idea:
    """An idea the user may see (404 otherwise, hidden ones included)."""
    idea = get_object_or_404(
        selectors.visible_ideas(user, body)
        .select_related(
            "process",
            "action_field__parent",
            "author",
            "merged_into",
            "answered_by",
            "origin_result__topic__workshop",
        )
        .prefetch_related("process__phases"),
        pk=pk,
    )
    idea.body = body
    return idea


def distribution(idea: Idea) -> list[dict]:
    counts = dict(
        Rating.objects.filter(idea=idea)
        .values_list("value")
        .annotate(n=Count("id"))
        .values_list("value", "n")
    )
    total = sum(counts.values())
    return [
        {
            "value": value,
            "count": counts.get(value, 0),
            "percent": round(100 * counts.get(value, 0) / total) if total else 0,
        }
        for value in range(5, 0, -1)
    ]


def comment_thread(
    user, idea: Idea, reply_errors: dict | None = None, may_reply: bool = True
) -> list[Comment]:
    """Top-level comments with their replies in ``.reply_list``, with what the user may do
    to each; two queries however long the thread. Reply forms are built only for someone
    who may reply (building 200 of them is most of a long thread's time)."""
    rows = list(
        Comment.objects.filter(idea=idea).select_related("author").order_by("created_at", "pk")
    )
    replies = defaultdict(list)
    top = []
    may_moderate = user.has_perm("participation.moderate", idea.body)
    for comment in rows:
        comment.idea = idea
        comment.readable = selectors.comment_is_readable(user, comment)
        comment.can_edit = services.can_edit_comment(user, comment)
        comment.can_delete = not comment.deleted_at and (
            (user.is_authenticated and comment.author_id == user.pk) or may_moderate
        )
        if comment.can_edit:
            comment.edit_form = CommentEditForm(
                initial={"text": comment.text}, auto_id=f"id_edit_{comment.pk}_%s"
            )
        if comment.parent_id:
            replies[comment.parent_id].append(comment)
        else:
            top.append(comment)
    for comment in top:
        comment.reply_list = replies.get(comment.pk, [])
        if may_reply:
            comment.reply_form = (reply_errors or {}).get(comment.pk) or CommentForm(
                initial={"parent": comment.pk}, auto_id=f"id_reply_{comment.pk}_%s"
            )
    return top


def idea_context(request, idea: Idea, **overrides) -> dict:
    user = request.user
    reply_errors = overrides.pop("reply_errors", None)
    body = idea.body
    phase = services.phase_info(idea.process)
    open_for = not idea.is_hidden and not idea.merged_into_id
    mine = {"supports": False, "rating": None, "follows": False}
    if user.is_authenticated:
        mine["supports"] = Support.objects.filter(idea=idea, user=user).exists()
        mine["rating"] = (
            Rating.objects.filter(idea=idea, user=user).values_list("value", flat=True).first()
        )
        mine["follows"] = Follow.objects.filter(idea=idea, user=user).exists()
    measure = None
    if idea.measure_id:
        measure = visible_measures(user, body).filter(pk=idea.measure_id).first()
    may_post = user.has_perm("participation.post", body)
    can_comment = open_for and phase.allows(Action.COMMENT)
    context = {
        "body": body,
        "idea": idea,
        "phase": phase,
        "mine": mine,
        "measure": measure,
        "may_post": may_post,
        "can_support": open_for and phase.allows(Action.SUPPORT),
        "can_rate": open_for and phase.allows(Action.RATE),
        "can_comment": can_comment,
        "can_manage": user.has_perm("participation.answer_idea", body),
        "may_moderate": user.has_perm("participation.moderate", body),
        "distribution": distribution(idea),
        "rating_form": RatingForm(
            initial={"value": mine["rating"]},
            question=idea.process.rating_question,
            auto_id="id_rating_%s",
        ),
        "comment_form": CommentForm(),
        "comments": overrides.pop("comments")
        if "comments" in overrides
        else comment_thread(user, idea, reply_errors, may_reply=can_comment and may_post),
        "next_url": request.get_full_path(),
    }
    context.update(overrides)
    return context


class IdeaDetailView(BodyMixin, TemplateView):
    """``/<body>/ideen/<id>/``: one idea with everything around it. Hidden ideas answer 404
    to everyone but their author and the moderators."""

    template_name = "participation/idea_detail.html"

    def get_context_data(self, **kwargs):
        idea = get_idea(self.request.user, self.body, self.kwargs["pk"])
        images = list(IdeaImage.objects.filter(idea=idea))
        merged = list(
            selectors.listed_ideas(self.request.user, self.body)
            .filter(merged_into=idea)
            .only("pk", "title", "support_count")
            # Not by date: that would make the database walk the body's date index instead
            # of the few rows the merged_into index finds.
            .order_by("title", "pk")
        )
        if self.request.user.is_authenticated:
            context = idea_context(self.request, idea)
        else:
            # A visitor's thread is everyone's (no forms, no tools, hidden comments as
            # such): its HTML is cached under the body's idea namespace, renewed when a
            # comment (or anything else an idea list shows) changes.
            context = idea_context(self.request, idea, comments=[])

            def render():
                thread = comment_thread(self.request.user, idea, may_reply=False)
                return render_to_string(
                    "participation/_idea_comments.html",
                    {**context, "comments": thread},
                    request=self.request,
                )

            parts = ("comments", idea.pk, get_language(), context["can_comment"])
            context["comments_html"] = versioned.cached_html(
                selectors.ideas_namespace(self.body.pk), parts, render, LIST_SECONDS
            )
        return super().get_context_data(**context, images=images, merged=merged, **kwargs)


# --- POST endpoints --------------------------------------------------------------------------

FRAGMENTS = {
    "actions": "participation/_idea_actions.html",
    "rating": "participation/_idea_rating.html",
    "comments": "participation/_idea_comments.html",
}


class IdeaActionView(BodyMixin, View):
    """POST ``/<body>/ideen/<id>/<action>/``. Without JavaScript: a redirect back to the
    idea's section; with htmx: the updated section."""

    action = ""
    fragment = "actions"
    anchor = "mitmachen"
    http_method_names = ["post"]

    def post(self, request, body_slug: str, pk: int, comment_pk: int | None = None):
        if not request.user.is_authenticated:
            return redirect_to_login(
                reverse("participation:idea", kwargs={"body_slug": body_slug, "pk": pk})
            )
        idea = get_idea(request.user, self.body, pk)
        comment = None
        if comment_pk is not None:
            comment = get_object_or_404(Comment, idea=idea, pk=comment_pk)
            comment.idea = idea
        status_message = ""
        overrides = {}
        try:
            status_message, overrides = self.perform(request, idea, comment)
        except limits.RateLimited as exc:
            if not request.htmx:
                return limits.rate_limited_response(request, exc)
            overrides["error"] = exc.message
        except ValidationError as error:
            if not request.htmx:
                messages.error(request, " ".join(error.messages))
                return self.back(idea, comment)
            overrides["error"] = " ".join(error.messages)
        except FormInvalid as invalid:
            overrides.update(invalid.overrides)
            if not request.htmx:
                return render_detail(request, idea, overrides)
        if request.htmx:
            context = idea_context(request, idea, **overrides)
            context["status_message"] = status_message
            return TemplateResponse(request, FRAGMENTS[self.fragment], context)
        if status_message:
            messages.success(request, status_message)
        return self.back(idea, comment)

    def back(self, idea, comment=None):
        anchor = self.anchor
        if comment is not None and not comment.deleted_at:
            anchor = f"kommentar-{comment.pk}"
        return redirect(f"{idea.get_absolute_url()}#{anchor}")

    def perform(self, request, idea, comment) -> tuple[str, dict]:
        user = request.user
        if self.action == "support":
            services.support(user, idea)
            return _("Thank you for your support."), {}
        if self.action == "withdraw":
            services.withdraw_support(user, idea)
            return _("Your support has been withdrawn."), {}
        if self.action == "follow":
            services.follow_idea(user, idea)
            return _("You follow this idea now."), {}
        if self.action == "unfollow":
            services.unfollow_idea(user, idea)
            return _("You no longer follow this idea."), {}
        if self.action == "rate":
            form = RatingForm(request.POST, question=idea.process.rating_question)
            if not form.is_valid():
                raise ValidationError(_("Please choose a value from 1 to 5."))
            services.rate(user, idea, form.cleaned_data["value"])
            return _("Thank you for your rating."), {}
        if self.action == "comment":
            parent_id = request.POST.get("parent", "")
            auto_id = f"id_reply_{parent_id}_%s" if parent_id.isdigit() else "id_%s"
            form = CommentForm(request.POST, auto_id=auto_id)
            if not form.is_valid():
                raise FormInvalid(self.comment_form_overrides(form, idea))
            if form.is_bot:
                return _("Thank you for your comment."), {}
            parent = None
            if form.cleaned_data.get("parent"):
                parent = get_object_or_404(Comment, idea=idea, pk=form.cleaned_data["parent"])
            try:
                created = services.add_comment(user, idea, form.cleaned_data["text"], parent=parent)
                self.anchor = f"kommentar-{created.pk}"
            except ValidationError as error:
                add_errors(form, error)
                raise FormInvalid(self.comment_form_overrides(form, idea)) from error
            return _("Your comment has been published."), {}
        if self.action == "edit":
            form = CommentEditForm(request.POST, auto_id=f"id_edit_{comment.pk}_%s")
            if not form.is_valid():
                raise ValidationError(form.errors["text"])
            services.edit_comment(user, comment, form.cleaned_data["text"])
            return _("Your comment has been changed."), {}
        if self.action == "delete":
            reason = request.POST.get("reason", "").strip()
            by_moderator = comment.author_id != user.pk and user.has_perm(
                "participation.moderate", self.body
            )
            if by_moderator and not reason:
                raise ValidationError(_("Please say why the comment is deleted."))
            services.delete_comment(user, comment)
            if by_moderator:
                moderation.add_note(
                    user,
                    self.body,
                    _("Comment deleted: %(reason)s") % {"reason": reason},
                    comment=comment,
                )
            return _("The comment has been deleted."), {}
        raise Http404

    def comment_form_overrides(self, form, idea) -> dict:
        parent_id = str(form.data.get("parent", ""))
        if parent_id.isdigit():
            return {"reply_errors": {int(parent_id): form}}
        return {"comment_form": form}


class FormInvalid(Exception):
    def __init__(self, overrides: dict):
        super().__init__("form invalid")
        self.overrides = overrides


def render_detail(request, idea, overrides) -> HttpResponse:
    """The detail page again with a rejected comment form, so nothing typed is lost."""
    context = idea_context(request, idea, **overrides)
    context["images"] = list(IdeaImage.objects.filter(idea=idea))
    context["merged"] = list(
        selectors.listed_ideas(request.user, idea.body).filter(merged_into=idea)
    )
    return render(request, "participation/idea_detail.html", context)


# --- Meine Ideen and images ------------------------------------------------------------------


class MyIdeasView(LoginRequiredMixin, BodyMixin, TemplateView):
    """``/<body>/ideen/meine/``: the signed-in person's ideas, hidden ones with the reason."""

    template_name = "participation/my_ideas.html"

    def get_context_data(self, **kwargs):
        ideas = (
            selectors.visible_ideas(self.request.user, self.body)
            .filter(author=self.request.user)
            .select_related("process", "action_field__parent", "merged_into")
            .order_by("-created_at", "-pk")
        )
        page = Paginator(ideas, PAGE_SIZE).get_page(self.request.GET.get("seite"))
        return super().get_context_data(page=page, ideas=page.object_list, **kwargs)


class IdeaImageView(BodyMixin, View):
    """``/<body>/ideen/<id>/bilder/<image>/``: a picture, only for those who may see the
    idea."""

    def get(self, request, body_slug: str, pk: int, image_id: int):
        idea = get_object_or_404(selectors.visible_ideas(request.user, self.body), pk=pk)
        image = get_object_or_404(IdeaImage, idea=idea, pk=image_id)
        response = FileResponse(image.image.open("rb"), content_type=image.content_type)
        response["Cache-Control"] = "private, max-age=300"
        response["X-Content-Type-Options"] = "nosniff"
        return response
