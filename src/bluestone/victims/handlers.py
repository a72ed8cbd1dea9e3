"""What the victims app does when the case core publishes an event (ADR 6). Runs inside the
publisher's transaction: a duty opened by an arrest commits or rolls back with the arrest."""

from __future__ import annotations

import uuid

from bluestone.accounts.models import Role, User
from bluestone.cases.events import (
    CaseCreated,
    CaseEventRecorded,
    PeopleChanged,
    StaffApprovalAsked,
    StaffApprovalDecided,
    SupervisoryReviewDue,
    VictimToldOfOutcome,
)
from bluestone.cases.models import Case, EventKind
from bluestone.victims.notifications import StaffEmail, staff_case_path, staff_email_queue
from bluestone.victims.services import CASE_CREATED, obligations_open, outcome_duties_meet, victim_profiles_ensure


def _actor(actor_id: int | None) -> User | None:
    return User.objects.filter(pk=actor_id).first() if actor_id is not None else None


def on_case_created(event: CaseCreated) -> None:
    """A new report opens the duties of the first days: acknowledgement, needs assessment, ISVA
    referral offer, agreeing a contact plan."""
    reported_at = Case.objects.values_list("reported_at", flat=True).get(pk=event.case_id)
    obligations_open(
        case_id=event.case_id, trigger_kind=CASE_CREATED, occurred_at=reported_at, actor=_actor(event.actor_id)
    )


def on_people_changed(event: PeopleChanged) -> None:
    """A victim added later gets a profile at once (their duties open with the next event)."""
    victim_profiles_ensure(case_id=event.case_id, actor=_actor(event.actor_id))


def on_case_event_recorded(event: CaseEventRecorded) -> None:
    """An investigation event (arrest, interview, bail, release, decision, charge, outcome) opens the
    duty to tell the victim, due in 1 or 5 working days."""
    obligations_open(
        case_id=event.case_id,
        trigger_kind=event.kind,
        occurred_at=event.occurred_at,
        event_id=event.event_id,
        actor=_actor(event.actor_id),
    )


def on_victim_told_of_outcome(event: VictimToldOfOutcome) -> None:
    """The victim was told of the outcome (and of the right to review where it applies): the Code duty
    to tell them, opened when the outcome was signed off, is met at that time."""
    outcome_duties_meet(case_id=event.case_id, told_at=event.told_at, actor=_actor(event.actor_id))


def on_case_allocated_email(event: CaseEventRecorded) -> None:
    """A case allocated to an officer: email them (not when they allocated it to themselves)."""
    if event.kind != EventKind.ALLOCATED:
        return
    case = Case.objects.select_related("officer__user").get(pk=event.case_id)
    officer = case.officer.user if case.officer is not None else None
    if officer is None or officer.pk == event.actor_id:
        return
    staff_email_queue(user=officer, what=StaffEmail.ALLOCATED, path=staff_case_path(case.pk))


def _team_supervisors(case_id: uuid.UUID) -> list[User]:
    team_id = Case.objects.values_list("team_id", flat=True).get(pk=case_id)
    return list(User.objects.filter(team_id=team_id, role=Role.SUPERVISOR, is_active=True).order_by("pk"))


def on_approval_asked_email(event: StaffApprovalAsked) -> None:
    """Email each supervisor of the case's team (but the one who asked) that their approval is asked for;
    only those named in `approver_ids` when the event names some."""
    for supervisor in _team_supervisors(event.case_id):
        if event.approver_ids and supervisor.pk not in event.approver_ids:
            continue
        if supervisor.pk != event.actor_id:
            staff_email_queue(user=supervisor, what=StaffEmail.APPROVAL_ASKED, path=event.path)


def on_approval_decided_email(event: StaffApprovalDecided) -> None:
    """Email whoever asked for the approval that it was given or refused (not when they decided it)."""
    asker = _actor(event.asker_id)
    if asker is None or asker.pk == event.actor_id:
        return
    what = StaffEmail.APPROVAL_GIVEN if event.approved else StaffEmail.APPROVAL_REFUSED
    staff_email_queue(user=asker, what=what, path=event.path)


def on_review_due_email(event: SupervisoryReviewDue) -> None:
    """Email each supervisor of the case's team that its supervisory review has fallen due."""
    for supervisor in _team_supervisors(event.case_id):
        staff_email_queue(user=supervisor, what=StaffEmail.REVIEW_DUE, path=event.path)
