"""Limits on signing in to "Follow my case", built so that nobody can use them against a victim.

Somebody who knows a crime reference (a suspect has it on their bail papers) must not be able to
lock the victim out by typing wrong codes. So wrong tries are counted three ways, each under a keyed
hash (nothing typed is stored), whether or not the reference exists:

- **per client at one reference**: `BLUESTONE_PORTAL_ATTEMPTS` (5) wrong tries lock *that client*
  out of that reference for `BLUESTONE_PORTAL_LOCKOUT_MINUTES` (30). Anyone else, the victim
  included, can still sign in with the right details;
- **per client**: `BLUESTONE_PORTAL_ADDRESS_ATTEMPTS` (20) wrong tries at any references lock that
  client out altogether, so one client cannot walk through many references;
- **per reference, a slow-down, not a lock**: once a reference has had more wrong tries in the
  window than one client may make (so only several clients together can get there), each further
  wrong try makes the next try at it wait, 1, 2, 4... seconds up to
  `BLUESTONE_PORTAL_SLOWDOWN_MAX_SECONDS` (60). Guessing from many addresses is slowed; the victim
  waits a minute at most.

A try made while locked or slowed is refused without being checked or counted, so repeated tries
never extend a lock. The client is `REMOTE_ADDR`, which `bluestone.core.client` sets from the trusted
proxy's header behind a proxy. Triage and the case's team see and lift the locks on a reference
(`portal_lock_status`, `portal_lock_lift`), which the access log records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from typing import Literal

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.models import Case
from bluestone.core import clock
from bluestone.victims import conf
from bluestone.victims.models import PortalThrottle


def reference_normalise(typed: str) -> str:
    return "".join(typed.split()).upper()


def _key(kind: str, value: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"portal-throttle:{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def client_address(request: HttpRequest | None) -> str:
    raw = (request.META.get("REMOTE_ADDR") or "") if request is not None else ""
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return "unknown"


@dataclass(frozen=True)
class Keys:
    """The three counts one try at `reference` from one client goes into."""

    client: str
    reference_client: str
    reference: str

    @classmethod
    def of(cls, reference: str, request: HttpRequest | None) -> Keys:
        address = client_address(request)
        reference = reference_normalise(reference)
        return cls(
            client=_key("address", address),
            reference_client=_key("reference-address", f"{reference}\n{address}"),
            reference=_key("reference", reference),
        )


@dataclass(frozen=True)
class Held:
    """Why a try is refused without being checked, and until when."""

    why: Literal["locked", "slowed"]
    until: dt.datetime


def held(keys: Keys) -> Held | None:
    """Whether this client may not try this reference now (one query)."""
    now = clock.now()
    rows = PortalThrottle.objects.filter(
        Q(key__in=[keys.client, keys.reference_client], locked_until__gt=now)
        | Q(key=keys.reference, slowed_until__gt=now)
    ).values_list("key", "locked_until", "slowed_until")
    locked = [until for key, until, _ in rows if key != keys.reference and until is not None]
    if locked:
        return Held(why="locked", until=max(locked))
    slowed = [until for key, _, until in rows if key == keys.reference and until is not None]
    if slowed:
        return Held(why="slowed", until=max(slowed))
    return None


def _row(key: str, *, reference_key: str, now: dt.datetime) -> PortalThrottle:
    row, _ = PortalThrottle.objects.select_for_update().get_or_create(
        key=key, defaults={"window_started_at": now, "reference_key": reference_key}
    )
    if now - row.window_started_at > dt.timedelta(minutes=conf.portal_lockout_minutes()):
        row.failures, row.window_started_at, row.slowed_until = 0, now, None
    row.failures += 1
    return row


def failure_count(keys: Keys, *, reference: bool = True) -> dt.datetime | None:
    """Count one wrong try (inside the caller's transaction). Returns when this client's lock ends if
    this try locked it. With `reference=False` only the client's own count moves (asking for a new
    code is limited per client, never against the victim's reference)."""
    now = clock.now()
    lock = dt.timedelta(minutes=conf.portal_lockout_minutes())
    locked = None
    limits = [(keys.client, "", conf.portal_address_attempts())]
    if reference:
        limits.append((keys.reference_client, keys.reference, conf.portal_attempts()))
    for key, reference_key, limit in limits:
        row = _row(key, reference_key=reference_key, now=now)
        if row.failures >= limit:
            row.locked_until = now + lock
            row.failures, row.window_started_at = 0, now
            locked = row.locked_until
        row.save()
    if reference:
        row = _row(keys.reference, reference_key=keys.reference, now=now)
        beyond = row.failures - conf.portal_attempts()
        if beyond > 0:
            wait = min(2 ** min(beyond - 1, 30), conf.portal_slowdown_max_seconds())
            row.slowed_until = now + dt.timedelta(seconds=wait)
        row.save()
    return locked


def success_clear(keys: Keys) -> None:
    """The right details: this client's count at the reference, and the reference's slow-down, go."""
    PortalThrottle.objects.filter(key__in=[keys.reference_client, keys.reference]).delete()


# --- Staff: see and lift the locks on a reference -------------------------------------------------


@dataclass(frozen=True)
class LockStatus:
    wrong_tries: int  # in the current window, from all clients
    clients_locked: int
    locked_until: dt.datetime | None
    slowed_until: dt.datetime | None

    @property
    def any(self) -> bool:
        return bool(self.clients_locked or self.slowed_until)


def portal_lock_status(*, reference: str) -> LockStatus:
    """The sign-in locks and slow-down on a reference right now. Read from what was typed, so it is
    the same for a made-up reference as for a real one, and says nothing about any person."""
    now = clock.now()
    window = dt.timedelta(minutes=conf.portal_lockout_minutes())
    reference_key = _key("reference", reference_normalise(reference))
    rows = PortalThrottle.objects.filter(reference_key=reference_key)
    reference_row = rows.filter(key=reference_key, window_started_at__gt=now - window).first()
    locked = rows.exclude(key=reference_key).filter(locked_until__gt=now)
    slowed = reference_row.slowed_until if reference_row is not None else None
    return LockStatus(
        wrong_tries=reference_row.failures if reference_row is not None else 0,
        clients_locked=locked.count(),
        locked_until=locked.aggregate(until=Max("locked_until"))["until"],
        slowed_until=slowed if slowed is not None and slowed > now else None,
    )


def portal_lock_lift(
    *, actor: User, reference: str, case: Case | None = None, request: HttpRequest | None = None
) -> int:
    """Lift every lock and slow-down on a reference (each client's own count stays). Triage may, for
    any reference typed; the case's team may, for their case (`case`). Recorded in the access log."""
    if not rules.test_rule("victims.lift_portal_lock", actor, case):
        raise PermissionDenied("Only triage or the case's team can lift a lock on signing in to follow a case.")
    reference = reference_normalise(reference)
    if case is None:
        case = Case.objects.filter(crime_reference__iexact=reference).first() if reference else None
    reference_key = _key("reference", reference)
    with transaction.atomic():
        lifted, _ = PortalThrottle.objects.filter(reference_key=reference_key).delete()
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=case,
            object_type="victims.PortalThrottle",
            details={"what": "portal sign-in locks lifted", "rows": lifted},
        )
    return lifted
