"""The notification centre and the person's notification settings, under /konto/."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from lotse.participation import notifications
from lotse.participation.models import Notification, NotificationSettings

PAGE_SIZE = 30


class NotificationListView(LoginRequiredMixin, TemplateView):
    """``/konto/benachrichtigungen/``: newest first, unread ones marked."""

    template_name = "participation/notifications.html"

    def get_context_data(self, **kwargs):
        rows = Notification.objects.filter(user=self.request.user).select_related("body")
        page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
            self.request.GET.get("seite")
        )
        return super().get_context_data(
            page=page,
            notifications=page.object_list,
            unread=notifications.unread_count(self.request.user),
            mode=notifications.email_mode(self.request.user),
            **kwargs,
        )


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        count = notifications.mark_read(request.user)
        if count:
            messages.success(request, _("All notifications are marked as read."))
        return redirect("participation:notifications")


class OpenNotificationView(LoginRequiredMixin, View):
    """Marks a notification read and goes where it points."""

    def get(self, request, pk: int):
        notification = get_object_or_404(Notification, user=request.user, pk=pk)
        notifications.mark_read(request.user, notification.pk)
        target = notification.url
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        return redirect("participation:notifications")


class NotificationSettingsForm(forms.Form):
    email = forms.ChoiceField(
        label=gettext_lazy("E-mail me about notifications"),
        choices=NotificationSettings.Email.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Whatever you choose, every notification stays here in your notification centre."
        ),
    )


class NotificationSettingsView(LoginRequiredMixin, FormView):
    """``/konto/benachrichtigungen/einstellungen/``: at once, daily digest or never."""

    template_name = "participation/notifications_settings.html"
    form_class = NotificationSettingsForm

    def get_initial(self):
        return {"email": notifications.email_mode(self.request.user)}

    def form_valid(self, form):
        notifications.set_email_mode(self.request.user, form.cleaned_data["email"])
        messages.success(self.request, _("Your notification settings have been saved."))
        return redirect("participation:notification_settings")
