"""Forms of the staff page of an idea: answer, state, merge, measure."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.participation.models import IDEA_TITLE_MAX, Idea, IdeaState
from lotse.participation.services.staff import MANUAL_STATES
from lotse.strategy.models import Measure


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Official answer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown. Published on the idea's page with today's date."),
    )


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("New state"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a rejection; shown on the idea's page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [(s, IdeaState(s).label) for s in MANUAL_STATES]

    def clean(self):
        data = super().clean()
        if data.get("state") == IdeaState.REJECTED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("A rejection needs a reason."))
        return data


class MergeForm(forms.Form):
    """The other idea by its number ("123" or "#123") or its exact title."""

    into = forms.CharField(
        label=_("Merge into the idea (number or exact title)"),
        max_length=IDEA_TITLE_MAX,
        help_text=_("Supports move over and count once per person; followers carry over."),
    )

    def __init__(self, *args, ideas, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.ideas = ideas
        self.idea = idea

    def clean_into(self):
        value = self.cleaned_data["into"].strip()
        number = value.lstrip("#").strip()
        candidates = self.ideas.exclude(pk=self.idea.pk)
        if number.isdigit():
            found = list(candidates.filter(pk=int(number))[:1])
        else:
            found = list(candidates.filter(title__iexact=value)[:2])
        if not found:
            raise forms.ValidationError(_("No other idea of this body has that number or title."))
        if len(found) > 1:
            raise forms.ValidationError(_("Several ideas have this title; please give the number."))
        return found[0]


class LinkMeasureForm(forms.Form):
    measure = forms.ModelChoiceField(label=_("Existing measure"), queryset=Measure.objects.none())

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.for_body(body).order_by("title")
