"""Forms of the OZG pages: the public search, the staff filter, one service, many at once."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.ozg.maturity import current_model
from lotse.ozg.models import Assessment, Relevance, Solution
from lotse.strategy.models import Measure, OrgUnit


def maturity_choices(blank_label):
    return [("", blank_label), *[(str(level), label) for level, label in current_model().levels]]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Which service are you looking for?"),
        required=False,
        max_length=100,
        help_text=_("For example “Wohngeld”, “Anwohnerparkausweis” or “Hund”."),
    )
    themenfeld = forms.ChoiceField(label=_("Themenfeld"), required=False)

    def __init__(self, *args, themenfelder=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themenfeld"].choices = [("", _("All")), *[(t, t) for t in themenfelder]]


class WorkspaceFilterForm(SearchForm):
    reifegrad = forms.ChoiceField(label=_("Maturity"), required=False)
    alle = forms.BooleanField(
        label=_("Also show services the body does not carry out"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reifegrad"].choices = [
            *maturity_choices(_("All")),
            ("offen", _("not assessed")),
        ]


class AssessmentForm(forms.ModelForm):
    maturity = forms.TypedChoiceField(
        label=_("Maturity"), required=False, coerce=int, empty_value=None
    )
    online_url = forms.URLField(
        label=_("online link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Where citizens apply for the service online."),
    )

    class Meta:
        model = Assessment
        fields = [
            "relevance",
            "maturity",
            "solution",
            "digital_end_to_end",
            "unit",
            "planned_on",
            "measures",
        ]
        widgets = {
            "planned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "measures": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["maturity"].choices = maturity_choices(_("not assessed"))
        # Declared above (https by default), so the model's own form field is not built.
        self.initial.setdefault("online_url", self.instance.online_url)
        self.order_fields(["relevance", "maturity", "online_url"])
        self.fields["unit"].queryset = OrgUnit.objects.for_body(body)
        self.fields["measures"].queryset = Measure.objects.for_body(body).order_by("title")
        self.fields["measures"].required = False


class BulkForm(forms.Form):
    """One change for many services at once; an empty choice leaves that value alone."""

    dienste = forms.TypedMultipleChoiceField(
        label=_("Services"), coerce=int, widget=forms.MultipleHiddenInput
    )
    maturity = forms.ChoiceField(label=_("Set maturity to"), required=False)
    solution = forms.ChoiceField(label=_("Set solution to"), required=False)
    relevance = forms.ChoiceField(label=_("Set relevance to"), required=False)
    digital_end_to_end = forms.ChoiceField(
        label=_("Processed digitally end to end"),
        required=False,
        choices=[("", _("leave as is")), ("ja", _("yes")), ("nein", _("no"))],
    )

    def __init__(self, *args, service_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dienste"].choices = [(str(pk), str(pk)) for pk in service_ids]
        self.fields["maturity"].choices = [
            *maturity_choices(_("leave as is")),
            ("offen", _("not assessed")),
        ]
        self.fields["solution"].choices = [
            ("", _("leave as is")),
            *[(value, label) for value, label in Solution.choices if value],
        ]
        self.fields["relevance"].choices = [
            ("", _("leave as is")),
            ("katalog", Relevance.CATALOGUE.label),
            (Relevance.ADDED, Relevance.ADDED.label),
            (Relevance.EXCLUDED, Relevance.EXCLUDED.label),
        ]

    def values(self) -> dict:
        data, values = self.cleaned_data, {}
        if data["maturity"] == "offen":
            values["maturity"] = None
        elif data["maturity"]:
            values["maturity"] = int(data["maturity"])
        if data["solution"]:
            values["solution"] = data["solution"]
        if data["relevance"]:
            values["relevance"] = "" if data["relevance"] == "katalog" else data["relevance"]
        if data["digital_end_to_end"]:
            values["digital_end_to_end"] = data["digital_end_to_end"] == "ja"
        return values

    def clean(self):
        data = super().clean()
        if not self.errors and not self.values():
            raise forms.ValidationError(_("Choose at least one value to set."))
        return data


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("At most 5 MB and 2,000 services, in the column layout of the export."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        from lotse.ozg import exchange

        upload = self.cleaned_data["file"]
        try:
            self.table = exchange.read_upload(upload)
        except exchange.FileRejected as error:
            raise forms.ValidationError(str(error), code="file") from error
        return upload


class ImportConfirmForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=64)
