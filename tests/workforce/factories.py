"""Workforce rows for tests, made through the services so the rules and the audit log are exercised."""

from __future__ import annotations

import datetime as dt

from bluestone.accounts.models import Officer, User
from bluestone.workforce.models import CheckIn, CourseType, TrainingRecord
from bluestone.workforce.services import check_in_record, training_record_add

PRIVATE_WORDS = "struggling to sleep after the Harcourt interviews"


def course(name: str = "Specialist sexual offences investigation") -> CourseType:
    return CourseType.objects.get(name=name)


def training(
    *, supervisor: User, officer: Officer, achieved_on: dt.date, name: str = "Specialist sexual offences investigation"
) -> TrainingRecord:
    return training_record_add(actor=supervisor, officer=officer, course=course(name), achieved_on=achieved_on)


def check_in(
    *, supervisor: User, officer: Officer, held_on: dt.date, notes: str = PRIVATE_WORDS, referred: bool = False
) -> CheckIn:
    return check_in_record(
        actor=supervisor,
        officer=officer,
        held_on=held_on,
        notes=notes,
        support_offered="Offered a session with the force's trauma support service",
        referred_to_occupational_health=referred,
    )
