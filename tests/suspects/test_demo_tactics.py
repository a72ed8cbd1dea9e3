"""The demo's disruption tactics: on the highest-priority repeat suspects after linkage, through the
audited service, with dates that fit each status, the same every time, and added once."""

from __future__ import annotations

import datetime as dt
import io
import math

import pytest

from bluestone.accounts.models import Role, User
from bluestone.audit.models import AuditEvent
from bluestone.core import clock
from bluestone.core.demo import demo_steps
from bluestone.suspects.demo import demo_tactics
from bluestone.suspects.models import CLOSED_TACTIC_STATUSES, Identity, TacticRecord, TacticStatus
from tests.factories import CaseFactory, UserFactory
from tests.suspects.conftest import Linked
from tests.suspects.factories import identity_of, suspect_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def identities(db: None) -> list[Identity]:
    made = [identity_of(suspect_on(CaseFactory.create()), suspect_on(CaseFactory.create())) for _ in range(20)]
    for rank, identity in enumerate(made):
        Identity.objects.filter(pk=identity.pk).update(priority=100 - rank)
    return made


def _tactics() -> list[tuple[object, ...]]:
    rows = TacticRecord.objects.values_list(
        "identity", "tactic", "status", "status_on", "starts_on", "ends_on", "review_on", "owner__username"
    )
    return sorted(rows, key=str)


def test_the_top_repeat_suspects_get_audited_tactics_owned_by_the_supervisor_or_analyst(
    identities: list[Identity],
) -> None:
    assert [s.name for s in demo_steps()].index("disruption tactics") > [s.name for s in demo_steps()].index(
        "repeat suspects (linkage)"
    )
    users = {
        "supervisor": UserFactory.create(username="supervisor", role=Role.SUPERVISOR),
        "analyst": UserFactory.create(username="analyst", role=Role.ANALYST, team=None),
        "investigator": UserFactory.create(username="investigator", role=Role.INVESTIGATOR),
    }

    lines = demo_tactics(users=users, stdout=io.StringIO())

    records = list(TacticRecord.objects.all())
    # The top 15% of 20, by priority: the first three.
    assert {r.identity_id for r in records} == {i.pk for i in identities[:3]}
    assert len(records) >= 3
    assert {r.owner.username for r in records} <= {"supervisor", "analyst"}
    assert AuditEvent.objects.filter(object_type="suspects.TacticRecord").count() == len(records)
    today = clock.today()
    for record in records:
        assert record.status_on <= today
        assert record.status_on >= today - dt.timedelta(days=731)
        assert (record.review_on is None) == (record.status in CLOSED_TACTIC_STATUSES)
        if record.starts_on and record.ends_on:
            assert record.ends_on >= record.starts_on
    assert lines[0].startswith(f"Disruption tactics: {len(records)} on the 3 highest-priority repeat suspects")


def test_the_tactics_are_the_same_every_time_and_a_second_run_adds_none(identities: list[Identity]) -> None:
    users = {"supervisor": UserFactory.create(username="supervisor", role=Role.SUPERVISOR)}
    demo_tactics(users=users, stdout=io.StringIO())
    first = _tactics()

    assert demo_tactics(users=users, stdout=io.StringIO()) == []
    assert _tactics() == first

    TacticRecord.objects.all().delete()
    demo_tactics(users=users, stdout=io.StringIO())
    assert _tactics() == first


def test_no_supervisor_or_analyst_means_no_tactics(identities: list[Identity]) -> None:
    investigator = UserFactory.create(username="investigator", role=Role.INVESTIGATOR)
    assert demo_tactics(users={"investigator": investigator}, stdout=io.StringIO()) == []
    assert not TacticRecord.objects.exists()


def test_on_a_linked_synthetic_force_the_tactics_follow_priority_and_some_are_in_force(
    linked: Linked, supervisor: User
) -> None:
    users = {"supervisor": supervisor, "analyst": linked.analyst}

    demo_tactics(users=users, stdout=io.StringIO())

    repeat = list(Identity.objects.filter(active=True, report_count__gte=2).order_by("-priority"))
    with_tactics = set(TacticRecord.objects.values_list("identity", flat=True))
    assert len(with_tactics) == math.ceil(len(repeat) * 0.15)
    lowest_chosen = min(i.priority for i in repeat if i.pk in with_tactics)
    assert all(i.priority <= lowest_chosen for i in repeat if i.pk not in with_tactics)
    # What the "disruption tactics" measure counts: tactics in force that started in the last two years.
    today = clock.today()
    in_force = TacticRecord.objects.filter(
        status__in=[TacticStatus.GRANTED, TacticStatus.BREACHED, TacticStatus.EXPIRED],
        starts_on__gte=today - dt.timedelta(days=730),
    )
    assert in_force.exists()
