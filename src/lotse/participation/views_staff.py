"""Staff pages for ideas: the list of ideas waiting for an answer, and one idea's page to
answer it, change its state, merge it, or turn it into a measure."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.core.forms import add_errors
from lotse.core.views import BodyMixin
from lotse.participation import selectors
from lotse.participation.forms_staff import AnswerForm, LinkMeasureForm, MergeForm, StateForm
from lotse.participation.models import Idea, IdeaState
from lotse.participation.services import staff
from lotse.strategy import selectors as strategy_selectors
from lotse.strategy.forms import MeasureForm
from lotse.strategy.models import Goal

ADMIN_PAGE = 50


class StaffMixin(BodyMixin, PermissionRequiredMixin):
    permission_required = "participation.answer_idea"

    def get_idea(self) -> Idea:
        ideas = selectors.visible_ideas(self.request.user, self.body).select_related(
            "body",
            "process",
            "author",
            "action_field__parent",
            "measure",
            "merged_into",
            "answered_by",
        )
        return get_object_or_404(ideas, pk=self.kwargs["pk"])


class IdeaAdminView(StaffMixin, TemplateView):
    """``/<body>/verwaltung/ideen/``: ideas without an official answer, oldest first;
    ``?alle=1`` shows every idea, newest first."""

    template_name = "participation/idea_manage_list.html"

    def get_context_data(self, **kwargs):
        show_all = self.request.GET.get("alle") == "1"
        ideas = selectors.visible_ideas(self.request.user, self.body).select_related(
            "body", "process", "author"
        )
        if show_all:
            ideas = ideas.order_by("-created_at", "-pk")
        else:
            ideas = ideas.filter(answered_at__isnull=True).exclude(state=IdeaState.MERGED)
            ideas = ideas.order_by("created_at", "pk")
        page = Paginator(ideas, ADMIN_PAGE).get_page(self.request.GET.get("seite"))
        return super().get_context_data(
            page=page, ideas=page.object_list, show_all=show_all, **kwargs
        )


class IdeaManageView(StaffMixin, TemplateView):
    """``/<body>/verwaltung/ideen/<id>/``: answer, state, merge, measure."""

    template_name = "participation/idea_manage.html"
    actions = ("answer", "state", "merge", "link")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.idea = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.has_perm(self.permission_required, self.body):
            self.idea = self.get_idea()
        return super().dispatch(request, *args, **kwargs)

    def make_forms(self, action: str | None = None, data=None) -> dict:
        idea = self.idea
        bound = {name: (data if name == action else None) for name in self.actions}
        return {
            "answer": AnswerForm(bound["answer"], prefix="answer", initial={"text": idea.answer}),
            "state": StateForm(
                bound["state"],
                prefix="state",
                initial={"state": idea.state, "reason": idea.state_reason},
            ),
            "merge": MergeForm(
                bound["merge"],
                prefix="merge",
                ideas=selectors.listed_ideas(self.request.user, self.body),
                idea=idea,
            ),
            "link": LinkMeasureForm(bound["link"], prefix="link", body=self.body),
        }

    def get_context_data(self, **kwargs):
        forms = kwargs.pop("forms", None) or self.make_forms()
        idea = self.idea
        return super().get_context_data(
            idea=idea,
            forms=forms,
            is_merged=idea.state == IdeaState.MERGED,
            merged_ideas=list(
                idea.merged_ideas.order_by("pk").only("pk", "title", "merged_into_id")
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in self.actions:
            raise Http404
        forms = self.make_forms(action, request.POST)
        form = forms[action]
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "answer":
                    staff.answer_idea(request.user, self.idea, data["text"])
                    done = _("The answer has been published; the author has been told.")
                elif action == "state":
                    staff.change_state(request.user, self.idea, data["state"], data["reason"])
                    done = _("The state has been changed.")
                elif action == "merge":
                    staff.merge_idea(request.user, self.idea, data["into"])
                    done = _("The idea has been merged.")
                else:
                    staff.link_measure(request.user, self.idea, data["measure"])
                    done = _("The idea is linked to the measure.")
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, done)
                return redirect(
                    "participation:idea_manage", body_slug=self.body.slug, pk=self.idea.pk
                )
        return self.render_to_response(self.get_context_data(forms=forms, failed=action))


class IdeaMeasureView(StaffMixin, FormView):
    """``/<body>/verwaltung/ideen/<id>/massnahme/``: the measure form prefilled from the
    idea; saving creates the measure and links both."""

    template_name = "participation/idea_manage_measure.html"
    form_class = MeasureForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.has_perm(self.permission_required, self.body):
            self.idea = self.get_idea()
            if self.idea.state == IdeaState.MERGED:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return staff.measure_initial(self.idea)

    def get_form_kwargs(self):
        strategy = strategy_selectors.current_strategy(self.body)
        if strategy is None:
            raise Http404(_("Create a strategy with action fields first."))
        return {
            **super().get_form_kwargs(),
            "body": self.body,
            "strategy": strategy,
            "goals": list(Goal.objects.filter(strategy=strategy)),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(idea=self.idea, **kwargs)

    def form_valid(self, form):
        measure = form.save(commit=False)
        try:
            with transaction.atomic():
                staff.create_measure_from_idea(
                    self.request.user, self.idea, measure, form.goal_weights()
                )
                form.save_m2m()
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The measure has been created and linked; the author has been told.")
        )
        return redirect("participation:idea_manage", body_slug=self.body.slug, pk=self.idea.pk)
