"""A body page's body kept in the process's memory (core.bodies): one query fewer per page,
and every change seen at once — the body's own, and what its navigation flags read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotse.core import bodies, versioned
from lotse.core.models import Body
from tests.strategy.factories import StrategyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_on(settings):
    settings.LOTSE_BODY_CACHE_SECONDS = 60


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def body_lookups(captured) -> int:
    return sum('FROM "core_body"' in q["sql"] and "slug" in q["sql"] for q in captured)


def test_a_kept_body_saves_its_query(client, body, settings):
    url = f"/{body.slug}/massnahmen/"
    queries(client, url)  # keeps the body (and the shared cache's version)
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    assert body_lookups(warm) == 0
    settings.LOTSE_BODY_CACHE_SECONDS = 0  # the same page without the memory
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    assert body_lookups(cold) == 1
    assert len(cold) == len(warm) + 1


def test_a_changed_body_shows_at_once(client, body):
    url = f"/{body.slug}/massnahmen/"
    queries(client, url)
    body.name = "Stadt Umbenannt"
    body.save()
    assert "Stadt Umbenannt" in queries(client, url)[1]
    # A bulk update sends no signal: who writes so says so.
    Body.objects.filter(pk=body.pk).update(name="Stadt Nochmal")
    bodies.changed()
    assert "Stadt Nochmal" in queries(client, url)[1]


def test_the_navigation_follows_a_new_strategy_at_once(client, body):
    url = f"/{body.slug}/massnahmen/"
    strategy_link = f'href="/{body.slug}/strategie/"'
    assert strategy_link not in queries(client, url)[1]
    StrategyFactory(body=body)
    assert strategy_link in queries(client, url)[1]


def test_another_process_change_arrives_through_the_shared_version(client, body):
    url = f"/{body.slug}/massnahmen/"
    queries(client, url)
    Body.objects.filter(pk=body.pk).update(name="Stadt Anderswo")
    # What another process's bump leaves here: a new version in the shared cache, and this
    # process's memory of the version expired (after versioned.VERSION_SECONDS).
    from django.core.cache import cache

    cache.set(versioned._version_key(bodies.NAMESPACE), "from-another-process", None)
    versioned.local.delete(versioned._version_key(bodies.NAMESPACE))
    assert "Stadt Anderswo" in queries(client, url)[1]


def test_each_request_gets_its_own_copy(body):
    first = bodies.get_body(body.slug)
    first.towns = ["set by a view"]
    second = bodies.get_body(body.slug)
    assert second is not first
    assert not hasattr(second, "towns")
    assert second.pk == body.pk and second.nav_has_strategy is False


def test_an_unknown_body_is_still_a_404(client):
    assert client.get("/gibt-es-nicht/massnahmen/").status_code == 404
    assert client.get("/gibt-es-nicht/massnahmen/").status_code == 404


def test_signed_in_people_and_writes_read_the_current_body(client, body, make_member):
    """Whoever changes a body may be served next by another app process: they always read
    the current row; only anonymous reading requests use the kept one."""
    url = f"/{body.slug}/massnahmen/"
    client.force_login(make_member(body, "body_admin"))
    queries(client, url)
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    assert body_lookups(warm) == 1
    client.logout()
    queries(client, url)
    with CaptureQueriesContext(connection) as anonymous:
        assert client.get(url).status_code == 200
        assert client.head(url).status_code == 200
    assert body_lookups(anonymous) == 0
