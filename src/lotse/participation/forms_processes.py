"""Forms of the process administration: the process, its phases and the body's settings."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import PlainTextMixin
from lotse.participation.models import ParticipationSettings, Phase, PhaseKind, Process
from lotse.strategy.models import ActionField
from lotse.strategy.selectors import current_strategy


class ProcessForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = Process
        fields = [
            "title",
            "slug",
            "description",
            "action_fields",
            "rating_question",
            "is_published",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "action_fields": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "slug": _(
                "Part of the address, e.g. digitaler-aufbruch: lower-case letters, digits "
                "and hyphens."
            ),
            "action_fields": _("Ideas of this process name one of these fields or their topics."),
        }

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        strategy = current_strategy(body)
        chosen = (
            list(self.instance.action_fields.values_list("pk", flat=True))
            if self.instance.pk
            else []
        )
        fields = ActionField.objects.filter(strategy__body=body).filter(
            pk__in=chosen
        ) | ActionField.objects.filter(strategy=strategy)
        self.fields["action_fields"].queryset = fields.select_related("parent").order_by(
            "strategy__version", "parent__order", "order", "pk"
        )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        taken = Process.objects.for_body(self.body).filter(slug=slug)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("Another process of this body already uses this address.")
            )
        return slug


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def last_day(end: datetime.datetime) -> datetime.date:
    """A phase's end is exclusive (the first moment it is over); people think in last days."""
    return (timezone.localtime(end) - datetime.timedelta(microseconds=1)).date()


class PhaseForm(forms.Form):
    """One phase by whole days: it starts at the beginning of its first day and ends at the end
    of its last day."""

    kind = forms.ChoiceField(label=_("Phase"), choices=[("", "–"), *PhaseKind.choices])
    start = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("Last day"),
        required=False,
        help_text=_("Empty: the phase does not end (a permanent idea platform)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The last day cannot be before the first day."))
        return data

    def phase(self) -> Phase:
        data = self.cleaned_data
        end = data.get("end")
        return Phase(
            kind=data["kind"],
            start=_day_start(data["start"]),
            end=_day_start(end + datetime.timedelta(days=1)) if end else None,
        )

    @staticmethod
    def initial_for(phase: Phase) -> dict:
        return {
            "kind": phase.kind,
            "start": timezone.localtime(phase.start).date(),
            "end": last_day(phase.end) if phase.end else None,
        }


PhaseFormSet = forms.formset_factory(PhaseForm, extra=2, can_delete=True)


def phases_from(formset) -> list[Phase]:
    """The phases of a valid formset, without deleted and empty rows."""
    return [
        form.phase()
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class ParticipationSettingsForm(forms.ModelForm):
    class Meta:
        model = ParticipationSettings
        fields = ["reports_to_hide", "ideas_per_hour", "comments_per_hour", "reports_per_hour"]
        widgets = {
            name: forms.NumberInput(attrs={"min": 1})
            for name in [
                "reports_to_hide",
                "ideas_per_hour",
                "comments_per_hour",
                "reports_per_hour",
            ]
        }
