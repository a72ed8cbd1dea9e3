"""factory_boy factories for the whole suite. Defaults are plain and valid; tests say what matters.

Call `XFactory.create(...)` rather than `XFactory(...)`: factory_boy does not annotate what calling
a factory class returns, so the type checker would take the result for the factory itself.
"""

from __future__ import annotations

import datetime as dt
import functools

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from bluestone.accounts.models import Officer, Rank, Role, Team, User
from bluestone.cases.facts import facts_refresh
from bluestone.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    EventKind,
    Gender,
    HowReported,
    Involvement,
    Outcome,
    PersonRecord,
)
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core.models import OffenceClass, OutcomeType

# Tests share a fixed "now" rather than the wall clock, so dates in assertions are predictable.
BASE_TIME = dt.datetime(2026, 3, 3, 14, 30, tzinfo=dt.UTC)
TEST_PASSWORD = "correct horse battery staple"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"RASSO team {n}")


@functools.cache
def _test_password_hash() -> str:
    """TEST_PASSWORD hashed once per process (with the test settings' Argon2, bluestone.core.hashers)."""
    return make_password(TEST_PASSWORD)


def _set_password(user: User, create: bool, password: str | None) -> None:
    if password is None or password == TEST_PASSWORD:
        # The same Argon2 hash for every factory user: signing in still verifies it with Argon2.
        user.password = _test_password_hash()
    else:
        user.set_password(password)
    if create:
        user.save(update_fields=["password"])


class UserFactory(factory.django.DjangoModelFactory):
    """A member of staff. Pass `password=` to sign in with the test client's login()."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@police.example")
    role = Role.INVESTIGATOR
    team = factory.SubFactory(TeamFactory)
    is_active = True

    password = factory.PostGeneration(lambda user, create, extracted, **kwargs: _set_password(user, create, extracted))


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    collar_number = factory.Sequence(lambda n: f"{1000 + n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    rank = Rank.DC
    team = factory.SubFactory(TeamFactory)
    user = None


def _offence_class(code: str) -> OffenceClass:
    # Loaded by the reference data migration; tests never create offence classes.
    return OffenceClass.objects.get(code=code)


class _KeepsCaseFacts(factory.django.DjangoModelFactory):
    """A factory of one of the records a case's facts (`bluestone.cases.facts`) are made of: like the
    services that write them, it writes the case's facts afresh."""

    class Meta:
        abstract = True

    @classmethod
    def _after_postgeneration(cls, instance: object, create: bool, results: object = None) -> None:
        super()._after_postgeneration(instance, create, results)
        if create:
            facts_refresh([instance.pk if isinstance(instance, Case) else instance.case_id])  # type: ignore[attr-defined]


class CaseFactory(_KeepsCaseFacts):
    class Meta:
        model = Case

    crime_reference = factory.Sequence(lambda n: f"BS/26/{n:06d}")
    reported_at = factory.Sequence(lambda n: BASE_TIME - dt.timedelta(days=n))
    recorded_at = factory.LazyAttribute(lambda c: c.reported_at + dt.timedelta(hours=2))
    offence_from = factory.LazyAttribute(lambda c: timezone.localdate(c.reported_at) - dt.timedelta(days=3))
    offence_to = None
    non_recent = False
    how_reported = HowReported.NON_EMERGENCY_CALL
    location_description = "Private address"
    location_postcode = "LS1 4AP"
    offence_class = factory.LazyFunction(lambda: _offence_class("19C"))
    team = factory.SubFactory(TeamFactory)
    officer = factory.SubFactory(OfficerFactory, team=factory.SelfAttribute("..team"))
    status = CaseStatus.UNDER_INVESTIGATION
    summary = ""


class PersonRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonRecord

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=16, maximum_age=80)
    gender = Gender.UNKNOWN


class InvolvementFactory(_KeepsCaseFacts):
    class Meta:
        model = Involvement

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonRecordFactory)
    role = InvolvementRole.VICTIM
    relationship_to_victim = ""


class OutcomeFactory(_KeepsCaseFacts):
    class Meta:
        model = Outcome

    case = factory.SubFactory(CaseFactory, status=CaseStatus.CLOSED)
    outcome_type = factory.LazyFunction(lambda: OutcomeType.objects.get(code=16))
    decided_on = factory.LazyAttribute(lambda o: timezone.localdate(o.case.reported_at) + dt.timedelta(days=100))
    rationale = ""
    victim_informed = True
    victim_informed_on = factory.LazyAttribute(lambda o: o.decided_on)


class CaseEventFactory(_KeepsCaseFacts):
    class Meta:
        model = CaseEvent

    case = factory.SubFactory(CaseFactory)
    occurred_at = factory.LazyAttribute(lambda e: e.case.reported_at)
    kind = EventKind.REPORTED
    summary = ""
