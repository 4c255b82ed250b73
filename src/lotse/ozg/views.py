"""OZG pages: ``/<body>/ozg/`` for everyone (maturity charts, progress, the searchable list
with online links; a Kreis compares its towns), the staff workspace to assess services one by
one or many at once, and CSV/XLSX export and import with a dry run."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.core.models import Body
from lotse.core.views import BodyMixin
from lotse.ozg import charts, exchange, selectors, services
from lotse.ozg.forms import (
    AssessmentForm,
    BulkForm,
    ImportConfirmForm,
    ImportUploadForm,
    SearchForm,
    WorkspaceFilterForm,
)
from lotse.ozg.maturity import current_model
from lotse.ozg.models import Service
from lotse.strategy.views_exchange import XLSX_TYPE, table_digest

SESSION_KEY = "lotse_ozg_import"
SHOWN = 100


def themenfelder() -> list[str]:
    return list(
        Service.objects.filter(is_retired=False)
        .order_by("themenfeld")
        .values_list("themenfeld", flat=True)
        .distinct()
    )


def _filter(rows, form) -> list:
    if not form.is_valid():
        return rows
    themenfeld = form.cleaned_data.get("themenfeld")
    if themenfeld:
        rows = [row for row in rows if row.service.themenfeld == themenfeld]
    level = form.cleaned_data.get("reifegrad")
    if level == "offen":
        rows = [row for row in rows if row.maturity is None]
    elif level:
        rows = [row for row in rows if row.maturity == int(level)]
    return rows


class OverviewView(BodyMixin, TemplateView):
    """``/<body>/ozg/``: the same public figures for everyone, ``?q=`` searches services."""

    template_name = "ozg/overview.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None, themenfelder=themenfelder())
        q = form.cleaned_data["q"].strip() if form.is_valid() else ""
        rows = selectors.service_rows(self.body)
        context = {
            "form": form,
            "q": q,
            "model": current_model(),
            "summary": selectors.summary(rows),
        }
        if q or (form.is_valid() and form.cleaned_data["themenfeld"]):
            if q:
                ids = set(selectors.matching_services(q).values_list("pk", flat=True))
                found = [row for row in rows if row.service.pk in ids]
            else:
                found = rows
            found = _filter(found, form)
            context["found"] = found
            context["shown"] = found[:SHOWN]
        else:
            context["online"] = [row for row in rows if row.online_url][:SHOWN]
        themen = selectors.by_group(rows, "themenfeld")
        lagen = selectors.by_group(rows, "lebenslage")
        context["charts"] = {
            "themenfeld": charts.group_chart(
                "ozg-themenfeld", _("OZG-compliant services by Themenfeld"), themen
            ),
            "lebenslage": charts.group_chart(
                "ozg-lebenslage", _("OZG-compliant services by Lebenslage"), lagen
            ),
            "levels": charts.levels_chart(selectors.level_counts(rows)),
            "progress": charts.progress_chart(selectors.progress_over_time(self.body, rows)),
        }
        if self.body.kind == Body.Kind.KREIS:
            comparison = selectors.compare_bodies(selectors.district_bodies(self.body))
            context["comparison"] = comparison
            context["comparison_chart"] = charts.comparison_chart(comparison)
        context["may_assess"] = self.request.user.has_perm("ozg.assess_services", self.body)
        return super().get_context_data(**context, **kwargs)


class ExportView(BodyMixin, View):
    """``/<body>/ozg/export.csv|.xlsx``: the body's services and their state; measures only
    where the reader may see them."""

    file_format = "csv"

    def get(self, request, *args, **kwargs):
        rows = selectors.service_rows(self.body, request.user, with_irrelevant=True)
        name = exchange.filename(self.body)
        if self.file_format == "xlsx":
            buffer = io.BytesIO()
            exchange.write_xlsx(rows, buffer)
            response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        else:
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            exchange.write_csv(rows, response)
        response["Content-Disposition"] = f'attachment; filename="{name}.{self.file_format}"'
        patch_cache_control(response, private=True, no_store=True)
        return response


class StaffMixin(BodyMixin, PermissionRequiredMixin):
    permission_required = "ozg.assess_services"


class WorkspaceView(StaffMixin, TemplateView):
    """``/<body>/verwaltung/ozg/``: a filterable table of the services; tick several and set
    their maturity, solution or relevance at once, or edit one in its row (htmx)."""

    template_name = "ozg/workspace.html"

    def get_context_data(self, **kwargs):
        form = WorkspaceFilterForm(self.request.GET or None, themenfelder=themenfelder())
        valid = form.is_valid()
        q = form.cleaned_data["q"].strip() if valid else ""
        rows = selectors.service_rows(
            self.body,
            self.request.user,
            q=q,
            with_irrelevant=valid and form.cleaned_data["alle"],
            with_retired=True,
        )
        rows = _filter(rows, form)
        kwargs.setdefault("bulk_form", BulkForm())
        return super().get_context_data(
            form=form, rows=rows, summary=selectors.summary(rows), **kwargs
        )

    def post(self, request, *args, **kwargs):
        ids = list(Service.objects.values_list("pk", flat=True))
        form = BulkForm(request.POST, service_ids=ids)
        if form.is_valid():
            chosen = list(Service.objects.filter(pk__in=form.cleaned_data["dienste"]))
            try:
                count = services.bulk_assess(request.user, self.body, chosen, form.values())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("%(count)s services have been updated.") % {"count": count}
                )
                return redirect(request.get_full_path())
        return self.render_to_response(self.get_context_data(bulk_form=form))


class AssessView(StaffMixin, FormView):
    """``/<body>/verwaltung/ozg/<ozg_id>/``: one service; with htmx the form replaces its
    table row and saving puts the row back."""

    form_class = AssessmentForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.service = get_object_or_404(Service, ozg_id=kwargs["ozg_id"])
        self.assessment = services.assessment_for(self.body, self.service)

    def get_template_names(self):
        if self.request.htmx:
            return ["ozg/_row_form.html"]
        return ["ozg/assess.html"]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["body"] = self.body
        kwargs["instance"] = self.assessment
        if not self.assessment.pk:
            kwargs["initial"] = {"maturity": None}
        return kwargs

    def form_valid(self, form):
        values = {key: form.cleaned_data[key] for key in services.FIELDS if key in form.fields}
        try:
            services.save_assessment(
                self.request.user,
                self.body,
                self.service,
                values,
                form.cleaned_data["measures"],
            )
        except ValidationError as error:
            for key, messages_ in error.message_dict.items():
                form.add_error(key if key in form.fields else None, messages_)
            return self.form_invalid(form)
        if self.request.htmx:
            row = next(
                r
                for r in selectors.service_rows(
                    self.body, self.request.user, with_irrelevant=True, with_retired=True
                )
                if r.service.pk == self.service.pk
            )
            return render(
                self.request, "ozg/_row.html", {"row": row, "body": self.body, "saved": True}
            )
        messages.success(self.request, _("The assessment has been saved."))
        return redirect(reverse("ozg:workspace", kwargs={"body_slug": self.body.slug}))

    def get_context_data(self, **kwargs):
        return super().get_context_data(service=self.service, **kwargs)


class RowView(StaffMixin, View):
    """The display row of one service again (htmx "cancel")."""

    def get(self, request, *args, **kwargs):
        rows = selectors.service_rows(
            self.body, request.user, with_irrelevant=True, with_retired=True
        )
        row = next((r for r in rows if r.service.ozg_id == kwargs["ozg_id"]), None)
        if row is None:
            raise Http404
        return render(request, "ozg/_row.html", {"row": row, "body": self.body})


class ImportView(StaffMixin, FormView):
    """``/<body>/verwaltung/ozg/import/``: upload, and see what it would change (dry run)."""

    template_name = "ozg/import.html"
    form_class = ImportUploadForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(headers=exchange.HEADERS, **kwargs)

    def form_valid(self, form):
        plan = exchange.plan_import(self.body, form.table)
        if plan.errors:
            self.request.session.pop(SESSION_KEY, None)
            return self.render_to_response(self.get_context_data(errors=plan.errors))
        digest = table_digest(self.body.pk, form.table)
        self.request.session[SESSION_KEY] = {
            "body": self.body.pk,
            "digest": digest,
            "table": form.table.as_json(),
        }
        return render(
            self.request,
            "ozg/import_preview.html",
            self.get_context_data(
                plan=plan,
                filename=form.cleaned_data["file"].name,
                confirm_form=ImportConfirmForm(initial={"digest": digest}),
            ),
        )


class ImportConfirmView(StaffMixin, FormView):
    """Apply the previewed file, checked once more, in one transaction."""

    form_class = ImportConfirmForm
    template_name = "ozg/import.html"
    http_method_names = ["post"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(headers=exchange.HEADERS, **kwargs)

    def form_invalid(self, form):
        return self.expired()

    def form_valid(self, form):
        stored = self.request.session.get(SESSION_KEY)
        if (
            not stored
            or stored.get("body") != self.body.pk
            or not constant_time_compare(stored.get("digest", ""), form.cleaned_data["digest"])
        ):
            return self.expired()
        table = exchange.Table.from_json(stored["table"])
        try:
            plan = exchange.plan_import(self.body, table)
            counts = exchange.apply_import(self.request.user, self.body, plan)
        except exchange.ImportRejected as error:
            return self.render_to_response(
                self.get_context_data(form=ImportUploadForm(), errors=error.errors)
            )
        self.request.session.pop(SESSION_KEY, None)
        messages.success(
            self.request,
            _(
                "The import is done: %(create)s services assessed for the first time, "
                "%(update)s changed, %(unchanged)s unchanged."
            )
            % counts,
        )
        return redirect("ozg:import", body_slug=self.body.slug)

    def expired(self):
        messages.error(
            self.request, _("This preview is no longer valid. Please upload the file again.")
        )
        return redirect("ozg:import", body_slug=self.body.slug)
