"""Forms of the library, adoption, joint shares and regional links."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import PlainTextMixin
from lotse.core.models import Body
from lotse.council.models import Paper
from lotse.region.models import Effort, LibraryEntry
from lotse.strategy.models import ActionField, MeasureAttachment, MeasureStatus

PROGRESS_CHOICES = [("", _("any")), ("25", "≥ 25 %"), ("50", "≥ 50 %"), ("75", "≥ 75 %")]


class LibraryFilterForm(forms.Form):
    """The library's filters (all in the query string)."""

    feld = forms.ModelChoiceField(
        label=_("Regional action field"), queryset=ActionField.objects.none(), required=False
    )
    aufwand = forms.ChoiceField(label=_("Effort"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    fortschritt = forms.ChoiceField(label=_("Progress"), required=False, choices=PROGRESS_CHOICES)
    leistung = forms.CharField(label=_("OZG service"), required=False, max_length=200)

    def __init__(self, *args, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feld"].queryset = ActionField.objects.filter(pk__in=[f.pk for f in fields])
        self.fields["feld"].empty_label = _("all")
        self.fields["aufwand"].choices = [("", _("all")), *Effort.choices]
        self.fields["status"].choices = [("", _("all")), *MeasureStatus.choices]


class PublishForm(PlainTextMixin, forms.ModelForm):
    """What a town shares of its measure in the district's library."""

    attachment_ids = forms.ModelMultipleChoiceField(
        label=_("Attachments to share"),
        queryset=MeasureAttachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = LibraryEntry
        fields = [
            "regional_field",
            "audience",
            "effort",
            "lessons",
            "share_description",
            "share_impacts",
            "share_digital_check",
            "share_cost_benefit",
            "share_milestones",
            "contact_name",
            "contact_email",
        ]
        widgets = {
            "audience": forms.RadioSelect,
            "lessons": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, measure, regional_fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regional_field"].queryset = ActionField.objects.filter(
            pk__in=[f.pk for f in regional_fields]
        )
        self.fields["attachment_ids"].queryset = MeasureAttachment.objects.filter(measure=measure)
        if self.instance.pk:
            self.fields["attachment_ids"].initial = list(
                self.instance.attachments.values_list("pk", flat=True)
            )


class AdoptForm(forms.Form):
    primary_field = forms.ModelChoiceField(
        label=_("Action field of your strategy"),
        queryset=ActionField.objects.none(),
        help_text=_("Where the adopted measure belongs in your own strategy."),
    )

    def __init__(self, *args, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary_field"].queryset = fields


class StartJointForm(PlainTextMixin, forms.Form):
    """A town's staff start a joint measure from one of their measures."""

    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    regional_field = forms.ModelChoiceField(
        label=_("Regional action field"), queryset=ActionField.objects.none(), required=False
    )
    towns = forms.ModelMultipleChoiceField(
        label=_("Towns taking part"),
        queryset=Body.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each town then takes up its part with a measure of its own."),
    )
    paper = forms.ModelChoiceField(
        label=_("Prepared in paper"),
        queryset=Paper.objects.none(),
        required=False,
        help_text=_("A paper of the Kreis, e.g. of its CDO network."),
    )
    budget_share = forms.DecimalField(
        label=_("Budget share of your town (€)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )

    def __init__(self, *args, town, regional_fields, papers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regional_field"].queryset = ActionField.objects.filter(
            pk__in=[f.pk for f in regional_fields]
        )
        self.fields["towns"].queryset = Body.objects.filter(parent_id=town.parent_id).exclude(
            pk=town.pk
        )
        self.fields["paper"].queryset = papers


class ShareForm(forms.Form):
    primary_field = forms.ModelChoiceField(
        label=_("Action field of your strategy"),
        queryset=ActionField.objects.none(),
        required=False,
        help_text=_("Needed once: your town's own measure for its part is created in it."),
    )
    budget_share = forms.DecimalField(
        label=_("Budget share (€)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )

    def __init__(self, *args, fields, needs_field, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary_field"].queryset = fields
        self.fields["primary_field"].required = needs_field
        if not needs_field:
            del self.fields["primary_field"]
