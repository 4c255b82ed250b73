"""``/<body>/verwaltung/oparl-import/``: the council office imports a body from another
council information system's OParl endpoint (a background task) and sees past runs."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.core.views import BodyMixin
from lotse.oparl import services
from lotse.oparl.models import ImportRun


class ImportForm(forms.Form):
    url = forms.URLField(
        label=gettext_lazy("OParl URL"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("The address of the System or of one Body, ending in …/system."),
    )
    since = forms.DateTimeField(
        label=gettext_lazy("changes since"),
        required=False,
        help_text=gettext_lazy("Empty: everything. Otherwise only what changed since then."),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("dry run"), required=False)
    with_files = forms.BooleanField(
        label=gettext_lazy("download files"), required=False, initial=True
    )


class ImportView(BodyMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "council.manage_meetings"
    template_name = "oparl/import.html"

    def get_context_data(self, **kwargs):
        runs = list(ImportRun.objects.filter(body=self.body)[:20])
        kwargs.setdefault("form", ImportForm())
        return super().get_context_data(
            runs=runs,
            running=any(r.state in (ImportRun.State.QUEUED, ImportRun.State.RUNNING) for r in runs),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        services.start_import(request.user, self.body, **form.cleaned_data)
        messages.success(request, _("The import has started; this page shows its progress."))
        return redirect("oparl:import", body_slug=self.body.slug)
