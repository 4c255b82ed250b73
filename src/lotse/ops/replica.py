"""Reads from an optional PostgreSQL streaming replica (``LOTSE_DATABASE_REPLICA_URL``).

The rule, chosen so that nobody ever misses what they just did:

- Only requests of anonymous visitors that only read go to the replica: ``GET``, ``HEAD`` or
  ``OPTIONS``, no signed-in user, no ``Authorization`` header (API tokens, the metrics
  scraper), and no *pin* cookie. These are the public pages, feeds, open data and the public
  API — the bulk of the traffic, where a lag of a second does no harm.
- Every write (``POST``, ``PUT``, ``PATCH``, ``DELETE``, or any request that wrote) answers with
  the pin cookie ``lotse_primary``, valid ``LOTSE_REPLICA_PIN_SECONDS`` (15): the same browser's
  next reads go to the primary, whichever app process serves them.
- Within one request, once anything was written, and inside any transaction, reads go to the
  primary. Sessions, the database cache, axes and the task queue are always read from the
  primary. Background tasks and commands never see a request, so they use the primary.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PIN_COOKIE = "lotse_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Bookkeeping that must be current for every process: never from the replica, and writing it
# (a cache entry, a session) is not the user's own write.
PRIMARY_ONLY = frozenset(
    {"sessions", "django_cache", "axes", "django_tasks_database", "contenttypes", "auth"}
)


@dataclass
class _Request:
    replica: bool
    wrote: bool = False


_current: ContextVar[_Request | None] = ContextVar("lotse_replica_request", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _count(database: str) -> None:
    from lotse.ops.metrics import DB_READS

    DB_READS.labels(database=database).inc()


class ReplicaRouter:
    """Reads of a request that may use the replica go there; everything else, and every write,
    goes to the primary (``default``). Migrations run on the primary only (the replica follows
    by streaming replication)."""

    def db_for_read(self, model, **hints):
        state = _current.get()
        if state is None:
            return None
        if (
            not state.replica
            or state.wrote
            or model._meta.app_label in PRIMARY_ONLY
            or connections["default"].in_atomic_block
        ):
            _count("default")
            return "default"
        _count(REPLICA)
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _current.get()
        if state is not None and model._meta.app_label not in PRIMARY_ONLY:
            state.wrote = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both databases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return None if db == "default" else False


class ReplicaMiddleware:
    """Decides per request whether its reads may use the replica (after authentication, so the
    user is known) and pins the client to the primary after a write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        state = _Request(
            replica=request.method in SAFE_METHODS
            and PIN_COOKIE not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and not request.user.is_authenticated
        )
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if request.method not in SAFE_METHODS or state.wrote:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.LOTSE_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
