"""The City Cockpit: ``/<body>/cockpit/``, the state of the Digitale Agenda today for everyone;
for a Kreis with the towns of the district side by side."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from lotse.core.models import Body
from lotse.core.views import BodyMixin
from lotse.reporting import cockpit
from lotse.reporting.extensions import cockpit_sections
from lotse.reporting.models import ReportStatus, StatusReport
from lotse.strategy.views import optional_template

RECENT_REPORTS = 3


class CockpitFilterForm(forms.Form):
    handlungsfeld = forms.TypedChoiceField(
        label=_("Action field"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Please choose one of the listed action fields.")},
    )

    def __init__(self, *args, field_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handlungsfeld"].choices = [
            ("", _("All action fields")),
            *[(str(pk), title) for pk, title in field_choices],
        ]


class CockpitView(BodyMixin, TemplateView):
    """``/<body>/cockpit/`` for everyone, the same public figures whoever looks; filtered by
    ``?handlungsfeld=<id>``. For a Kreis, the towns of the district side by side."""

    template_name = "reporting/cockpit.html"

    def get_today(self) -> datetime.date:
        # A seam for tests: the figures of a fixed day.
        return timezone.localdate()

    def get_context_data(self, **kwargs):
        today = self.get_today()
        raw = self.request.GET.get("handlungsfeld", "")
        field_id = int(raw) if raw.isdigit() else None
        regional = regional_charts = None
        data = None
        if self.body.kind == Body.Kind.KREIS:
            regional, by_body = cockpit.regional_view(self.body, today=today)
            regional_charts = cockpit.regional_charts(regional)
            # The district's shared work, where the app for it is installed.
            kwargs["region_template"] = optional_template("region/includes/cockpit.html")
            if field_id is None:
                data = by_body[self.body.pk]
        if data is None:
            data = cockpit.cached_figures(self.body, today=today, action_field_id=field_id)
        form = CockpitFilterForm(
            self.request.GET if "handlungsfeld" in self.request.GET else None,
            field_choices=data["field_choices"],
        )
        if form.is_bound:
            form.is_valid()
        titles = dict(data["field_choices"])
        reports = list(
            StatusReport.objects.for_body(self.body)
            .filter(status=ReportStatus.PUBLISHED)
            .exclude(corrections__status=ReportStatus.PUBLISHED)
            .order_by("-published_at", "-pk")[:RECENT_REPORTS]
        )
        summary = data["snapshot"]["summary"]
        # A Kreis without data of its own opens with its towns, not with charts of zeros.
        has_own_figures = (
            self.body.kind != Body.Kind.KREIS
            or field_id is not None
            or bool(summary["measures"] or data["ideas"]["received"] or data["follow_ups"]["total"])
        )
        return super().get_context_data(
            today=today,
            data=data,
            has_own_figures=has_own_figures,
            summary=summary,
            charts=cockpit.cockpit_charts(data),
            form=form,
            field_title=titles.get(data["action_field_id"]),
            regional=regional,
            regional_charts=regional_charts,
            reports=reports,
            sections=cockpit_sections(self.body, today=today),
            **kwargs,
        )
