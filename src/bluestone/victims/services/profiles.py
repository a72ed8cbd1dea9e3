"""Victim profiles (made for each victim on a case) and the contact plan each asks for."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.cases.models import Involvement, Role
from bluestone.core import clock
from bluestone.victims import conf
from bluestone.victims.models import ObligationStatus, VictimProfile
from bluestone.victims.services._common import _audit, _noon, _obligation_meet


def _enhanced_by_default(involvement: Involvement) -> bool:
    """Sexual offences (every offence class Bluestone holds) give enhanced rights unless a force says
    not; a child victim always has them."""
    case = involvement.case
    if case.offence_class.child_victim:
        return True
    birth = involvement.person.date_of_birth
    if birth is not None:
        on = case.offence_from
        age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
        if age < 18:  # noqa: PLR2004
            return True
    return conf.enhanced_rights_for_sexual_offences()


def victim_profiles_ensure(*, case_id: uuid.UUID, actor: User | None = None) -> list[VictimProfile]:
    """Every victim on the case has a profile (created with the defaults where missing); returns them all."""
    involvements = Involvement.objects.filter(case_id=case_id, role=Role.VICTIM).select_related(
        "case__offence_class", "person"
    )
    profiles = []
    with transaction.atomic():
        for involvement in involvements:
            profile = VictimProfile.objects.filter(involvement=involvement).first()
            if profile is None:
                profile = VictimProfile.objects.create(
                    involvement=involvement,
                    case_id=case_id,
                    enhanced_rights=_enhanced_by_default(involvement),
                    created_by=actor,
                    updated_by=actor,
                )
                _audit(
                    actor=actor,
                    action=AuditAction.COLLECTION,
                    profile=profile,
                    object_type="victims.VictimProfile",
                    object_id=profile.pk,
                    details={"what": "victim profile", "enhanced_rights": profile.enhanced_rights},
                )
            profiles.append(profile)
    return profiles


PROFILE_FIELDS = (
    "preferred_name",
    "channel",
    "safe_phone",
    "safe_email",
    "safe_address",
    "safe_times",
    "may_leave_message",
    "interpreter_language",
    "accessibility_needs",
    "notify_by",
    "needs_assessment",
    "needs_assessed_on",
    "special_measures",
    "enhanced_rights",
    "isva_status",
    "isva_provider",
    "isva_date",
    "is_child",
    "guardian_role",
    "guardian_name",
    "guardian_contact",
)


def victim_profile_update(
    *,
    actor: User | None,
    profile: VictimProfile,
    changes: dict[str, Any],
    request: HttpRequest | None = None,
    surface: str = "staff",
) -> VictimProfile:
    """Change the profile's fields named in `changes` (PROFILE_FIELDS only); logs which changed, not to
    what. `surface` is "portal" when the victim changes their own contact preferences."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    merged = {name: changes.get(name, getattr(profile, name)) for name in PROFILE_FIELDS}
    if merged["channel"] == "phone" and not merged["safe_phone"] and "channel" in changes:
        errors["safe_phone"] = "Enter a safe phone number, or choose another way to contact the victim."
    if merged["channel"] == "email" and not merged["safe_email"] and "channel" in changes:
        errors["safe_email"] = "Enter a safe email address, or choose another way to contact the victim."
    if merged["notify_by"] == "email" and not merged["safe_email"]:
        errors["notify_by"] = "To tell the victim of updates by email, enter a safe email address first."
    if merged["notify_by"] == "sms" and not merged["safe_phone"]:
        errors["notify_by"] = "To tell the victim of updates by text message, enter a safe phone number first."
    if merged["is_child"] and not merged["guardian_name"] and "is_child" in changes:
        errors["guardian_name"] = "Enter the name of the parent, guardian or appropriate adult."
    if merged["isva_status"] in {"accepted", "declined", "offered"} and not merged["isva_date"]:
        errors["isva_date"] = "Enter the date the ISVA referral was offered or answered."
    if merged["needs_assessed_on"] and merged["needs_assessed_on"] > clock.today():
        errors["needs_assessed_on"] = "The date of the needs assessment must be today or in the past."
    if errors:
        raise ValidationError(errors)
    changed = [name for name in PROFILE_FIELDS if name in changes and getattr(profile, name) != changes[name]]
    with transaction.atomic():
        for name in changed:
            setattr(profile, name, changes[name])
        profile.updated_by = actor
        profile.save()
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            profile=profile,
            object_type="victims.VictimProfile",
            object_id=profile.pk,
            details={"fields": changed, "surface": surface},
            request=request,
        )
    return profile


def contact_plan_set(
    *,
    actor: User,
    profile: VictimProfile,
    cadence_days: int,
    agreed_on: dt.date,
    notes: str = "",
    request: HttpRequest | None = None,
) -> VictimProfile:
    """Record the contact plan the victim agreed: every `cadence_days` days, from `agreed_on`."""
    errors = {}
    if not 1 <= cadence_days <= 365:  # noqa: PLR2004
        errors["cadence_days"] = "Enter how often to contact the victim, from 1 to 365 days."
    if agreed_on > clock.today():
        errors["agreed_on"] = "The date the plan was agreed must be today or in the past."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        profile.plan_cadence_days = cadence_days
        profile.plan_agreed_on = agreed_on
        profile.plan_notes = notes.strip()
        profile.updated_by = actor
        profile.save(update_fields=["plan_cadence_days", "plan_agreed_on", "plan_notes", "updated_by", "updated_at"])
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            profile=profile,
            object_type="victims.VictimProfile",
            object_id=profile.pk,
            details={"fields": ["contact_plan"], "cadence_days": cadence_days},
            request=request,
        )
        # Agreeing a plan meets the duty to agree one.
        for obligation in profile.obligations.filter(right__code="contact_plan", status=ObligationStatus.OPEN):
            _obligation_meet(obligation=obligation, when=_noon(agreed_on), contact=None)
    return profile
