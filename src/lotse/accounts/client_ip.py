"""The client's address, the one every rate limit and lockout counts.

Behind a reverse proxy every request comes from the proxy's address. The proxy's
``X-Forwarded-For`` header names the real client, but anyone can send that header, so it is
believed only when the direct peer is listed in ``LOTSE_TRUSTED_PROXIES`` (addresses or
networks, comma-separated). The header is then read from the right: each proxy appends the
address it saw, so the first address from the right that is not a trusted proxy is the client.
Entries further left were written by the client itself and are ignored.

django-axes (``AXES_CLIENT_IP_CALLABLE``), django-ratelimit (``RATELIMIT_IP_META_KEY``) and
allauth (the account adapter) all ask here.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(value: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in value if item.strip())


def _configured() -> tuple[Network, ...]:
    value = getattr(settings, "LOTSE_TRUSTED_PROXIES", ())
    if isinstance(value, str):
        value = value.split(",")
    return trusted_networks(tuple(value))


def _parse(value: str):
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "192.0.2.1:443"
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str:
    """The address of the client that sent ``request``; the direct peer unless it is a
    trusted proxy."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    networks = _configured()
    address = _parse(peer)
    if address is None or not networks or not _is_trusted(address, networks):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        hop_address = _parse(hop)
        if hop_address is None:
            # A malformed entry: stop at the last address we could trust.
            break
        address = hop_address
        if not _is_trusted(hop_address, networks):
            break
    return str(address)
