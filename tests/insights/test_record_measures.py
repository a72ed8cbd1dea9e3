"""The app-record measures read from the database: the right records, in scope, on London days."""

from __future__ import annotations

import datetime as dt

import pytest

from bluestone.accounts.models import Team
from bluestone.cases.models import Case, CaseStatus, Role
from bluestone.insights.selectors import Scope, measure_rows
from bluestone.investigation.models import ApprovalState, Focus, LineStatus
from bluestone.measures import Period, Row
from bluestone.suspects.models import Identity
from bluestone.victims.models import Channel, Feedback, Obligation, ObligationStatus, VictimContact, VictimProfile
from tests.factories import CaseFactory, InvolvementFactory, OfficerFactory, PersonRecordFactory, TeamFactory
from tests.investigation.factories import InvestigationPlanFactory, LineOfEnquiryFactory
from tests.suspects.factories import finished_run, identity_of, suspect_on
from tests.victims.factories import victim_case_create

LONDON_SUMMER = dt.timezone(dt.timedelta(hours=1))
JUNE = Period(dt.date(2025, 6, 1), dt.date(2025, 6, 30))
AS_OF = dt.date(2025, 7, 15)


def rows_of(scope: Scope | None = None) -> dict[tuple[str, str], Row]:
    return {(r.measure, r.breakdown): r for r in measure_rows(period=JUNE, as_of=AS_OF, scope=scope)}


def duty(
    profile: VictimProfile, *, due: dt.date, met_at: dt.datetime | None, status: str = ObligationStatus.MET
) -> None:
    Obligation.objects.create(
        profile=profile,
        case=profile.case,
        right_id="acknowledgement",
        trigger_kind="case_created",
        triggered_at=profile.case.recorded_at,
        due_on=due,
        enhanced=True,
        status=status,
        met_at=met_at,
    )


@pytest.fixture
def june(db: None) -> tuple[Team, Case, VictimProfile]:
    recorded = dt.datetime(2025, 6, 10, 9, tzinfo=dt.UTC)
    ours = victim_case_create(reported_at=recorded, recorded_at=recorded)
    theirs = victim_case_create(reported_at=recorded, recorded_at=recorded)
    Obligation.objects.all().delete()  # the duties opened on creation: these tests write their own
    for profile in (ours.profile, theirs.profile):
        profile.isva_status = "accepted" if profile == ours.profile else "declined"
        profile.save()
    # Met at 00:30 on 21 June in London (23:30 on the 20th in UTC): on time for a duty due the 21st
    # and late for one due the 20th. Read as a UTC day it would be on time for both.
    duty(ours.profile, due=dt.date(2025, 6, 21), met_at=dt.datetime(2025, 6, 21, 0, 30, tzinfo=LONDON_SUMMER))
    duty(ours.profile, due=dt.date(2025, 6, 20), met_at=dt.datetime(2025, 6, 21, 0, 30, tzinfo=LONDON_SUMMER))
    duty(ours.profile, due=dt.date(2025, 6, 25), met_at=None, status=ObligationStatus.OPEN)  # overdue
    duty(ours.profile, due=dt.date(2025, 6, 26), met_at=None, status=ObligationStatus.NOT_APPLICABLE)
    duty(theirs.profile, due=dt.date(2025, 6, 21), met_at=None, status=ObligationStatus.OPEN)
    for score in (1, 2, 3, 4, 5):
        Feedback.objects.create(
            profile=ours.profile,
            case=ours.case,
            submitted_at=dt.datetime(2025, 6, 20, 12, tzinfo=dt.UTC),
            voice=score,
            respect=5,
            neutrality=4,
            trustworthiness=4,
            overall=score,
        )
    plan = InvestigationPlanFactory.create(case=ours.case)
    LineOfEnquiryFactory.create(plan=plan, focus=Focus.SUSPECT, started_at=dt.datetime(2025, 6, 11, tzinfo=dt.UTC))
    LineOfEnquiryFactory.create(
        plan=plan,
        focus=Focus.VICTIM,
        started_at=dt.datetime(2025, 6, 12, tzinfo=dt.UTC),
        intrusive_kind="phone_download",
        approval_state=ApprovalState.APPROVED,
        status=LineStatus.IN_PROGRESS,
    )
    officer = OfficerFactory.create(team=ours.team)
    for _ in range(2):
        CaseFactory.create(team=ours.team, officer=officer, status=CaseStatus.UNDER_INVESTIGATION)
    CaseFactory.create(team=ours.team, officer=officer, status=CaseStatus.CLOSED)
    return ours.team, ours.case, ours.profile


def test_a_teams_record_measures_count_only_its_own_records_on_london_days(
    june: tuple[Team, Case, VictimProfile],
) -> None:
    team, _, _ = june
    rows = rows_of(Scope(team=team))
    assert rows["code_compliance", ""] == Row("code_compliance", "", 1, 3, 1 / 3)
    assert rows["code_compliance", "acknowledgement"] == Row("code_compliance", "acknowledgement", 1, 3, 1 / 3)
    assert rows["isva_referral", ""] == Row("isva_referral", "", 1, 1, 1.0)
    assert rows["feedback", ""].numerator == 5
    assert rows["feedback", "voice"].value == 3.0
    assert rows["feedback", "respect"].value == 5.0
    assert rows["suspect_focus", ""] == Row("suspect_focus", "", 1, 1, 1.0)
    assert rows["victim_focused_actions", "per_100_cases"] == Row(
        "victim_focused_actions", "per_100_cases", 1, 1, 100.0
    )
    assert rows["victim_focused_actions", "approval_rate"] == Row("victim_focused_actions", "approval_rate", 1, 1, 1.0)
    # The victim's case and two more open cases: the case officer holds one, the second officer two.
    assert rows["open_caseload_per_officer", ""] == Row("open_caseload_per_officer", "", 3, 2, 1.5)
    assert ("disruption_tactics", "") not in rows  # tactics belong to people, not to one team's cases


def test_the_whole_force_counts_every_teams_records(june: tuple[Team, Case, VictimProfile]) -> None:
    rows = rows_of()
    assert rows["code_compliance", ""] == Row("code_compliance", "", 1, 4, 0.25)
    assert rows["isva_referral", ""] == Row("isva_referral", "", 1, 2, 0.5)
    assert rows["disruption_tactics", ""] == Row("disruption_tactics", "", 0, None, 0.0)


def test_feedback_from_four_victims_shows_no_means(june: tuple[Team, Case, VictimProfile]) -> None:
    Feedback.objects.first().delete()  # type: ignore[union-attr]
    rows = rows_of()
    assert rows["feedback", ""].numerator == 4
    assert rows["feedback", "overall"] == Row("feedback", "overall", None, 4, None)


def test_another_team_sees_none_of_it(june: tuple[Team, Case, VictimProfile]) -> None:
    rows = rows_of(Scope(team=TeamFactory.create()))
    assert rows["code_compliance", ""] == Row("code_compliance", "", 0, 0, None)
    assert rows["feedback", ""].numerator == 0
    assert rows["open_caseload_per_officer", ""].numerator == 0


def test_suspect_focus_compares_each_cases_first_suspect_and_victim_focused_lines(
    june: tuple[Team, Case, VictimProfile],
) -> None:
    def case_with_lines(*lines: tuple[str, dt.datetime, str]) -> None:
        recorded = dt.datetime(2025, 6, 10, 9, tzinfo=dt.UTC)
        plan = InvestigationPlanFactory.create(case=victim_case_create(reported_at=recorded, recorded_at=recorded).case)
        for focus, started_at, status in lines:
            LineOfEnquiryFactory.create(plan=plan, focus=focus, started_at=started_at, status=status)

    day = dt.datetime(2025, 6, 11, 10, tzinfo=dt.UTC)
    hour = dt.timedelta(hours=1)
    # Victim first (the suspect line marked not needed does not count, nor one started after as-of).
    case_with_lines(
        (Focus.VICTIM, day, LineStatus.IN_PROGRESS),
        (Focus.SUSPECT, day + hour, LineStatus.IN_PROGRESS),
        (Focus.SUSPECT, day - hour, LineStatus.NOT_NEEDED),
    )
    case_with_lines((Focus.VICTIM, day, LineStatus.IN_PROGRESS))  # victim only
    case_with_lines((Focus.SUSPECT, day, LineStatus.IN_PROGRESS))  # suspect only: counts
    case_with_lines((Focus.SUSPECT, day, LineStatus.IN_PROGRESS), (Focus.VICTIM, day, LineStatus.IN_PROGRESS))
    case_with_lines((Focus.SUSPECT, dt.datetime(2025, 8, 1, tzinfo=dt.UTC), LineStatus.IN_PROGRESS))  # after as-of
    # The fixture's case (suspect first), the suspect-only case and the tie count, of the five with a
    # suspect- or victim-focused line started by the as-of day.
    assert rows_of()["suspect_focus", ""] == Row("suspect_focus", "", 3, 5, 0.6)


def test_repeat_suspects_are_named_suspects_on_cohort_cases_whose_identity_is_a_suspect_on_another_case(
    db: None,
) -> None:
    def june_case() -> Case:
        recorded = dt.datetime(2025, 6, 10, 9, tzinfo=dt.UTC)
        return victim_case_create(reported_at=recorded, recorded_at=recorded).case

    first, second = june_case(), june_case()
    earlier = victim_case_create(
        reported_at=dt.datetime(2024, 1, 5, tzinfo=dt.UTC), recorded_at=dt.datetime(2024, 1, 5, tzinfo=dt.UTC)
    ).case
    run = finished_run()
    identity_of(suspect_on(first, last_name="Repeat"), suspect_on(earlier, last_name="Repeat"), run=run)
    # (An identity of one person record is retired by the priority refresh: each has two records.)
    identity_of(suspect_on(second, last_name="Once"), suspect_on(second, last_name="Once"), run=run)  # one case
    suspect_on(second, first_name="", last_name="")  # unnamed: not counted
    suspect_on(second, last_name="Unlinked")  # counted, never a repeat
    twice = suspect_on(first, last_name="Twice")  # one record, a suspect on both cohort cases
    InvolvementFactory.create(case=second, person=twice, role=Role.SUSPECT)
    identity_of(twice, PersonRecordFactory.create(last_name="Twice"), run=run)
    retired = identity_of(suspect_on(first, last_name="Retired"), suspect_on(earlier, last_name="Retired"), run=run)
    Identity.objects.filter(pk=retired.pk).update(active=False)  # an inactive identity: not counted
    # Named suspects (involvements) on the cohort: Repeat, Once twice, Unlinked and Twice twice; the
    # repeats are Repeat (also on the earlier case) and both of Twice's.
    assert rows_of()["repeat_suspect_share", ""] == Row("repeat_suspect_share", "", 3, 6, 0.5)


def test_a_contact_is_overdue_after_the_cadence_from_the_later_of_agreement_and_the_last_london_contact_day(
    db: None,
) -> None:
    def plan(
        agreed: dt.date, cadence: int, *contacts: dt.datetime, status: str = CaseStatus.UNDER_INVESTIGATION
    ) -> None:
        victim = victim_case_create()
        Case.objects.filter(pk=victim.case.pk).update(status=status)
        VictimProfile.objects.filter(pk=victim.profile.pk).update(plan_agreed_on=agreed, plan_cadence_days=cadence)
        for at in contacts:
            VictimContact.objects.create(
                profile=victim.profile, case=victim.case, occurred_at=at, channel=Channel.PHONE, summary="Update"
            )

    july = dt.date(2025, 7, 1)
    plan(july, 7)  # due 8 July: overdue on the 15th
    # Last contact at 00:30 on 8 July in London (23:30 on the 7th in UTC): due the 15th, not yet overdue;
    # read as a UTC day it would be.
    plan(july, 7, dt.datetime(2025, 7, 2, 9, tzinfo=dt.UTC), dt.datetime(2025, 7, 8, 0, 30, tzinfo=LONDON_SUMMER))
    plan(dt.date(2025, 7, 10), 14)  # due the 24th
    plan(dt.date(2025, 6, 1), 14, dt.datetime(2025, 7, 10, 9, tzinfo=dt.UTC))  # due the 24th
    plan(july, 7, dt.datetime(2025, 7, 20, 9, tzinfo=dt.UTC))  # a contact after the as-of day does not count
    plan(july, 7, status=CaseStatus.CLOSED)  # closed: not counted
    plan(dt.date(2025, 7, 20), 7)  # agreed after the as-of day: not counted
    assert rows_of()["contact_overdue", ""] == Row("contact_overdue", "", 2, 5, 0.4)
