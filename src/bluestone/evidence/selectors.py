"""Reads for evidence. Every function takes the acting user and applies need-to-know itself: case
evidence follows the case (`cases.view_case`), the SARC register is the SARC liaison's."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.urls import reverse

from bluestone.accounts.models import User
from bluestone.cases.models import Case, CaseAccess, CaseAccessKind, Involvement, PersonRecord
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core import clock
from bluestone.evidence.clocks import PhoneClock, RetentionWarning, phone_clock, sarc_retention_warning
from bluestone.evidence.models import (
    SUSPECT_KINDS,
    VICTIM_KINDS,
    DataCategory,
    DigitalRequest,
    Exhibit,
    ExhibitStatus,
    NoticeElement,
    RequestKind,
    RequestStatus,
    SampleStatus,
    SampleType,
    SarcSample,
)
from bluestone.investigation.models import LineOfEnquiry


def _check_case(user: User, case: Case, rule: str = "evidence.view_evidence") -> None:
    if not rules.test_rule(rule, user, case):
        raise PermissionDenied("You do not have access to this case's evidence.")


@dataclass(frozen=True)
class ExhibitRow:
    exhibit: Exhibit
    clock: PhoneClock | None


def _with_clock(exhibit: Exhibit) -> ExhibitRow:
    if exhibit.return_due_at is None:
        return ExhibitRow(exhibit=exhibit, clock=None)
    return ExhibitRow(
        exhibit=exhibit,
        clock=phone_clock(
            due_at=exhibit.return_due_at,
            returned_at=exhibit.returned_at,
            replacement_at=exhibit.replacement_provided_at,
        ),
    )


@dataclass(frozen=True)
class Balance:
    """Requests that intrude on the suspect against those that intrude on the victim."""

    suspect: int
    victim: int
    by_kind: dict[str, int]

    @property
    def total(self) -> int:
        return self.suspect + self.victim

    @property
    def suspect_share(self) -> float | None:
        return self.suspect / self.total if self.total else None

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        """(subject, kind label, count) for each kind, suspect kinds first."""
        order = [
            RequestKind.SUSPECT_DEVICE,
            RequestKind.SUSPECT_ENQUIRY,
            RequestKind.VICTIM_DEVICE,
            RequestKind.VICTIM_THIRD_PARTY,
        ]
        return [
            ("Suspect" if kind in SUSPECT_KINDS else "Victim", str(kind.label), self.by_kind.get(kind.value, 0))
            for kind in order
        ]


def _balance(requests: QuerySet[DigitalRequest]) -> Balance:
    # Requests the supervisor did not authorise never intruded on anyone: they are left out.
    counts = Counter(requests.exclude(status=RequestStatus.NOT_AUTHORISED).values_list("kind", flat=True))
    return Balance(
        suspect=sum(n for kind, n in counts.items() if kind in SUSPECT_KINDS),
        victim=sum(n for kind, n in counts.items() if kind in VICTIM_KINDS),
        by_kind=dict(counts),
    )


@dataclass(frozen=True)
class CaseEvidence:
    case: Case
    exhibits: list[ExhibitRow]
    requests: list[DigitalRequest]
    sarc_samples: list[SarcSample]
    balance: Balance

    @property
    def person_ids(self) -> list[str]:
        ids = {e.exhibit.person_id for e in self.exhibits} | {r.person_id for r in self.requests}
        return sorted(str(i) for i in ids if i is not None)


def case_evidence_get(*, user: User, case: Case) -> CaseEvidence:
    """A case's exhibits (with the phone clock), its requests register and its linked SARC samples."""
    _check_case(user, case)
    exhibits = list(Exhibit.objects.filter(case=case).select_related("person").order_by("reference"))
    requests = DigitalRequest.objects.filter(case=case)
    return CaseEvidence(
        case=case,
        exhibits=[_with_clock(e) for e in exhibits],
        requests=list(requests.select_related("person").order_by("-created_at")),
        sarc_samples=list(SarcSample.objects.filter(case=case).prefetch_related("sample_types")),
        balance=_balance(requests),
    )


@dataclass(frozen=True)
class ExhibitDetail:
    row: ExhibitRow
    movements: list[object]

    @property
    def exhibit(self) -> Exhibit:
        return self.row.exhibit


def exhibit_get(*, user: User, case: Case, pk: uuid.UUID) -> ExhibitDetail:
    """One exhibit of the case with its continuity, oldest link first. Raises Exhibit.DoesNotExist."""
    _check_case(user, case)
    exhibit = Exhibit.objects.select_related("case", "person", "request", "disposed_by").get(case=case, pk=pk)
    movements = list(exhibit.movements.select_related("recorded_by").order_by("moved_at", "id"))
    return ExhibitDetail(row=_with_clock(exhibit), movements=list(movements))


def exhibit_get_for_destruction(*, user: User, case: Case, pk: uuid.UUID) -> Exhibit:
    _check_case(user, case, "evidence.destroy_exhibit")
    return Exhibit.objects.select_related("case").get(case=case, pk=pk)


def digital_request_get(*, user: User, case: Case, pk: uuid.UUID) -> DigitalRequest:
    """One request of the case. Raises DigitalRequest.DoesNotExist."""
    _check_case(user, case)
    return (
        DigitalRequest.objects.select_related("case", "person", "decided_by", "created_by")
        .prefetch_related("data_categories", "notice_elements")
        .get(case=case, pk=pk)
    )


def digital_request_get_for_decision(*, user: User, case: Case, pk: uuid.UUID) -> DigitalRequest:
    _check_case(user, case, "evidence.authorise_request")
    return digital_request_get(user=user, case=case, pk=pk)


def authorised_device_requests(*, user: User, case: Case) -> list[DigitalRequest]:
    """The authorised requests for data from a victim's device: what a victim's device is taken under."""
    _check_case(user, case)
    return list(
        DigitalRequest.objects.filter(case=case, kind=RequestKind.VICTIM_DEVICE, status=RequestStatus.AUTHORISED)
        .select_related("person")
        .order_by("-created_at")
    )


def case_people_in_role(*, user: User, case: Case, role: str) -> list[PersonRecord]:
    """The victims (or suspects) of a case, for choosing whose device or material a record is about."""
    _check_case(user, case)
    ids = Involvement.objects.filter(case=case, role=role).values("person_id")
    return list(PersonRecord.objects.filter(pk__in=ids).order_by("last_name", "first_name"))


def reference_choices() -> dict[str, list[object]]:
    return {
        "data_categories": list(DataCategory.objects.filter(active=True)),
        "sample_types": list(SampleType.objects.filter(active=True)),
        "device_notice": list(NoticeElement.objects.filter(kind="victim_device", active=True)),
        "third_party_notice": list(NoticeElement.objects.filter(kind="third_party", active=True)),
    }


# --- Across a team: supervisors' queue, work items, the balance ------------------------------------


def _not_hidden(user: User) -> Q:
    """Rows of unrestricted cases, and of the restricted cases the user is named on."""
    now = clock.now()
    named = CaseAccess.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        kind=CaseAccessKind.NAMED,
        user_id=user.pk,
        revoked_at__isnull=True,
    ).values("case_id")
    return Q(case__restricted=False) | Q(case_id__in=named)


def _visible_cases(user: User) -> Q:
    """Rows of the cases of the user's team that they may see."""
    return Q(case__team_id=user.team_id) & _not_hidden(user)


def requests_to_authorise(*, user: User) -> list[DigitalRequest]:
    """Victim-focused requests on the supervisor's team's cases waiting for a decision, oldest first."""
    if not rules.test_rule("evidence.view_requests_to_authorise", user):
        raise PermissionDenied("Requests to authorise are for supervisors of a team.")
    return list(
        DigitalRequest.objects.filter(_visible_cases(user), status=RequestStatus.AWAITING_AUTHORISATION)
        .select_related("case", "created_by", "plan_line")
        .order_by("created_at")
    )


def team_balance(*, user: User, since: dt.date | None = None) -> Balance:
    """Suspect against victim intrusion across the supervisor's team's cases (optionally since a date)."""
    if not rules.test_rule("evidence.view_requests_to_authorise", user):
        raise PermissionDenied("The team's balance is for supervisors of a team.")
    requests = DigitalRequest.objects.filter(_visible_cases(user))
    if since is not None:
        requests = requests.filter(created_at__date__gte=since)
    return _balance(requests)


def phones_on_clock(*, user: User, mine: bool) -> list[ExhibitRow]:
    """Victims' phones still held whose clock runs: the officer's own cases, or the supervisor's team's.
    A closed case's phone stays listed while it is held: closing a case does not give the phone back."""
    held = Exhibit.objects.filter(
        status=ExhibitStatus.HELD,
        return_due_at__isnull=False,
        replacement_provided_at__isnull=True,
    )
    if mine:
        if not rules.test_rule("cases.view_my_cases", user):
            return []
        held = held.filter(Q(case__officer__user=user) & _not_hidden(user))
    else:
        if not rules.test_rule("evidence.view_requests_to_authorise", user):
            return []
        held = held.filter(_visible_cases(user))
    return [_with_clock(e) for e in held.select_related("case").order_by("return_due_at")]


def case_phones_on_clock(*, case: Case) -> list[ExhibitRow]:
    """The case's victims' phones still held with their return clock running, soonest due first. The
    caller has checked the user may see the case's evidence."""
    held = Exhibit.objects.filter(
        case=case, status=ExhibitStatus.HELD, return_due_at__isnull=False, replacement_provided_at__isnull=True
    )
    return [_with_clock(e) for e in held.order_by("return_due_at")]


# --- SARC register -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SarcRow:
    sample: SarcSample
    warning: RetentionWarning | None  # None once linked to a case or destroyed


def _sarc_row(sample: SarcSample, today: dt.date) -> SarcRow:
    warning = sarc_retention_warning(sample.collected_on, today=today) if sample.status == SampleStatus.STORED else None
    return SarcRow(sample=sample, warning=warning)


SARC_FILTERS = {
    "stored": "Stored",
    "due": "Due for a decision (within 90 days or past)",
    "linked": "Linked to a case",
    "destroyed": "Destroyed",
    "all": "All",
}


def sarc_register(*, user: User, show: str = "stored") -> list[SarcRow]:
    """The SARC's samples, those nearest the end of retention first."""
    if not rules.test_rule("evidence.view_sarc_register", user):
        raise PermissionDenied("The SARC sample register is for the SARC liaison role.")
    samples = SarcSample.objects.select_related("case").prefetch_related("sample_types")
    if show in ("stored", "due"):
        samples = samples.filter(status=SampleStatus.STORED)
    elif show in ("linked", "destroyed"):
        samples = samples.filter(status=show)
    today = clock.today()
    rows = [_sarc_row(sample, today) for sample in samples.order_by("collected_on", "sarc_reference")]
    if show == "due":
        rows = [row for row in rows if row.warning is not None and row.warning.level]
    return rows


def sarc_counts(*, user: User) -> dict[str, int]:
    """How many stored samples are past retention, within 30 days and within 90 days of it."""
    rows = sarc_register(user=user, show="stored")
    levels = Counter(row.warning.level for row in rows if row.warning is not None)
    return {"expired": levels["expired"], "30": levels["30"], "90": levels["90"], "stored": len(rows)}


def sarc_sample_get(*, user: User, pk: uuid.UUID) -> SarcRow:
    if not rules.test_rule("evidence.view_sarc_register", user):
        raise PermissionDenied("The SARC sample register is for the SARC liaison role.")
    sample = (
        SarcSample.objects.select_related("case", "linked_by", "destroyed_by", "created_by")
        .prefetch_related("sample_types")
        .get(pk=pk)
    )
    return _sarc_row(sample, clock.today())


def exhibit_url(exhibit: Exhibit) -> str:
    return reverse("evidence:exhibit", kwargs={"pk": exhibit.case_id, "exhibit_id": exhibit.pk})


def suspect_or_victim(kind: str) -> str:
    return "victim" if kind in VICTIM_KINDS else "suspect"


VICTIM_ROLE = InvolvementRole.VICTIM
SUSPECT_ROLE = InvolvementRole.SUSPECT


def case_plan_lines(case: Case) -> QuerySet[LineOfEnquiry]:
    """The lines of enquiry of the case's investigation plan, for a request to name the one it serves."""
    return LineOfEnquiry.objects.filter(plan__case=case).order_by("order", "created_at")
