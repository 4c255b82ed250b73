"""Public strategy pages and the staff workspace for measures. Views translate HTTP into
calls of selectors and services and back."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Avg, Count, Prefetch, ProtectedError, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.core.forms import add_errors
from lotse.core.models import Body
from lotse.core.views import BodyMixin
from lotse.strategy import selectors, services
from lotse.strategy.forms import (
    SORTS,
    ActionFieldFormSet,
    AdoptForm,
    AttachmentForm,
    GoalFormSet,
    ImpactForm,
    MeasureFilterForm,
    MeasureForm,
    MilestoneForm,
    StatusUpdateForm,
    StrategyForm,
    TransitionForm,
    UnitFormSet,
)
from lotse.strategy.models import (
    Goal,
    Measure,
    MeasureAttachment,
    MeasureGoal,
    MeasureTransition,
    Milestone,
    OrgUnit,
    StatusUpdate,
    Strategy,
)

PAGE_SIZE = 25


class StrategyMixin(BodyMixin):
    """Resolves the strategy version shown: ``?version=N`` or the current one."""

    def get_strategy(self) -> Strategy:
        version = self.request.GET.get("version", "")
        if version.isdigit():
            strategy = Strategy.objects.for_body(self.body).filter(version=int(version)).first()
        else:
            strategy = selectors.current_strategy(self.body)
        if strategy is None:
            raise Http404(_("This body has not published a strategy yet."))
        return strategy


class StrategyView(StrategyMixin, TemplateView):
    """``/<body>/strategie/``: goals and action fields with measure counts and mean
    progress."""

    template_name = "strategy/strategy.html"

    def get(self, request, *args, **kwargs):
        if self.body.kind == Body.Kind.KREIS and not selectors.current_strategy(self.body):
            # A Kreis without a regional strategy of its own: its towns' strategies.
            towns = selectors.town_strategies(self.body)
            if not towns:
                raise Http404(_("This body has not published a strategy yet."))
            return self.render_to_response(
                {"body": self.body, "strategy": None, "town_strategies": towns}
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        strategy = self.get_strategy()
        if self.body.kind == Body.Kind.KREIS:
            kwargs["town_strategies"] = selectors.town_strategies(self.body)
        goals, fields = selectors.strategy_tree(strategy)
        visible = selectors.visible_measures(self.request.user, self.body)
        by_field = {
            row["primary_field_id"]: row
            for row in visible.values("primary_field_id").annotate(
                count=Count("id"), mean=Avg("progress")
            )
        }
        by_goal = {
            row["goal_id"]: row
            for row in MeasureGoal.objects.filter(measure__in=visible, weight__gt=0)
            .values("goal_id")
            .annotate(count=Count("measure_id"), mean=Avg("measure__progress"))
        }
        for goal in goals:
            stats = by_goal.get(goal.pk, {})
            goal.measure_count = stats.get("count", 0)
            goal.mean_progress = round(stats["mean"]) if stats.get("mean") is not None else None
        for field in fields:
            members = [field, *field.topics.all()]
            rows = [by_field[m.pk] for m in members if m.pk in by_field]
            for topic in field.topics.all():
                row = by_field.get(topic.pk, {})
                topic.measure_count = row.get("count", 0)
            count = sum(r["count"] for r in rows)
            field.measure_count = count
            field.mean_progress = (
                round(sum(r["mean"] * r["count"] for r in rows) / count) if count else None
            )
        versions = Strategy.objects.for_body(self.body).order_by("-version")
        if self.body.kind == Body.Kind.KREIS:
            kwargs["region_template"] = optional_template("region/includes/contributions.html")
        return super().get_context_data(
            strategy=strategy, goals=goals, fields=fields, versions=versions, **kwargs
        )


class MeasureListView(StrategyMixin, TemplateView):
    """``/<body>/massnahmen/``: measures with filters, sorting and pagination."""

    template_name = "strategy/measure_list.html"

    def get_context_data(self, **kwargs):
        strategy = selectors.current_strategy(self.body)
        goals = list(Goal.objects.filter(strategy=strategy)) if strategy else []
        form = MeasureFilterForm(
            self.request.GET or None, body=self.body, strategy=strategy, goals=goals
        )
        measures = selectors.visible_measures(self.request.user, self.body)
        sort = "titel"
        if form.is_valid():
            data = form.cleaned_data
            measures = filter_measures(measures, data)
            sort = data.get("sortierung") or "titel"
        measures = measures.select_related("primary_field__parent", "unit").order_by(
            SORTS[sort][0], "title", "pk"
        )
        page = Paginator(measures, PAGE_SIZE).get_page(self.request.GET.get("seite"))
        return super().get_context_data(
            form=form,
            page=page,
            measures=page.object_list,
            sort=sort,
            strategy=strategy,
            **kwargs,
        )


def filter_measures(measures, data: dict):
    """Apply the list filters; a field includes its topics."""
    if data.get("q"):
        from lotse.search import engine

        term = data["q"]
        # The one search: title, summary and description in any German form; or a tag.
        matching = engine.matching("measure", term, measures.db)
        found = Q(tags__name__iexact=term)
        if matching is not None:
            found |= Q(pk__in=matching)
        measures = measures.filter(found).distinct()
    if data.get("feld"):
        field = data["feld"]
        measures = measures.filter(Q(primary_field=field) | Q(primary_field__parent=field))
    if data.get("ziel"):
        measures = measures.filter(goal_links__goal_id=data["ziel"], goal_links__weight__gt=0)
    if data.get("status"):
        measures = measures.filter(status=data["status"])
    if data.get("einheit"):
        measures = measures.filter(unit=data["einheit"])
    if data.get("ampel"):
        measures = measures.filter(traffic_light=data["ampel"])
    return measures


class MeasureDetailView(BodyMixin, TemplateView):
    """``/<body>/massnahmen/<id>/``: everything about one measure. An internal measure
    answers 404 to those who may not see it, so its existence does not leak."""

    template_name = "strategy/measure_detail.html"

    def get_measure(self) -> Measure:
        measures = selectors.visible_measures(self.request.user, self.body).select_related(
            "primary_field__parent", "unit", "lead", "parent", "impacts"
        )
        return get_object_or_404(
            measures.prefetch_related(
                "secondary_fields__parent",
                "tags",
                "attachments",
                Prefetch("goal_links", queryset=MeasureGoal.objects.select_related("goal")),
                Prefetch("transitions", queryset=measure_transitions()),
                Prefetch("updates", queryset=StatusUpdate.objects.select_related("author")),
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        measure = self.get_measure()
        user = self.request.user
        children = list(selectors.visible_measures(user, self.body).filter(parent=measure))
        milestones = list(Milestone.objects.filter(measure=measure))
        measure.milestone_list = milestones
        return super().get_context_data(
            measure=measure,
            children=children,
            programme_progress=services.programme_progress(measure, children) if children else None,
            milestones=milestones,
            flags=services.flags(measure)
            if user.has_perm("strategy.view_internal", self.body)
            else [],
            can_manage=user.has_perm("strategy.manage_measures", self.body),
            can_report=user.has_perm("strategy.report_progress", measure),
            assessment_template=optional_template("assessment/includes/measure_assessment.html"),
            region_template=optional_template("region/includes/measure_region.html"),
            **kwargs,
        )


def measure_transitions():
    return MeasureTransition.objects.select_related("actor")


def optional_template(name: str) -> str | None:
    """A template another app may provide; the page works without it."""
    try:
        select_template([name])
    except TemplateDoesNotExist:
        return None
    return name


# --- Staff workspace -------------------------------------------------------------------------


class WorkspaceMixin(BodyMixin, PermissionRequiredMixin):
    permission_required = "strategy.manage_measures"

    def get_measure(self) -> Measure:
        # Through visibility, so an internal measure's id answers like a missing one to
        # those who may not see it (the permission check comes after this lookup).
        measures = selectors.visible_measures(self.request.user, self.body)
        return get_object_or_404(measures, pk=self.kwargs["pk"])

    def back_to_measure(self, measure):
        return redirect("strategy:measure", body_slug=self.body.slug, pk=measure.pk)


class WorkspaceView(WorkspaceMixin, TemplateView):
    """``/<body>/verwaltung/massnahmen/``: all measures with what needs attention;
    ``?meine=1`` shows the ones the user leads."""

    template_name = "strategy/workspace.html"
    permission_required = "strategy.view_internal"

    def get_context_data(self, **kwargs):
        measures = Measure.objects.for_body(self.body).select_related("unit", "lead")
        mine = self.request.GET.get("meine") == "1"
        if mine:
            measures = measures.filter(lead=self.request.user)
        measures = list(measures.prefetch_related("milestones").order_by("title"))
        for measure in measures:
            measure.flag_list = services.flags(measure)
        flagged = [m for m in measures if m.flag_list]
        return super().get_context_data(measures=measures, flagged=flagged, mine=mine, **kwargs)


class MeasureEditView(WorkspaceMixin, FormView):
    template_name = "strategy/measure_form.html"
    form_class = MeasureForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.instance = self.get_measure() if "pk" in kwargs else Measure(body=self.body)

    def get_form_kwargs(self):
        strategy = selectors.current_strategy(self.body)
        if strategy is None:
            raise Http404(_("Create a strategy with action fields first."))
        return {
            **super().get_form_kwargs(),
            "instance": self.instance,
            "body": self.body,
            "strategy": strategy,
            "goals": list(Goal.objects.filter(strategy=strategy)),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(measure=self.instance, **kwargs)

    def form_valid(self, form):
        measure = form.save(commit=False)
        try:
            with transaction.atomic():
                services.save_measure(self.request.user, measure, form.goal_weights())
                form.save_m2m()
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The measure has been saved."))
        return self.back_to_measure(measure)


class ReportProgressMixin(WorkspaceMixin):
    """Status updates and milestones: staff of the body, and the measure's lead."""

    permission_required = "strategy.report_progress"

    def get_permission_object(self):
        return self.get_measure()


class StatusUpdateView(ReportProgressMixin, FormView):
    """Post a Sachstandsmeldung in one short form."""

    template_name = "strategy/status_update_form.html"
    form_class = StatusUpdateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "measure": self.get_measure()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(measure=self.get_measure(), **kwargs)

    def form_valid(self, form):
        measure = self.get_measure()
        try:
            services.post_status_update(self.request.user, measure, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The status update has been published."))
        return self.back_to_measure(measure)


class TransitionView(WorkspaceMixin, FormView):
    template_name = "strategy/transition_form.html"
    form_class = TransitionForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.measure = self.get_measure()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "allowed": services.allowed_transitions(self.measure)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(measure=self.measure, **kwargs)

    def form_valid(self, form):
        try:
            services.change_status(
                self.request.user,
                self.measure,
                form.cleaned_data["status"],
                form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("The status has been changed."))
        return self.back_to_measure(self.measure)


class MilestonesView(ReportProgressMixin, FormView):
    """Add milestones and mark them done."""

    template_name = "strategy/milestones.html"
    form_class = MilestoneForm

    def get_context_data(self, **kwargs):
        measure = self.get_measure()
        return super().get_context_data(
            measure=measure, milestones=Milestone.objects.filter(measure=measure), **kwargs
        )

    def post(self, request, *args, **kwargs):
        done_id = request.POST.get("erledigt")
        if done_id:
            measure = self.get_measure()
            milestone = get_object_or_404(Milestone, measure=measure, pk=done_id)
            milestone.done_on = timezone.localdate()
            services.save_milestone(request.user, milestone)
            messages.success(request, _("The milestone is marked as done."))
            return redirect("strategy:milestones", body_slug=self.body.slug, pk=measure.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        measure = self.get_measure()
        milestone = form.save(commit=False)
        milestone.measure = measure
        services.save_milestone(self.request.user, milestone)
        messages.success(self.request, _("The milestone has been saved."))
        return redirect("strategy:milestones", body_slug=self.body.slug, pk=measure.pk)


class ImpactView(WorkspaceMixin, FormView):
    """The impact blocks of a measure (financial, climate, inclusion, personnel)."""

    template_name = "strategy/impact_form.html"
    form_class = ImpactForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.measure = self.get_measure()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.measure.impacts}

    def get_context_data(self, **kwargs):
        return super().get_context_data(measure=self.measure, **kwargs)

    def form_valid(self, form):
        with transaction.atomic():
            impacts = form.save()
            if self.measure.impacts_id != impacts.pk:
                self.measure.impacts = impacts
                self.measure.save(update_fields=["impacts"])
        messages.success(self.request, _("The impacts have been saved."))
        return self.back_to_measure(self.measure)


# --- Strategy maintenance (programme owner) --------------------------------------------------


class StrategyManageView(BodyMixin, PermissionRequiredMixin, TemplateView):
    """``/<body>/verwaltung/strategie/``: the programme owner keeps the strategy. A draft is
    edited here (vision, goals, action fields); an adopted version is read-only and a new
    version starts as its copy."""

    template_name = "strategy/manage.html"
    permission_required = "strategy.manage_strategy"

    def get_strategy(self) -> Strategy | None:
        versions = Strategy.objects.for_body(self.body)
        version = self.request.GET.get("version", "")
        if version.isdigit():
            return get_object_or_404(versions, version=int(version))
        return versions.order_by("-version").first()

    def forms_for(self, strategy: Strategy | None, data=None):
        if strategy is None:
            return {"strategy_form": StrategyForm(data, prefix="s")}
        return {
            "strategy_form": StrategyForm(data, instance=strategy, prefix="s"),
            "goal_formset": GoalFormSet(data, instance=strategy, prefix="goals"),
            "field_formset": ActionFieldFormSet(
                data, instance=strategy, prefix="fields", form_kwargs={"strategy": strategy}
            ),
        }

    def get_context_data(self, **kwargs):
        strategy = kwargs.pop("strategy", None) or self.get_strategy()
        forms = kwargs.pop("forms", None) or self.forms_for(strategy)
        return super().get_context_data(
            strategy=strategy,
            versions=Strategy.objects.for_body(self.body).order_by("-version"),
            editable=strategy is None or strategy.status == Strategy.Status.DRAFT,
            adopt_form=AdoptForm(initial={"adopted_on": timezone.localdate()}),
            **forms,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        strategy = self.get_strategy()
        forms = self.forms_for(strategy, request.POST)
        if all(form.is_valid() for form in forms.values()):
            try:
                if strategy is None:
                    draft = forms["strategy_form"].save(commit=False)
                    draft.body = self.body
                    services.create_first_strategy(request.user, draft)
                else:
                    services.save_strategy_structure(request.user, strategy, forms.values())
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            except ProtectedError:
                messages.error(
                    request,
                    _(
                        "An action field that measures still use cannot be deleted. Move the "
                        "measures to another field first."
                    ),
                )
            else:
                messages.success(request, _("The strategy has been saved."))
                return redirect("strategy:manage", body_slug=self.body.slug)
        return self.render_to_response(self.get_context_data(strategy=strategy, forms=forms))


class StrategyVersionActionView(BodyMixin, PermissionRequiredMixin, View):
    """POST only: start a new version as a copy, or adopt a draft."""

    permission_required = "strategy.manage_strategy"
    action = ""

    def post(self, request, body_slug: str, version: int):
        strategy = get_object_or_404(Strategy.objects.for_body(self.body), version=version)
        try:
            if self.action == "copy":
                copy = services.new_strategy_version(request.user, strategy)
                messages.success(
                    request,
                    _("Version %(version)s has been started as a copy.")
                    % {"version": copy.version},
                )
            else:
                form = AdoptForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Please enter the date of the council decision."))
                moved = services.adopt_strategy(
                    request.user, strategy, form.cleaned_data["adopted_on"]
                )
                messages.success(
                    request,
                    _("Version %(version)s is adopted; %(count)s measures now refer to it.")
                    % {"version": strategy.version, "count": moved},
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("strategy:manage", body_slug=self.body.slug)


class UnitsView(BodyMixin, PermissionRequiredMixin, TemplateView):
    """``/<body>/verwaltung/einheiten/``: the administrative units of the body."""

    template_name = "strategy/units.html"
    permission_required = "strategy.manage_strategy"

    def formset(self, data=None):
        return UnitFormSet(data, queryset=OrgUnit.objects.for_body(self.body), prefix="units")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.formset())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        formset = self.formset(request.POST)
        if formset.is_valid():
            try:
                with transaction.atomic():
                    for unit in formset.save(commit=False):
                        unit.body = self.body
                        unit.full_clean()
                        unit.save()
                    for unit in formset.deleted_objects:
                        unit.delete()
            except ProtectedError:
                messages.error(
                    request, _("A unit that is responsible for measures cannot be deleted.")
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The units have been saved."))
                return redirect("strategy:units", body_slug=self.body.slug)
        return self.render_to_response(self.get_context_data(formset=formset))


class AttachmentsView(ReportProgressMixin, FormView):
    """``…/verwaltung/massnahmen/<id>/anlagen/``: add and remove files of a measure."""

    template_name = "strategy/attachments.html"
    form_class = AttachmentForm

    def get_context_data(self, **kwargs):
        measure = self.get_measure()
        return super().get_context_data(
            measure=measure, attachments=measure.attachments.all(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        remove_id = request.POST.get("entfernen")
        if remove_id:
            attachment = get_object_or_404(
                MeasureAttachment, measure=self.get_measure(), pk=remove_id
            )
            services.remove_attachment(request.user, attachment)
            messages.success(request, _("The attachment has been removed."))
            return redirect("strategy:attachments", body_slug=self.body.slug, pk=self.kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.add_attachment(
                self.request.user,
                self.get_measure(),
                form.cleaned_data["title"],
                form.cleaned_data["file"],
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The attachment has been added."))
        return redirect("strategy:attachments", body_slug=self.body.slug, pk=self.kwargs["pk"])


class AttachmentDownloadView(BodyMixin, View):
    """``/<body>/massnahmen/<id>/anlagen/<file>/``: a file, for those who may see the
    measure (404 for everyone else, as for the measure itself)."""

    def get(self, request, body_slug: str, pk: int, attachment_id: int):
        measure = get_object_or_404(selectors.visible_measures(request.user, self.body), pk=pk)
        attachment = get_object_or_404(MeasureAttachment, measure=measure, pk=attachment_id)
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name or attachment.file.name.rsplit("/", 1)[-1],
        )
        response["Cache-Control"] = (
            "private, no-store" if not measure.is_public else "public, max-age=300"
        )
        return response
