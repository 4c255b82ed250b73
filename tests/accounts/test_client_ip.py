"""Lockouts and rate limits count the right address, and cannot lock out an account's owner."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from lotse.accounts.adapters import AccountAdapter
from lotse.accounts.client_ip import client_ip
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def fresh_state(db):
    cache.clear()


def request_from(peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.LOTSE_TRUSTED_PROXIES = []
    assert client_ip(request_from("10.0.0.5", "198.51.100.7")) == "10.0.0.5"


def test_header_from_an_untrusted_peer_is_ignored(settings):
    settings.LOTSE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


def test_trusted_proxy_gives_the_hop_it_saw(settings):
    settings.LOTSE_TRUSTED_PROXIES = ["10.0.0.1"]
    # The client forged the first entry; nginx appended the address it really saw.
    assert client_ip(request_from("10.0.0.1", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_skipped(settings):
    settings.LOTSE_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    request = request_from("10.0.0.1", "1.2.3.4, 198.51.100.7, 2001:db8::5, 10.1.1.1")
    assert client_ip(request) == "198.51.100.7"


def test_malformed_entries_stop_the_walk(settings):
    settings.LOTSE_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(request_from("10.0.0.1", "198.51.100.7, unknown")) == "10.0.0.1"
    assert client_ip(request_from("10.0.0.1", "")) == "10.0.0.1"
    assert client_ip(request_from("10.0.0.1", "198.51.100.7:5678")) == "198.51.100.7"


def test_allauth_counts_the_same_address(settings):
    settings.LOTSE_TRUSTED_PROXIES = ["10.0.0.1"]
    assert AccountAdapter().get_client_ip(request_from("10.0.0.1", "198.51.100.7")) == (
        "198.51.100.7"
    )
    settings.LOTSE_TRUSTED_PROXIES = []
    assert AccountAdapter().get_client_ip(request_from("10.0.0.1", "198.51.100.7")) == "10.0.0.1"


def login(client, email, password, peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/konto/login/", {"login": email, "password": password}, **extra)


def test_a_stranger_cannot_lock_out_the_owner(client, citizen, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        login(client, citizen.email, "falsch", "203.0.113.66")
    assert login(client, citizen.email, PASSWORD, "203.0.113.66").status_code == 429
    # The owner, from her own address, still gets in.
    assert login(client, citizen.email, PASSWORD, "198.51.100.7").status_code == 302


def test_lockout_behind_a_trusted_proxy_is_per_client(client, citizen, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOTSE_TRUSTED_PROXIES = ["10.0.0.1"]
    for _ in range(3):
        login(client, citizen.email, "falsch", "10.0.0.1", "203.0.113.66")
    assert login(client, citizen.email, PASSWORD, "10.0.0.1", "203.0.113.66").status_code == 429
    assert login(client, citizen.email, PASSWORD, "10.0.0.1", "198.51.100.7").status_code == 302


def test_without_trusted_proxies_a_forged_header_does_not_escape_the_lockout(
    client, citizen, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    for index in range(3):
        login(client, citizen.email, "falsch", "203.0.113.66", f"192.0.2.{index}")
    response = login(client, citizen.email, PASSWORD, "203.0.113.66", "192.0.2.200")
    assert response.status_code == 429


def test_allauth_flood_limit_counts_the_forwarded_client(client, citizen, settings):
    settings.AXES_ENABLED = False
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip"}
    settings.LOTSE_TRUSTED_PROXIES = ["10.0.0.1"]
    for _ in range(2):
        login(client, citizen.email, "falsch", "10.0.0.1", "203.0.113.66")
    response = login(client, citizen.email, "falsch", "10.0.0.1", "203.0.113.66")
    assert "Zu viele gescheiterte Anmeldeversuche" in response.content.decode()
    # Someone else behind the same proxy is not limited.
    assert login(client, citizen.email, PASSWORD, "10.0.0.1", "198.51.100.7").status_code == 302
