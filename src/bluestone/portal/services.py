"""Writes for online reporting (drafts, sending a report, rate limits) and for triage (callbacks,
turning a report into a case, recording it as intelligence).

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

from bluestone.accounts.models import Team, User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.entry import PersonDetails, case_create
from bluestone.cases.models import Case, HowReported, Role
from bluestone.core import clock
from bluestone.core.models import OffenceClass
from bluestone.portal import steps
from bluestone.portal.models import (
    CallbackAttempt,
    CallbackOutcome,
    ContactChannel,
    OnlineReport,
    RateLimitHit,
    ReportDraft,
    ReporterKind,
    ReportStatus,
    SafeTime,
)
from bluestone.victims.models import Channel
from bluestone.victims.services import victim_profile_update, victim_profiles_ensure

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
        report.callback_due_at = now + dt.timedelta(hours=callback_hours())
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


# --- Triage --------------------------------------------------------------------------------------


def online_report_view_record(*, actor: User, report: OnlineReport, request: HttpRequest | None = None) -> None:
    """A member of triage opened a report (s.62 consultation)."""
    audit_record(
        actor=actor,
        action=AuditAction.CONSULTATION,
        request=request,
        case=report.case_id,
        object_type=OBJECT_TYPE,
        object_id=report.pk,
        details={"reference": report.reference},
    )


def _require_open(report: OnlineReport) -> None:
    if not report.is_open:
        raise ValidationError(f"This report is already closed: {report.get_status_display().lower()}.")


def callback_attempt_record(
    *,
    actor: User,
    report: OnlineReport,
    outcome: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> CallbackAttempt:
    """Record a try at reaching the reporter; speaking to them stops the callback clock."""
    if report.is_anonymous:
        raise ValidationError("An anonymous report has nobody to call back.")
    _require_open(report)
    if outcome not in CallbackOutcome.values:
        raise ValidationError({"outcome": "Select what happened when you tried to contact them"})
    now = clock.now()
    with transaction.atomic():
        attempt = CallbackAttempt.objects.create(
            report=report, attempted_at=now, attempted_by=actor, outcome=outcome, note=note.strip()
        )
        if outcome == CallbackOutcome.SPOKE and report.callback_made_at is None:
            report.callback_made_at = now
            report.save(update_fields=["callback_made_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            object_type=OBJECT_TYPE,
            object_id=report.pk,
            details={"callback": outcome, "reference": report.reference},
        )
    return attempt


def _people_for(
    report: OnlineReport,
    *,
    first_name: str,
    last_name: str,
    gender: str,
    date_of_birth: dt.date | None,
    suspect: PersonDetails | None,
) -> list[PersonDetails]:
    """The victim (and, for a report made for someone else, the reporter; and the suspect, if named)
    as the case will hold them."""
    if report.kind == ReporterKind.MYSELF:
        people = [
            PersonDetails(
                role=Role.VICTIM,
                first_name=first_name,
                last_name=last_name,
                gender=gender,
                date_of_birth=date_of_birth,
                phone=report.phone,
                email=report.email,
            )
        ]
    else:
        people = [
            PersonDetails(
                role=Role.VICTIM, first_name=first_name, last_name=last_name, gender=gender, date_of_birth=date_of_birth
            ),
            PersonDetails(
                role=Role.REPORTER,
                first_name=report.first_name,
                last_name=report.last_name,
                phone=report.phone,
                email=report.email,
            ),
        ]
    if suspect is not None:
        people.append(suspect)
    return people


def _suspect_details(first_name: str, last_name: str, relationship: str) -> PersonDetails | None:
    if not (first_name.strip() or last_name.strip()):
        return None
    return PersonDetails(
        role=Role.SUSPECT,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        relationship_to_victim=relationship,
    )


# The report's answer on how to get in touch, as the victim profile's channel.
_PROFILE_CHANNEL = {
    ContactChannel.PHONE: Channel.PHONE,
    ContactChannel.TEXT: Channel.SMS,
    ContactChannel.EMAIL: Channel.EMAIL,
}


def _victim_contact_carry(*, actor: User, case: Case, report: OnlineReport, request: HttpRequest | None) -> None:
    """A victim who reported for themselves already told us how to reach them safely: their profile
    starts with those answers (channel, safe number or address, safe times, whether a message may be
    left), so nobody has to ask again. A report for someone else holds the reporter's contact, not the
    victim's: that profile starts empty."""
    if report.kind != ReporterKind.MYSELF:
        return
    times = [SafeTime(value).label for value in report.safe_times.split(",") if value in SafeTime.values]
    if report.safe_times_note:
        times.append(report.safe_times_note)
    changes: dict[str, Any] = {
        "channel": _PROFILE_CHANNEL.get(ContactChannel(report.contact_channel), Channel.PHONE)
        if report.contact_channel
        else Channel.PHONE,
        "safe_phone": report.phone,
        "safe_email": report.email,
        "safe_times": "; ".join(times)[:200],
        "may_leave_message": bool(report.message_allowed),
    }
    for profile in victim_profiles_ensure(case_id=case.pk, actor=actor):
        victim_profile_update(actor=actor, profile=profile, changes=changes, request=request)


def online_report_case_create(
    *,
    actor: User,
    report: OnlineReport,
    team: Team,
    offence_class: OffenceClass,
    offence_from: dt.date,
    victim_first_name: str,
    victim_last_name: str,
    victim_gender: str,
    victim_date_of_birth: dt.date | None = None,
    location_description: str = "",
    suspect_first_name: str = "",
    suspect_last_name: str = "",
    suspect_relationship: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Turn a named online report into a case (how reported: online) and close the report.

    Raises ValidationError for an anonymous report (intelligence only, never a case), a report already
    closed, or a case that does not hold together (case_create's checks); nothing is written then.
    """
    if report.is_anonymous:
        raise ValidationError("An anonymous report is recorded as intelligence, not as a case.")
    _require_open(report)
    with transaction.atomic():
        locked = OnlineReport.objects.select_for_update().get(pk=report.pk)
        _require_open(locked)
        case = case_create(
            actor=actor,
            offence_class=offence_class,
            team=team,
            reported_at=report.submitted_at,
            offence_from=offence_from,
            how_reported=HowReported.ONLINE,
            summary=report.what_happened,
            location_description=location_description or report.where_happened,
            people=_people_for(
                report,
                first_name=victim_first_name,
                last_name=victim_last_name,
                gender=victim_gender,
                date_of_birth=victim_date_of_birth,
                suspect=_suspect_details(suspect_first_name, suspect_last_name, suspect_relationship),
            ),
            request=request,
        )
        _victim_contact_carry(actor=actor, case=case, report=locked, request=request)
        now = clock.now()
        locked.case = case
        locked.status = ReportStatus.CASE_CREATED
        locked.closed_at = now
        locked.closed_by = actor
        locked.updated_by = actor
        locked.save(update_fields=["case", "status", "closed_at", "closed_by", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=case,
            object_type=OBJECT_TYPE,
            object_id=report.pk,
            details={"status": ReportStatus.CASE_CREATED, "reference": report.reference},
        )
    report.refresh_from_db()
    return case


def online_report_intelligence_record(
    *, actor: User, report: OnlineReport, note: str, request: HttpRequest | None = None
) -> OnlineReport:
    """Close a report as intelligence (every anonymous report ends here; a named one may too)."""
    if not note.strip():
        raise ValidationError({"note": "Enter why this report is being recorded as intelligence"})
    _require_open(report)
    with transaction.atomic():
        report.status = ReportStatus.INTELLIGENCE
        report.intelligence_note = note.strip()
        report.closed_at = clock.now()
        report.closed_by = actor
        report.updated_by = actor
        report.save(update_fields=["status", "intelligence_note", "closed_at", "closed_by", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            object_type=OBJECT_TYPE,
            object_id=report.pk,
            details={"status": ReportStatus.INTELLIGENCE, "reference": report.reference},
        )
    return report
