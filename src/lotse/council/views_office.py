"""The council office's paper workspace (``/<body>/verwaltung/vorlagen/``): drafting papers
with their impacts and E-Government-Check, routing and answering co-signing, release,
supplements and the planned Beratungsfolge. Views only translate HTTP into calls of
``services`` / ``services_office`` and back."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.assessment import selectors as assessment_selectors
from lotse.assessment import services as assessment_services
from lotse.assessment.forms import DigitalCheckForm
from lotse.core.forms import add_errors
from lotse.core.impacts import ImpactAssessment
from lotse.core.views import BodyMixin
from lotse.council import selectors, services, services_office
from lotse.council.forms_papers import (
    ConsultationForm,
    OfficePaperFilterForm,
    PaperForm,
    SignoffAnswerForm,
    SignoffRequestForm,
)
from lotse.council.models import (
    Consultation,
    Paper,
    PaperState,
    Signoff,
    SignoffState,
)
from lotse.strategy.forms import ImpactForm

PAGE_SIZE = 25


def files_page_exists() -> bool:
    """Whether the attachments page of a paper is installed (built by the files work)."""
    try:
        reverse("council:office_paper_files", args=["x", 1])
    except NoReverseMatch:
        return False
    return True


class OfficeMixin(BodyMixin, PermissionRequiredMixin):
    """A page of the paper workspace; papers of another body answer 404."""

    permission_required = "council.edit_papers"

    @cached_property
    def paper(self) -> Paper:
        papers = selectors.visible_papers(self.request.user, self.body).select_related(
            "originator_unit",
            "originator_organization",
            "reporter",
            "supplements",
            "follow_up_unit",
            "digital_check",
        )
        return get_object_or_404(papers, pk=self.kwargs["pk"])

    def back_to_paper(self, paper=None):
        return redirect(
            "council:office_paper", body_slug=self.body.slug, pk=(paper or self.paper).pk
        )


class DraftMixin(OfficeMixin):
    """A page that changes the paper itself: a released one is read-only and sends the user
    back to its page, where a supplement can be started."""

    def dispatch(self, request, *args, **kwargs):
        if (
            "pk" in kwargs
            and request.user.has_perm(self.permission_required, self.body)
            and self.paper.is_released
        ):
            messages.error(
                request,
                _(
                    "A released paper cannot be changed any more. Create an Ergänzungsvorlage "
                    "(supplementary paper) instead."
                ),
            )
            return self.back_to_paper()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        if "paper" not in kwargs:
            kwargs["paper"] = self.paper
        return super().get_context_data(**kwargs)


class PaperListView(OfficeMixin, TemplateView):
    """``/<body>/verwaltung/vorlagen/``: drafts, papers in co-signing and released ones, with
    how many sign-offs are still open; filtered by state, searched by number or subject."""

    template_name = "council/office/paper_list.html"

    def get_context_data(self, **kwargs):
        form = OfficePaperFilterForm(self.request.GET or None)
        papers = Paper.objects.for_body(self.body)
        if form.is_valid():
            if form.cleaned_data.get("zustand"):
                papers = papers.filter(state=form.cleaned_data["zustand"])
            term = form.cleaned_data.get("q", "").strip()
            if term:
                papers = papers.filter(Q(reference__icontains=term) | Q(name__icontains=term))
        papers = (
            papers.select_related("originator_unit")
            .annotate(
                signoff_count=Count("signoffs"),
                signoff_open=Count("signoffs", filter=Q(signoffs__state=SignoffState.OPEN)),
            )
            .order_by("-updated_at", "-pk")
        )
        counts = dict(
            Paper.objects.for_body(self.body)
            .values_list("state")
            .annotate(n=Count("pk"))
            .order_by()
        )
        page = Paginator(papers, PAGE_SIZE).get_page(self.request.GET.get("seite"))
        states = [(value, label, counts.get(value, 0)) for value, label in PaperState.choices]
        return super().get_context_data(
            form=form,
            page=page,
            papers=page.object_list,
            states=states,
            may_sign=self.request.user.has_perm("council.sign_off", self.body),
            **kwargs,
        )


class PaperEditView(DraftMixin, FormView):
    """``vorlagen/neu/`` and ``vorlagen/<pk>/bearbeiten/``: the paper's text and facts, its
    linked measures and related papers."""

    template_name = "council/office/paper_form.html"
    form_class = PaperForm

    @cached_property
    def instance(self) -> Paper:
        return self.paper if "pk" in self.kwargs else Paper(body=self.body)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance, "body": self.body}

    def get_context_data(self, **kwargs):
        return super().get_context_data(paper=self.instance, **kwargs)

    def form_valid(self, form):
        paper = form.save(commit=False)
        try:
            services_office.save_paper_with_links(
                self.request.user,
                paper,
                [m.pk for m in form.cleaned_data["measures"]],
                [p.pk for p in form.cleaned_data["related_references"]],
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The paper has been saved."))
        return self.back_to_paper(paper)


class PaperDetailView(OfficeMixin, TemplateView):
    """``vorlagen/<pk>/``: state, sign-offs, Beratungsfolge and the next steps as buttons."""

    template_name = "council/office/paper_detail.html"

    def get_context_data(self, **kwargs):
        paper = self.paper
        user = self.request.user
        signoffs = list(paper.signoffs.select_related("unit", "signed_by").order_by("pk"))
        missing = [s for s in signoffs if s.required and not s.is_given]
        consultations = list(
            Consultation.objects.filter(paper=paper)
            .select_related("organization", "meeting")
            .order_by("order", "pk")
        )
        return super().get_context_data(
            paper=paper,
            signoffs=signoffs,
            missing=missing,
            consultations=consultations,
            measures=list(paper.measures.order_by("title")),
            related=list(paper.related_papers.order_by("reference", "pk")),
            supplements=list(paper.supplementary_papers.order_by("pk")),
            may_release=user.has_perm("council.release_papers", self.body),
            may_sign=user.has_perm("council.sign_off", self.body),
            files_page=files_page_exists(),
            **kwargs,
        )


class PaperImpactsView(DraftMixin, FormView):
    """``vorlagen/<pk>/auswirkungen/``: the impact blocks of the paper."""

    template_name = "council/office/paper_impacts.html"
    form_class = ImpactForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.paper.impacts or ImpactAssessment()}

    def form_valid(self, form):
        try:
            services_office.save_paper_impacts(
                self.request.user, self.paper, form.save(commit=False)
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The impacts have been saved."))
        return self.back_to_paper()


class PaperCheckView(DraftMixin, FormView):
    """``vorlagen/<pk>/egov-check/``: the E-Government-Check of the paper."""

    template_name = "council/office/paper_check.html"
    form_class = DigitalCheckForm

    @cached_property
    def check(self):
        from lotse.assessment.models import DigitalCheck

        return self.paper.digital_check or DigitalCheck(body=self.body)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.check,
            "questions": assessment_services.ensure_default_questions(self.body),
            "answers": assessment_selectors.answers_of(self.check),
        }

    def form_valid(self, form):
        try:
            services_office.save_paper_check(
                self.request.user, self.paper, form.instance, form.answers()
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The E-Government-Check has been saved."))
        return self.back_to_paper()


class PaperSignoffsView(DraftMixin, FormView):
    """``vorlagen/<pk>/mitzeichnung/``: route the paper to units for co-signing."""

    template_name = "council/office/paper_signoffs.html"
    form_class = SignoffRequestForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "body": self.body}

    def get_context_data(self, **kwargs):
        signoffs = list(self.paper.signoffs.select_related("unit").order_by("pk"))
        return super().get_context_data(signoffs=signoffs, **kwargs)

    def form_valid(self, form):
        try:
            services.request_signoffs(
                self.request.user,
                self.paper,
                [unit.pk for unit in form.cleaned_data["units"]],
                required=form.cleaned_data["required"],
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The paper has been routed for co-signing."))
        return self.back_to_paper()


class SignoffListView(BodyMixin, PermissionRequiredMixin, TemplateView):
    """``/<body>/verwaltung/mitzeichnungen/``: open co-signing requests of papers not yet
    released; each is answered here (approve, approve with a comment, refuse)."""

    template_name = "council/office/signoff_list.html"
    permission_required = "council.sign_off"

    def open_signoffs(self):
        return (
            Signoff.objects.filter(
                paper__body=self.body,
                state=SignoffState.OPEN,
                paper__state=PaperState.SIGNING,
            )
            .select_related("paper", "unit")
            .order_by("paper__date", "paper_id", "pk")
        )

    def get_context_data(self, **kwargs):
        page = Paginator(self.open_signoffs(), PAGE_SIZE).get_page(self.request.GET.get("seite"))
        failed = kwargs.pop("failed", None)
        rows = []
        for signoff in page.object_list:
            if failed and failed[0] == signoff.pk:
                form = failed[1]
            else:
                form = SignoffAnswerForm(prefix=f"s{signoff.pk}")
            rows.append((signoff, form))
        return super().get_context_data(page=page, rows=rows, **kwargs)

    def post(self, request, *args, **kwargs):
        signoff = get_object_or_404(self.open_signoffs(), pk=request.POST.get("signoff"))
        form = SignoffAnswerForm(request.POST, prefix=f"s{signoff.pk}")
        if form.is_valid():
            try:
                services.sign_off(
                    request.user,
                    signoff,
                    form.cleaned_data["state"],
                    form.cleaned_data["comment"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your answer on “%(paper)s” has been saved.") % {"paper": signoff.paper.name},
                )
                return redirect("council:office_signoffs", body_slug=self.body.slug)
        context = self.get_context_data(failed=(signoff.pk, form))
        return self.render_to_response(context, status=400)


class PaperActionView(OfficeMixin, View):
    """A button on the paper's page (POST only); errors come back as a message there."""

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])


class PaperReleaseView(PaperActionView):
    """``vorlagen/<pk>/freigabe/``: release the paper; it gets its reference number."""

    permission_required = "council.release_papers"

    def post(self, request, *args, **kwargs):
        try:
            paper = services.release_paper(request.user, self.paper)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return self.back_to_paper()
        messages.success(
            request,
            _("The paper has been released as %(reference)s.") % {"reference": paper.reference},
        )
        return self.back_to_paper()


class PaperSupplementView(PaperActionView):
    """``vorlagen/<pk>/ergaenzung/``: start an Ergänzungsvorlage to a released paper."""

    def post(self, request, *args, **kwargs):
        try:
            supplement = services.create_supplement(request.user, self.paper)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return self.back_to_paper()
        messages.success(request, _("The Ergänzungsvorlage has been created as a draft."))
        return redirect("council:office_paper_edit", body_slug=self.body.slug, pk=supplement.pk)


class PaperConsultationsView(OfficeMixin, FormView):
    """``vorlagen/<pk>/beratungsfolge/``: add, reorder and remove the planned steps of the
    Beratungsfolge; steps already on an agenda stay as they are. Also open for released
    papers, whose way through the organizations is often planned after the release."""

    template_name = "council/office/paper_consultations.html"
    form_class = ConsultationForm

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "body": self.body}
        if self.request.method == "POST" and self.request.POST.get("action") != "add":
            kwargs.pop("data", None)
        return kwargs

    def get_context_data(self, **kwargs):
        consultations = list(
            Consultation.objects.filter(paper=self.paper)
            .select_related("organization", "meeting")
            .annotate(item_count=Count("agenda_items"))
            .order_by("order", "pk")
        )
        for consultation in consultations:
            consultation.planned = not consultation.meeting_id and not consultation.item_count
        return super().get_context_data(paper=self.paper, consultations=consultations, **kwargs)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "add":
            return super().post(request, *args, **kwargs)
        if action not in ("up", "down", "remove"):
            return self.back_here()
        consultation = get_object_or_404(
            Consultation.objects.filter(paper=self.paper), pk=request.POST.get("consultation")
        )
        try:
            if action == "remove":
                services_office.remove_consultation(request.user, consultation)
                messages.success(request, _("The consultation has been removed."))
            else:
                step = -1 if action == "up" else 1
                services_office.move_consultation(request.user, consultation, step)
                messages.success(request, _("The Beratungsfolge has been reordered."))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        return self.back_here()

    def back_here(self):
        return redirect(
            "council:office_paper_consultations", body_slug=self.body.slug, pk=self.paper.pk
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.add_consultation(
                self.request.user,
                self.paper,
                data["organization"],
                data["role"],
                authoritative=data["authoritative"],
                planned_date=data["planned_date"],
                is_public=data["is_public"],
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The consultation has been added."))
        return self.back_here()
