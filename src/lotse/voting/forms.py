"""Forms of the chair console and the member page. Choices are limited to the meeting's own
agenda and people, so a forged id is refused as an invalid choice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.council.models import Person
from lotse.voting.models import (
    LiveSession,
    Majority,
    PollKind,
    Presence,
    QuorumException,
    VoteOption,
)


class PresenceForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Person"))
    presence = forms.ChoiceField(choices=Presence.choices, label=_("presence"))
    deputy_for = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=_("deputy for")
    )

    def __init__(self, *args, session: LiveSession, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(pk__in=session.attendance.values("person_id"))
        self.fields["person"].queryset = people
        self.fields["deputy_for"].queryset = people


class ItemForm(forms.Form):
    agenda_item = forms.ModelChoiceField(
        queryset=None, required=False, label=_("current item"), empty_label=_("none")
    )

    def __init__(self, *args, session: LiveSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = session.meeting.agenda_items.order_by("order")


class PollForm(forms.Form):
    agenda_item = forms.ModelChoiceField(queryset=None, label=_("agenda item"))
    motion = forms.CharField(
        label=_("motion"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("What the members vote on."),
    )
    kind = forms.ChoiceField(choices=PollKind.choices, label=_("kind of vote"))
    majority = forms.ChoiceField(choices=Majority.choices, label=_("majority needed"))

    def __init__(self, *args, session: LiveSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = session.meeting.agenda_items.order_by("order")
        if session.current_item_id and not self.is_bound:
            self.initial.setdefault("agenda_item", session.current_item_id)


class HandsForm(forms.Form):
    yes = forms.IntegerField(min_value=0, max_value=1000, label=VoteOption.YES.label)
    no = forms.IntegerField(min_value=0, max_value=1000, label=VoteOption.NO.label)
    abstain = forms.IntegerField(min_value=0, max_value=1000, label=VoteOption.ABSTAIN.label)


class VoteForm(forms.Form):
    option = forms.ChoiceField(choices=VoteOption.choices, label=_("Your vote"))
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class QuorumExceptionForm(forms.Form):
    case = forms.ChoiceField(
        choices=[("", _("no exception")), *QuorumException.choices],
        required=False,
        label=_("The meeting decides regardless of the number present because of"),
    )
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "e.g. the first meeting and its date, the items, and the invitation with the notice."
        ),
    )
