"""Forms of the check, the cost-benefit analysis, the weights and the ranking. They validate
input and hand it to ``services``; they never save themselves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.assessment.models import (
    CheckAnswer,
    CheckQuestion,
    CostBenefit,
    DigitalCheck,
    PriorityDecision,
    PriorityWeights,
)

BENEFIT_CHOICES = [
    (0, _("0 – none")),
    (1, _("1 – very low")),
    (2, _("2 – low")),
    (3, _("3 – medium")),
    (4, _("4 – high")),
    (5, _("5 – very high")),
]
BENEFIT_FIELDS = ["citizen_benefit", "time_saving", "cost_saving", "climate"]


def benefit_field(label, help_text=""):
    return forms.TypedChoiceField(
        label=label, choices=BENEFIT_CHOICES, coerce=int, initial=0, help_text=help_text
    )


class DigitalCheckForm(forms.ModelForm):
    """The check: one yes/no/not-applicable answer and a note per question of the body,
    then the result. The model refuses a result short of "digital" without legal reason,
    so the error shows next to that field."""

    class Meta:
        model = DigitalCheck
        fields = ["result", "legal_reason", "internal_note"]
        widgets = {
            "result": forms.RadioSelect,
            "legal_reason": forms.Textarea(attrs={"rows": 3}),
            "internal_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, questions=(), answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        answers = answers or {}
        self.questions = list(questions)
        question_fields = {}
        for question in self.questions:
            given = answers.get(question.pk)
            question_fields[f"answer_{question.pk}"] = forms.ChoiceField(
                label=question.text,
                choices=CheckAnswer.Answer.choices,
                widget=forms.RadioSelect,
                help_text=question.help_text,
                initial=given.answer if given else None,
            )
            question_fields[f"note_{question.pk}"] = forms.CharField(
                label=_("Note on “%(title)s”") % {"title": question.title},
                max_length=500,
                required=False,
                initial=given.note if given else "",
            )
        # The questions come first: the result sums them up.
        self.fields = {**question_fields, **self.fields}
        self.fields["result"].choices = DigitalCheck.Result.choices

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            question.pk: (
                self.cleaned_data[f"answer_{question.pk}"],
                self.cleaned_data[f"note_{question.pk}"].strip(),
            )
            for question in self.questions
        }


class CostBenefitForm(forms.ModelForm):
    """Effort in euros and staff days, benefits scored 0–5, and a 0–5 contribution to each
    Oberziel of the current strategy."""

    citizen_benefit = benefit_field(_("benefit for citizens and businesses"))
    time_saving = benefit_field(_("time saved in the administration"))
    cost_saving = benefit_field(_("cost savings"))
    climate = benefit_field(_("climate benefit"))

    class Meta:
        model = CostBenefit
        fields = [
            "one_off_cost",
            "annual_cost",
            "staff_days",
            "citizen_benefit",
            "time_saving",
            "hours_saved_per_year",
            "cost_saving",
            "annual_savings",
            "climate",
            "internal_note",
        ]
        widgets = {"internal_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, goals=(), goal_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        goal_scores = goal_scores or {}
        self.goals = list(goals)
        for goal in self.goals:
            field = benefit_field(_("Contribution to “%(goal)s”") % {"goal": goal.title})
            field.initial = goal_scores.get(goal.pk, 0)
            self.fields[f"goal_{goal.pk}"] = field
        # Goal contributions belong with the other benefits, before the note.
        note = self.fields.pop("internal_note")
        self.fields["internal_note"] = note

    def goal_scores(self) -> dict[int, int]:
        return {goal.pk: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.goals}


class WeightsForm(forms.ModelForm):
    class Meta:
        model = PriorityWeights
        fields = [
            "citizen_benefit",
            "time_saving",
            "cost_saving",
            "climate",
            "goals",
            "reference_effort",
            "staff_day_rate",
            "horizon_years",
        ]


class RankingFilterForm(forms.Form):
    """The filters of the ranking, sent in the query string so a filtered list can be linked
    and exported."""

    field = forms.ModelChoiceField(
        label=_("Action field"), queryset=None, required=False, empty_label=_("all")
    )
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=None, required=False, empty_label=_("all")
    )
    min_score = forms.DecimalField(
        label=_("Minimum score"), required=False, min_value=0, max_value=100, decimal_places=2
    )

    def __init__(self, *args, fields, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = fields
        self.fields["unit"].queryset = units


class DecisionForm(forms.Form):
    """The Lenkungsgremium's decision on one candidate. The rules (rank for "prioritised", a
    reason for the rest) live in the model and the service, whose errors land next to the
    fields here."""

    measure = forms.ModelChoiceField(label=_("Measure"), queryset=None)
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=PriorityDecision.Outcome.choices, widget=forms.RadioSelect
    )
    rank = forms.IntegerField(
        label=_("Rank"),
        min_value=1,
        required=False,
        help_text=_("Position in the order of implementation; only for prioritised measures."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when a measure is deferred or rejected."),
    )
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = candidates


class QuestionForm(forms.ModelForm):
    class Meta:
        model = CheckQuestion
        fields = ["title", "text", "help_text", "order", "is_active"]


QuestionFormSet = forms.modelformset_factory(
    CheckQuestion, form=QuestionForm, extra=1, can_delete=False
)
