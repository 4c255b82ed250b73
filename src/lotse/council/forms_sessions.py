"""Forms of the council office's meeting work: meetings, agenda items, decisions and the
Beschlusskontrolle."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.core.forms import PlainTextMixin
from lotse.council.models import (
    AgendaItem,
    DecisionOutcome,
    FollowUpState,
    LegislativeTerm,
    Meeting,
    Organization,
    Paper,
    PaperState,
)
from lotse.strategy.models import OrgUnit

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(PlainTextMixin, forms.ModelForm):
    video_url = forms.URLField(
        label=Meeting._meta.get_field("video_url").verbose_name,
        help_text=Meeting._meta.get_field("video_url").help_text,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Meeting
        fields = [
            "name",
            "organizations",
            "start",
            "end",
            "location",
            "is_hybrid",
            "video_url",
            "legislative_term",
        ]
        widgets = {
            "start": DATETIME,
            "end": DATETIME,
            "organizations": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = Organization.objects.for_body(body).order_by("name")
        self.fields["legislative_term"].queryset = LegislativeTerm.objects.for_body(body)
        for name in ("start", "end"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class PaperItemForm(forms.Form):
    """Put a released paper on the agenda."""

    PART_CHOICES = [
        ("", gettext_lazy("as the paper and its consultation say")),
        ("public", gettext_lazy("public part")),
        ("non_public", gettext_lazy("non-public part")),
    ]

    paper = forms.ModelChoiceField(
        label=gettext_lazy("Released paper"), queryset=Paper.objects.none()
    )
    part = forms.ChoiceField(
        label=gettext_lazy("Part of the agenda"), choices=PART_CHOICES, required=False
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, prefix="paper", **kwargs)
        on_agenda = AgendaItem.objects.filter(meeting=meeting, consultation__isnull=False)
        self.fields["paper"].queryset = (
            Paper.objects.filter(body_id=meeting.body_id)
            .filter(state=PaperState.RELEASED)
            .exclude(pk__in=on_agenda.values("consultation__paper_id"))
            .order_by("-date", "-pk")
        )

    def is_public(self) -> bool | None:
        part = self.cleaned_data.get("part")
        return None if not part else part == "public"


class PlainItemForm(PlainTextMixin, forms.Form):
    """An item without a paper."""

    name = forms.CharField(label=gettext_lazy("Title"), max_length=500)
    is_public = forms.BooleanField(label=gettext_lazy("Public"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="item", **kwargs)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=DecisionOutcome.choices)
    referred_to = forms.ModelChoiceField(
        label=gettext_lazy("Referred to"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=gettext_lazy("Only for “verwiesen an”."),
    )
    resolution_text = forms.CharField(
        label=gettext_lazy("Resolution text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=gettext_lazy("Markdown"),
    )
    unanimous = forms.BooleanField(label=gettext_lazy("Unanimous"), required=False)
    votes_for = forms.IntegerField(label=gettext_lazy("Votes for"), min_value=0, required=False)
    votes_against = forms.IntegerField(
        label=gettext_lazy("Votes against"), min_value=0, required=False
    )
    abstentions = forms.IntegerField(label=gettext_lazy("Abstentions"), min_value=0, required=False)
    date = forms.DateField(label=gettext_lazy("Date of the decision"), widget=DATE)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_to"].queryset = Organization.objects.for_body(body).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("outcome") == DecisionOutcome.REFERRED and not data.get("referred_to"):
            self.add_error("referred_to", _("Say where the item was referred to."))
        return data


class FollowUpFilterForm(forms.Form):
    SHOW_CHOICES = [
        ("open", gettext_lazy("open")),
        ("overdue", gettext_lazy("overdue")),
        ("all", gettext_lazy("all")),
    ]

    anzeigen = forms.ChoiceField(label=gettext_lazy("Show"), choices=SHOW_CHOICES, required=False)
    einheit = forms.ModelChoiceField(
        label=gettext_lazy("Responsible unit"), queryset=OrgUnit.objects.none(), required=False
    )
    gremium = forms.ModelChoiceField(
        label=gettext_lazy("Organization"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["einheit"].queryset = OrgUnit.objects.for_body(body)
        self.fields["einheit"].empty_label = _("all")
        self.fields["gremium"].queryset = Organization.objects.for_body(body).order_by("name")
        self.fields["gremium"].empty_label = _("all")


class ReportFilterForm(forms.Form):
    gremium = forms.ModelChoiceField(
        label=gettext_lazy("Organization"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gremium"].queryset = Organization.objects.for_body(body).order_by("name")
        self.fields["gremium"].empty_label = _("all")


class FollowUpNoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Progress"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="note", **kwargs)


class FollowUpStateForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), choices=FollowUpState.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="state", **kwargs)
