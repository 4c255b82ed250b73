"""Forms of the council office's paper workspace: the paper itself with its linked measures
and related papers, co-signing requests and answers, and planned consultations."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import PlainTextMixin
from lotse.council.models import (
    Consultation,
    ConsultationRole,
    Organization,
    Paper,
    PaperState,
    PaperType,
    Person,
    SignoffState,
)
from lotse.strategy.models import Measure, OrgUnit

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OfficePaperFilterForm(forms.Form):
    """The filters of the workspace's paper list (all in the query string)."""

    zustand = forms.ChoiceField(label=_("State"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zustand"].choices = [("", _("all")), *PaperState.choices]
        self.fields["q"].help_text = _("Reference number or subject")


class PaperForm(PlainTextMixin, forms.ModelForm):
    """Create or edit a paper that is not released yet. Related papers are named by their
    reference numbers: a body may hold a hundred thousand papers, too many for a list."""

    measures = forms.ModelMultipleChoiceField(
        label=_("Linked measures"),
        queryset=Measure.objects.none(),
        required=False,
        help_text=_("A final decision on the paper moves these measures."),
    )
    related_references = forms.CharField(
        label=_("Related papers"),
        required=False,
        max_length=500,
        help_text=_("Reference numbers, separated by commas, e.g. 26/0012, 26/0015"),
    )

    class Meta:
        model = Paper
        fields = [
            "paper_type",
            "name",
            "date",
            "is_public",
            "originator_unit",
            "originator_organization",
            "reporter",
            "decision_proposal",
            "reasoning",
            "follow_up_wanted",
            "follow_up_unit",
            "follow_up_due",
        ]
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "date": DATE_INPUT,
            "decision_proposal": forms.Textarea(attrs={"rows": 6}),
            "reasoning": forms.Textarea(attrs={"rows": 10}),
            "follow_up_due": DATE_INPUT,
        }

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        # An Ergänzungsvorlage only comes from "create supplement"; it keeps its type.
        if self.instance.paper_type == PaperType.SUPPLEMENT:
            choices = [(PaperType.SUPPLEMENT.value, PaperType.SUPPLEMENT.label)]
        else:
            choices = [c for c in PaperType.choices if c[0] != PaperType.SUPPLEMENT]
        self.fields["paper_type"].choices = choices
        units = OrgUnit.objects.for_body(body).order_by("code")
        self.fields["originator_unit"].queryset = units
        self.fields["follow_up_unit"].queryset = units
        self.fields["originator_organization"].queryset = Organization.objects.for_body(
            body
        ).order_by("name")
        self.fields["reporter"].queryset = Person.objects.for_body(body).order_by(
            "family_name", "given_name"
        )
        self.fields["measures"].queryset = Measure.objects.for_body(body).order_by("title")
        if self.instance.pk:
            self.initial.setdefault("measures", [m.pk for m in self.instance.measures.all()])
            self.initial.setdefault(
                "related_references",
                ", ".join(
                    p.reference or f"#{p.pk}"
                    for p in self.instance.related_papers.order_by("reference", "pk")
                ),
            )

    def clean_related_references(self) -> list[Paper]:
        wanted = [part for part in re.split(r"[,;\s]+", self.cleaned_data["related_references"])]
        wanted = [part for part in wanted if part]
        by_pk = [int(part[1:]) for part in wanted if re.fullmatch(r"#\d+", part)]
        references = [part for part in wanted if not part.startswith("#")]
        papers = Paper.objects.for_body(self.body).exclude(pk=self.instance.pk)
        found = list(papers.filter(reference__in=references)) if references else []
        found += list(papers.filter(pk__in=by_pk)) if by_pk else []
        known = {p.reference for p in found} | {f"#{p.pk}" for p in found}
        unknown = [part for part in wanted if part not in known]
        if unknown:
            raise forms.ValidationError(
                _("No other paper of this body has the number %(numbers)s."),
                params={"numbers": ", ".join(unknown)},
                code="unknown",
            )
        return found


class SignoffRequestForm(forms.Form):
    """Route a paper to units for co-signing."""

    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose one or more units of this body.")},
    )
    required = forms.BooleanField(
        label=_("Required for the release"),
        required=False,
        initial=True,
        help_text=_("The paper can only be released once every required unit has signed."),
    )

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = OrgUnit.objects.for_body(body).order_by("code")


class SignoffAnswerForm(forms.Form):
    """A unit's answer to a co-signing request."""

    state = forms.ChoiceField(
        label=_("Answer"),
        widget=forms.RadioSelect,
        choices=[c for c in SignoffState.choices if c[0] != SignoffState.OPEN],
    )
    comment = forms.CharField(
        label=_("Comment or reason"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for an answer with a comment and for a refusal."),
    )


class ConsultationForm(forms.ModelForm):
    """A planned step of the Beratungsfolge; the meeting is set when the paper is put on an
    agenda."""

    class Meta:
        model = Consultation
        fields = ["organization", "role", "planned_date", "authoritative", "is_public"]
        widgets = {"planned_date": DATE_INPUT}

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.for_body(body).order_by("name")
        self.fields["role"].choices = ConsultationRole.choices
