"""The district's library of measures, joint measures, a town's regional links and the
regional Sachstandsbericht. Views translate HTTP into selectors and services and back."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.core.forms import add_errors
from lotse.core.models import Body
from lotse.core.views import BodyMixin
from lotse.council.selectors import visible_papers
from lotse.region import selectors, services
from lotse.region.forms import (
    AdoptForm,
    LibraryFilterForm,
    PublishForm,
    ShareForm,
    StartJointForm,
)
from lotse.region.models import Adoption, JointShare, LibraryEntry, RegionalLink
from lotse.reporting import figures, periods
from lotse.strategy import selectors as strategy_selectors
from lotse.strategy.models import ActionField


class KreisMixin(BodyMixin):
    """Pages of a Kreis; a town's address leads to its Kreis's page."""

    def dispatch(self, request, *args, **kwargs):
        if self.body.kind != Body.Kind.KREIS:
            if self.body.parent_id is None:
                raise Http404(_("This body belongs to no Kreis."))
            kwargs["body_slug"] = self.body.parent.slug
            return redirect(request.resolver_match.view_name, **kwargs)
        return super().dispatch(request, *args, **kwargs)


def own_fields(body: Body):
    strategy = strategy_selectors.current_strategy(body)
    return (
        ActionField.objects.filter(strategy=strategy)
        .select_related("parent")
        .order_by("parent__order", "order", "pk")
    )


def adopting_towns(user, kreis: Body, entry: LibraryEntry | None = None) -> list[Body]:
    """The towns of the Kreis for which the user may adopt (not the publisher, not twice)."""
    towns = [t for t in kreis.children.order_by("name") if user.has_perm("region.adopt", t)]
    if entry is None:
        return towns
    done = set(Adoption.objects.filter(entry=entry).values_list("body_id", flat=True))
    return [t for t in towns if t.pk != entry.body_id and t.pk not in done]


class LibraryView(KreisMixin, TemplateView):
    """``/<kreis>/bibliothek/``: what the towns of a district learned, to adopt; filtered by
    regional field, effort, status and progress; then the joint measures."""

    template_name = "region/library.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        fields = services.regional_fields(self.body)
        form = LibraryFilterForm(self.request.GET or None, fields=fields)
        filters = {}
        if form.is_valid():
            data = form.cleaned_data
            filters = {
                "field": data.get("feld"),
                "effort": data.get("aufwand") or "",
                "status": data.get("status") or "",
                "progress": int(data["fortschritt"]) if data.get("fortschritt") else None,
                "ozg_service": (data.get("leistung") or "").strip(),
            }
        entries = list(selectors.library_list(user, self.body, **filters))
        return super().get_context_data(
            form=form,
            entries=entries,
            joints=selectors.joint_list(user, self.body),
            sees_internal=selectors.sees_district_internal(user, self.body),
            **kwargs,
        )


class EntryView(KreisMixin, TemplateView):
    """``/<kreis>/bibliothek/<id>/``: a published measure with the parts its town shares,
    who adopted it and how far each has got."""

    template_name = "region/entry.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        entry = get_object_or_404(
            selectors.visible_entries(user, self.body).select_related(
                "body", "measure__impacts", "measure__primary_field", "regional_field"
            ),
            pk=self.kwargs["pk"],
        )
        measure = entry.measure
        from lotse.assessment.models import CostBenefit, DigitalCheck
        from lotse.strategy.models import Milestone

        return super().get_context_data(
            entry=entry,
            measure=measure,
            digital_check=DigitalCheck.objects.filter(measure=measure).first()
            if entry.share_digital_check
            else None,
            cost_benefit=CostBenefit.objects.filter(measure=measure).first()
            if entry.share_cost_benefit
            else None,
            milestones=list(Milestone.objects.filter(measure=measure))
            if entry.share_milestones
            else [],
            attachments=list(entry.attachments.all()),
            adoptions=selectors.measure_region(measure, user)["adoptions"],
            towns=adopting_towns(user, self.body, entry) if entry.withdrawn_at is None else [],
            **kwargs,
        )


class JointView(KreisMixin, TemplateView):
    """``/<kreis>/bibliothek/gemeinsam/<id>/``: a joint measure, its lead town and each
    town's progress and budget share."""

    template_name = "region/joint.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        joint = get_object_or_404(
            selectors.visible_joint_measures(user, self.body).select_related(
                "body", "regional_field", "paper"
            ),
            pk=self.kwargs["pk"],
        )
        shares = [
            selectors.share_progress(s, user)
            for s in JointShare.objects.filter(joint=joint).select_related("body", "measure")
        ]
        editable = [s["share"] for s in shares if user.has_perm("region.edit_share", s["share"])]
        paper = None
        if joint.paper_id is not None:
            paper = visible_papers(user, joint.district).filter(pk=joint.paper_id).first()
        return super().get_context_data(
            joint=joint, shares=shares, editable=editable, paper=paper, **kwargs
        )


class PublishView(BodyMixin, PermissionRequiredMixin, FormView):
    """``/<town>/verwaltung/massnahmen/<id>/bibliothek/``: publish a measure to the Kreis's
    library, change what is shared, or withdraw it."""

    template_name = "region/publish.html"
    form_class = PublishForm
    permission_required = "region.publish"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.measure = get_object_or_404(
            strategy_selectors.visible_measures(request.user, self.body), pk=kwargs["pk"]
        )
        self.entry = LibraryEntry.objects.filter(measure=self.measure).first()

    def get_permission_object(self):
        return self.measure

    def get_form_kwargs(self):
        if self.body.parent_id is None:
            raise Http404(_("This body belongs to no Kreis."))
        instance = self.entry or LibraryEntry(
            measure=self.measure,
            body=self.body,
            district_id=self.body.parent_id,
            contact_name=self.request.user.public_name,
            contact_email=self.request.user.email,
        )
        return {
            **super().get_form_kwargs(),
            "instance": instance,
            "measure": self.measure,
            "regional_fields": services.regional_fields(self.body.parent),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(measure=self.measure, entry=self.entry, **kwargs)

    def post(self, request, *args, **kwargs):
        if "zurueckziehen" in request.POST and self.entry is not None:
            services.withdraw_from_library(request.user, self.entry)
            messages.success(request, _("The measure has been withdrawn from the library."))
            return redirect("strategy:measure", body_slug=self.body.slug, pk=self.measure.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        entry = form.save(commit=False)
        try:
            entry = services.publish_to_library(
                self.request.user,
                entry,
                [a.pk for a in form.cleaned_data["attachment_ids"]],
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The measure is published in the district's library."))
        return redirect(entry.get_absolute_url())


class AdoptView(BodyMixin, PermissionRequiredMixin, FormView):
    """``/<town>/verwaltung/bibliothek/<entry>/uebernehmen/``: adopt a library entry as a
    new measure of this town."""

    template_name = "region/adopt.html"
    form_class = AdoptForm
    permission_required = "region.adopt"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.body.parent_id is None:
            raise Http404(_("This body belongs to no Kreis."))
        self.entry = get_object_or_404(
            selectors.visible_entries(request.user, self.body.parent).select_related(
                "body", "measure", "district"
            ),
            pk=kwargs["entry"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "fields": own_fields(self.body)}

    def get_initial(self):
        # The town's own field linked to the entry's regional field, when there is one.
        link = (
            RegionalLink.objects.for_body(self.body)
            .filter(regional_field_id=self.entry.regional_field_id, action_field__isnull=False)
            .first()
        )
        return {"primary_field": link.action_field_id} if link else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, **kwargs)

    def form_valid(self, form):
        try:
            adoption = services.adopt(
                self.request.user, self.entry, self.body, form.cleaned_data["primary_field"]
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        except PermissionDenied:
            raise Http404 from None
        messages.success(
            self.request,
            _("The measure has been adopted. It is now a proposal of your own; adjust it."),
        )
        return redirect("strategy:measure", body_slug=self.body.slug, pk=adoption.measure.pk)


class StartJointView(BodyMixin, PermissionRequiredMixin, FormView):
    """``/<town>/verwaltung/massnahmen/<id>/gemeinsam/``: start a joint measure with this
    town as lead, from one of its measures, and invite other towns of the Kreis."""

    template_name = "region/start_joint.html"
    form_class = StartJointForm
    permission_required = "region.manage_joint"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.body.parent_id is None:
            raise Http404(_("This body belongs to no Kreis."))
        self.measure = get_object_or_404(
            strategy_selectors.visible_measures(request.user, self.body), pk=kwargs["pk"]
        )

    def get_permission_object(self):
        return self.measure

    def get_form_kwargs(self):
        kreis = self.body.parent
        return {
            **super().get_form_kwargs(),
            "town": self.body,
            "regional_fields": services.regional_fields(kreis),
            "papers": visible_papers(self.request.user, kreis).order_by("-date", "-pk"),
        }

    def get_initial(self):
        return {"title": self.measure.title, "description": self.measure.description}

    def get_context_data(self, **kwargs):
        return super().get_context_data(measure=self.measure, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            joint = services.start_joint_measure(
                self.request.user,
                self.measure,
                data["towns"],
                title=data["title"],
                description=data["description"],
                regional_field=data["regional_field"],
                paper=data["paper"],
                budget_share=data["budget_share"],
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The joint measure has been started."))
        return redirect(joint.get_absolute_url())


class ShareView(BodyMixin, PermissionRequiredMixin, FormView):
    """``/<town>/verwaltung/gemeinsam/<id>/anteil/``: a town takes up its part in a joint
    measure (its own measure) and keeps its budget share."""

    template_name = "region/share.html"
    form_class = ShareForm
    permission_required = "region.edit_share"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.share = get_object_or_404(
            JointShare.objects.for_body(self.body).select_related("joint__district", "measure"),
            joint_id=kwargs["pk"],
        )

    def get_permission_object(self):
        return self.share

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "fields": own_fields(self.body),
            "needs_field": self.share.measure_id is None,
        }

    def get_initial(self):
        return {"budget_share": self.share.budget_share}

    def get_context_data(self, **kwargs):
        return super().get_context_data(share=self.share, joint=self.share.joint, **kwargs)

    def form_valid(self, form):
        try:
            services.join_joint_measure(
                self.request.user,
                self.share,
                primary_field=form.cleaned_data.get("primary_field"),
                budget_share=form.cleaned_data.get("budget_share"),
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your part in the joint measure has been saved."))
        return redirect(self.share.joint.get_absolute_url())


class LinksView(BodyMixin, PermissionRequiredMixin, TemplateView):
    """``/<town>/verwaltung/region/``: which regional Handlungsfelder the town's own action
    fields contribute to."""

    template_name = "region/links.html"
    permission_required = "region.edit_links"

    def rows(self):
        regional = services.regional_fields(self.body.parent) if self.body.parent_id else []
        fields = list(own_fields(self.body).filter(parent__isnull=True))
        linked = set(
            RegionalLink.objects.for_body(self.body)
            .filter(action_field__in=fields)
            .values_list("action_field_id", "regional_field_id")
        )
        return regional, [
            {
                "field": field,
                "choices": [
                    {"regional": r, "checked": (field.pk, r.pk) in linked} for r in regional
                ],
            }
            for field in fields
        ]

    def get_context_data(self, **kwargs):
        regional, rows = self.rows()
        return super().get_context_data(regional=regional, rows=rows, **kwargs)

    def post(self, request, *args, **kwargs):
        _regional, rows = self.rows()
        links = {}
        for row in rows:
            values = request.POST.getlist(f"feld-{row['field'].pk}")
            links[row["field"].pk] = [int(v) for v in values if v.isdigit()]
        try:
            services.set_field_links(request.user, self.body, links)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The links to the regional action fields are saved."))
        return redirect("region:links", body_slug=self.body.slug)


def regional_report_context(kreis: Body, user, code: str) -> dict:
    """What the regional Sachstandsbericht shows, as a page and as PDF."""
    today = timezone.localdate()
    choices = periods.recent_half_years(today)
    period = periods.parse(code) or choices[0]
    rows = []
    for body in [kreis, *kreis.children.order_by("name")]:
        snapshot = figures.build(body, period.start, period.end, as_of=today)
        rows.append({"body": body, "summary": snapshot["summary"]})
    return {
        "period": period,
        "choices": choices,
        "rows": rows,
        "contributions": selectors.contributions(kreis),
        "region": selectors.region_figures(kreis),
        "joints": [j for j in selectors.joint_list(user, kreis) if j.is_public],
        "today": today,
    }


class RegionalReportView(KreisMixin, TemplateView):
    """``/<kreis>/berichte/region/``: the regional Sachstandsbericht for the district
    committee: the report figures of the Kreis and each town for a half-year side by side,
    the contributions per regional field and the shared work (public data only)."""

    template_name = "region/report.html"

    def get_context_data(self, **kwargs):
        context = regional_report_context(
            self.body, self.request.user, self.request.GET.get("halbjahr", "")
        )
        return super().get_context_data(**context, **kwargs)


class RegionalReportPdfView(KreisMixin, View):
    """``/<kreis>/berichte/region/bericht.pdf``: the same report as tagged PDF (PDF/UA-1),
    rendered outside any transaction, for the district committee's papers."""

    def get(self, request, *args, **kwargs):
        from django.contrib.staticfiles import finders
        from django.template.loader import render_to_string
        from django.utils import translation
        from weasyprint import CSS, HTML

        from lotse.reporting.documents import PRINT_CSS, _fetcher

        context = regional_report_context(self.body, request.user, request.GET.get("halbjahr", ""))
        with translation.override("de"):
            html = render_to_string(
                "region/report_pdf.html", {**context, "body": self.body, "accent": self.body.accent}
            )
        fetcher = _fetcher()
        stylesheet = finders.find(PRINT_CSS)
        pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(
            stylesheets=[CSS(filename=stylesheet, url_fetcher=fetcher)] if stylesheet else [],
            pdf_variant="pdf/ua-1",
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"regionaler-sachstandsbericht-{self.body.slug}-{context['period'].code}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
