"""Forms of the report workshop: a new draft's period, its texts, a correction's note and the
meeting a report goes before."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import PlainTextMixin
from lotse.council.models import Meeting
from lotse.reporting import periods

FREE = "frei"


class DraftForm(PlainTextMixin, forms.Form):
    """A half-year from the select, or free dates."""

    period = forms.ChoiceField(label=_("Reporting period"))
    start = forms.DateField(
        label=_("From (free period)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("Until (free period)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for “Status report on the Digitale Agenda – (period)”."),
    )

    def __init__(
        self, *args, today: datetime.date | None = None, published: dict | None = None, **kwargs
    ):
        """``published`` maps (start, end) of periods with a published report to its label:
        those half-years say so, and the newest one without a report is preselected."""
        super().__init__(*args, **kwargs)
        half_years = periods.recent_half_years(today or timezone.localdate())
        published = published or {}

        def label(period) -> str:
            report = published.get((period.start, period.end))
            if report is None:
                return period.label
            return gettext("%(period)s – published (%(report)s)") % {
                "period": period.label,
                "report": report,
            }

        self.fields["period"].choices = [
            *((p.code, label(p)) for p in half_years),
            (FREE, gettext("Free period (dates below)")),
        ]
        open_ones = [p for p in half_years if (p.start, p.end) not in published]
        self.fields["period"].initial = (open_ones or half_years)[0].code

    def clean(self):
        data = super().clean()
        code = data.get("period")
        if code == FREE:
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", gettext("Give the first day of the period."))
            if not end:
                self.add_error("end", gettext("Give the last day of the period."))
            if start and end and end < start:
                self.add_error("end", gettext("The period cannot end before it starts."))
            if start and end and end >= start:
                data["chosen"] = periods.Period(start, end)
        elif code:
            data["chosen"] = periods.parse(code)
        return data


class TextsForm(PlainTextMixin, forms.Form):
    """The introduction and one comment per top-level action field, in Markdown."""

    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italic*, lists with “- ”, links as [text](address)."),
    )

    def __init__(self, *args, action_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.action_fields = list(action_fields)
        for field in self.action_fields:
            self.fields[self.field_name(field)] = forms.CharField(
                label=gettext("Comment on the action field “%(title)s”") % {"title": field.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=gettext("Markdown; leave empty if there is nothing to add."),
            )

    @staticmethod
    def field_name(field) -> str:
        return f"comment_{field.pk}"

    def comments(self) -> dict[str, str]:
        return {
            str(field.pk): self.cleaned_data.get(self.field_name(field), "")
            for field in self.action_fields
        }


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label=_("What does the new version correct?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown in the corrected version, e.g. “Figures of the E-Akte corrected.”"),
        error_messages={"required": _("Say what this version corrects.")},
    )


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting) -> str:
        start = timezone.localtime(meeting.start)
        return f"{meeting.name} ({start:%d.%m.%Y, %H:%M})"


class SubmitForm(forms.Form):
    meeting = MeetingChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        empty_label=None,
        help_text=_("Meetings ahead that are not cancelled."),
        error_messages={
            "required": _("Choose a meeting."),
            "invalid_choice": _("Choose a meeting that lies ahead and is not cancelled."),
        },
    )

    def __init__(self, *args, meetings=None, initial_meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meetings is not None:
            self.fields["meeting"].queryset = meetings
        if initial_meeting is not None:
            self.fields["meeting"].initial = initial_meeting.pk
