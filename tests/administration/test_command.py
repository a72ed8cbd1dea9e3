"""`bluestone users`: the same services from the command line, in an administrator's name."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bluestone.accounts.models import Role, User
from bluestone.audit.models import AuditEvent
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
REASON = "Moved to another force in April"


def run(*args: str) -> str:
    out = StringIO()
    call_command("users", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def admin() -> User:
    return UserFactory.create(username="admin1", role=Role.ADMINISTRATOR)


def test_create_set_team_set_role_deactivate(admin: User) -> None:
    TeamFactory.create(code="RASSO-N")
    run("create", "pjones", "--first-name", "Pat", "--last-name", "Jones", "--role", "investigator", "--by", "admin1")
    run("set-team", "pjones", "rasso-n", "--by", "admin1")
    run("set-role", "pjones", "supervisor", "--by", "admin1")
    run("deactivate", "pjones", "--reason", REASON, "--by", "admin1")
    pat = User.objects.get(username="pjones")
    assert pat.team is not None
    assert (pat.team.code, pat.role, pat.is_active) == ("RASSO-N", Role.SUPERVISOR, False)
    assert AuditEvent.objects.filter(object_id=str(pat.pk), actor=admin).count() == 4
    assert "pjones\tPat Jones\tsupervisor\tRASSO-N\tdeactivated" in run("list")


def test_by_must_be_an_active_administrator(admin: User) -> None:
    UserFactory.create(username="inv", role=Role.INVESTIGATOR)
    with pytest.raises(CommandError, match="active administrator"):
        run("set-role", "inv", "supervisor", "--by", "inv")


def test_the_last_administrator_is_refused_with_the_reason(admin: User) -> None:
    with pytest.raises(CommandError, match="last active administrator"):
        run("set-role", "admin1", "auditor", "--by", "admin1")


def test_import_dry_run_prints_each_error_and_creates_nobody(admin: User, tmp_path: Path) -> None:
    path = tmp_path / "users.csv"
    path.write_text("username,first_name,last_name,email,role,team\nanew,,New,,analyst,NOPE\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("users", "import", str(path), "--dry-run", "--by", "admin1", stdout=StringIO(), stderr=err)
    assert "Row 2, first_name: Enter the first name" in err.getvalue()
    assert "Row 2, team: there is no team with the code 'NOPE'" in err.getvalue()
    assert not User.objects.filter(username="anew").exists()
    path.write_text("username,first_name,last_name,email,role,team\nanew,Ann,New,,analyst,\n", encoding="utf-8")
    assert "1 row(s) are correct" in run("import", str(path), "--dry-run", "--by", "admin1")
    assert not User.objects.filter(username="anew").exists()
    assert "Created 1 user(s)" in run("import", str(path), "--by", "admin1")


def test_untie_force_account(admin: User) -> None:
    person = UserFactory.create(username="nadia", sso_issuer="https://login.force.example", sso_subject="41")
    assert run("untie-force-account", "nadia", "--reason", REASON, "--by", "admin1") == (
        "nadia is untied from their force account.\n"
    )
    person.refresh_from_db()
    assert person.sso_subject == ""
    with pytest.raises(CommandError, match="not tied to a force account"):
        run("untie-force-account", "nadia", "--reason", REASON, "--by", "admin1")
