"""Users, their roles, teams and officers."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from bluestone.core.models import TimeStampedModel


class Role(models.TextChoices):
    INVESTIGATOR = "investigator", "Investigator"
    SUPERVISOR = "supervisor", "Supervisor"
    ANALYST = "analyst", "Analyst"
    TRIAGE = "triage", "Triage"
    AUDITOR = "auditor", "Auditor"
    ADMINISTRATOR = "administrator", "Administrator"
    # Liaison with a Sexual Assault Referral Centre: the SARC sample register, no case content.
    SARC_LIAISON = "sarc_liaison", "SARC liaison"
    # Occupational health: the wellbeing check-ins referred to it and the screenings due; no case content.
    OCCUPATIONAL_HEALTH = "occupational_health", "Occupational health"


class Team(TimeStampedModel):
    """A unit that owns cases, such as a RASSO investigation team."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff who signs in. Victims never have one: the portal has its own sign-in."""

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.INVESTIGATOR)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    # Raised by "sign out of all sessions": a session that recorded an older value is ended.
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    # The force account that single sign-on tied this user to on their first sign-in through it: the
    # provider's issuer and the `sub` it gives that person. Later sign-ins find the user by these, not
    # by email; empty until then (and for users who only sign in with a password).
    sso_issuer = models.CharField(max_length=300, blank=True, default="", editable=False)
    sso_subject = models.CharField(max_length=255, blank=True, default="", editable=False)

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]  # (django-stubs does not declare it)
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                fields=["sso_issuer", "sso_subject"],
                condition=~models.Q(sso_subject=""),
                name="accounts_user_one_per_force_account",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Rank(models.TextChoices):
    DC = "DC", "Detective Constable"
    PC = "PC", "Police Constable"
    DS = "DS", "Detective Sergeant"
    DI = "DI", "Detective Inspector"
    DCI = "DCI", "Detective Chief Inspector"
    STAFF = "STAFF", "Police staff investigator"


class Officer(TimeStampedModel):
    """An officer who can be the officer in the case; linked to a user once they sign in."""

    collar_number = models.CharField(max_length=16, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    rank = models.CharField(max_length=8, choices=Rank.choices, default=Rank.DC)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="officers")
    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="officer")

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.rank} {self.first_name} {self.last_name} ({self.collar_number})"
