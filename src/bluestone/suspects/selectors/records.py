"""How a suspect's record is shown to a user: in full, by name and date of birth, or by pseudonym."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import rules
from django.urls import reverse

from bluestone.accounts.models import User
from bluestone.cases.models import Case, CaseStatus, Involvement, Outcome, PersonRecord, Role
from bluestone.core.pseudonyms import age_band, case_key, person_pseudonym


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
