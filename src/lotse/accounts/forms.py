"""Forms for a person's own account and for granting roles."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Role
from lotse.core.forms import PlainTextMixin

User = get_user_model()


class SignupForm(forms.Form):
    """Extra fields of allauth's sign-up form."""

    display_name = forms.CharField(
        label=_("Display name (optional)"),
        max_length=80,
        required=False,
        help_text=_("Shown with your contributions. Leave empty to stay anonymous."),
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data.get("display_name", "")
        user.save(update_fields=["display_name"])


class ProfileForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name"]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data will be deleted for good.")
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is the token for?"),
        max_length=80,
        help_text=_("e.g. “Fachverfahren Bauamt” — helps you recognise it later."),
    )


class GrantRoleForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the account"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("There is no account with this address. The person must register first.")
            )
        self.user = user
        return email
