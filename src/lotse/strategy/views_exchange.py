"""Download measures as CSV or Excel, and the staff import: upload, dry-run preview, confirm.

Between preview and confirm the parsed file stays on the server, in the session (database
backed), together with a SHA-256 digest of its content. The confirm form only carries that
digest: the browser never sends the rows back, so it cannot change what gets imported, and a
confirm from an older preview tab (whose digest no longer matches) is refused. On confirm
every row is checked again against the current data before anything is written.
"""

import hashlib
import io
import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.core.views import BodyMixin
from lotse.strategy import exchange, tasks
from lotse.strategy.models import MeasureImport
from lotse.strategy.selectors import visible_measures

SESSION_KEY = "lotse_measure_import"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MeasureExportView(BodyMixin, View):
    """``/<body>/massnahmen/export.csv|.xlsx``: the measures this user may see, every field,
    filtered like the measure list (``status``, ``feld``)."""

    file_format = "csv"

    def get(self, request, *args, **kwargs):
        measures = exchange.filter_like_list(visible_measures(request.user, self.body), request.GET)
        measures = exchange.exchange_queryset(measures)
        # The lead's e-mail address is personal data: only the body's own people see it.
        include_lead = request.user.has_perm("strategy.view_internal", self.body)
        filename = f"massnahmen-{self.body.slug}-{timezone.localdate():%Y-%m-%d}"
        if self.file_format == "xlsx":
            buffer = io.BytesIO()
            exchange.write_xlsx(measures, buffer, include_lead)
            response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        else:
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            exchange.write_csv(measures, response, include_lead)
        response["Content-Disposition"] = f'attachment; filename="{filename}.{self.file_format}"'
        # Staff get internal measures in the same URL: no shared cache may keep a copy.
        patch_cache_control(response, private=True, no_store=True)
        return response


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or Excel file"),
        help_text=gettext_lazy(
            "At most 5 MB and 5,000 measures, in the column layout of the export."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": f".csv,.xlsx,text/csv,{XLSX_TYPE}"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.table = exchange.read_upload(upload)
        except exchange.FileRejected as error:
            raise ValidationError(str(error), code="file") from error
        return upload


class ImportConfirmForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=64)


class ImportMixin(BodyMixin, PermissionRequiredMixin):
    permission_required = "strategy.manage_measures"

    def show_errors(self, errors, form=None):
        """The upload page again with every problem listed by row; nothing was written."""
        context = self.get_context_data(form=form or ImportUploadForm(), errors=errors)
        return render(self.request, "strategy/exchange/import.html", context)


class MeasureImportView(ImportMixin, FormView):
    """``/<body>/verwaltung/massnahmen/import/``: upload a file and see what it would do."""

    template_name = "strategy/exchange/import.html"
    form_class = ImportUploadForm

    def get_context_data(self, **kwargs):
        kwargs.setdefault("headers", exchange.HEADERS)
        # The latest imports, so one that runs on after the page was left is found again.
        kwargs.setdefault(
            "recent_imports",
            MeasureImport.objects.for_body(self.body)
            .only("pk", "filename", "state", "created_at")
            .order_by("-created_at", "-pk")[:5],
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            plan = exchange.plan_import(self.request.user, self.body, form.table)
        except exchange.FileRejected as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        if plan.errors:
            self.request.session.pop(SESSION_KEY, None)
            return self.show_errors(plan.errors)
        digest = table_digest(self.body.pk, form.table)
        self.request.session[SESSION_KEY] = {
            "body": self.body.pk,
            "digest": digest,
            "filename": form.cleaned_data["file"].name[:200],
            "table": form.table.as_json(),
        }
        context = self.get_context_data(
            plan=plan,
            filename=form.cleaned_data["file"].name,
            confirm_form=ImportConfirmForm(initial={"digest": digest}),
        )
        return render(self.request, "strategy/exchange/preview.html", context)


class MeasureImportConfirmView(ImportMixin, FormView):
    """Apply the previewed file, checked once more, in one transaction."""

    form_class = ImportConfirmForm
    http_method_names = ["post"]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("headers", exchange.HEADERS)
        return super().get_context_data(**kwargs)

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
        job = MeasureImport.objects.create(
            body=self.body,
            created_by=self.request.user,
            filename=stored.get("filename", "")[:200],
            table=stored["table"],
            step=_("Waiting for the background service"),
        )
        self.request.session.pop(SESSION_KEY, None)
        tasks.apply_measure_import.enqueue(job.pk)
        return redirect("exchange:import_job", body_slug=self.body.slug, pk=job.pk)

    def expired(self):
        messages.error(
            self.request,
            _("This preview is no longer valid. Please upload the file again."),
        )
        return redirect("exchange:import", body_slug=self.body.slug)


class MeasureImportJobView(ImportMixin, TemplateView):
    """``/<body>/verwaltung/massnahmen/import/<id>/``: how far a confirmed import got; the
    status part polls itself (htmx) until the import is done or failed."""

    template_name = "strategy/exchange/job.html"

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["strategy/exchange/_job_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        job = get_object_or_404(MeasureImport.objects.for_body(self.body), pk=self.kwargs["pk"])
        errors = [exchange.RowError(e["row"], e["column"], e["message"]) for e in job.row_errors]
        return super().get_context_data(job=job, errors=errors, **kwargs)


def table_digest(body_id: int, table: exchange.Table) -> str:
    payload = json.dumps([body_id, table.as_json()], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()
