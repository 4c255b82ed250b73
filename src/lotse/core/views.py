"""Pages every installation has: the body list, a body's overview, legal pages, health."""

import logging

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView, UpdateView
from django_ratelimit.decorators import ratelimit
from rules.contrib.views import PermissionRequiredMixin

from lotse.core import services
from lotse.core.bodies import get_body
from lotse.core.forms import AccessibilityReportForm, BodySettingsForm
from lotse.core.frontpage import front_blocks
from lotse.core.models import Body

logger = logging.getLogger(__name__)


class BodyMixin:
    """The one way a view reaches a body and its data.

    Resolves ``<body_slug>`` from the URL (404 for an unknown body), exposes it as
    ``self.body`` and ``request.lotse_body`` and limits ``get_queryset()`` of a body-scoped model to
    that body, so an id from another body answers 404 instead of leaking.
    """

    body: Body

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.body = get_body(kwargs["body_slug"], request)
        request.lotse_body = self.body

    def get_queryset(self):
        return super().get_queryset().for_body(self.body)

    def get_permission_object(self):
        return self.body

    def get_context_data(self, **kwargs):
        kwargs.setdefault("body", self.body)
        return super().get_context_data(**kwargs)


class HomeView(TemplateView):
    """``/``: every body of the installation, districts with their towns."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        bodies = list(Body.objects.order_by("name"))
        districts = [b for b in bodies if b.kind == Body.Kind.KREIS]
        for district in districts:
            district.towns = [b for b in bodies if b.parent_id == district.pk]
        independent = [b for b in bodies if b.kind != Body.Kind.KREIS and b.parent_id is None]
        # Each district followed by its towns, then the others: the order of the key figures.
        ordered = [b for d in districts for b in (d, *d.towns)]
        ordered += [b for b in bodies if b not in ordered]
        blocks = front_blocks(ordered, today=timezone.localdate()) if ordered else []
        return super().get_context_data(
            districts=districts, independent=independent, blocks=blocks, **kwargs
        )


class BodyOverviewView(BodyMixin, TemplateView):
    """``/<body>/``: the overview of a body's Digitale Agenda."""

    template_name = "core/body_overview.html"

    def get_context_data(self, **kwargs):
        towns = (
            list(self.body.children.order_by("name")) if self.body.kind == Body.Kind.KREIS else []
        )
        # A Kreis's front door shows its towns' news and figures next to its own.
        blocks = front_blocks([self.body, *towns], today=timezone.localdate())
        return super().get_context_data(towns=towns, blocks=blocks, **kwargs)


class BodySettingsView(BodyMixin, PermissionRequiredMixin, UpdateView):
    """``/<body>/verwaltung/koerperschaft/``: contact details and branding of the body."""

    template_name = "core/body_settings.html"
    form_class = BodySettingsForm
    permission_required = "core.change_body"

    def get_object(self, queryset=None):
        # A copy: a rejected form must not change the body the layout renders.
        return Body.objects.get(pk=self.body.pk)

    def form_valid(self, form):
        services.update_body_settings(self.request.user, self.body, form)
        messages.success(self.request, _("The settings of the body have been saved."))
        return redirect("core:body_settings", body_slug=self.body.slug)


@require_GET
@cache_control(public=True, max_age=300)
def branding_css(request: HttpRequest, body_slug: str) -> HttpResponse:
    """The body's colours as CSS variables. A stylesheet, because the CSP forbids inline
    style attributes."""
    body = get_object_or_404(Body.objects.select_related("parent"), slug=body_slug)
    return render(request, "core/branding.css", {"body": body}, content_type="text/css")


class LegalPageView(TemplateView):
    def get_context_data(self, **kwargs):
        bodies = Body.objects.order_by("name")
        return super().get_context_data(
            operator=settings.LOTSE_OPERATOR,
            reviewed=settings.LOTSE_ACCESSIBILITY_REVIEWED,
            bodies=bodies,
            **kwargs,
        )


@method_decorator(
    ratelimit(key="ip", rate=lambda group, request: settings.LOTSE_PUBLIC_POST_RATE, method="POST"),
    name="post",
)
class AccessibilityStatementView(FormView):
    """The Erklärung zur Barrierefreiheit with its feedback form."""

    template_name = "core/accessibility.html"
    form_class = AccessibilityReportForm

    def get_initial(self):
        page = self.request.GET.get("seite", "")
        return {"page_url": page[:500]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            operator=settings.LOTSE_OPERATOR,
            reviewed=settings.LOTSE_ACCESSIBILITY_REVIEWED,
            **kwargs,
        )

    def form_valid(self, form):
        services.receive_accessibility_report(form.cleaned_data)
        messages.success(
            self.request,
            _("Thank you. Your report has been received; we answer within two weeks."),
        )
        return redirect("core:accessibility")


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "429.html", status=429)


def health(request: HttpRequest) -> JsonResponse:
    """``/health``: is the app up, do the database and the cache answer, and does background
    work get done? 503 when the database or cache fail, when the task worker's last heartbeat
    is older than ``LOTSE_HEALTH_WORKER_STALE_AFTER`` seconds, or when a task has been waiting
    longer than ``LOTSE_HEALTH_QUEUE_STUCK_AFTER`` seconds, or when a task is still marked
    running by a worker that died (``tasks.orphaned``)."""
    from django.core.cache import cache
    from django.utils import timezone

    from lotse.core import worker

    payload = {"status": "ok", "database": "ok", "cache": "ok", "version": settings.VERSION}
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: database unreachable")
        payload.update(status="error", database="error")
        return JsonResponse(payload, status=503)
    try:
        cache.set("lotse:health", "1", timeout=60)
        if cache.get("lotse:health") != "1":
            raise RuntimeError("the cache did not keep a value")
    except Exception:
        logger.exception("Health check: cache unusable")
        payload["cache"] = "error"
        problems.append("cache")
    if worker.uses_database_queue():
        now = timezone.now()
        try:
            queue = worker.queue_state(now=now)
        except Exception:
            logger.exception("Health check: task queue unreadable")
            queue = {"waiting": None, "oldest_waiting_seconds": None}
            problems.append("tasks")
        oldest = queue.get("oldest_waiting_seconds")
        queue["state"] = "ok"
        if oldest is not None and oldest > worker.queue_stuck_after():
            queue["state"] = "stuck"
            problems.append("tasks")
        elif queue.get("orphaned"):
            # Running on a worker that died; the next worker reclaims them.
            queue["state"] = "orphaned"
            problems.append("tasks")
        payload["tasks"] = queue
        heartbeat = None
        try:
            heartbeat = worker.last_heartbeat()
        except Exception:
            logger.exception("Health check: worker heartbeat unreadable")
        if heartbeat is None:
            payload["worker"] = {"state": "unknown", "last_heartbeat_seconds": None}
        else:
            age = round((now - heartbeat["at"]).total_seconds())
            # A worker that exited says so; a killed one falls silent and goes stale.
            stale = age > worker.worker_stale_after() or bool(heartbeat.get("stopped"))
            payload["worker"] = {"state": "down" if stale else "ok", "last_heartbeat_seconds": age}
            if stale:
                problems.append("worker")
    if problems:
        payload["status"] = "error"
        payload["problems"] = problems
        return JsonResponse(payload, status=503)
    return JsonResponse(payload)


class RobotsView(View):
    def get(self, request):
        return HttpResponse(
            "User-agent: *\nDisallow: /konto/\nDisallow: /admin/\n", content_type="text/plain"
        )
