"""Prometheus metrics at ``/metrics`` (``prometheus_client``, no wrapped database backends).

- ``lotse_http_requests_total{method,view,status}`` and
  ``lotse_http_request_duration_seconds{method,view}``: every request, labelled by the URL
  pattern's name (a bounded set), not by its path;
- ``lotse_db_reads_routed_total{database}``: reads of requests sent to the primary or replica;
- at scrape time from the database: ``lotse_tasks_waiting``, ``lotse_tasks_oldest_waiting_seconds``,
  ``lotse_tasks_failed``, ``lotse_tasks_orphaned`` and ``lotse_live_meetings_open``.

With several worker processes set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder shared by
them (prometheus_client's multiprocess mode), so every scrape sees all of them.
"""

import hmac
import os
import time

from django.apps import apps
from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter("lotse_http_requests", "HTTP requests answered.", ["method", "view", "status"])
LATENCY = Histogram(
    "lotse_http_request_duration_seconds",
    "Time to answer a request (until the response is handed to the server).",
    ["method", "view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
DB_READS = Counter(
    "lotse_db_reads_routed", "Database reads of requests, by the database they went to.",
    ["database"],
)  # fmt: skip
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or match.route) if match else "unresolved"
        method = request.method if request.method in METHODS else "other"
        LATENCY.labels(method=method, view=view).observe(time.perf_counter() - started)
        REQUESTS.labels(method=method, view=view, status=str(response.status_code)).inc()
        return response


class DatabaseCollector:
    """Figures read from the database when Prometheus scrapes (one small query each)."""

    def collect(self):
        from django_tasks_db.compat import TaskResultStatus

        results = apps.get_model("django_tasks_database", "DBTaskResult")._default_manager
        waiting = results.filter(status=TaskResultStatus.READY)
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        yield GaugeMetricFamily("lotse_tasks_waiting", "Background tasks waiting.", waiting.count())
        age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily(
            "lotse_tasks_oldest_waiting_seconds", "Age of the oldest waiting task.", age
        )
        failed = results.filter(status=TaskResultStatus.FAILED).count()
        yield GaugeMetricFamily("lotse_tasks_failed", "Background tasks that failed.", failed)
        from lotse.core.worker import orphaned_tasks

        yield GaugeMetricFamily(
            "lotse_tasks_orphaned",
            "Tasks still marked running by a worker that stopped or fell silent.",
            len(orphaned_tasks()),
        )
        live = apps.get_model("voting", "LiveSession")._default_manager
        yield GaugeMetricFamily(
            "lotse_live_meetings_open",
            "Meetings being run live right now.",
            live.filter(state="eroeffnet").count(),
        )


def _authorized(request) -> bool:
    token = settings.LOTSE_METRICS_TOKEN
    if not token:
        raise Http404
    sent = request.META.get("HTTP_AUTHORIZATION", "")
    return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


@never_cache
def metrics(request):
    if not _authorized(request):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    figures = CollectorRegistry()
    figures.register(DatabaseCollector())
    # The text format is a sequence of metric families, so the two outputs simply follow.
    body = generate_latest(registry) + generate_latest(figures)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
