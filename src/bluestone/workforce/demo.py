"""The demo's workforce: posts, training, screenings and exposure for every officer of the synthetic
force (bluestone.synth.generate_workforce), and check-ins for the demo supervisor's team, held by them.

So that the story shows on the pages, the demo investigator has a refresher overdue and a check-in due.
Runs once: a database that has workforce records already is left as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from bluestone.accounts.models import Officer, Role
from bluestone.core import clock
from bluestone.synth import Course, generate_workforce
from bluestone.workforce.caseload import officer_loads
from bluestone.workforce.models import (
    CheckIn,
    CourseType,
    ExposureEntry,
    OfficerProfile,
    Screening,
    TrainingRecord,
)
from bluestone.workforce.services import course_dates

DEMO_WORKFORCE_SEED = 16
OVERDUE_COURSE = "Trauma-informed practice"


@transaction.atomic
def workforce_demo(*, users: dict[str, Any], stdout: Any = None) -> list[str]:
    if TrainingRecord.objects.exists() or CheckIn.objects.exists():
        return []
    investigator, supervisor = users.get(Role.INVESTIGATOR), users.get(Role.SUPERVISOR)
    officers = {officer.collar_number: officer for officer in Officer.objects.select_related("team")}
    courses = {course.name: course for course in CourseType.objects.filter(active=True)}
    today = clock.today()
    rows = generate_workforce(
        officers=list(officers),
        courses=[Course(name, course.required) for name, course in courses.items()],
        seed=DEMO_WORKFORCE_SEED,
        as_of=today,
    )
    OfficerProfile.objects.bulk_create(
        [
            OfficerProfile(officer=officers[row["collar"]], post=row["post"], high_exposure=row["high_exposure"])
            for row in rows["posts"]
        ],
        ignore_conflicts=True,
    )
    own = getattr(investigator, "officer", None)
    training = []
    for row in rows["training"]:
        course = courses[row["course"]]
        achieved = row["achieved_on"]
        if own is not None and row["collar"] == own.collar_number and course.name == OVERDUE_COURSE:
            achieved = today - dt.timedelta(days=420)  # the demo investigator's refresher is overdue
        expires, refresher = course_dates(course, achieved)
        training.append(
            TrainingRecord(
                officer=officers[row["collar"]],
                course=course,
                achieved_on=achieved,
                expires_on=expires,
                refresher_due_on=refresher,
            )
        )
    if own is not None and not any(r.officer_id == own.pk and r.course.name == OVERDUE_COURSE for r in training):
        course = courses[OVERDUE_COURSE]
        achieved = today - dt.timedelta(days=420)
        expires, refresher = course_dates(course, achieved)
        training.append(
            TrainingRecord(
                officer=own, course=course, achieved_on=achieved, expires_on=expires, refresher_due_on=refresher
            )
        )
    TrainingRecord.objects.bulk_create(training)
    Screening.objects.bulk_create(
        [
            Screening(officer=officers[row["collar"]], held_on=row["held_on"], next_due_on=row["next_due_on"])
            for row in rows["screenings"]
        ]
    )
    ExposureEntry.objects.bulk_create(
        [
            ExposureEntry(
                officer=officers[row["collar"]],
                on=row["on"],
                kind=row["kind"],
                hours=Decimal(str(row["hours"])),
                created_by=officers[row["collar"]].user,
            )
            for row in rows["exposure"]
        ]
    )
    lines = []
    if supervisor is not None and supervisor.team_id is not None:
        check_ins = []
        for row in rows["check_ins"]:
            officer = officers[row["collar"]]
            if officer.team_id != supervisor.team_id:
                continue
            held_on, next_due = row["held_on"], row["next_due_on"]
            if own is not None and officer.pk == own.pk:
                # The demo investigator's check-ins run late: the next one is due now.
                held_on, next_due = held_on - dt.timedelta(days=60), next_due - dt.timedelta(days=60)
            check_ins.append(
                CheckIn(
                    officer=officer,
                    held_by=supervisor,
                    held_on=held_on,
                    next_due_on=next_due,
                    notes=row["notes"],
                    support_offered=row["support_offered"],
                    referred_to_occupational_health=row["referred_to_occupational_health"],
                    created_by=supervisor,
                )
            )
        CheckIn.objects.bulk_create(check_ins)
        team = list(Officer.objects.filter(team_id=supervisor.team_id))
        loads = officer_loads(officers=team)
        over = [o for o in team if loads[o.pk].over_threshold]
        lines.append(
            f"  Workforce (sign in as supervisor): {len(team)} officers, {len(over)} over the caseload threshold; "
            "the investigator has a training refresher overdue and a check-in due."
        )
    return lines
