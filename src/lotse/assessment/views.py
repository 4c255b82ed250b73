"""Pages of the assessment: the check, the cost-benefit analysis, the weights and the
Lenkungsgremium's ranking with its exports. Thin: they translate HTTP to ``services`` and
``selectors`` and back."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.assessment import exports, selectors, services
from lotse.assessment.forms import (
    CostBenefitForm,
    DecisionForm,
    DigitalCheckForm,
    QuestionFormSet,
    RankingFilterForm,
    WeightsForm,
)
from lotse.assessment.models import CheckQuestion, CostBenefit, DigitalCheck
from lotse.core.forms import add_errors
from lotse.core.views import BodyMixin
from lotse.strategy.models import Measure


class MeasureAssessmentMixin(BodyMixin, PermissionRequiredMixin):
    """A page about one measure of the body; another body's id answers 404."""

    permission_required = "assessment.assess"

    @cached_property
    def measure(self) -> Measure:
        return get_object_or_404(
            Measure.objects.for_body(self.body).select_related("primary_field"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(measure=self.measure, **kwargs)


class DigitalCheckView(MeasureAssessmentMixin, FormView):
    """``/<body>/verwaltung/massnahmen/<id>/egov-check/``: fill in the E-Government-Check."""

    template_name = "assessment/check_form.html"
    form_class = DigitalCheckForm

    @cached_property
    def check(self) -> DigitalCheck:
        existing = DigitalCheck.objects.filter(measure=self.measure).first()
        return existing or DigitalCheck(body=self.body, measure=self.measure)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.check,
            "questions": services.ensure_default_questions(self.body),
            "answers": selectors.answers_of(self.check),
        }

    def form_valid(self, form):
        try:
            services.save_digital_check(self.request.user, form.instance, form.answers())
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The E-Government-Check has been saved."))
        return redirect(self.request.path)


class CostBenefitView(MeasureAssessmentMixin, FormView):
    """``/<body>/verwaltung/massnahmen/<id>/bewertung/``: the Aufwand-Nutzen-Analyse."""

    template_name = "assessment/cost_benefit_form.html"
    form_class = CostBenefitForm

    @cached_property
    def analysis(self) -> CostBenefit:
        existing = CostBenefit.objects.filter(measure=self.measure).first()
        return existing or CostBenefit(body=self.body, measure=self.measure)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.analysis,
            "goals": selectors.current_goals(self.body),
            "goal_scores": selectors.goal_scores_of(self.analysis),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            analysis=self.analysis if self.analysis.pk else None,
            weights=selectors.weights_for(self.body),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.save_cost_benefit(self.request.user, form.instance, form.goal_scores())
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The cost-benefit analysis has been saved."))
        return redirect(self.request.path)


class WeightsView(BodyMixin, PermissionRequiredMixin, FormView):
    """``/<body>/verwaltung/gewichtung/``: the body's weights of the priority score."""

    template_name = "assessment/weights_form.html"
    form_class = WeightsForm
    permission_required = "assessment.manage_weights"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": selectors.weights_for(self.body)}

    def form_valid(self, form):
        try:
            services.save_weights(self.request.user, form.instance)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The weights have been saved and all scores recalculated.")
        )
        return redirect(reverse("assessment:weights", kwargs={"body_slug": self.body.slug}))


class QuestionsView(BodyMixin, PermissionRequiredMixin, TemplateView):
    """``/<body>/verwaltung/egov-fragen/``: the questions of the body's E-Government-Check."""

    template_name = "assessment/questions_form.html"
    permission_required = "assessment.manage_questions"

    def formset(self, data=None):
        services.ensure_default_questions(self.body)
        return QuestionFormSet(
            data, queryset=CheckQuestion.objects.for_body(self.body), prefix="questions"
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.formset())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        formset = self.formset(request.POST)
        if formset.is_valid():
            try:
                services.save_questions(request.user, self.body, formset)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The questions have been saved."))
                return redirect("assessment:questions", body_slug=self.body.slug)
        return self.render_to_response(self.get_context_data(formset=formset))


class RankingMixin(BodyMixin, PermissionRequiredMixin):
    permission_required = "assessment.view_ranking"

    @cached_property
    def filter_form(self) -> RankingFilterForm:
        return RankingFilterForm(
            self.request.GET or None,
            fields=selectors.ranking_fields(self.body),
            units=selectors.ranking_units(self.body),
        )

    def ranked_measures(self):
        filters = {}
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            filters = {
                "action_field": data["field"],
                "unit": data["unit"],
                "min_score": data["min_score"],
            }
        return selectors.ranking(self.body, **filters)


class RankingView(RankingMixin, TemplateView):
    """``/<body>/priorisierung/``: the candidates by score, with the Lenkungsgremium's
    decisions; those who may record decisions get the form below the list."""

    template_name = "assessment/ranking.html"

    def may_decide(self) -> bool:
        return self.request.user.has_perm("assessment.decide_priority", self.body)

    def decision_form(self, data=None) -> DecisionForm:
        return DecisionForm(
            data,
            candidates=selectors.candidates(self.body),
            initial={"decided_on": timezone.localdate()},
        )

    def get_context_data(self, **kwargs):
        may_decide = self.may_decide()
        if may_decide:
            kwargs.setdefault("decision_form", self.decision_form())
        measures = list(self.ranked_measures())
        for measure in measures:
            measure.assessment = selectors.assessment_for(measure)
        query = self.request.GET.urlencode()
        return super().get_context_data(
            measures=measures,
            filter_form=self.filter_form,
            may_decide=may_decide,
            may_set_weights=self.request.user.has_perm("assessment.manage_weights", self.body),
            export_query=f"?{query}" if query else "",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.may_decide():
            raise PermissionDenied
        form = self.decision_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = services.record_decision(
                    request.user,
                    data["measure"],
                    outcome=data["outcome"],
                    rank=data["rank"],
                    reason=data["reason"],
                    decided_on=data["decided_on"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The decision on “%(measure)s” has been recorded: %(outcome)s.")
                    % {
                        "measure": decision.measure.title,
                        "outcome": decision.get_outcome_display(),
                    },
                )
                return redirect(request.get_full_path())
        return self.render_to_response(self.get_context_data(decision_form=form))


class RankingExportView(RankingMixin, View):
    """``/<body>/priorisierung/export.csv`` and ``.xlsx``: the (filtered) ranking."""

    file_format = "csv"

    def get(self, request, *args, **kwargs):
        measures = self.ranked_measures()
        stamp = timezone.localdate().isoformat()
        filename = f"priorisierung-{self.body.slug}-{stamp}.{self.file_format}"
        if self.file_format == "xlsx":
            response = HttpResponse(
                exports.as_xlsx(measures),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(exports.as_csv(measures), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
