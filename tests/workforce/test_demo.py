"""The workforce demo step and the synthetic workforce it draws: deterministic, realistic, run once."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from bluestone.accounts.models import Role
from bluestone.cases.extensions import MY_WORK, work_items_for
from bluestone.core import clock
from bluestone.core.demo import demo_steps
from bluestone.synth import Course, generate_workforce
from bluestone.workforce.demo import workforce_demo
from bluestone.workforce.models import CheckIn, ExposureEntry, OfficerProfile, Screening, TrainingRecord
from bluestone.workforce.selectors import team_workforce
from tests.factories import OfficerFactory

COURSES = [Course("Specialist", True), Course("Digital", False)]
AS_OF = dt.date(2026, 12, 3)


def test_the_same_arguments_draw_the_same_rows_whatever_the_officers_order():
    officers = [str(n) for n in range(2000, 2040)]
    first = generate_workforce(officers=officers, courses=COURSES, seed=5, as_of=AS_OF)
    again = generate_workforce(officers=list(reversed(officers)), courses=COURSES, seed=5, as_of=AS_OF)
    other = generate_workforce(officers=officers, courses=COURSES, seed=6, as_of=AS_OF)
    assert first == again
    assert first != other


def test_the_rows_are_realistic_and_never_after_the_day():
    rows = generate_workforce(officers=[str(n) for n in range(200)], courses=COURSES, seed=1, as_of=AS_OF)
    assert len(rows["posts"]) == 200
    specialist = [r for r in rows["training"] if r["course"] == "Specialist"]
    digital = [r for r in rows["training"] if r["course"] == "Digital"]
    assert 150 < len(specialist) < 195  # a required course: most hold it, not all
    assert 30 < len(digital) < 90
    assert all(r["achieved_on"] <= AS_OF for r in rows["training"])
    assert all(r["held_on"] <= AS_OF < r["next_due_on"] + dt.timedelta(days=400) for r in rows["check_ins"])
    late = [r for r in rows["check_ins"] if r["next_due_on"] < AS_OF]
    assert late  # some check-ins are overdue (older ones, and a few latest ones)
    assert all(0 < r["hours"] < 24 for r in rows["exposure"])
    assert {r["collar"] for r in rows["check_ins"]} == {str(n) for n in range(200)}


def test_a_negative_seed_is_refused():
    with pytest.raises(ValueError, match="seed"):
        generate_workforce(officers=["1"], courses=COURSES, seed=-1, as_of=AS_OF)


@pytest.mark.django_db
def test_the_demo_fills_the_pages_once(officer, investigator, supervisor, team):
    OfficerFactory.create_batch(4, team=team)
    users = {Role.INVESTIGATOR.value: investigator, Role.SUPERVISOR.value: supervisor}
    lines = workforce_demo(users=users, stdout=io.StringIO())
    counts = [m.objects.count() for m in (OfficerProfile, TrainingRecord, CheckIn, Screening, ExposureEntry)]
    workforce_demo(users=users, stdout=io.StringIO())  # again: nothing doubles
    assert counts == [m.objects.count() for m in (OfficerProfile, TrainingRecord, CheckIn, Screening, ExposureEntry)]
    assert counts[0] == 5
    assert all(count > 0 for count in counts)
    assert set(CheckIn.objects.values_list("held_by", flat=True)) == {supervisor.pk}
    mine = [i.description for i in work_items_for(user=investigator, queue=MY_WORK)]
    assert "Trauma-informed practice: refresher overdue" in mine
    row = next(r for r in team_workforce(user=supervisor).rows if r.officer == officer)
    assert row.check_in_overdue
    latest = CheckIn.objects.filter(officer=officer).order_by("-held_on").first()
    assert latest is not None
    assert latest.next_due_on < clock.today()
    assert any("Workforce" in line for line in lines)
    assert "workforce" in [step.name for step in demo_steps()]
