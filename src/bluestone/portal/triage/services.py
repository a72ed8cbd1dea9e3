"""Writes for triage: callbacks, turning an online report into a case, recording it as intelligence.

Every write is one transaction; every write that touches personal data records its s.62 entry in it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts.models import Team, User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.entry import PersonDetails, case_create
from bluestone.cases.models import Case, HowReported, Role
from bluestone.core import clock
from bluestone.core.models import OffenceClass
from bluestone.portal.models import (
    CallbackAttempt,
    CallbackOutcome,
    ContactChannel,
    OnlineReport,
    ReporterKind,
    ReportStatus,
    SafeTime,
)
from bluestone.portal.report.services import OBJECT_TYPE
from bluestone.victims.models import Channel
from bluestone.victims.services import victim_profile_update, victim_profiles_ensure


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
        report = OnlineReport.objects.select_for_update().get(pk=report.pk)
        _require_open(report)
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
        # Closed once: a triage colleague turning it into a case at the same moment goes first or waits.
        report = OnlineReport.objects.select_for_update().get(pk=report.pk)
        _require_open(report)
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
