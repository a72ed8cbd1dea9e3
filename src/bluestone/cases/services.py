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
from bluestone.audit.services import audit_record, audit_record_many
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import (
    Case,
    CaseAccess,
    CaseAccessKind,
    CaseStatus,
    EventKind,
    RestrictionChange,
    RestrictionChangeKind,
    RestrictionReason,
)
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


def change_reason_check(reason: str, *, what: str) -> str:
    """A reason for a change to who may see a case, as `justification_check` keeps it ("Enter why
    the restriction is lifted")."""
    try:
        return justification_check(reason, what="")
    except ValidationError as error:
        if error.code == "required":
            raise ValidationError(f"Enter why {what}", code="required") from None
        minimum = justification_min_length()
        raise ValidationError(f"Why {what} must be {minimum} characters or more", code="too_short") from None


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
        if not was_restricted:
            _restriction_change(case=locked, kind=RestrictionChangeKind.RESTRICTED, actor=actor, at=now, reason=reason)
        for access in created:
            _restriction_change(case=locked, kind=RestrictionChangeKind.NAMED, actor=actor, at=now, person=access.user)
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


def _restriction_change(
    *, case: Case, kind: str, actor: User, at: dt.datetime, person: User | None = None, reason: str = ""
) -> RestrictionChange:
    return RestrictionChange.objects.create(
        case=case, kind=kind, person=person, reason=reason, occurred_at=at, created_by=actor, updated_by=actor
    )


def _named(case: Case) -> Any:
    return CaseAccess.objects.filter(case=case, kind=CaseAccessKind.NAMED, revoked_at__isnull=True)


def case_restriction_lift(*, actor: User, case: Case, reason: str, request: HttpRequest | None = None) -> int:
    """Lift a case's restriction: it is open to its team again, and the people named on it are
    taken off (their names stay in the history). Returns how many were taken off."""
    if not rules.test_rule("cases.restrict_case", actor, case):
        raise PermissionDenied("Only a supervisor of the case's team named on it can lift its restriction.")
    why = change_reason_check(reason, what="the restriction is lifted")
    now = clock.now()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.restricted:
            raise ValidationError("The case is not restricted: someone may have lifted it already", code="state")
        revoked = _named(locked).update(revoked_at=now)
        locked.restricted = False
        locked.restriction_reason = ""
        locked.updated_by = actor
        locked.save(update_fields=["restricted", "restriction_reason", "updated_by", "updated_at"])
        _restriction_change(case=locked, kind=RestrictionChangeKind.LIFTED, actor=actor, at=now, reason=why)
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=locked,
            object_type="cases.Case",
            object_id=locked.pk,
            justification=why,
            details={"restricted": False, "was_restricted": True, "named_taken_off": revoked},
        )
    case.restricted = False
    case.restriction_reason = ""
    return int(revoked)


def case_named_person_remove(
    *, actor: User, case: Case, person: User, reason: str, request: HttpRequest | None = None
) -> None:
    """Take one named person off a restricted case. The officer in the case stays named (allocate the
    case to someone else first), and so does at least one supervisor, who can change the restriction."""
    if not rules.test_rule("cases.restrict_case", actor, case):
        raise PermissionDenied("Only a supervisor of the case's team named on it can change who is named.")
    why = change_reason_check(reason, what="this person is taken off the case")
    now = clock.now()
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).select_related("officer").get(pk=case.pk)
        if not locked.restricted:
            raise ValidationError("The case is not restricted: nobody is named on it", code="state")
        named = list(_named(locked).select_related("user"))
        mine = [access for access in named if access.user_id == person.pk]
        if not mine:
            raise ValidationError(f"{person} is not named on this case", code="person")
        if locked.officer is not None and locked.officer.user_id == person.pk:
            raise ValidationError(
                f"{person} is the officer in the case: allocate the case to someone else first", code="person"
            )
        supervisors = {
            access.user_id
            for access in named
            if access.user.role == Role.SUPERVISOR and access.user.is_active and access.user.team_id == locked.team_id
        }
        if supervisors <= {person.pk}:
            raise ValidationError(
                f"{person} is the only supervisor of the case's team named on it: name another first", code="person"
            )
        CaseAccess.objects.filter(pk__in=[access.pk for access in mine]).update(revoked_at=now)
        _restriction_change(
            case=locked, kind=RestrictionChangeKind.REMOVED, actor=actor, at=now, person=person, reason=why
        )
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=locked,
            object_type="cases.Case",
            object_id=locked.pk,
            justification=why,
            details={"restricted": True, "named_user_ids_taken_off": [person.pk]},
        )


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
    view = "pseudonymised" if basis == "analysis" else "full"
    # One entry per person shown as well, so that "who accessed this person" finds every view of them
    # through the indexed person column, not by searching the details of case entries.
    audit_record_many(
        actor=user,
        action=AuditAction.CONSULTATION,
        request=request,
        entries=[
            {
                "case": case_id,
                "object_type": "cases.Case",
                "object_id": case_id,
                "details": {"basis": basis, "person_ids": person_ids, "view": view},
            },
            *(
                {
                    "case": case_id,
                    "person": person_id,
                    "object_type": "cases.PersonRecord",
                    "object_id": person_id,
                    "details": {"basis": basis, "shown_on": "case page"},
                }
                for person_id in person_ids
            ),
        ],
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
