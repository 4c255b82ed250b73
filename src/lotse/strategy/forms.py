"""Forms of the strategy pages and the staff workspace."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lotse.core import uploads
from lotse.core.forms import PlainTextMixin
from lotse.core.impacts import ImpactAssessment
from lotse.strategy.models import (
    ActionField,
    Goal,
    Measure,
    MeasureStatus,
    Milestone,
    OrgUnit,
    StatusUpdate,
    Strategy,
    Tag,
    TrafficLight,
)
from lotse.strategy.services import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES

SORTS = {
    "titel": ("title", _("Title")),
    "fortschritt": ("-progress", _("Progress")),
    "status": ("status", _("Status")),
    "aktualisiert": ("-last_update_on", _("Last update")),
}


class MeasureFilterForm(forms.Form):
    """The filters of the public measure list (all in the query string)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    feld = forms.ModelChoiceField(
        label=_("Action field"), queryset=ActionField.objects.none(), required=False
    )
    ziel = forms.ChoiceField(label=_("Goal"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    einheit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=OrgUnit.objects.none(), required=False
    )
    ampel = forms.ChoiceField(label=_("Traffic light"), required=False)
    sortierung = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, body, strategy, goals, **kwargs):
        super().__init__(*args, **kwargs)
        fields = ActionField.objects.filter(strategy=strategy).select_related("parent")
        self.fields["feld"].queryset = fields.order_by("parent__order", "order", "pk")
        self.fields["feld"].empty_label = _("all")
        self.fields["ziel"].choices = [("", _("all"))] + [(str(g.pk), g.title) for g in goals]
        self.fields["status"].choices = [("", _("all")), *MeasureStatus.choices]
        self.fields["einheit"].queryset = OrgUnit.objects.for_body(body)
        self.fields["einheit"].empty_label = _("all")
        self.fields["ampel"].choices = [("", _("all")), *TrafficLight.choices]
        self.fields["sortierung"].choices = [(key, label) for key, (_f, label) in SORTS.items()]


class MeasureForm(PlainTextMixin, forms.ModelForm):
    """Create or edit a measure; one field per Oberziel takes its contribution 0–3."""

    class Meta:
        model = Measure
        fields = [
            "title",
            "summary",
            "description",
            "primary_field",
            "secondary_fields",
            "unit",
            "lead",
            "partners",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "tags",
            "is_public",
            "origin",
            "parent",
            "weight",
            "budget_planned",
            "budget_spent",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "partners": forms.Textarea(attrs={"rows": 2}),
            "planned_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "planned_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "actual_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "actual_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "secondary_fields": forms.CheckboxSelectMultiple,
            "tags": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, body, strategy, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.goals = goals
        fields = ActionField.objects.filter(strategy=strategy).select_related("parent")
        self.fields["primary_field"].queryset = fields
        self.fields["secondary_fields"].queryset = fields
        self.fields["unit"].queryset = OrgUnit.objects.for_body(body)
        self.fields["tags"].queryset = Tag.objects.for_body(body)
        self.fields["lead"].queryset = (
            get_user_model().objects.filter(body_roles__body=body, is_active=True).distinct()
        )
        parents = Measure.objects.for_body(body).filter(parent__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        current = {}
        if self.instance.pk:
            current = dict(self.instance.goal_links.values_list("goal_id", "weight"))
        for goal in goals:
            self.fields[f"goal_{goal.pk}"] = forms.TypedChoiceField(
                label=_("Contribution to “%(goal)s”") % {"goal": goal.title},
                choices=[
                    (0, _("0 – none")),
                    (1, _("1 – small")),
                    (2, _("2 – medium")),
                    (3, _("3 – strong")),
                ],
                coerce=int,
                empty_value=0,
                required=False,
                initial=current.get(goal.pk, 0),
            )

    def goal_weights(self) -> dict[int, int]:
        return {goal.pk: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.goals}


class StatusUpdateForm(PlainTextMixin, forms.ModelForm):
    # A required choice without a preselected "---------": the reporter says how it stands.
    traffic_light = forms.ChoiceField(
        label=_("How does the measure stand?"),
        choices=TrafficLight.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Green: on schedule. Yellow: delayed or at risk, but can still be reached. "
            "Red: the goal or date cannot be reached without a decision."
        ),
        error_messages={"required": _("Please choose green, yellow or red.")},
    )

    def __init__(self, *args, measure=None, **kwargs):
        super().__init__(*args, **kwargs)
        if measure is not None and not self.is_bound:
            # The last reported value, so only a change needs typing.
            self.initial.setdefault("progress", measure.progress or 0)

    class Meta:
        model = StatusUpdate
        fields = ["reported_on", "progress", "traffic_light", "text", "explanation"]
        widgets = {
            "reported_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100}),
            "traffic_light": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 4}),
            "explanation": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "reported_on": _("As of (date)"),
            "progress": _("Progress in per cent (0–100)"),
            "text": _("What has happened since the last status update?"),
            "explanation": _("Reason for yellow or red"),
        }
        help_texts = {
            "reported_on": _("The day the status describes; usually today."),
            "progress": _(
                "How much of the measure is done. Prefilled with the last reported value."
            ),
            "text": _("Shown publicly on the measure's page for public measures."),
            "explanation": _(
                "Required for a yellow or red traffic light: what is delayed and what is "
                "being done about it."
            ),
        }


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the measure is deferred, rejected, cancelled or set back."),
    )

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, MeasureStatus(s).label) for s in allowed]


class MilestoneForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "done_on"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "done_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class ImpactForm(forms.ModelForm):
    class Meta:
        model = ImpactAssessment
        exclude: list[str] = []
        widgets = {
            "climate": forms.RadioSelect,
            "inclusion": forms.RadioSelect,
            "climate_alternatives": forms.Textarea(attrs={"rows": 3}),
            "inclusion_text": forms.Textarea(attrs={"rows": 3}),
            "personnel_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "budget_available": forms.NullBooleanSelect,
        }


class StrategyForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["title", "vision", "period_start", "period_end"]
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 5}),
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


GoalFormSet = forms.inlineformset_factory(
    Strategy,
    Goal,
    fields=["title", "description", "order"],
    extra=1,
    can_delete=True,
    widgets={"description": forms.Textarea(attrs={"rows": 2})},
)


class ActionFieldForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = ActionField
        fields = ["title", "parent", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, strategy=None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = ActionField.objects.filter(strategy=strategy, parent__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label = _("Part of the action field (leave empty for a field)")


ActionFieldFormSet = forms.inlineformset_factory(
    Strategy, ActionField, form=ActionFieldForm, fk_name="strategy", extra=2, can_delete=True
)


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(
        label=_("Adopted by the council on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


UnitFormSet = forms.modelformset_factory(OrgUnit, fields=["code", "name"], extra=2, can_delete=True)


class AttachmentForm(PlainTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, office documents (ODF or Office), CSV, text or images; up to 20 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.check_upload(upload, max_bytes=MAX_ATTACHMENT_BYTES, allowed=ATTACHMENT_TYPES)
        return upload
