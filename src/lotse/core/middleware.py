"""A write that waits too long for the database gets a clear "please try again" answer (503 with
``Retry-After``) instead of a server error: SQLite's "database is locked" after the busy
timeout, PostgreSQL's serialization failures, deadlocks and lock timeouts. Nothing of the
request was saved (its transaction was rolled back), so trying again is safe."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# SQLSTATEs of PostgreSQL that mean "busy, try again": serialization_failure, deadlock_detected,
# lock_not_available (lock_timeout, NOWAIT).
RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}


def retry_after_seconds() -> int:
    return int(getattr(settings, "LOTSE_BUSY_RETRY_AFTER", 5))


def is_busy_database_error(error: BaseException | None) -> bool:
    """Whether ``error`` says the database was too busy, not that something is wrong."""
    if not isinstance(error, DatabaseError):
        return False
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate in RETRYABLE_SQLSTATES:
        return True
    if sqlstate == "57014":  # query_canceled: only the lock timeout is "busy"
        return "lock timeout" in str(error).lower()
    message = str(error.args[0] if error.args else "").lower()
    # SQLite: "database is locked" (busy timeout passed), "database table is locked".
    return "is locked" in message


def busy_response(request: HttpRequest | None) -> HttpResponse:
    """503 with Retry-After: JSON for the API and clients that ask for JSON, else a page in the
    site's language rendered without context processors (the database is what is busy)."""
    seconds = retry_after_seconds()
    message = _(
        "The system is very busy right now and could not save this. Nothing was changed. "
        "Please try again in a few seconds."
    )
    wants_json = request is not None and (
        request.path.startswith("/api/")
        or (
            request.accepts("application/json")
            and not request.accepts("text/html")
            and request.headers.get("Accept", "") not in ("", "*/*")
        )
    )
    if wants_json:
        response = JsonResponse(
            {"detail": message, "code": "busy", "retry_after": seconds}, status=503
        )
    else:
        html = loader.get_template("503.html").render(
            {
                "message": message,
                "retry_after": seconds,
                "LANGUAGE_CODE": translation.get_language(),
            }
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


class BusyDatabaseMiddleware:
    """Turns a busy database into :func:`busy_response` (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_busy_database_error(exception):
            return None
        logger.warning("Busy database on %s %s: %s", request.method, request.path, exception)
        return busy_response(request)
