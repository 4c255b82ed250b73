"""The steps around signing in that allauth leaves open: sending the confirmation mail again,
and going on to the wanted page after the second factor has been set up."""

from allauth.account.internal.flows.email_verification import (
    consume_email_verification_rate_limit,
)
from allauth.account.internal.stagekit import unstash_login
from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from django_ratelimit.decorators import ratelimit

from lotse.accounts.mfa import pop_next


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"))


SIGNUP_EMAIL_SESSION_KEY = "lotse_signup_email"


def remember_signup_email(request, user) -> None:
    """After a sign-up: the address, so that the confirmation page can offer a resend."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNUP_EMAIL_SESSION_KEY] = user.email


def pending_signup_email(request) -> str:
    """The address of the sign-up waiting for confirmation in this browser, if any."""
    session = getattr(request, "session", None)
    if session and session.get(SIGNUP_EMAIL_SESSION_KEY):
        return session[SIGNUP_EMAIL_SESSION_KEY]
    login = unstash_login(request, peek=True) if session is not None else None
    return (getattr(login, "email", None) or "") if login else ""


@method_decorator(
    ratelimit(
        key="ip",
        rate=lambda group, request: settings.LOTSE_RESEND_CONFIRMATION_RATE,
        method="POST",
    ),
    name="post",
)
class ResendConfirmationView(FormView):
    """``/konto/bestaetigung-erneut-senden/``: a new confirmation link for an address that
    waits for one. The answer is the same whether the address has an account or not."""

    template_name = "account/verification_sent.html"
    form_class = ResendConfirmationForm

    def get(self, request, *args, **kwargs):
        return redirect("account_email_verification_sent")

    def get_context_data(self, **kwargs):
        return super().get_context_data(operator=settings.LOTSE_OPERATOR, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        address = (
            EmailAddress.objects.filter(email__iexact=email, verified=False)
            .select_related("user")
            .first()
        )
        # allauth's cool-down per address (one mail in three minutes) applies as well.
        if address and consume_email_verification_rate_limit(self.request, email):
            address.send_confirmation(self.request, signup=False)
        messages.info(
            self.request,
            _(
                "If %(email)s is waiting for confirmation, a new e-mail with the link is on its "
                "way. It can take a few minutes; please also look in your spam folder."
            )
            % {"email": email},
        )
        return redirect("account_email_verification_sent")


@login_required
def continue_after_mfa(request):
    """``/konto/2fa/weiter/``: the last step of the first sign-in, on to the wanted page."""
    return redirect(pop_next(request) or "accounts:profile")
