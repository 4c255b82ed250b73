"""Forms of reporting and moderation."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.participation.forms import HoneypotMixin
from lotse.participation.models import ReportReason


class ReportForm(HoneypotMixin, forms.Form):
    """Anyone signed in can report; the honeypot catches bots that fill every field."""

    reason = forms.ChoiceField(
        label=_("Why are you reporting this?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a reason.")},
    )
    text = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is wrong? The moderators read this; the author does not."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_honeypot()


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the person is told)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    until = forms.DateField(
        label=_("Blocked until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: until a moderator lifts the block."),
    )

    def clean_until(self):
        day = self.cleaned_data.get("until")
        if day is None:
            return None
        if day <= timezone.localdate():
            raise forms.ValidationError(_("The end of a block must be in the future."))
        # The block ends at the start of that day.
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
