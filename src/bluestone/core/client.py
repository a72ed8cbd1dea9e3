"""The address of the person at the other end of a request, behind a proxy or not.

Every limit and log entry that names "from where" (the s.62 log, the portal's sign-in locks, the
online report limit, django-axes' records) reads `REMOTE_ADDR`. Without a proxy that is the client.
Behind a load balancer or reverse proxy it is the proxy's own address for everybody, so one person's
failures would lock everyone out and one limit would be shared by a whole force.

`ClientAddressMiddleware` (first in MIDDLEWARE) puts the client's address in `REMOTE_ADDR` from the
header the proxy sets, under two settings:

- `BLUESTONE_TRUSTED_PROXIES`: the addresses or networks of the proxies in front of Bluestone. The
  header is believed only when the request comes straight from one of them; anyone who reaches
  Bluestone directly cannot choose their address by sending the header. Empty (the default): no
  proxy, and the header is ignored.
- `BLUESTONE_CLIENT_ADDRESS_HEADER`: the header the proxy sets (default `X-Forwarded-For`). A list of
  addresses is read from the right: each proxy appends the address it was reached from, so the
  first address from the right that is not one of the trusted proxies is the client. Addresses to
  its left were written by the client and are never used.

The direct peer's address is kept in `request.META["BLUESTONE_PEER_ADDR"]`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

PEER_KEY = "BLUESTONE_PEER_ADDR"
DEFAULT_HEADER = "X-Forwarded-For"


def trusted_networks(values: Sequence[str]) -> list[Network]:
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"BLUESTONE_TRUSTED_PROXIES: {value!r} is not an IP address or network (for example 10.0.0.0/8)."
            ) from error
    return networks


def _parse(value: str) -> Address | None:
    """An address as a proxy writes it: bare, or with a port ("203.0.113.5:4711", "[2001:db8::1]:443")."""
    text = value.strip().strip('"')
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: Address, networks: Sequence[Network]) -> bool:
    return any(address in network for network in networks)


def client_address(*, peer: str, header: str | None, networks: Sequence[Network]) -> str:
    """The client's address, given the direct peer's, the proxy header's value and the trusted proxies."""
    peer_address = _parse(peer)
    if peer_address is None or not header or not _trusted(peer_address, networks):
        return peer
    for entry in reversed(header.split(",")):
        address = _parse(entry)
        if address is None:
            break  # a trusted proxy never writes this: believe nothing further left
        if not _trusted(address, networks):
            return str(address)
    return peer


def header_meta_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.networks = trusted_networks(getattr(settings, "BLUESTONE_TRUSTED_PROXIES", []))
        self.meta_key = header_meta_key(getattr(settings, "BLUESTONE_CLIENT_ADDRESS_HEADER", "") or DEFAULT_HEADER)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        peer = request.META.get("REMOTE_ADDR") or ""
        request.META[PEER_KEY] = peer
        if self.networks:
            request.META["REMOTE_ADDR"] = client_address(
                peer=peer, header=request.META.get(self.meta_key), networks=self.networks
            )
        return self.get_response(request)


def request_client_address(request: HttpRequest) -> str:
    """For django-axes (AXES_CLIENT_IP_CALLABLE): the address ClientAddressMiddleware settled on, so that
    axes never reads a proxy header on its own terms."""
    return str(request.META.get("REMOTE_ADDR") or "")
