"""Pre-charge bail: release, conditions, extensions within the authority a person holds, and that
authority.
"""

from __future__ import annotations

import datetime as dt

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from bluestone.accounts.models import Officer, Rank, User
from bluestone.accounts.models import Role as UserRole
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.events import StaffApprovalAsked, StaffApprovalDecided
from bluestone.cases.models import Case, EventKind, Involvement
from bluestone.core import clock
from bluestone.core.events import publish
from bluestone.core.locking import relock
from bluestone.investigation.custody import BAIL_INITIAL_MONTHS, add_months, bail_authority_needed
from bluestone.investigation.models import AuthorityLevel, Bail, BailAuthority, BailExtension, BailStatus
from bluestone.investigation.services._common import (
    _audit,
    _check_date_not_future,
    _suspect_check,
    _suspect_event_write,
    _suspect_label,
    moment_of,
)

INSPECTOR_RANKS = {Rank.DI, Rank.DCI}


def user_bail_authority(user: User) -> AuthorityLevel:
    """Inspector authority from a detective inspector's or chief inspector's rank; anything else (a
    superintendent, an acting inspector) from a BailAuthority row an administrator keeps."""
    granted = BailAuthority.objects.filter(user=user).values_list("level", flat=True).first()
    rank = Officer.objects.filter(user=user).values_list("rank", flat=True).first()
    from_rank = AuthorityLevel.INSPECTOR if rank in INSPECTOR_RANKS else AuthorityLevel.NONE
    return AuthorityLevel(max(granted or 0, from_rank))


# The levels a person can hold; a magistrates' court is not a user.
GRANTABLE_LEVELS = (AuthorityLevel.INSPECTOR, AuthorityLevel.SUPERINTENDENT)


def bail_authority_grant(*, actor: User, user: User, level: int, request: HttpRequest | None = None) -> BailAuthority:
    """Give `user` (a supervisor) bail authority at `level`, or change the level they hold."""
    if not rules.test_rule("investigation.manage_bail_authority", actor):
        raise PermissionDenied("Bail authority is kept by administrators.")
    if level not in GRANTABLE_LEVELS:
        raise ValidationError({"level": "Choose inspector or superintendent."})
    if user.role != UserRole.SUPERVISOR or not user.is_active:
        raise ValidationError({"user": "Bail authority is for supervisors who can sign in."})
    with transaction.atomic():
        existing = BailAuthority.objects.select_for_update().filter(user=user).first()
        previous = existing.level if existing else AuthorityLevel.NONE
        if existing is not None and existing.level == level:
            raise ValidationError({"level": f"{user.get_full_name() or user.username} already holds this authority."})
        authority, _created = BailAuthority.objects.update_or_create(user=user, defaults={"level": level})
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            object_type="investigation.BailAuthority",
            object_id=authority.pk,
            details={"user_id": user.pk, "level": int(level), "previous_level": int(previous)},
        )
    return authority


def bail_authority_revoke(*, actor: User, authority: BailAuthority, request: HttpRequest | None = None) -> None:
    """Take away a bail authority an administrator gave; authority from rank is not affected."""
    if not rules.test_rule("investigation.manage_bail_authority", actor):
        raise PermissionDenied("Bail authority is kept by administrators.")
    with transaction.atomic():
        # Two administrators taking it away at once: the second waits, then finds it gone.
        held = BailAuthority.objects.select_for_update().filter(pk=authority.pk).first()
        if held is None:
            raise ValidationError("This bail authority has already been taken away. Nothing was changed.")
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            object_type="investigation.BailAuthority",
            object_id=held.pk,
            details={
                "user_id": held.user_id,
                "level": AuthorityLevel.NONE.value,
                "previous_level": held.level,
            },
        )
        held.delete()


def _already_on_bail(case: Case, suspect: Involvement | None) -> dict[str, str]:
    if suspect is not None and Bail.objects.filter(case=case, suspect=suspect, status=BailStatus.ACTIVE).exists():
        return {"suspect": "This suspect is already on bail. Change the conditions or extend it instead."}
    return {}


def bail_record(
    *,
    actor: User,
    case: Case,
    suspect: Involvement | None,
    starts_on: dt.date,
    conditions: str,
    victim_views: str,
    request: HttpRequest | None = None,
) -> Bail:
    """Release on pre-charge bail: the clock runs 3 months from the day bail starts."""
    errors = _suspect_check(case, suspect)
    _check_date_not_future(errors, "starts_on", starts_on, "bail started")
    if not victim_views.strip():
        errors["victim_views"] = (
            "Enter the victim's views on bail and its conditions, or why they could not be asked for."
        )
    errors |= _already_on_bail(case, suspect)
    if errors:
        raise ValidationError(errors)
    assert suspect is not None  # noqa: S101 (checked above)
    expires_on = add_months(starts_on, BAIL_INITIAL_MONTHS)
    with transaction.atomic():
        relock(suspect)  # one bail at a time for a suspect, even from two officers at once
        if problem := _already_on_bail(case, suspect):
            raise ValidationError(problem)
        bail = Bail.objects.create(
            case=case,
            suspect=suspect,
            starts_on=starts_on,
            expires_on=expires_on,
            conditions=conditions.strip(),
            victim_views=victim_views.strip(),
            created_by=actor,
            updated_by=actor,
        )
        summary = f"Bailed until {expires_on:%d/%m/%Y}: {_suspect_label(suspect)}"
        if conditions.strip():
            summary += f". Conditions: {conditions.strip()}"
        _suspect_event_write(
            actor=actor,
            case=case,
            kind=EventKind.SUSPECT_BAILED,
            suspect=suspect,
            occurred_at=moment_of(starts_on),
            details=conditions,
            summary=summary,
            request=request,
        )
    return bail


def _check_bail_active(bail: Bail) -> None:
    if bail.status != BailStatus.ACTIVE:
        raise ValidationError("This bail has ended: its conditions cannot change.")


def bail_conditions_change(
    *, actor: User, bail: Bail, conditions: str, victim_views: str, request: HttpRequest | None = None
) -> Bail:
    errors: dict[str, str] = {}
    _check_bail_active(bail)
    if conditions.strip() == bail.conditions:
        errors["conditions"] = "Enter the new conditions: they are the same as now."
    if not victim_views.strip():
        errors["victim_views"] = "Enter the victim's views on the change, or why they could not be asked for."
    if errors:
        raise ValidationError(errors)
    seen = bail.conditions
    with transaction.atomic():
        relock(bail)
        _check_bail_active(bail)
        if bail.conditions != seen:
            raise ValidationError(
                "Someone else has changed this bail's conditions since you opened the page: nothing was changed. "
                "Read the conditions now in force and try again."
            )
        bail.conditions = conditions.strip()
        bail.victim_views = victim_views.strip()
        bail.updated_by = actor
        bail.save()
        _suspect_event_write(
            actor=actor,
            case=bail.case,
            kind=EventKind.BAIL_CONDITIONS_CHANGED,
            suspect=bail.suspect,
            occurred_at=clock.now(),
            details=conditions,
            summary=f"Bail conditions changed: {conditions.strip() or 'no conditions'}",
            request=request,
        )
    return bail


def _extension_checks(bail: Bail, until: dt.date | None, reason: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if bail.status != BailStatus.ACTIVE:
        errors["until"] = "This bail has ended and cannot be extended."
    elif until is None:
        errors["until"] = "Enter the date bail is to be extended to."
    elif until <= bail.expires_on:
        errors["until"] = f"The new date must be after bail now ends ({bail.expires_on:%d/%m/%Y})."
    if not reason.strip():
        errors["reason"] = "Enter why bail needs extending."
    return errors


def bail_extend(
    *,
    actor: User,
    bail: Bail,
    until: dt.date | None,
    reason: str,
    court_reference: str = "",
    request: HttpRequest | None = None,
) -> BailExtension:
    """Extend pre-charge bail within the actor's authority: up to 6 months from its start an inspector,
    up to 9 a superintendent; beyond 9 only a magistrates' court, whose order is recorded by reference."""
    errors = _extension_checks(bail, until, reason)
    if errors:
        raise ValidationError(errors)
    assert until is not None  # noqa: S101 (checked above)
    needed = bail_authority_needed(starts_on=bail.starts_on, until=until)
    held = user_bail_authority(actor)
    if needed == AuthorityLevel.COURT:
        if not court_reference.strip():
            raise ValidationError(
                {
                    "court_reference": "Bail beyond 9 months from its start needs a magistrates' court. "
                    "Enter the court's order reference once the court has extended it."
                }
            )
        authority = AuthorityLevel.COURT
    elif held < needed:
        limit = {AuthorityLevel.NONE: 3, AuthorityLevel.INSPECTOR: 6, AuthorityLevel.SUPERINTENDENT: 9}[needed]
        raise ValidationError(
            {
                "until": f"Extending bail to {until:%d/%m/%Y} needs {needed.label.lower()} authority (bail up to "
                f"{limit} months from its start), which you do not hold. Ask for authorisation instead."
            }
        )
    else:
        authority = needed
    seen_expiry = bail.expires_on
    with transaction.atomic():
        # Two supervisors granting the same request at once: the second waits, then finds it granted.
        relock(bail)
        if bail.status != BailStatus.ACTIVE or bail.expires_on != seen_expiry:
            raise ValidationError(
                {
                    "until": "This bail has already been extended or has ended since you opened the page "
                    f"(it now ends on {bail.expires_on:%d/%m/%Y}): nothing was changed."
                    if bail.status == BailStatus.ACTIVE
                    else "This bail has already ended: nothing was changed."
                }
            )
        asker_id = bail.extension_requested_by_id if bail.extension_requested_until is not None else None
        extension = BailExtension.objects.create(
            bail=bail,
            previous_expiry=bail.expires_on,
            new_expiry=until,
            authority=authority,
            authorised_by=actor,
            reason=reason.strip(),
            court_reference=court_reference.strip(),
            created_by=actor,
        )
        bail.expires_on = until
        bail.extension_requested_until = None
        bail.extension_request_reason = ""
        bail.extension_requested_by = None
        bail.updated_by = actor
        bail.save()
        _suspect_event_write(
            actor=actor,
            case=bail.case,
            kind=EventKind.BAIL_EXTENDED,
            suspect=bail.suspect,
            occurred_at=clock.now(),
            details=reason,
            summary=f"Bail extended to {until:%d/%m/%Y} ({AuthorityLevel(authority).label.lower()} authority)",
            request=request,
        )
        if asker_id is not None:
            # Whoever asked for the extension is emailed that it was granted (victims.handlers).
            publish(
                StaffApprovalDecided(
                    case_id=bail.case_id,
                    path=reverse("investigation:plan", kwargs={"pk": bail.case_id}),
                    approved=True,
                    asker_id=asker_id,
                    actor_id=actor.pk,
                )
            )
    return extension


def _extension_approvers(bail: Bail, until: dt.date) -> tuple[int, ...]:
    """The supervisors of the case's team who hold the authority an extension to `until` needs; none
    (so all the team's supervisors are told) when nobody there holds it or only a court can grant it."""
    needed = bail_authority_needed(starts_on=bail.starts_on, until=until)
    if needed == AuthorityLevel.COURT:
        return ()
    supervisors = User.objects.filter(team_id=bail.case.team_id, role=UserRole.SUPERVISOR, is_active=True)
    return tuple(user.pk for user in supervisors.order_by("pk") if user_bail_authority(user) >= needed)


def bail_extension_request(
    *, actor: User, bail: Bail, until: dt.date | None, reason: str, request: HttpRequest | None = None
) -> Bail:
    """Ask someone with the authority to extend bail; the request waits on the supervisors' Approvals."""
    errors = _extension_checks(bail, until, reason)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        relock(bail)
        if errors := _extension_checks(bail, until, reason):
            raise ValidationError(errors)
        bail.extension_requested_until = until
        bail.extension_request_reason = reason.strip()
        bail.extension_requested_by = actor
        bail.updated_by = actor
        bail.save()
        _audit(actor=actor, action=AuditAction.ALTERATION, case=bail.case, obj=bail, request=request, asked=str(until))
        assert until is not None  # noqa: S101 (checked above)
        # The team's supervisors who can grant it are emailed a link to the extension page (victims.handlers).
        publish(
            StaffApprovalAsked(
                case_id=bail.case_id,
                path=reverse("investigation:bail-extend", kwargs={"pk": bail.case_id, "bail": bail.pk}),
                actor_id=actor.pk,
                approver_ids=_extension_approvers(bail, until),
            )
        )
    return bail


def bail_end(
    *, actor: User, bail: Bail, ended_on: dt.date | None, reason: str, request: HttpRequest | None = None
) -> Bail:
    """End (cancel) pre-charge bail without a charge, release under investigation or no further action:
    the suspect no longer has to answer bail, and the case may close."""
    errors: dict[str, str] = {}
    if bail.status != BailStatus.ACTIVE:
        raise ValidationError("This bail has already ended. Nothing was changed.")
    if ended_on is None:
        errors["ended_on"] = "Enter the date bail ended."
    _check_date_not_future(errors, "ended_on", ended_on, "bail ended")
    if ended_on is not None and ended_on < bail.starts_on:
        errors["ended_on"] = f"The date bail ended must be on or after the day it started ({bail.starts_on:%-d %B %Y})."
    if not reason.strip():
        errors["reason"] = "Enter why bail is ended, for example the suspect was told they need not answer bail."
    if errors:
        raise ValidationError(errors)
    assert ended_on is not None  # noqa: S101 (checked above)
    with transaction.atomic():
        relock(bail)
        if bail.status != BailStatus.ACTIVE:
            raise ValidationError("This bail has already ended. Nothing was changed.")
        bail.status = BailStatus.ENDED
        bail.ended_on = ended_on
        bail.end_reason = reason.strip()
        bail.extension_requested_until = None
        bail.updated_by = actor
        bail.save()
        _suspect_event_write(
            actor=actor,
            case=bail.case,
            kind=EventKind.BAIL_ENDED,
            suspect=bail.suspect,
            occurred_at=moment_of(ended_on),
            details=reason,
            summary=f"Pre-charge bail ended: {_suspect_label(bail.suspect)}",
            request=request,
        )
    return bail
