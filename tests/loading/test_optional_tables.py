"""The optional tables of an extract: the victims' profiles, contact log and Victims' Code duties, and
the investigation plans with their lines of enquiry and victim-focused actions, and exhibits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bluestone import extract
from bluestone.cases.loading import ExtractError, extract_load
from bluestone.cases.models import Case
from bluestone.evidence.models import DigitalRequest, Exhibit
from bluestone.investigation.models import Bail, InvestigationPlan, LineOfEnquiry, LineStatus
from bluestone.synth import generate_force, write_force
from bluestone.victims.models import Feedback, Obligation, ObligationStatus, VictimContact, VictimProfile
from tests.loading.conftest import ExtractFactory

pytestmark = pytest.mark.django_db


def victim_counts() -> tuple[int, int, int]:
    return VictimProfile.objects.count(), VictimContact.objects.count(), Obligation.objects.count()


def plan_counts() -> tuple[int, int]:
    return InvestigationPlan.objects.count(), LineOfEnquiry.objects.count()


def test_profiles_contacts_and_duties_load_onto_the_victims_cases(make_extract: ExtractFactory) -> None:
    summary = extract_load(directory=make_extract())

    assert (summary.rows["victims"], summary.rows["victim contacts"], summary.rows["code duties"]) == (2, 2, 3)
    profile = VictimProfile.objects.get(involvement__source_id="I1")
    assert profile.case.crime_reference == "BS/25/000001"
    assert (profile.isva_status, profile.isva_provider, profile.plan_cadence_days) == (
        "accepted",
        "Rape Crisis North",
        28,
    )
    assert profile.supports_investigation is False
    met = Obligation.objects.get(status=ObligationStatus.MET)
    assert met.met_by_contact is not None
    assert met.met_by_contact.summary.startswith("Acknowledged the report")
    assert met.met_on_time
    assert met.profile == profile
    not_applicable = Obligation.objects.get(status=ObligationStatus.NOT_APPLICABLE)
    assert not_applicable.not_applicable_reason
    assert not_applicable.profile.involvement.source_id == "I3"
    answers = Feedback.objects.get()
    assert (answers.profile, answers.voice, answers.overall, answers.comments) == (
        profile,
        4,
        4,
        "Kept informed throughout.",
    )


def test_a_reload_keeps_what_officers_wrote_on_a_profile_and_adds_no_rows(make_extract: ExtractFactory) -> None:
    extract_load(directory=make_extract())
    VictimProfile.objects.filter(involvement__source_id="I1").update(safe_phone="07700 900999", plan_notes="Evenings")

    def change(rows: dict) -> None:
        rows["victims"][0]["isva_status"] = "declined"
        rows["code_duties"][1].update(
            status="met", met_at=rows["code_duties"][1]["triggered_at"] + dt.timedelta(hours=2)
        )

    extract_load(directory=make_extract(change, name="second"))

    assert victim_counts() == (2, 2, 3)
    profile = VictimProfile.objects.get(involvement__source_id="I1")
    assert (profile.isva_status, profile.safe_phone, profile.plan_notes) == ("declined", "07700 900999", "Evenings")
    assert Obligation.objects.filter(status=ObligationStatus.MET).count() == 2


def test_an_extract_of_the_core_tables_alone_still_loads(make_extract: ExtractFactory) -> None:
    def core_only(rows: dict) -> None:
        for spec in extract.OPTIONAL_TABLES:
            del rows[spec.name]

    summary = extract_load(directory=make_extract(core_only))

    assert summary.rows["cases"] == 3
    assert "victims" not in summary.rows
    assert victim_counts() == (0, 0, 0)
    assert plan_counts() == (0, 0)
    assert Exhibit.objects.count() == 0


def test_a_victims_phone_loads_on_its_return_clock(make_extract: ExtractFactory) -> None:
    extract_load(directory=make_extract())

    phone = Exhibit.objects.get()
    assert (phone.case.crime_reference, phone.reference, phone.owner) == ("BS/25/000002", "VP/1", "victim")
    assert phone.person is not None
    assert phone.person.source_id == "P3"
    assert phone.on_return_clock
    assert phone.seconds_to_return == 10 * 3600
    assert phone.clock_stopped_at == phone.returned_at
    request = DigitalRequest.objects.get()
    assert (request.kind, request.status, request.about_victim) == ("victim_device", "not_authorised", True)
    assert request.plan_line is not None
    assert request.plan_line.title == "Download the victim's phone"


def test_plans_and_lines_load_with_their_start_completion_and_approval(make_extract: ExtractFactory) -> None:
    extract_load(directory=make_extract())

    plan = InvestigationPlan.objects.get()
    assert plan.case.crime_reference == "BS/25/000002"
    assert plan.template is not None
    lines = {line.title: line for line in plan.lines.all()}
    history = lines["Check the suspect's history and intelligence"]
    assert history.template_line is not None
    assert history.template_line.code == "suspect_history"
    assert history.status == LineStatus.DONE
    assert history.completed_at is not None
    assert history.started_at is not None
    assert history.completed_at > history.started_at
    phone = lines["Download the victim's phone"]
    assert (phone.intrusive_kind, phone.approval_state, phone.template_line) == ("phone_download", "refused", None)
    assert phone.is_victim_focused_action
    bail = Bail.objects.get()
    assert (bail.case.crime_reference, bail.suspect.source_id, bail.status) == ("BS/25/000001", "I2", "ended")
    assert (bail.expires_on, bail.ended_on) == (dt.date(2025, 6, 19), dt.date(2025, 6, 1))


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (
            lambda rows: rows.pop("victims"),
            "code_duties.parquet, column 'involvement_id': refers to victims.parquet, which is not in the extract",
        ),
        (
            lambda rows: [row.update(involvement_id="I2") for row in (rows["victims"][1], *rows["code_duties"][1:])],
            "victims.parquet, row 2, column 'involvement_id': a profile belongs to a victim",
        ),
        (
            lambda rows: rows["victim_contacts"][1].update(channel="pigeon"),
            "victim_contacts.parquet, row 2, column 'channel': not a contact channel",
        ),
        (
            lambda rows: rows["code_duties"][2].update(right="free_lunch"),
            "code_duties.parquet, row 3, column 'right': not a Victims' Code right in the reference data",
        ),
        (
            lambda rows: rows["code_duties"][0].update(met_at=None),
            "code_duties.parquet, row 1, column 'met_at': a met duty needs the moment it was met.",
        ),
        (
            lambda rows: rows["code_duties"][0].update(met_by_contact_id="C9"),
            "code_duties.parquet, row 1, column 'met_by_contact_id': refers to a contact_id that is not in",
        ),
        (
            lambda rows: rows["plan_lines"][0].update(started_at=None),
            "plan_lines.parquet, row 1, column 'started_at': a line in progress or done needs the moment it started.",
        ),
        (
            lambda rows: rows["plan_lines"][2].update(approval_state="not_needed"),
            "plan_lines.parquet, row 3, column 'approval_state': a victim-focused action needs a supervisor's approval",
        ),
        (
            lambda rows: rows["plan_lines"][1].update(case_id="BS/25/000003"),
            "plan_lines.parquet, row 2, column 'case_id': refers to a case_id that is not in plans.parquet.",
        ),
        (
            lambda rows: rows["exhibits"][0].update(
                returned_at=rows["exhibits"][0]["obtained_at"] - dt.timedelta(hours=1)
            ),
            "exhibits.parquet, row 1, column 'returned_at': before the exhibit was obtained.",
        ),
        (
            lambda rows: rows["exhibits"][0].update(person_record_id="P9"),
            "exhibits.parquet, row 1, column 'person_record_id': refers to a person_record_id that is not in",
        ),
        (
            lambda rows: rows["bail"][0].update(suspect_involvement_id="I1"),
            "bail.parquet, row 1, column 'suspect_involvement_id': bail is for a suspect on the same case",
        ),
        (
            lambda rows: rows["digital_requests"][0].update(status="completed"),
            "digital_requests.parquet, row 1, column 'completed_at': a completed request needs the moment",
        ),
        (
            lambda rows: rows["feedback"][0].update(respect=6),
            "feedback.parquet, row 1, column 'respect': an answer is a score from 1 (strongly disagree) to 5",
        ),
        (
            lambda rows: rows["victims"][0].update(plan_agreed_on=None),
            "victims.parquet, row 1, column 'plan_cadence_days': a contact plan needs both",
        ),
    ],
)
def test_a_problem_in_an_optional_table_names_file_row_and_column_and_loads_nothing(
    make_extract: ExtractFactory, spoil: object, expected: str
) -> None:
    directory = make_extract(spoil)
    with pytest.raises(ExtractError) as error:
        extract_load(directory=directory)

    assert expected in str(error.value)
    assert Case.objects.count() == 0
    assert victim_counts() == (0, 0, 0)
    assert plan_counts() == (0, 0)
    assert Exhibit.objects.count() == 0


def test_a_synthetic_force_loads_every_victim_row_it_generated(tmp_path: Path) -> None:
    tables = generate_force(cases=120, seed=5)
    write_force(tables, tmp_path / "force")

    extract_load(directory=tmp_path / "force")

    assert victim_counts() == tuple(tables[n].num_rows for n in ("victims", "victim_contacts", "code_duties"))
    assert plan_counts() == (tables["plans"].num_rows, tables["plan_lines"].num_rows)
    assert Exhibit.objects.count() == tables["exhibits"].num_rows
    assert Feedback.objects.count() == tables["feedback"].num_rows
    assert Bail.objects.count() == tables["bail"].num_rows
    assert DigitalRequest.objects.count() == tables["digital_requests"].num_rows
    assert not DigitalRequest.objects.filter(plan_line__isnull=True).exists()
    assert VictimProfile.objects.count() == 120
    # Every met duty points at a contact with the same victim, made when the duty was met.
    for duty in Obligation.objects.filter(status=ObligationStatus.MET).select_related("met_by_contact")[:200]:
        assert duty.met_by_contact is not None
        assert duty.met_by_contact.profile_id == duty.profile_id
        assert duty.met_by_contact.occurred_at == duty.met_at
