"""The case page's panel: the suspect's other reports, as far as the user may see them."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import rules
from django.urls import reverse

from bluestone.accounts.models import User
from bluestone.cases.models import Case, Involvement, Role
from bluestone.suspects.models import IdentityMember


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
