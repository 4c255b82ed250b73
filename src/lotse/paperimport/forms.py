"""The upload form and the review form of one recognised paper."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.council.models import ConsultationRole, PaperType
from lotse.paperimport.recognise import _consultation_row, parse_date
from lotse.paperimport.services import ReviewedPaper, Step


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_("PDF (with text layer), DOCX, ODT, HTML or text exports, or a ZIP of them."),
    )


ROLE_LABELS = dict(ConsultationRole.choices)


def steps_as_text(steps: list[Step]) -> str:
    lines = []
    for step in steps:
        date = step.date.strftime("%d.%m.%Y") if step.date else ""
        public = "öffentlich" if step.is_public else "nicht öffentlich"
        lines.append(f"{step.organization} | {date} | {ROLE_LABELS[step.role]} | {public}")
    return "\n".join(lines)


class ReviewForm(forms.Form):
    reference = forms.CharField(label=_("Reference number"), max_length=40, required=False)
    name = forms.CharField(label=_("Subject (Betreff)"), max_length=500, required=False)
    paper_type = forms.ChoiceField(label=_("Type"), choices=PaperType.choices)
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    unit = forms.CharField(
        label=_("Originating unit"),
        max_length=200,
        required=False,
        help_text=_("Linked when a unit of this name or code exists."),
    )
    is_public = forms.BooleanField(label=_("Public"), required=False)
    released = forms.BooleanField(
        label=_("Released"),
        required=False,
        help_text=_("Imported papers were released in the old system; untick to keep a draft."),
    )
    steps = forms.CharField(
        label=_("Beratungsfolge"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One line per step: organization | date | role | öffentlich"),
    )
    decision_proposal = forms.CharField(
        label=_("Decision proposal"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    reasoning = forms.CharField(
        label=_("Reasoning"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def clean_steps(self) -> list[Step]:
        steps = []
        for number, line in enumerate(self.cleaned_data["steps"].splitlines(), start=1):
            if not line.strip():
                continue
            guess = _consultation_row(line)
            if guess is None:
                cells = [c.strip() for c in line.split("|")]
                if not cells[0]:
                    raise forms.ValidationError(
                        _("Line %(number)s: the organization is missing.") % {"number": number}
                    )
                date = next((parse_date(c) for c in cells[1:] if parse_date(c)), None)
                steps.append(Step(cells[0], date, ConsultationRole.PRELIMINARY))
                continue
            date = parse_date(guess.date) if guess.date else None
            steps.append(Step(guess.organization, date, guess.role, guess.is_public))
        return steps

    @classmethod
    def initial_from(cls, reviewed: ReviewedPaper) -> dict:
        return {
            "reference": reviewed.reference,
            "name": reviewed.name,
            "paper_type": reviewed.paper_type,
            "date": reviewed.date,
            "is_public": reviewed.is_public,
            "released": reviewed.released,
            "unit": reviewed.unit,
            "steps": steps_as_text(reviewed.steps),
            "decision_proposal": reviewed.decision_proposal,
            "reasoning": reviewed.reasoning,
        }

    def reviewed(self, item) -> ReviewedPaper:
        data = self.cleaned_data
        return ReviewedPaper(
            item=item,
            reference=data["reference"].strip(),
            name=data["name"],
            paper_type=data["paper_type"],
            date=data["date"],
            decision_proposal=data["decision_proposal"],
            reasoning=data["reasoning"],
            is_public=data["is_public"],
            released=data["released"],
            unit=data["unit"],
            steps=data["steps"],
        )
