"""A bulk load is collection of personal data (DPA 2018 s.62): one audit entry per load, saying who ran
it, from where, and how many rows of each table, written with the rows or not at all."""

from __future__ import annotations

import getpass

import pytest
from django.core.management import CommandError, call_command

from bluestone.accounts.models import Role
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.models import Case
from tests.factories import UserFactory
from tests.loading.conftest import ExtractFactory

pytestmark = pytest.mark.django_db


def _load_entries() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(details__what="bulk load"))


def test_a_load_is_one_entry_with_who_the_source_and_the_counts(make_extract: ExtractFactory) -> None:
    directory = make_extract()

    call_command("load", str(directory), verbosity=0)

    (entry,) = _load_entries()
    assert entry.action == AuditAction.COLLECTION
    assert entry.details["by"] == getpass.getuser()
    assert entry.details["source"] == str(directory.resolve())
    assert entry.details["counts"] == {
        "teams": 2,
        "officers": 2,
        "cases": 3,
        "persons": 4,
        "addresses": 1,
        "phones": 2,
        "emails": 1,
        "identifiers": 1,
        "involvements": 4,
        "outcomes": 1,
        "events": 3,
        "victims": 2,
        "victim contacts": 2,
        "code duties": 3,
        "feedback": 1,
        "plans": 1,
        "plan lines": 3,
        "bail": 1,
        "digital requests": 1,
        "exhibits": 1,
        "supervisory reviews": 1,
    }
    # One entry for the load, not one per record.
    assert AuditEvent.objects.count() == 1


def test_by_names_the_user_who_ran_it(make_extract: ExtractFactory) -> None:
    admin = UserFactory.create(username="ops.admin", role=Role.ADMINISTRATOR, team=None)

    call_command("load", str(make_extract()), by="ops.admin", verbosity=0)
    call_command("load", str(make_extract(name="again")), by="Data team, ticket 4411", verbosity=0)

    first, second = sorted(_load_entries(), key=lambda entry: entry.sequence)
    assert (first.actor_id, first.actor_username, first.details["by"]) == (admin.pk, "ops.admin", "ops.admin")
    assert (second.actor_id, second.details["by"]) == (None, "Data team, ticket 4411")


def test_a_refused_load_writes_no_entry(make_extract: ExtractFactory) -> None:
    def spoil(rows: dict) -> None:
        rows["cases"][0]["offence_code"] = "99Z"

    with pytest.raises(CommandError):
        call_command("load", str(make_extract(spoil)), verbosity=0)

    assert _load_entries() == []
    assert not Case.objects.exists()
