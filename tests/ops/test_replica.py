"""Which reads may go to the read replica: anonymous reading requests only, never one after
the client's own write, never inside a transaction, never bookkeeping."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from lotse.ops import replica
from lotse.participation.models import Idea

router = replica.ReplicaRouter()


@pytest.fixture
def configured(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


def serve(request, user=None, write=False, read=Idea, atomic=False):
    """Run the middleware around a view that (optionally writes and) reads ``read``."""
    request.user = user or AnonymousUser()
    seen = {}

    def view(request):
        if write:
            router.db_for_write(Idea)
        if atomic:
            with transaction.atomic():
                seen["db"] = router.db_for_read(read)
        else:
            seen["db"] = router.db_for_read(read)
        return HttpResponse("ok")

    response = replica.ReplicaMiddleware(view)(request)
    return seen["db"], response


def test_anonymous_reading_requests_use_the_replica(configured):
    db, response = serve(RequestFactory().get("/musterstadt/ideen/"))
    assert db == "replica"
    assert replica.PIN_COOKIE not in response.cookies
    assert serve(RequestFactory().head("/api/v1/bodies"))[0] == "replica"


def test_a_write_pins_the_client_to_the_primary(configured, settings):
    settings.LOTSE_REPLICA_PIN_SECONDS = 15
    db, response = serve(RequestFactory().post("/musterstadt/ideen/neu/"))
    assert db == "default"
    cookie = response.cookies[replica.PIN_COOKIE]
    assert cookie["max-age"] == 15
    assert cookie["httponly"]
    pinned = RequestFactory().get("/musterstadt/ideen/")
    pinned.COOKIES[replica.PIN_COOKIE] = "1"
    assert serve(pinned)[0] == "default"


def test_a_reading_request_that_wrote_reads_its_write_from_the_primary_and_pins(configured):
    db, response = serve(RequestFactory().get("/musterstadt/ideen/"), write=True)
    assert db == "default"
    assert replica.PIN_COOKIE in response.cookies


def test_signed_in_users_tokens_and_bookkeeping_use_the_primary(configured):
    citizen = SimpleNamespace(is_authenticated=True)
    assert serve(RequestFactory().get("/musterstadt/ideen/"), user=citizen)[0] == "default"
    token = RequestFactory().get("/api/v1/bodies", HTTP_AUTHORIZATION="Bearer x")
    assert serve(token)[0] == "default"
    assert serve(RequestFactory().get("/"), read=Session)[0] == "default"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_use_the_primary(configured):
    assert serve(RequestFactory().get("/"))[0] == "replica"
    assert serve(RequestFactory().get("/"), atomic=True)[0] == "default"


def test_without_a_replica_nothing_changes():
    # Outside a request (tasks, commands) the router leaves the choice to Django.
    assert router.db_for_read(Idea) is None
    assert router.db_for_write(Idea) == "default"
    assert router.allow_migrate("replica", "participation") is False
    request = RequestFactory().post("/")
    request.user = AnonymousUser()
    response = replica.ReplicaMiddleware(lambda r: HttpResponse("ok"))(request)
    assert replica.PIN_COOKIE not in response.cookies
