"""The events the case core publishes (see bluestone.core.events). Plain data: ids, not model
instances, so a handler loads what it needs and never acts on a stale object."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class CaseCreated:
    """A new case, with its people, has been written (staff entry, triage of an online report)."""

    case_id: uuid.UUID
    actor_id: int | None


@dataclass(frozen=True)
class PeopleChanged:
    """Person records on a case were added or edited: linkage scores them again."""

    case_id: uuid.UUID
    person_ids: tuple[uuid.UUID, ...]
    actor_id: int | None


@dataclass(frozen=True)
class CaseEventRecorded:
    """An entry was added to a case's timeline (an arrest, a bail decision, a withdrawal...).

    `kind` is a cases.models.EventKind value. Victims' Code duties hang off these: the victims app
    subscribes and opens the duty to tell the victim, with its deadline counted from `occurred_at`.
    """

    case_id: uuid.UUID
    event_id: int
    kind: str
    occurred_at: dt.datetime
    actor_id: int | None


@dataclass(frozen=True)
class VictimToldOfOutcome:
    """The officer recorded that the victim was told of the case's outcome (and, for a decision not
    to charge, of their right to ask for a review). The victims app meets the Code duty with it."""

    case_id: uuid.UUID
    told_at: dt.datetime
    right_to_review: bool
    actor_id: int | None


@dataclass(frozen=True)
class StaffApprovalAsked:
    """An officer asked the supervisors of a case's team to approve something (a victim-focused
    action, an outcome to sign off, a bail extension). Published by the investigation app; the
    victims app emails the supervisors a link to `path`, the page where they decide. `approver_ids`,
    when not empty, narrows them to those of the team's supervisors who can decide it (those holding
    the bail authority an extension needs)."""

    case_id: uuid.UUID
    path: str
    actor_id: int | None
    approver_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class StaffApprovalDecided:
    """A supervisor decided what `asker_id` asked them to approve. The victims app emails the asker a
    link to `path`."""

    case_id: uuid.UUID
    path: str
    approved: bool
    asker_id: int | None
    actor_id: int | None


@dataclass(frozen=True)
class SupervisoryReviewDue:
    """A case's supervisory review has fallen due (announced once for each due time). The victims app
    emails the supervisors of the case's team a link to `path`, the review page."""

    case_id: uuid.UUID
    path: str
    due_at: dt.datetime
