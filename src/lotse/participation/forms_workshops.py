"""Forms of the workshop administration: the event, its topics, guiding questions and
results."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import PlainTextMixin
from lotse.participation.models import (
    GuidingQuestion,
    Process,
    Workshop,
    WorkshopResult,
    WorkshopTopic,
)
from lotse.strategy.models import ActionField
from lotse.strategy.selectors import current_strategy

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WorkshopForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["kind", "title", "starts_at", "ends_at", "place", "process", "description"]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {"starts_at": _("Begins"), "ends_at": _("Ends (optional)")}

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = Process.objects.for_body(body)


TopicFormSet = forms.inlineformset_factory(
    Workshop, WorkshopTopic, fields=["title", "order"], extra=2, can_delete=True
)

QuestionFormSet = forms.inlineformset_factory(
    WorkshopTopic, GuidingQuestion, fields=["text", "order"], extra=2, can_delete=True
)


class ResultForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = WorkshopResult
        fields = ["question", "text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}
        help_texts = {"question": _("Which guiding question the result answers, if any.")}

    def __init__(self, *args, topic=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = GuidingQuestion.objects.filter(topic=topic)


ResultFormSet = forms.inlineformset_factory(
    WorkshopTopic, WorkshopResult, form=ResultForm, extra=2, can_delete=True
)


class ResultToIdeaForm(forms.Form):
    action_field = forms.ModelChoiceField(
        label=_("Action field (optional)"), queryset=ActionField.objects.none(), required=False
    )

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_field"].queryset = (
            ActionField.objects.filter(strategy=current_strategy(body))
            .select_related("parent")
            .order_by("parent__order", "order", "pk")
        )
