"""A person's own account (profile, data, deletion, API tokens) and a body's role list."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.accounts import selectors, services
from lotse.accounts.forms import ApiTokenForm, DeleteAccountForm, GrantRoleForm, ProfileForm
from lotse.accounts.models import BodyRole
from lotse.core.views import BodyMixin


class ProfileView(LoginRequiredMixin, UpdateView):
    template_name = "accounts/profile.html"
    form_class = ProfileForm

    def get_object(self, queryset=None):
        return self.request.user

    def get_context_data(self, **kwargs):
        roles = BodyRole.objects.filter(user=self.request.user).select_related("body")
        return super().get_context_data(roles=roles, **kwargs)

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your display name has been saved."))
        return redirect("accounts:profile")


class ExportDataView(LoginRequiredMixin, View):
    """Download everything stored about me (GDPR Art. 15) as a JSON file."""

    def get(self, request):
        data = services.export_personal_data(request.user)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
        filename = f"lotse-meine-daten-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class DeleteAccountView(LoginRequiredMixin, FormView):
    template_name = "accounts/delete.html"
    form_class = DeleteAccountForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user = self.request.user
        logout(self.request)
        services.erase_user(user)
        messages.success(self.request, _("Your account has been deleted."))
        return redirect("core:home")


class ApiTokenView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    template_name = "accounts/api_tokens.html"
    form_class = ApiTokenForm
    permission_required = "accounts.hold_api_token"
    raise_exception = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(tokens=selectors.active_tokens(self.request.user), **kwargs)

    def form_valid(self, form):
        token, raw = services.create_api_token(self.request.user, form.cleaned_data["name"])
        # Rendered once, never stored: the page is the only place the token is shown.
        return self.render_to_response(
            self.get_context_data(form=ApiTokenForm(), new_token=raw, new_token_name=token.name)
        )


class RevokeApiTokenView(LoginRequiredMixin, View):
    def post(self, request, token_id: int):
        services.revoke_api_token(request.user, token_id)
        messages.success(request, _("The token has been revoked."))
        return redirect("accounts:api_tokens")


class BodyRolesView(BodyMixin, PermissionRequiredMixin, FormView):
    """``/<body>/verwaltung/rollen/``: a body admin grants and revokes roles in the body."""

    template_name = "accounts/body_roles.html"
    form_class = GrantRoleForm
    permission_required = "accounts.manage_roles"

    def get_context_data(self, **kwargs):
        return super().get_context_data(roles=selectors.roles_in_body(self.body.pk), **kwargs)

    def form_valid(self, form):
        services.grant_role(self.request.user, self.body, form.user, form.cleaned_data["role"])
        messages.success(self.request, _("The role has been granted."))
        return redirect(reverse("accounts:body_roles", kwargs={"body_slug": self.body.slug}))


class RevokeRoleView(BodyMixin, PermissionRequiredMixin, View):
    permission_required = "accounts.manage_roles"

    def post(self, request, body_slug: str, role_id: int):
        services.revoke_role(request.user, self.body, role_id)
        messages.success(request, _("The role has been revoked."))
        return redirect(reverse("accounts:body_roles", kwargs={"body_slug": body_slug}))


def lockout(request, credentials, *args, **kwargs):
    """What django-axes answers while an account is locked: a German page saying for how
    long, with the way out (password reset). 429, so clients know to wait."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(request, "accounts/lockout.html", {"cooloff_minutes": minutes}, status=429)
