"""Writes about who may see a case (restriction, break-glass, case need), and the s.62 log entries
for reading cases. Each write and its audit entry commit or roll back together."""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from collections.abc import Iterable
from typing import Any

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts.models import Officer, Role, User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import Case, CaseAccess, CaseAccessKind, CaseStatus, EventKind, RestrictionReason
from bluestone.core import clock

# Configurable in settings; these are the defaults.
BREAK_GLASS_MINUTES = 60
CASE_NEED_DAYS = 30
JUSTIFICATION_MIN_LENGTH = 20


def break_glass_duration() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "BLUESTONE_BREAK_GLASS_MINUTES", BREAK_GLASS_MINUTES)))


def case_need_duration() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "BLUESTONE_CASE_NEED_DAYS", CASE_NEED_DAYS)))


def justification_min_length() -> int:
    return int(getattr(settings, "BLUESTONE_JUSTIFICATION_MIN_LENGTH", JUSTIFICATION_MIN_LENGTH))


# Letters that draw nothing: Hangul fillers and the blank Braille pattern are "letters" and "symbols"
# to Unicode, but a reason made of them shows as empty.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _shows(char: str) -> bool:
    """Whether a character draws something by itself: not a space, a control or format character
    (zero-width spaces and joiners, direction marks), a combining mark, or a blank letter."""
    return unicodedata.category(char)[0] not in "CZM" and char not in _BLANK_LETTERS and not char.isspace()


def visible_length(text: str) -> int:
    """How many characters of `text` a reader sees (U+200B x 25 is 0)."""
    return sum(1 for char in text if _shows(char))


def justification_check(justification: str, *, what: str) -> str:
    # Control and format characters (zero-width spaces, direction overrides) are dropped from what is
    # kept; the length that counts is what a reader of the log would see.
    kept = "".join(char for char in justification if unicodedata.category(char)[0] != "C" or char.isspace())
    text = " ".join(kept.split())
    minimum = justification_min_length()
    if not visible_length(text):
        raise ValidationError(f"Enter why you need {what}", code="required")
    if visible_length(text) < minimum:
        raise ValidationError(
            f"Why you need {what} must be {minimum} characters or more: say what you are doing and why",
            code="too_short",
        )
    return text


def break_glass_open(*, user: User, case: Case, justification: str, request: HttpRequest | None = None) -> CaseAccess:
    """Give `user` time-limited access to a case outside their scope, for the reason they typed.

    The supervisors of the case's team see the grant (on the case and in their break-glass list), and
    auditors see it in the break-glass log and the access log. A restricted case cannot be opened so.
    """
    if not rules.test_rule("cases.break_glass_case", user, case):
        raise PermissionDenied("Break-glass access is for investigators and supervisors outside the case's team.")
    text = justification_check(justification, what="to open this case")
    now = clock.now()
    with transaction.atomic():
        access = CaseAccess.objects.create(
            case=case,
            user=user,
            kind=CaseAccessKind.BREAK_GLASS,
            justification=text,
            granted_by=user,
            granted_at=now,
            expires_at=now + break_glass_duration(),
            created_by=user,
            updated_by=user,
        )
        audit_record(
            actor=user,
            action=AuditAction.BREAK_GLASS,
            request=request,
            case=case,
            object_type="cases.CaseAccess",
            object_id=access.pk,
            justification=text,
            details={"expires_at": access.expires_at.isoformat() if access.expires_at else None},
        )
    return access


def case_need_record(
    *, actor: User, analyst: User, case: Case, justification: str, request: HttpRequest | None = None
) -> CaseAccess:
    """Let `analyst` see the identities of the suspects on `case`, for a time, for a recorded reason.

    An analyst records their own case need; a supervisor of the case's team records one for an
    analyst. Victims stay pseudonymised whatever the case need.
    """
    if analyst.role != Role.ANALYST or not analyst.is_active:
        raise ValidationError("Choose an analyst", code="not_analyst")
    if actor.pk == analyst.pk:
        allowed = rules.test_rule("cases.record_own_case_need", actor, case)
    else:
        allowed = rules.test_rule("cases.grant_case_need", actor, case)
    if not allowed:
        raise PermissionDenied("A case need is recorded by the analyst or a supervisor of the case's team.")
    text = justification_check(justification, what="the suspects' identities")
    now = clock.now()
    with transaction.atomic():
        access = CaseAccess.objects.create(
            case=case,
            user=analyst,
            kind=CaseAccessKind.CASE_NEED,
            justification=text,
            granted_by=actor,
            granted_at=now,
            expires_at=now + case_need_duration(),
            created_by=actor,
            updated_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.COLLECTION,
            request=request,
            case=case,
            object_type="cases.CaseAccess",
            object_id=access.pk,
            justification=text,
            details={
                "kind": CaseAccessKind.CASE_NEED.value,
                "analyst_id": analyst.pk,
                "expires_at": access.expires_at.isoformat() if access.expires_at else None,
            },
        )
    return access


def _name_on_case(*, case: Case, user: User, actor: User, at: dt.datetime) -> CaseAccess:
    """Name `user` on a restricted case, so that they can open it."""
    return CaseAccess.objects.create(
        case=case,
        user=user,
        kind=CaseAccessKind.NAMED,
        granted_by=actor,
        granted_at=at,
        created_by=actor,
        updated_by=actor,
    )


def case_restrict(
    *,
    actor: User,
    case: Case,
    reason: str,
    named_users: Iterable[User],
    request: HttpRequest | None = None,
) -> list[CaseAccess]:
    """Restrict a case to named people, or name more people on a restricted case.

    The supervisor who restricts it and the officer in the case are always named, so that the case
    is never left with nobody to work it. Only investigators and supervisors can be named.
    """
    if not rules.test_rule("cases.restrict_case", actor, case):
        raise PermissionDenied("Only a supervisor of the case's team can restrict it.")
    if reason not in RestrictionReason.values:
        raise ValidationError("Select why the case is restricted", code="reason")
    people: dict[int, User] = {actor.pk: actor}
    officer_user = case.officer.user if case.officer is not None else None
    if officer_user is not None:
        people[officer_user.pk] = officer_user
    for user in named_users:
        if user.role not in (Role.INVESTIGATOR, Role.SUPERVISOR) or not user.is_active:
            raise ValidationError(f"{user.username} cannot be named: only investigators and supervisors work cases")
        people[user.pk] = user
    now = clock.now()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        was_restricted = locked.restricted
        locked.restricted = True
        locked.restriction_reason = reason
        locked.updated_by = actor
        locked.save(update_fields=["restricted", "restriction_reason", "updated_by", "updated_at"])
        already = set(
            CaseAccess.objects.filter(
                case=locked, kind=CaseAccessKind.NAMED, revoked_at__isnull=True, user_id__in=people
            ).values_list("user_id", flat=True)
        )
        created = [
            _name_on_case(case=locked, user=user, actor=actor, at=now)
            for pk, user in sorted(people.items())
            if pk not in already
        ]
        details: dict[str, Any] = {
            "restricted": True,
            "was_restricted": was_restricted,
            "reason": reason,
            "named_user_ids": [access.user_id for access in created],
        }
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=locked,
            object_type="cases.Case",
            object_id=locked.pk,
            details=details,
        )
    case.restricted = True
    case.restriction_reason = reason
    return created


def allocation_candidates(case: Case) -> Any:
    """The officers a case can be given to: those of its team who can sign in."""
    return (
        Officer.objects.filter(team_id=case.team_id, user__isnull=False, user__is_active=True)
        .select_related("user")
        .order_by("last_name", "first_name", "collar_number")
    )


def case_allocate(*, actor: User, case: Case, officer: Officer, request: HttpRequest | None = None) -> Case:
    """Make `officer` the officer in the case: the case is in their My cases and My work from now on.

    Only a supervisor of the case's team allocates, and only to an officer of that team who can sign
    in. On a restricted case the officer is named on it too, or they could not open it. The case's
    timeline records the allocation; a reported case becomes under investigation.
    """
    if not rules.test_rule("cases.allocate_case", actor, case):
        raise PermissionDenied("Only a supervisor of the case's team can allocate it.")
    if officer.team_id != case.team_id or officer.user is None or not officer.user.is_active:
        raise ValidationError({"officer": "Choose an officer of the case's team who can sign in."})
    if case.officer_id == officer.pk:
        raise ValidationError({"officer": f"{officer} is already the officer in the case."})
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"officer": "The case is closed: reopen it before allocating it."})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        previous = locked.officer_id
        locked.officer = officer
        if locked.status == CaseStatus.REPORTED:
            locked.status = CaseStatus.UNDER_INVESTIGATION
        locked.updated_by = actor
        locked.save(update_fields=["officer", "status", "updated_by", "updated_at"])
        if (
            locked.restricted
            and not CaseAccess.objects.filter(
                case=locked, user=officer.user, kind=CaseAccessKind.NAMED, revoked_at__isnull=True
            ).exists()
        ):
            _name_on_case(case=locked, user=officer.user, actor=actor, at=clock.now())
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=locked,
            object_type="cases.Case",
            object_id=locked.pk,
            details={"officer_id": officer.pk, "previous_officer_id": previous},
        )
        case_event_record(
            actor=actor, case=locked, kind=EventKind.ALLOCATED, summary=f"Allocated to {officer}", request=request
        )
    case.officer = officer
    case.status = locked.status
    return case


def case_view_record(
    *, user: User, case: Case | uuid.UUID, basis: str, person_ids: list[str], request: HttpRequest | None = None
) -> None:
    """Log that `user` read a case page (s.62 consultation), with the people shown on it."""
    case_id = case.pk if isinstance(case, Case) else case
    audit_record(
        actor=user,
        action=AuditAction.CONSULTATION,
        request=request,
        case=case_id,
        object_type="cases.Case",
        object_id=case_id,
        details={"basis": basis, "person_ids": person_ids, "view": "pseudonymised" if basis == "analysis" else "full"},
    )
    # One entry per person shown as well, so that "who accessed this person" finds every view of them
    # through the indexed person column, not by searching the details of case entries.
    for person_id in person_ids:
        audit_record(
            actor=user,
            action=AuditAction.CONSULTATION,
            request=request,
            case=case_id,
            person=person_id,
            object_type="cases.PersonRecord",
            object_id=person_id,
            details={"basis": basis, "shown_on": "case page"},
        )


def case_list_view_record(
    *,
    user: User,
    list_name: str,
    filters: dict[str, Any],
    count: int,
    page: int,
    request: HttpRequest | None = None,
) -> None:
    """Log that `user` read a list that shows personal data: the filters and the count, not the rows."""
    audit_record(
        actor=user,
        action=AuditAction.LIST,
        request=request,
        object_type="cases.Case" if list_name in ("mine", "team", "analysis") else "cases.CaseAccess",
        details={"list": list_name, "filters": filters, "count": count, "page": page},
    )


def case_search_record(*, user: User, term: str, kinds: tuple[str, ...], count: int, request: HttpRequest) -> None:
    """Log a case search: the term as typed, what it was read as and how many cases matched, not the rows."""
    audit_record(
        actor=user,
        action=AuditAction.LIST,
        request=request,
        object_type="cases.Case",
        details={"list": "search", "term": term, "read_as": list(kinds), "count": count},
    )
