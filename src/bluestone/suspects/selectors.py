"""Reads of the suspects app. Each takes the acting user and decides, per case, what of a record
they may see: in full (a case they may open), a suspect's name and date of birth (an analyst with a
case need on that case), or a pseudonym (every other analyst or supervisor). Restricted cases never
appear, except to the people named on them, on the case page itself."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from bluestone.accounts.models import User
from bluestone.cases.models import Case, CaseStatus, Involvement, Outcome, PersonRecord, Role
from bluestone.core import clock
from bluestone.core.pseudonyms import age_band, case_key, person_pseudonym, pseudonym_code
from bluestone.suspects.models import (
    APART,
    TOGETHER,
    Identity,
    IdentityMember,
    LinkageRun,
    LinkExplanation,
    ReviewDecision,
    RunKind,
    TacticRecord,
)
from bluestone.suspects.priority import PART_LABELS, priority_weights
from bluestone.suspects.services import current_threshold, identity_reports, overdue_tactics

# Proposed links a person reviews: scored at least this likely, but below the clustering threshold.
REVIEW_BAND_FLOOR = 0.5

# The comparisons of the linkage model, in the order they are shown, with plain names.
COMPARISON_LABELS: dict[str, str] = {
    "prior": "Starting point (two records picked at random)",
    "first_name": "First name",
    "middle_names": "Middle names",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "gender": "Gender",
    "residence": "Address and postcode",
    "phone": "Phone",
    "email": "Email",
    "identifier": "Identifier (PNC ID)",
}


def identity_label(identity_id: uuid.UUID | str) -> str:
    """ "Identity 7F3K-92QD-H4MX": the same for everyone, meaning nothing outside Bluestone."""
    return f"Identity {pseudonym_code('identity', identity_id)}"


def _require(user: User, rule: str, message: str) -> None:
    if not rules.test_rule(rule, user):
        raise PermissionDenied(message)


# --- How a record is shown ----------------------------------------------------------------------


@dataclass(frozen=True)
class RecordView:
    """A suspect record and its report, as this user may see them."""

    person_id: uuid.UUID
    pseudonym: str
    level: str  # "full", "identity" (name and date of birth), "pseudonymised"
    name: str = ""
    date_of_birth: dt.date | None = None
    gender: str = ""
    age_band: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    identifier: str = ""
    case_id: uuid.UUID | None = None
    case_label: str = ""  # the crime reference (full) or case key
    case_url: str = ""
    offence: str = ""
    reported_at: dt.datetime | None = None
    status: str = ""
    outcome: str = ""
    team: str = ""
    officer: str = ""
    open_investigation: bool = False


def _suspect_case(person_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Case]:
    return {
        i.person_id: i.case
        for i in Involvement.objects.filter(person_id__in=list(person_ids), role=Role.SUSPECT, case__restricted=False)
        .select_related("case", "case__offence_class", "case__team", "case__officer")
        .order_by("case__reported_at")
    }


def records_for(user: User, person_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, RecordView]:
    """Each record with its report, at the level this user may see it (records on restricted cases left out)."""
    ids = list(person_ids)
    cases = _suspect_case(ids)
    people = {
        p.pk: p
        for p in PersonRecord.objects.filter(pk__in=list(cases)).prefetch_related(
            "addresses", "phones", "emails", "identifiers"
        )
    }
    outcomes = {
        o.case_id: f"Outcome {o.outcome_type_id}: {o.outcome_type.name}"
        for o in Outcome.objects.filter(case_id__in=[c.pk for c in cases.values()]).select_related("outcome_type")
    }
    views: dict[uuid.UUID, RecordView] = {}
    for person_id, case in cases.items():
        person = people[person_id]
        full = rules.test_rule("cases.view_case", user, case)
        named = not full and rules.test_rule("cases.view_suspect_identities", user, case)
        if full:
            url = reverse("cases:detail", kwargs={"pk": case.pk})
        elif rules.test_rule("cases.view_case_pseudonymised", user, case):
            url = reverse("cases:analysis-detail", kwargs={"pk": case.pk})
        else:
            url = ""
        address = next(iter(sorted(person.addresses.all(), key=lambda a: not a.is_current)), None)
        views[person_id] = RecordView(
            person_id=person_id,
            pseudonym=person_pseudonym(person_id),
            level="full" if full else "identity" if named else "pseudonymised",
            name=person.full_name if full or named else "",
            date_of_birth=person.date_of_birth if full or named else None,
            gender=person.get_gender_display(),
            age_band=age_band(person.date_of_birth, on=case.offence_from),
            postcode=address.postcode if full and address else "",
            phone=next((p.number for p in person.phones.all()), "") if full else "",
            email=next((e.address for e in person.emails.all()), "") if full else "",
            identifier=next((i.value for i in person.identifiers.all()), "") if full else "",
            case_id=case.pk,
            case_label=case.crime_reference if full else case_key(case.pk),
            case_url=url,
            offence=f"{case.offence_class.code} {case.offence_class.name}",
            reported_at=case.reported_at,
            status=case.get_status_display(),
            outcome=outcomes.get(case.pk, ""),
            team=case.team.name,
            officer=str(case.officer) if case.officer else "Not allocated",
            open_investigation=case.status != CaseStatus.CLOSED,
        )
    return views


# --- The register -------------------------------------------------------------------------------


def register_identities(*, user: User) -> QuerySet[Identity]:
    """Identities that are suspects in two or more reports, highest priority first."""
    _require(user, "suspects.view_register", "The repeat-suspect register is for analysts and supervisors.")
    return Identity.objects.filter(active=True, report_count__gte=2).order_by("-priority", "id")


@dataclass(frozen=True)
class RegisterRow:
    identity: Identity
    label: str
    parts: list[dict[str, Any]]
    overdue_tactics: int
    tactics: int


def register_rows(*, user: User, identities: Iterable[Identity]) -> list[RegisterRow]:
    page = list(identities)
    tactic_counts: dict[uuid.UUID, list[int]] = {}
    for identity_id in TacticRecord.objects.filter(identity__in=page).values_list("identity_id", flat=True):
        tactic_counts.setdefault(identity_id, [0, 0])[0] += 1
    overdue_ids = TacticRecord.objects.filter(overdue_tactics(), identity__in=page).values_list(
        "identity_id", flat=True
    )
    for identity_id in overdue_ids:
        tactic_counts.setdefault(identity_id, [0, 0])[1] += 1
    return [
        RegisterRow(
            identity=identity,
            label=identity_label(identity.pk),
            parts=priority_parts(identity),
            tactics=tactic_counts.get(identity.pk, [0, 0])[0],
            overdue_tactics=tactic_counts.get(identity.pk, [0, 0])[1],
        )
        for identity in page
    ]


def priority_parts(identity: Identity) -> list[dict[str, Any]]:
    weights = priority_weights()
    stored = identity.priority_parts or {}
    return [
        {
            "key": key,
            "label": PART_LABELS[key],
            "points": float(stored.get(key, {}).get("points", 0.0)),
            "value": float(stored.get(key, {}).get("value", 0.0)),
            "weight": weights[key],
        }
        for key in weights
    ]


def latest_runs(*, user: User) -> list[LinkageRun]:
    _require(user, "suspects.view_register", "Linkage runs are shown to analysts and supervisors.")
    return list(LinkageRun.objects.filter(kind=RunKind.FULL).select_related("started_by").order_by("-requested_at")[:5])


# --- An identity --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    record: RecordView
    victims: list[str]  # pseudonyms
    child_victim: bool


@dataclass(frozen=True)
class ExplainedPair:
    explanation: LinkExplanation
    a: RecordView | None
    b: RecordView | None
    rows: list[dict[str, Any]]
    decision: ReviewDecision | None


@dataclass
class IdentityDetail:
    identity: Identity
    label: str
    timeline: list[TimelineEntry]
    distinct_victims: int
    child_victim_reports: int
    open_investigations: int
    links: list[ExplainedPair]
    decisions: list[ReviewDecision]
    decision_views: dict[uuid.UUID, str]
    tactics: list[TacticRecord]
    parts: list[dict[str, Any]]
    person_ids: list[str] = field(default_factory=list)
    today: dt.date = field(default_factory=clock.today)


def identity_get(*, user: User, pk: uuid.UUID) -> IdentityDetail:
    """One identity with its reports, victims (pseudonymised), links, decisions and tactics.

    Raises Identity.DoesNotExist when there is none, or when none of its records is on a case the
    user may be told about."""
    _require(user, "suspects.view_register", "Identity pages are for analysts and supervisors.")
    identity = Identity.objects.get(pk=pk)
    member_ids = list(IdentityMember.objects.filter(identity=identity).values_list("person_id", flat=True))
    views = records_for(user, member_ids)
    if not views:
        raise Identity.DoesNotExist
    reports = identity_reports([identity.pk]).get(identity.pk, [])
    victims_by_case: dict[uuid.UUID, list[str]] = {}
    for victim in Involvement.objects.filter(case_id__in=[c.pk for c, _r in reports], role=Role.VICTIM):
        victims_by_case.setdefault(victim.case_id, []).append(person_pseudonym(victim.person_id))
    case_child = {case.pk: report.child_victim for case, report in reports}
    distinct = len(frozenset().union(*(r.victims for _c, r in reports))) if reports else 0
    timeline = sorted(
        (
            TimelineEntry(
                record=view,
                victims=sorted(victims_by_case.get(view.case_id, [])) if view.case_id else [],
                child_victim=case_child.get(view.case_id, False) if view.case_id else False,
            )
            for view in views.values()
        ),
        key=lambda entry: entry.record.reported_at or clock.now(),
    )
    explanations = list(
        LinkExplanation.objects.filter(current=True)
        .filter(Q(person_a_id__in=member_ids) | Q(person_b_id__in=member_ids))
        .order_by("-match_probability")[:50]
    )
    others = {e.person_a_id for e in explanations} | {e.person_b_id for e in explanations}
    all_views = views | records_for(user, others - set(views))
    decisions = list(
        ReviewDecision.objects.filter(Q(person_a_id__in=member_ids) | Q(person_b_id__in=member_ids))
        .select_related("decided_by", "superseded_by")
        .order_by("-decided_at")
    )
    active = {(d.person_a_id, d.person_b_id): d for d in decisions if d.superseded_by_id is None}
    decision_views = {
        d.pk: " and ".join(_short(all_views.get(p)) for p in (d.person_a_id, d.person_b_id)) for d in decisions
    }
    links = [
        ExplainedPair(
            explanation=e,
            a=all_views.get(e.person_a_id),
            b=all_views.get(e.person_b_id),
            rows=weight_rows(
                e.weights, e.details, visible_values(all_views.get(e.person_a_id), all_views.get(e.person_b_id))
            ),
            decision=active.get((e.person_a_id, e.person_b_id)),
        )
        for e in explanations
        if e.person_a_id in all_views and e.person_b_id in all_views
    ]
    tactics = list(
        TacticRecord.objects.filter(identity=identity).select_related("tactic", "owner").order_by("review_on")
    )
    return IdentityDetail(
        identity=identity,
        label=identity_label(identity.pk),
        timeline=timeline,
        distinct_victims=distinct,
        child_victim_reports=sum(1 for _c, r in reports if r.child_victim),
        open_investigations=sum(1 for v in views.values() if v.open_investigation),
        links=links,
        decisions=decisions,
        decision_views=decision_views,
        tactics=tactics,
        parts=priority_parts(identity),
        # Every record the page shows: the identity's own, and those it has links or decisions with.
        person_ids=[str(p) for p in views]
        + sorted(
            (
                {str(v.person_id) for link in links for v in (link.a, link.b) if v is not None}
                | {str(p) for d in decisions for p in (d.person_a_id, d.person_b_id) if p in all_views}
            )
            - {str(p) for p in views}
        ),
    )


def _short(view: RecordView | None) -> str:
    if view is None:
        return "a record you cannot see"
    return f"{view.name or view.pseudonym} ({view.case_label})"


# --- Match explanations -------------------------------------------------------------------------

# Bars are drawn in whole steps (CSS classes, as the strict CSP allows no inline style): one step per
# unit of match weight, up to this many each way.
BAR_STEPS = 12


def _times(factor: float) -> str:
    # Whole numbers from 10 up ("1,024"), one decimal below ("2.8").
    return f"{factor:,.0f}" if factor >= 10 else f"{factor:.1f}"  # noqa: PLR2004


# Which comparisons' compared values a reader may see, by the level at which they see both records:
# names and dates of birth with a case need ("identity"), everything when they may open both reports.
_VISIBLE_VALUES = {
    "full": set(COMPARISON_LABELS),
    "identity": {"first_name", "middle_names", "last_name", "date_of_birth"},
    "pseudonymised": set(),
}


def visible_values(*views: RecordView | None) -> set[str]:
    """The comparisons whose compared values may be shown to someone who sees these records as they do."""
    levels = [view.level if view is not None else "pseudonymised" for view in views]
    allowed = set(COMPARISON_LABELS)
    for level in levels:
        allowed &= _VISIBLE_VALUES.get(level, set())
    return allowed


def weight_rows(
    weights: dict[str, float], details: dict[str, dict[str, str]] | None = None, visible: set[str] | None = None
) -> list[dict[str, Any]]:
    """One row per comparison: its weight, the Bayes factor, a bar for the chart, the level the pair reached
    ("Exact", "First and last names swapped") and, where the reader may see them, the values compared."""
    rows = []
    details = details or {}
    visible = visible or set()
    for key, label in COMPARISON_LABELS.items():
        if key not in weights:
            continue
        weight = float(weights[key])
        steps = min(BAR_STEPS, round(abs(weight)))
        factor = 2**weight
        if weight > 0:
            effect = f"{_times(factor)} times likelier"
        elif weight < 0:
            effect = f"{_times(1 / factor)} times less likely"
        else:
            effect = "No effect (missing on one side, or neutral)"
        detail = details.get(key, {})
        shown = key in visible and (detail.get("a") or detail.get("b"))
        rows.append(
            {
                "key": key,
                "label": label,
                "level": detail.get("level", ""),
                "value_a": (detail.get("a") or "missing") if shown else "",
                "value_b": (detail.get("b") or "missing") if shown else "",
                "weight": weight,
                "effect": effect,
                "direction": "for" if weight > 0 else "against" if weight < 0 else "none",
                "steps": steps,
                # SVG geometry: a diverging bar around the centre line (x = 420), 16 px per step.
                "bar_x": 420 if weight >= 0 else 420 - 16 * steps,
                "bar_width": max(1, 16 * steps) if weight else 0,
            }
        )
    return rows


@dataclass(frozen=True)
class PairReview:
    explanation: LinkExplanation
    a: RecordView
    b: RecordView
    rows: list[dict[str, Any]]
    identity_a: uuid.UUID | None
    identity_b: uuid.UUID | None
    decisions: list[ReviewDecision]
    threshold: float
    # Analysts without a case need on one of the two cases: which cases they could record one for.
    case_need_cases: list[uuid.UUID]


def review_queue(*, user: User) -> QuerySet[LinkExplanation]:
    """Proposed links for review: current pairs in the review band (likely, but below the threshold),
    strongest first, leaving out pairs with a decision in force and those this user was not sure of."""
    _require(user, "suspects.review_links", "Link review is for analysts and supervisors.")
    threshold = current_threshold()
    # A pair leaves the queue once a binding decision is in force, or once this user was not sure of it.
    decided = ReviewDecision.objects.filter(
        Q(kind__in=[*TOGETHER, *APART]) | Q(decided_by=user),
        superseded_by__isnull=True,
        person_a_id=OuterRef("person_a_id"),
        person_b_id=OuterRef("person_b_id"),
    )
    # Likely but below the threshold, or above it and held back (twins, a household, father and son).
    queue = (
        LinkExplanation.objects.filter(current=True, match_probability__gte=REVIEW_BAND_FLOOR)
        .filter(Q(match_probability__lt=threshold) | ~Q(held_reason=""))
        .filter(person_a__involvements__case__restricted=False, person_b__involvements__case__restricted=False)
        .exclude(Exists(decided))
    )
    return queue.order_by("-match_probability", "id").distinct()


def pair_review_get(*, user: User, pk: uuid.UUID) -> PairReview:
    """One scored pair, side by side. Raises LinkExplanation.DoesNotExist for none, or a pair on a
    case the user may not be told about."""
    _require(user, "suspects.review_links", "Link review is for analysts and supervisors.")
    explanation = LinkExplanation.objects.get(pk=pk)
    views = records_for(user, [explanation.person_a_id, explanation.person_b_id])
    if explanation.person_a_id not in views or explanation.person_b_id not in views:
        raise LinkExplanation.DoesNotExist
    identity_of = dict(IdentityMember.objects.filter(person_id__in=list(views)).values_list("person_id", "identity_id"))
    decisions = list(
        ReviewDecision.objects.filter(person_a_id=explanation.person_a_id, person_b_id=explanation.person_b_id)
        .select_related("decided_by")
        .order_by("-decided_at")
    )
    need = []
    if rules.test_rule("cases.view_case_analysis", user):
        need = [v.case_id for v in views.values() if v.level == "pseudonymised" and v.case_id is not None]
    return PairReview(
        explanation=explanation,
        a=views[explanation.person_a_id],
        b=views[explanation.person_b_id],
        rows=weight_rows(
            explanation.weights,
            explanation.details,
            visible_values(views[explanation.person_a_id], views[explanation.person_b_id]),
        ),
        identity_a=identity_of.get(explanation.person_a_id),
        identity_b=identity_of.get(explanation.person_b_id),
        decisions=decisions,
        threshold=current_threshold(),
        case_need_cases=need,
    )


# --- The case page panel ------------------------------------------------------------------------


@dataclass(frozen=True)
class OtherReport:
    visible: bool
    crime_reference: str = ""
    url: str = ""
    offence: str = ""
    reported_at: dt.datetime | None = None
    status: str = ""
    # For a report the user may not open: who to contact.
    officer: str = ""
    team: str = ""


@dataclass(frozen=True)
class SuspectElsewhere:
    person_id: uuid.UUID
    name: str
    identity_id: uuid.UUID
    reports: list[OtherReport]


def case_other_reports(*, user: User, case: Case) -> list[SuspectElsewhere]:
    """For each suspect on the case who is linked to other reports: those reports, in full where the
    user may open them, otherwise only that the report exists and who its officer in the case is.
    Restricted reports are left out (their existence is not shared)."""
    suspects = list(Involvement.objects.filter(case=case, role=Role.SUSPECT).select_related("person"))
    members = dict(
        IdentityMember.objects.filter(person_id__in=[s.person_id for s in suspects], identity__active=True).values_list(
            "person_id", "identity_id"
        )
    )
    if not members:
        return []
    others = (
        IdentityMember.objects.filter(identity_id__in=set(members.values()))
        .exclude(person_id__in=[s.person_id for s in suspects])
        .values_list("identity_id", "person_id")
    )
    person_identity = {person: identity for identity, person in others}
    involvements = (
        Involvement.objects.filter(person_id__in=list(person_identity), role=Role.SUSPECT, case__restricted=False)
        .exclude(case=case)
        .select_related("case", "case__offence_class", "case__team", "case__officer")
        .order_by("-case__reported_at")
    )
    by_identity: dict[uuid.UUID, dict[uuid.UUID, OtherReport]] = {}
    for involvement in involvements:
        other = involvement.case
        identity_id = person_identity[involvement.person_id]
        if other.pk in by_identity.get(identity_id, {}):
            continue
        if rules.test_rule("cases.view_case", user, other):
            report = OtherReport(
                visible=True,
                crime_reference=other.crime_reference,
                url=reverse("cases:detail", kwargs={"pk": other.pk}),
                offence=f"{other.offence_class.code} {other.offence_class.name}",
                reported_at=other.reported_at,
                status=other.get_status_display(),
            )
        else:
            report = OtherReport(
                visible=False,
                officer=str(other.officer) if other.officer else "No officer allocated yet",
                team=other.team.name,
            )
        by_identity.setdefault(identity_id, {})[other.pk] = report
    result = []
    for suspect in suspects:
        found = members.get(suspect.person_id)
        if found is None or not by_identity.get(found):
            continue
        identity_id = found
        result.append(
            SuspectElsewhere(
                person_id=suspect.person_id,
                name=suspect.person.full_name or "Unnamed suspect",
                identity_id=identity_id,
                reports=list(by_identity[identity_id].values()),
            )
        )
    return result


# --- Disparity ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DisparityRow:
    value: str
    all_count: int
    all_share: float
    flagged_count: int
    flagged_share: float

    @property
    def ratio(self) -> float | None:
        return self.flagged_share / self.all_share if self.all_share else None


@dataclass(frozen=True)
class DisparityReport:
    all_suspects: int
    flagged: int
    by: dict[str, list[DisparityRow]]


def disparity_report(*, user: User) -> DisparityReport:
    """Flagged (repeat) suspects against all suspect records, by age band, sex and ethnicity where
    recorded: counts only. A share far from the all-suspects share is a question for the analyst."""
    _require(user, "suspects.view_register", "The disparity report is for analysts and supervisors.")
    flagged_ids = set(
        IdentityMember.objects.filter(identity__active=True, identity__report_count__gte=2).values_list(
            "person_id", flat=True
        )
    )
    rows = Involvement.objects.filter(role=Role.SUSPECT, case__restricted=False).values_list(
        "person_id", "person__gender", "person__ethnicity", "person__date_of_birth", "case__offence_from"
    )
    tallies: dict[str, dict[str, list[int]]] = {"Age band": {}, "Sex": {}, "Ethnicity": {}}
    labels = dict(PersonRecord._meta.get_field("gender").choices or [])
    seen: set[uuid.UUID] = set()
    for person_id, gender, ethnicity, born, offence_from in rows:
        if person_id in seen:
            continue
        seen.add(person_id)
        flagged = person_id in flagged_ids
        for dimension, value in (
            ("Age band", age_band(born, on=offence_from)),
            ("Sex", str(labels.get(gender, "Not known"))),
            ("Ethnicity", ethnicity or "Not recorded"),
        ):
            tally = tallies[dimension].setdefault(value, [0, 0])
            tally[0] += 1
            tally[1] += int(flagged)
    total, flagged_total = len(seen), len(seen & flagged_ids)
    by = {
        dimension: [
            DisparityRow(
                value=value,
                all_count=counts[0],
                all_share=counts[0] / total if total else 0.0,
                flagged_count=counts[1],
                flagged_share=counts[1] / flagged_total if flagged_total else 0.0,
            )
            for value, counts in sorted(values.items(), key=lambda item: (-item[1][0], item[0]))
        ]
        for dimension, values in tallies.items()
    }
    return DisparityReport(all_suspects=total, flagged=flagged_total, by=by)


# --- Tactics due for review ---------------------------------------------------------------------


def overdue_tactic_records(*, user: User, scope: str) -> QuerySet[TacticRecord]:
    """Tactics past their review date: the user's own ("mine"), their team's ("team"), or all ("all",
    for the register, which analysts and supervisors see)."""
    query = TacticRecord.objects.filter(overdue_tactics()).select_related("tactic", "owner", "identity")
    if scope == "all":
        _require(user, "suspects.view_register", "Overdue tactics are shown to analysts and supervisors.")
        return query.order_by("review_on")
    if scope == "team":
        return query.filter(owner__team_id=user.team_id) if user.team_id else query.none()
    return query.filter(owner=user)


def tactic_owners() -> QuerySet[User]:
    from bluestone.accounts.models import Role as StaffRole  # noqa: PLC0415

    return User.objects.filter(
        is_active=True, role__in=[StaffRole.ANALYST, StaffRole.SUPERVISOR, StaffRole.INVESTIGATOR]
    ).order_by("last_name", "first_name", "username")
