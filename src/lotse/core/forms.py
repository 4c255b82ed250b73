"""Forms of the shared pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.models import AccessibilityReport, Body


class PlainTextMixin:
    """Titles and names (one-line text fields) with control or text-direction characters
    are refused with a German message; multi-line fields lose such characters quietly
    (newlines and tabs stay). Put it before ``forms.Form``/``forms.ModelForm``."""

    def clean(self):
        from lotse.core.text import MESSAGE, clean_multiline, hidden_characters

        data = super().clean()
        for name, field in self.fields.items():
            value = data.get(name)
            if not isinstance(field, forms.CharField) or not isinstance(value, str):
                continue
            if isinstance(field.widget, forms.Textarea):
                data[name] = clean_multiline(value)
            elif hidden_characters(value):
                self.add_error(name, forms.ValidationError(MESSAGE, code="hidden_characters"))
        return data


class AccessibilityReportForm(forms.ModelForm):
    # A field people do not see; bots that fill every field are dropped silently.
    honeypot_name = "hp_homepage"
    hp_homepage = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = AccessibilityReport
        fields = ["page_url", "description", "name", "email"]
        labels = {
            "page_url": _("On which page did you meet the barrier? (address or title)"),
            "description": _("What did not work for you?"),
            "name": _("Your name (optional)"),
            "email": _("Your e-mail address, if you would like an answer (optional)"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < 10:
            raise forms.ValidationError(
                _("Please describe the barrier in a few words (at least 10 characters).")
            )
        return text


MAX_LOGO_BYTES = 1024 * 1024


class BodySettingsForm(PlainTextMixin, forms.ModelForm):
    """What a body administrator maintains; the official keys (AGS, RGS, slug) stay with the
    site admin, because other systems link by them."""

    website = forms.URLField(
        label=Body._meta.get_field("website").verbose_name, required=False, assume_scheme="https"
    )

    class Meta:
        model = Body
        fields = [
            "website",
            "contact_email",
            "contact_phone",
            "address",
            "accent_colour",
            "logo",
            "brand_name",
            "brand_logo",
            "brand_colour",
            "voters_need_mfa",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a Kreis gives its towns an umbrella brand.
        if self.instance.kind != Body.Kind.KREIS:
            for name in ("brand_name", "brand_logo", "brand_colour"):
                del self.fields[name]

    def clean_brand_logo(self):
        logo = self.cleaned_data.get("brand_logo")
        if logo and hasattr(logo, "image"):
            if logo.size > MAX_LOGO_BYTES:
                raise forms.ValidationError(_("The logo may be at most 1 MB."))
            if logo.image.format not in {"PNG", "JPEG", "WEBP"}:
                raise forms.ValidationError(_("Please upload the logo as PNG, JPEG or WebP."))
        return logo

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "image"):
            if logo.size > MAX_LOGO_BYTES:
                raise forms.ValidationError(_("The logo may be at most 1 MB."))
            if logo.image.format not in {"PNG", "JPEG", "WEBP"}:
                raise forms.ValidationError(_("Please upload the logo as PNG, JPEG or WebP."))
        return logo


def add_errors(form, error: forms.ValidationError) -> None:
    """Put a service's ValidationError next to the form field it concerns (on the form as a
    whole when the field is not on it)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
