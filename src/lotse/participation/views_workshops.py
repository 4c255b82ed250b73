"""Workshop pages: the public list and page of each event with its topics, guiding questions
and results, and the staff pages to record them and turn results into ideas."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.core.views import BodyMixin
from lotse.participation.forms_workshops import (
    QuestionFormSet,
    ResultFormSet,
    ResultToIdeaForm,
    TopicFormSet,
    WorkshopForm,
)
from lotse.participation.models import (
    Idea,
    Workshop,
    WorkshopResult,
    WorkshopTopic,
)
from lotse.participation.selectors import listed_ideas
from lotse.participation.services import workshops as services


def visible_workshops(user, body):
    workshops = Workshop.objects.for_body(body)
    if not user.has_perm("participation.manage_workshops", body):
        workshops = workshops.filter(is_published=True)
    return workshops


class WorkshopListView(BodyMixin, TemplateView):
    """``/<body>/werkstaetten/``: published workshops, the upcoming ones first."""

    template_name = "participation/workshop_list.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        workshops = list(
            Workshop.objects.for_body(self.body)
            .filter(is_published=True)
            .select_related("process")
            .annotate(topic_count=Count("topics"))
            .order_by("starts_at", "pk")
        )
        upcoming = [w for w in workshops if w.starts_at >= now]
        past = [w for w in reversed(workshops) if w.starts_at < now]
        return super().get_context_data(
            upcoming=upcoming,
            past=past,
            can_manage=self.request.user.has_perm("participation.manage_workshops", self.body),
            **kwargs,
        )


def group_results(topic: WorkshopTopic) -> None:
    """Attach each result to its guiding question (prefetched rows, no queries)."""
    results = list(topic.results.all())
    for question in topic.questions.all():
        question.result_list = [r for r in results if r.question_id == question.pk]
    known = {q.pk for q in topic.questions.all()}
    topic.other_results = [r for r in results if r.question_id not in known]


def topics_with_content(user, body, workshop):
    ideas = listed_ideas(user, body).only("pk", "title", "origin_result_id", "body_id")
    topics = list(
        workshop.topics.prefetch_related(
            "questions",
            Prefetch(
                "results",
                queryset=WorkshopResult.objects.prefetch_related(
                    Prefetch("ideas", queryset=ideas, to_attr="idea_list")
                ),
            ),
        )
    )
    for topic in topics:
        group_results(topic)
    return topics


class WorkshopDetailView(BodyMixin, TemplateView):
    """``/<body>/werkstaetten/<id>/``: the event with its topics, Leitfragen and results.
    Unpublished workshops answer 404 except to staff."""

    template_name = "participation/workshop_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        workshop = get_object_or_404(
            visible_workshops(user, self.body).select_related("process"), pk=self.kwargs["pk"]
        )
        hidden_process = workshop.process_id and not workshop.process.is_published
        if hidden_process and not user.has_perm("participation.manage_processes", self.body):
            workshop.process = None
        return super().get_context_data(
            workshop=workshop,
            topics=topics_with_content(user, self.body, workshop),
            is_upcoming=workshop.starts_at >= timezone.now(),
            can_manage=user.has_perm("participation.manage_workshops", self.body),
            **kwargs,
        )


# --- Staff -----------------------------------------------------------------------------------


class ManageMixin(BodyMixin, PermissionRequiredMixin):
    permission_required = "participation.manage_workshops"

    def get_workshop(self) -> Workshop:
        return get_object_or_404(Workshop.objects.for_body(self.body), pk=self.kwargs["pk"])


class WorkshopManageView(ManageMixin, TemplateView):
    """``/<body>/verwaltung/werkstaetten/``: every workshop, published or not."""

    template_name = "participation/workshop_manage.html"

    def get_context_data(self, **kwargs):
        workshops = (
            Workshop.objects.for_body(self.body)
            .select_related("process")
            .annotate(topic_count=Count("topics", distinct=True))
            .annotate(result_count=Count("topics__results", distinct=True))
            .order_by("-starts_at", "pk")
        )
        return super().get_context_data(workshops=workshops, **kwargs)


class WorkshopEditView(ManageMixin, TemplateView):
    """Create or edit a workshop and its list of topics on one page."""

    template_name = "participation/workshop_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.workshop = self.get_workshop() if "pk" in kwargs else Workshop(body=self.body)

    def forms(self, data=None):
        return (
            WorkshopForm(data, instance=self.workshop, body=self.body, prefix="w"),
            TopicFormSet(data, instance=self.workshop, prefix="topics"),
        )

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"], kwargs["topic_formset"] = self.forms()
        return super().get_context_data(workshop=self.workshop, **kwargs)

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                with transaction.atomic():
                    workshop = services.save_workshop(request.user, form.save(commit=False))
                    formset.instance = workshop
                    services.save_topics(request.user, workshop, formset)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(request, _("The workshop has been saved."))
                return redirect(
                    "participation:workshop_edit", body_slug=self.body.slug, pk=workshop.pk
                )
        return self.render_to_response(self.get_context_data(form=form, topic_formset=formset))


class WorkshopPublishView(ManageMixin, View):
    """POST ``veroeffentlichen=1`` publishes, ``0`` withdraws the public page."""

    def post(self, request, body_slug: str, pk: int):
        workshop = self.get_workshop()
        publish = request.POST.get("veroeffentlichen") == "1"
        services.set_published(request.user, workshop, publish)
        if publish:
            messages.success(request, _("The workshop is published."))
        else:
            messages.success(request, _("The workshop is no longer public."))
        if request.POST.get("zurueck") == "liste":
            return redirect("participation:workshop_manage", body_slug=self.body.slug)
        return redirect("participation:workshop_edit", body_slug=self.body.slug, pk=workshop.pk)


class TopicEditView(ManageMixin, TemplateView):
    """One topic: its guiding questions and recorded results, and turning results into
    ideas."""

    template_name = "participation/workshop_topic.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.workshop = self.get_workshop()
        self.topic = get_object_or_404(
            WorkshopTopic.objects.filter(workshop=self.workshop), pk=kwargs["topic_pk"]
        )

    def forms(self, data=None):
        return (
            QuestionFormSet(data, instance=self.topic, prefix="questions"),
            ResultFormSet(
                data, instance=self.topic, prefix="results", form_kwargs={"topic": self.topic}
            ),
        )

    def get_context_data(self, **kwargs):
        if "question_formset" not in kwargs:
            kwargs["question_formset"], kwargs["result_formset"] = self.forms()
        results = list(
            WorkshopResult.objects.filter(topic=self.topic)
            .select_related("question")
            .prefetch_related(
                Prefetch(
                    "ideas",
                    queryset=Idea.objects.for_body(self.body).only(
                        "pk", "title", "origin_result_id", "body_id"
                    ),
                    to_attr="idea_list",
                )
            )
        )
        choices = None
        for result in results:
            result.idea_form = ResultToIdeaForm(body=self.body, prefix=f"r{result.pk}")
            # The same list for every result: read it once instead of once per select.
            if choices is None:
                choices = list(result.idea_form.fields["action_field"].choices)
            result.idea_form.fields["action_field"].choices = choices
        return super().get_context_data(
            workshop=self.workshop, topic=self.topic, results=results, **kwargs
        )

    def post(self, request, *args, **kwargs):
        questions, results = self.forms(request.POST)
        if questions.is_valid() and results.is_valid():
            try:
                services.save_topic_content(request.user, self.topic, questions, results)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The topic has been saved."))
                return redirect(
                    "participation:workshop_topic",
                    body_slug=self.body.slug,
                    pk=self.workshop.pk,
                    topic_pk=self.topic.pk,
                )
        return self.render_to_response(
            self.get_context_data(question_formset=questions, result_formset=results)
        )


class ResultToIdeaView(ManageMixin, View):
    """POST: the result becomes an idea of the workshop's process (see the service)."""

    def post(self, request, body_slug: str, pk: int, result_pk: int):
        workshop = self.get_workshop()
        result = get_object_or_404(
            WorkshopResult.objects.filter(topic__workshop=workshop), pk=result_pk
        )
        form = ResultToIdeaForm(request.POST, body=self.body, prefix=f"r{result.pk}")
        back = redirect(
            "participation:workshop_topic",
            body_slug=self.body.slug,
            pk=workshop.pk,
            topic_pk=result.topic_id,
        )
        if not form.is_valid():
            messages.error(request, _("Please choose an action field of the list."))
            return back
        try:
            idea = services.result_to_idea(
                request.user, result, action_field=form.cleaned_data["action_field"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return back
        messages.success(
            request, _("The result is now the idea “%(title)s”.") % {"title": idea.title}
        )
        return back
