"""The client's address, with and without a proxy in front (security review, finding 6).

The attack: behind a proxy every request came from the proxy's address, so 20 wrong portal sign-ins
from anyone locked everybody out, and five online reports an hour were the whole force's limit. And
without a proxy, a client must not escape a limit by sending a made-up X-Forwarded-For header.
"""

from __future__ import annotations

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.core.client import client_address, trusted_networks
from tests.portal_follow.conftest import sign_in

PROXY = "10.0.0.1"
NETWORKS = trusted_networks(["10.0.0.0/24", "2001:db8::/32"])


@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        # No header, or a peer that is not a trusted proxy: the peer is the client, whatever it says.
        ("203.0.113.9", None, "203.0.113.9"),
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),
        # Through the proxy: the address it appended.
        (PROXY, "203.0.113.5", "203.0.113.5"),
        # A client that sends its own header cannot choose: the proxy's entry is the right-most.
        (PROXY, "198.51.100.66, 203.0.113.5", "203.0.113.5"),
        # Two trusted proxies in a row: skip both.
        (PROXY, "203.0.113.5, 10.0.0.7", "203.0.113.5"),
        # Ports and IPv6 as proxies write them.
        (PROXY, "203.0.113.5:4711", "203.0.113.5"),
        ("2001:db8::1", "[2001:db8:ffff::1]:443, 2a00:1450::1", "2a00:1450::1"),
        # Rubbish where the proxy's entry should be: believe nothing, keep the proxy's address.
        (PROXY, "not-an-address", PROXY),
        (PROXY, "", PROXY),
    ],
)
def test_the_client_is_the_first_untrusted_address_from_the_right(peer, header, expected):
    assert client_address(peer=peer, header=header, networks=NETWORKS) == expected
    assert ipaddress.ip_address(client_address(peer=peer, header=header, networks=NETWORKS))


def test_a_setting_that_is_not_an_address_is_refused_at_start():
    with pytest.raises(ImproperlyConfigured, match="BLUESTONE_TRUSTED_PROXIES"):
        trusted_networks(["10.0.0.0/8", "proxy.example"])


@pytest.mark.django_db
def test_without_a_proxy_a_made_up_header_does_not_escape_a_lock(follower, settings):
    settings.BLUESTONE_PORTAL_ADDRESS_ATTEMPTS = 3
    for number in range(3):
        client = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
        sign_in(client, f"BS/26/900000{number}", "AAAA-BBBB")
    spoofing = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert sign_in(spoofing, follower.reference, follower.code).status_code == 429
    failed = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED)
    assert set(failed.values_list("ip_address", flat=True)) == {"203.0.113.9"}


@pytest.mark.django_db
def test_behind_a_trusted_proxy_one_client_locked_out_does_not_lock_out_another(follower, settings):
    settings.BLUESTONE_TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.BLUESTONE_PORTAL_ADDRESS_ATTEMPTS = 3
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    for number in range(3):
        sign_in(attacker, f"BS/26/900000{number}", "AAAA-BBBB")
    assert sign_in(attacker, follower.reference, follower.code).status_code == 429

    victim = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.6")
    signed_in = sign_in(victim, follower.reference, follower.code)

    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/portal/follow/secret-word/"
    entries = AuditEvent.objects.filter(action__in=[AuditAction.SIGN_IN_FAILED, AuditAction.SIGN_IN])
    assert set(entries.values_list("ip_address", flat=True)) == {"203.0.113.5", "203.0.113.6"}
