"""SARC samples: retention until collection plus two years, warnings at 90 and 30 days, linking to
a case when the person reports, and destruction only when a person confirms it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from bluestone.audit.models import AuditEvent
from bluestone.cases.models import CaseEvent, CaseStatus, EventKind
from bluestone.core import clock
from bluestone.evidence.clocks import sarc_retention_until, sarc_retention_warning
from bluestone.evidence.models import SampleStatus, SarcSample
from bluestone.evidence.selectors import sarc_counts, sarc_register
from bluestone.evidence.services import sarc_sample_create, sarc_sample_destroy, sarc_sample_link
from tests.evidence.factories import sarc_sample

pytestmark = pytest.mark.django_db


def _years_ago(years: int, days: int = 0) -> dt.date:
    today = clock.today()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


def test_retention_is_collection_plus_two_years():
    assert sarc_retention_until(dt.date(2025, 3, 3)) == dt.date(2027, 3, 3)
    # A leap day has its anniversary on 28 February.
    assert sarc_retention_until(dt.date(2024, 2, 29)) == dt.date(2026, 2, 28)


@override_settings(BLUESTONE_SARC_RETENTION_YEARS=3)
def test_the_retention_period_is_a_setting():
    assert sarc_retention_until(dt.date(2025, 3, 3)) == dt.date(2028, 3, 3)


@pytest.mark.parametrize(
    ("days_left", "level"),
    [(200, ""), (91, ""), (90, "90"), (31, "90"), (30, "30"), (0, "30"), (-1, "expired")],
)
def test_warnings_at_90_and_30_days(days_left, level):
    today = dt.date(2026, 3, 3)
    until = today + dt.timedelta(days=days_left)
    collected = until.replace(year=until.year - 2)
    warning = sarc_retention_warning(collected, today=today)
    assert warning.days_left == days_left
    assert warning.level == level


def test_registering_needs_every_detail_and_consent(liaison):
    with pytest.raises(ValidationError) as refused:
        sarc_sample_create(
            actor=liaison,
            sarc_reference="",
            collected_on=None,
            sample_types=[],
            storage_location="",
            consent_recorded_on=None,
        )
    assert set(refused.value.message_dict) == {
        "sarc_reference",
        "collected_on",
        "sample_types",
        "storage_location",
        "consent_recorded_on",
    }
    assert not SarcSample.objects.exists()


def test_only_the_sarc_liaison_role_keeps_the_register(officer):
    with pytest.raises(PermissionDenied):
        sarc_sample(liaison=officer, collected_on=clock.today())
    with pytest.raises(PermissionDenied):
        sarc_register(user=officer)


def test_the_register_shows_warnings_nearest_first(liaison):
    sarc_sample(liaison=liaison, collected_on=_years_ago(1), reference="A")
    sarc_sample(liaison=liaison, collected_on=_years_ago(2, days=-20), reference="B")  # 20 days left
    sarc_sample(liaison=liaison, collected_on=_years_ago(2, days=-60), reference="C")  # 60 days left
    sarc_sample(liaison=liaison, collected_on=_years_ago(2, days=3), reference="D")  # 3 days past

    rows = sarc_register(user=liaison)
    assert [(r.sample.sarc_reference, r.warning.level if r.warning else None) for r in rows] == [
        ("D", "expired"),
        ("B", "30"),
        ("C", "90"),
        ("A", ""),
    ]
    assert [r.sample.sarc_reference for r in sarc_register(user=liaison, show="due")] == ["D", "B", "C"]
    assert sarc_counts(user=liaison) == {"expired": 1, "30": 1, "90": 1, "stored": 4}


def test_nothing_is_destroyed_without_a_person_confirming(liaison):
    sample = sarc_sample(liaison=liaison, collected_on=_years_ago(2, days=10))

    # Past its date, the sample is shown for a decision, never destroyed by itself.
    rows = sarc_register(user=liaison)
    assert rows[0].warning is not None
    assert rows[0].warning.expired
    sample.refresh_from_db()
    assert sample.status == SampleStatus.STORED

    with pytest.raises(ValidationError) as refused:
        sarc_sample_destroy(actor=liaison, sample=sample, authority="End of retention", confirmed=False)
    assert "confirmed" in refused.value.message_dict
    sample.refresh_from_db()
    assert sample.status == SampleStatus.STORED

    sarc_sample_destroy(actor=liaison, sample=sample, authority="End of retention, SARC manager", confirmed=True)
    sample.refresh_from_db()
    assert sample.status == SampleStatus.DESTROYED
    assert sample.destroyed_by == liaison
    assert sample.destruction_authority == "End of retention, SARC manager"
    assert AuditEvent.objects.filter(object_id=str(sample.pk), details__what="SARC samples destroyed").exists()


def test_samples_are_not_destroyed_before_the_end_of_retention(liaison):
    sample = sarc_sample(liaison=liaison, collected_on=_years_ago(1))
    with pytest.raises(ValidationError) as refused:
        sarc_sample_destroy(actor=liaison, sample=sample, authority="Asked to", confirmed=True)
    assert "must be kept until" in refused.value.message_dict["__all__"][0]


def test_linking_to_a_case_hands_retention_to_the_case(liaison, case):
    sample = sarc_sample(liaison=liaison, collected_on=_years_ago(2, days=10))

    sarc_sample_link(actor=liaison, sample=sample, crime_reference=case.crime_reference.lower())

    sample.refresh_from_db()
    assert sample.status == SampleStatus.LINKED
    assert sample.case == case
    assert CaseEvent.objects.filter(case=case, kind=EventKind.EVIDENCE_RECORDED, summary__contains="SARC-1").exists()
    # Past the SARC period, but the open case now governs: destruction is refused.
    with pytest.raises(ValidationError) as refused:
        sarc_sample_destroy(actor=liaison, sample=sample, authority="End of SARC period", confirmed=True)
    assert "still open" in refused.value.message_dict["__all__"][0]
    assert sarc_register(user=liaison, show="linked")[0].warning is None

    case.status = CaseStatus.CLOSED
    case.save()
    sample.refresh_from_db()
    sarc_sample_destroy(actor=liaison, sample=sample, authority="Case closed; review decision", confirmed=True)
    sample.refresh_from_db()
    assert sample.status == SampleStatus.DESTROYED


def test_linking_needs_a_real_crime_reference(liaison):
    sample = sarc_sample(liaison=liaison, collected_on=_years_ago(1))
    with pytest.raises(ValidationError) as refused:
        sarc_sample_link(actor=liaison, sample=sample, crime_reference="BS/99/0000000")
    assert "no case with that crime reference" in refused.value.message_dict["crime_reference"][0]
    sample.refresh_from_db()
    assert sample.status == SampleStatus.STORED
