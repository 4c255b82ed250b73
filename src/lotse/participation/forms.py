"""Forms of the idea pages: submit an idea, comment, rate, and the list filters. The services
check everything again; these forms give the German message next to the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import PlainTextMixin
from lotse.participation import images
from lotse.participation.models import (
    COMMENT_TEXT_MAX,
    IDEA_TEXT_MAX,
    IDEA_TITLE_MAX,
    IdeaState,
)
from lotse.strategy.models import ActionField

SORTS = {
    "neueste": (("-created_at", "-pk"), _("Newest")),
    "unterstuetzungen": (("-support_count", "-created_at", "-pk"), _("Most supported")),
    "diskussion": (("-comment_count", "-created_at", "-pk"), _("Most discussed")),
    "bewertung": (("-rating_mean", "-rating_count", "-created_at", "-pk"), _("Best rated")),
}


class HoneypotMixin:
    """A field people do not see; a bot that fills every field is dropped silently."""

    honeypot_name = "hp_homepage"

    def add_honeypot(self) -> None:
        self.fields[self.honeypot_name] = forms.CharField(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get(self.honeypot_name))


class ProcessChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


class IdeaForm(PlainTextMixin, HoneypotMixin, forms.Form):
    """Submit an idea. The process's rating question is not part of it: ideas are rated by
    others."""

    process = ProcessChoiceField(label=_("Participation process"), queryset=None)
    title = forms.CharField(
        label=_("Title"),
        max_length=IDEA_TITLE_MAX,
        help_text=_("At most 120 characters. Similar ideas appear below while you type."),
    )
    text = forms.CharField(
        label=_("Your idea"),
        max_length=IDEA_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What should change, and why? At most 5,000 characters; you can use Markdown "
            "(**bold**, lists, links)."
        ),
    )
    action_field = forms.ModelChoiceField(
        label=_("Action field"), queryset=ActionField.objects.none(), required=False
    )
    address = forms.CharField(
        label=_("Place (address, optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    latitude = forms.DecimalField(
        label=_("Latitude (optional)"),
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        help_text=_("e.g. 51.513400"),
    )
    longitude = forms.DecimalField(
        label=_("Longitude (optional)"),
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        help_text=_("e.g. 7.465300"),
    )

    def __init__(self, *args, processes, action_fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = processes
        self.fields["process"].empty_label = None
        self.fields["action_field"].queryset = action_fields
        self.fields["action_field"].empty_label = _("– no particular field –")
        for n in range(1, images.MAX_IMAGES_PER_IDEA + 1):
            self.fields[f"image_{n}"] = forms.FileField(
                label=_("Image %(n)d (JPEG or PNG, at most 5 MB, optional)") % {"n": n},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
            )
            self.fields[f"alt_{n}"] = forms.CharField(
                label=_("Description of image %(n)d") % {"n": n},
                max_length=200,
                required=False,
                help_text=_("What the picture shows, for people who cannot see it."),
            )
        self.add_honeypot()

    def clean(self):
        data = super().clean()
        one_coordinate = (data.get("latitude") is None) != (data.get("longitude") is None)
        if one_coordinate and not (self.has_error("latitude") or self.has_error("longitude")):
            self.add_error("longitude", _("Give both latitude and longitude, or leave both empty."))
        for n in range(1, images.MAX_IMAGES_PER_IDEA + 1):
            if data.get(f"image_{n}") and not (data.get(f"alt_{n}") or "").strip():
                self.add_error(
                    f"alt_{n}", _("Please describe the image for people who cannot see it.")
                )
        return data

    def image_pairs(self) -> list:
        return [
            (self.cleaned_data[f"image_{n}"], self.cleaned_data.get(f"alt_{n}", ""))
            for n in range(1, images.MAX_IMAGES_PER_IDEA + 1)
            if self.cleaned_data.get(f"image_{n}")
        ]

    def image_fields(self) -> list:
        return [
            (self[f"image_{n}"], self[f"alt_{n}"]) for n in range(1, images.MAX_IMAGES_PER_IDEA + 1)
        ]


class CommentForm(PlainTextMixin, HoneypotMixin, forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_honeypot()


class CommentEditForm(PlainTextMixin, forms.Form):
    text = forms.CharField(
        label=_("Edit your comment"),
        max_length=COMMENT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RatingForm(forms.Form):
    value = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[
            (1, _("1 – not important")),
            (2, "2"),
            (3, "3"),
            (4, "4"),
            (5, _("5 – very important")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, question: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if question:
            self.fields["value"].label = question


class IdeaFilterForm(forms.Form):
    """The filters of the idea list, all in the query string."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    verfahren = forms.ChoiceField(label=_("Process"), required=False)
    handlungsfeld = forms.ModelChoiceField(
        label=_("Action field"), queryset=ActionField.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("State"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, processes, action_fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verfahren"].choices = [("", _("all"))] + [(p.slug, p.title) for p in processes]
        self.fields["handlungsfeld"].queryset = action_fields
        self.fields["handlungsfeld"].empty_label = _("all")
        self.fields["status"].choices = [("", _("all")), *IdeaState.choices]
        self.fields["sort"].choices = [(key, label) for key, (_o, label) in SORTS.items()]
