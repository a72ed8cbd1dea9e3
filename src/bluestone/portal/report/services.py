"""Writes for online reporting: drafts, sending a report, rate limits.

Every write is one transaction; every write that touches personal data records its s.62 entry in it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.core import clock
from bluestone.portal.models import (
    ContactChannel,
    OnlineReport,
    RateLimitHit,
    ReportDraft,
    ReporterKind,
    WhenHappened,
)
from bluestone.portal.report import steps

OBJECT_TYPE = "portal.onlinereport"
# Drafts (and the cookie that points at one) last this long from the first answer.
DRAFT_HOURS = 2
# Letters and digits that cannot be mistaken for one another when read out on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8
SUBMIT_BUCKET = "report-submit"


def callback_hours() -> int:
    """How soon triage must call a reporter back (BLUESTONE_CALLBACK_HOURS, default 12)."""
    # A force sets it in the environment; settings/base.py reads it there.
    return int(getattr(settings, "BLUESTONE_CALLBACK_HOURS", 12))


def urgent_callback_hours() -> int:
    """How soon triage must call back someone reporting an offence of the last 7 days, while forensic
    evidence may still be recovered (BLUESTONE_URGENT_CALLBACK_HOURS, default 1)."""
    return int(getattr(settings, "BLUESTONE_URGENT_CALLBACK_HOURS", 1))


def callback_hours_for(when_happened: str) -> int:
    """The callback clock for a report: urgent inside the forensic window, otherwise the usual one."""
    if when_happened == WhenHappened.LAST_WEEK:
        return min(urgent_callback_hours(), callback_hours())
    return callback_hours()


def reports_per_hour() -> int:
    """How many reports one client may send in an hour (BLUESTONE_PORTAL_REPORTS_PER_HOUR, default 5)."""
    return int(getattr(settings, "BLUESTONE_PORTAL_REPORTS_PER_HOUR", 5))


# --- Drafts --------------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def report_draft_get(*, token: str | None) -> ReportDraft | None:
    """The live draft the browser's token points at, or None (no token, unknown or expired)."""
    if not token:
        return None
    oldest = clock.now() - dt.timedelta(hours=DRAFT_HOURS)
    return ReportDraft.objects.filter(token_hash=_token_hash(token), created_at__gte=oldest).first()


def report_draft_start() -> tuple[ReportDraft, str]:
    """A new, empty draft and the token for the browser's cookie. Expired drafts are deleted here,
    so personal data typed into an abandoned report does not outlive DRAFT_HOURS by much."""
    now = clock.now()
    with transaction.atomic():
        ReportDraft.objects.filter(created_at__lt=now - dt.timedelta(hours=DRAFT_HOURS)).delete()
        token = secrets.token_urlsafe(32)
        draft = ReportDraft.objects.create(token_hash=_token_hash(token), created_at=now)
    return draft, token


def report_draft_answer(*, draft: ReportDraft, step: str, data: dict[str, Any]) -> ReportDraft:
    """Keep one page's (valid) answer, and drop answers to pages that no longer apply."""
    if draft.report_id is not None:
        raise ValidationError("This report has already been sent.")
    answers = dict(draft.answers)
    answers[step] = data
    draft.answers = steps.applicable_answers(answers)
    draft.save(update_fields=["answers"])
    return draft


def report_draft_discard(*, draft: ReportDraft) -> None:
    draft.delete()


# --- Rate limits ---------------------------------------------------------------------------------


def client_hash(request: HttpRequest) -> str:
    """A keyed hash of the client's address: enough to count, never stored as the address itself."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def rate_limit_exceeded(*, bucket: str, request: HttpRequest, limit: int, window: dt.timedelta) -> bool:
    """Whether this client has already done `limit` of `bucket` within `window`."""
    since = clock.now() - window
    return RateLimitHit.objects.filter(bucket=bucket, client_hash=client_hash(request), at__gte=since).count() >= limit


def rate_limit_hit(*, bucket: str, request: HttpRequest, window: dt.timedelta) -> None:
    """Count one action by this client; forget the bucket's hits older than `window`."""
    now = clock.now()
    RateLimitHit.objects.filter(bucket=bucket, at__lt=now - window).delete()
    RateLimitHit.objects.create(bucket=bucket, client_hash=client_hash(request), at=now)


class RateLimitedError(Exception):
    """Too many reports from one client in the last hour."""


# --- Sending a report ----------------------------------------------------------------------------


def _new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "contact_channel",
    "phone",
    "email",
    "safe_times",
    "safe_times_note",
    "message_allowed",
    "callback_due_at",
)


def _anonymity_check(report: OnlineReport) -> None:
    """An anonymous report holds no way to reach or name its reporter (the database checks it too)."""
    if not report.is_anonymous:
        return
    held = [name for name in CONTACT_FIELDS if getattr(report, name) not in ("", None)]
    if held:
        raise ValidationError(f"An anonymous report cannot hold contact details ({', '.join(held)}).")


def _report_from_answers(answers: steps.Answers) -> OnlineReport:
    values = steps.cleaned_answers(answers)
    kind = values["kind"]
    now = clock.now()
    report = OnlineReport(
        kind=kind,
        submitted_at=now,
        what_happened=values["what_happened"].strip(),
        when_happened=values["when_happened"],
        where_happened=values.get("where_happened", "").strip(),
    )
    if kind == ReporterKind.SOMEONE_ELSE:
        report.victim_first_name = values.get("victim_first_name", "").strip()
        report.victim_last_name = values.get("victim_last_name", "").strip()
        report.relationship_to_victim = values["relationship_to_victim"].strip()
        report.victim_knows = values["victim_knows"]
    if kind in (ReporterKind.MYSELF, ReporterKind.SOMEONE_ELSE):
        report.first_name = values["first_name"].strip()
        report.last_name = values["last_name"].strip()
        report.contact_channel = values["contact_channel"]
        report.phone = values.get("phone", "").strip()
        report.email = values.get("email", "").strip()
        report.safe_times = ",".join(values["safe_times"])
        report.safe_times_note = values.get("safe_times_note", "").strip()
        if report.contact_channel in (ContactChannel.PHONE, ContactChannel.TEXT):
            report.message_allowed = values["message_allowed"] == "yes"
        report.callback_due_at = now + dt.timedelta(hours=callback_hours_for(report.when_happened))
    return report


def online_report_submit(*, draft: ReportDraft, request: HttpRequest | None = None) -> OnlineReport:
    """Send the draft's report: a triage item with its callback clock, in one transaction.

    Raises ValueError when an answer is missing or not valid (nothing is written), RateLimitedError when
    this client has sent too many reports in the last hour. The draft keeps no answers afterwards,
    only the link to the report for the confirmation page.

    The s.62 entry for an anonymous report is written without the request, so that the log does not
    keep the address or browser of someone who chose not to give their name.
    """
    if draft.report_id is not None:
        raise ValueError("This report has already been sent.")
    report = _report_from_answers(draft.answers)
    _anonymity_check(report)
    window = dt.timedelta(hours=1)
    if request is not None and rate_limit_exceeded(
        bucket=SUBMIT_BUCKET, request=request, limit=reports_per_hour(), window=window
    ):
        raise RateLimitedError
    for _attempt in range(5):
        report.reference = _new_reference()
        try:
            with transaction.atomic():
                # "Send" pressed twice: the second waits on the draft, then finds the report sent.
                if ReportDraft.objects.select_for_update().filter(pk=draft.pk, report__isnull=True).first() is None:
                    raise ValueError("This report has already been sent.")
                report.save()
                audit_record(
                    actor=None,
                    action=AuditAction.COLLECTION,
                    request=None if report.is_anonymous else request,
                    object_type=OBJECT_TYPE,
                    object_id=report.pk,
                    details={"surface": "portal", "kind": report.kind, "reference": report.reference},
                )
                if request is not None:
                    rate_limit_hit(bucket=SUBMIT_BUCKET, request=request, window=window)
                draft.answers = {}
                draft.report = report
                draft.save(update_fields=["answers", "report"])
            return report
        except IntegrityError:
            if OnlineReport.objects.filter(reference=report.reference).exists():
                report.pk = OnlineReport._meta.get_field("id").get_default()
                continue  # the random reference was taken: draw another
            raise
    raise RuntimeError("Could not find an unused report reference.")
