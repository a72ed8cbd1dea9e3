"""Users, teams and roles: each change is audited, the last administrator is kept, CSV import checks
every row before writing anything."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from bluestone.accounts.models import Role, Team, User
from bluestone.administration import services
from bluestone.audit.models import AuditAction, AuditEvent
from tests.factories import TeamFactory, UserFactory
from tests.races import decide_at_once, decide_one_after_the_other

pytestmark = pytest.mark.django_db
REASON = "Phone lost on duty, reported to the service desk"


def entries(user: User) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="accounts.User", object_id=str(user.pk)))


@pytest.fixture
def admin() -> User:
    return UserFactory.create(username="admin1", role=Role.ADMINISTRATOR)


def test_create_writes_the_user_and_one_collection_entry(admin: User) -> None:
    team = TeamFactory.create(code="RASSO-N")
    user = services.user_create(
        actor=admin, username="jsmith", first_name="Jo", last_name="Smith", role=Role.INVESTIGATOR, team=team
    )
    assert user.team == team
    assert user.role == Role.INVESTIGATOR
    assert not user.has_usable_password()
    [entry] = entries(user)
    assert entry.action == AuditAction.COLLECTION
    assert entry.actor == admin
    assert entry.details == {"role": "investigator", "team_id": team.pk, "password_set": False}


def test_create_refuses_a_username_taken_in_another_case(admin: User) -> None:
    UserFactory.create(username="jsmith")
    with pytest.raises(ValidationError) as caught:
        services.user_create(
            actor=admin, username="JSmith", first_name="Jo", last_name="Smith", role=Role.ANALYST, team=None
        )
    assert "already a user called JSmith" in caught.value.message_dict["username"][0]
    assert User.objects.filter(username__iexact="jsmith").count() == 1


def test_every_change_is_audited_with_what_changed(admin: User) -> None:
    user = UserFactory.create(role=Role.INVESTIGATOR)
    team = TeamFactory.create()
    services.user_set_role(actor=admin, user=user, role=Role.SUPERVISOR)
    services.user_set_team(actor=admin, user=user, team=team)
    services.user_update(actor=admin, user=user, first_name="Ann", last_name="Other", email="ann@police.example")
    services.user_set_password(actor=admin, user=user, password="a long enough pass phrase 42")
    services.user_unlock(actor=admin, user=user, reason=REASON)
    services.user_deactivate(actor=admin, user=user, reason=REASON)
    services.user_reactivate(actor=admin, user=user, reason=REASON)
    changed = [entry.details["changed"] for entry in entries(user)]
    assert changed == [
        ["role"],
        ["team"],
        ["first_name", "last_name", "email"],
        ["password"],
        ["sign_in_lock"],
        ["is_active"],
        ["is_active"],
    ]
    user.refresh_from_db()
    assert (user.role, user.team, user.first_name, user.is_active) == (Role.SUPERVISOR, team, "Ann", True)
    assert user.check_password("a long enough pass phrase 42")
    assert entries(user)[5].justification == REASON


def test_deactivating_ends_sessions_and_keeps_the_row(admin: User) -> None:
    user = UserFactory.create()
    before = user.session_generation
    services.user_deactivate(actor=admin, user=user, reason=REASON)
    user.refresh_from_db()
    assert not user.is_active
    assert user.session_generation == before + 1


def test_a_reason_is_required_for_reset_and_deactivation(admin: User) -> None:
    user = UserFactory.create()
    for change in (services.user_deactivate, services.user_reset_second_factor, services.user_unlock):
        with pytest.raises(ValidationError) as caught:
            change(actor=admin, user=user, reason="  lost ")
        assert "reason" in caught.value.message_dict
    user.refresh_from_db()
    assert user.is_active
    assert entries(user) == []


def test_reset_second_factor_removes_the_device_and_records_why(admin: User) -> None:
    user = UserFactory.create()
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    assert services.user_reset_second_factor(actor=admin, user=user, reason=REASON) == 1
    assert not TOTPDevice.objects.filter(user=user).exists()
    [entry] = entries(user)
    assert entry.details == {"changed": ["second_factor"], "devices_removed": 1}
    assert entry.justification == REASON


def test_the_last_active_administrator_cannot_be_deactivated_or_demoted(admin: User) -> None:
    with pytest.raises(ValidationError, match="last active administrator"):
        services.user_deactivate(actor=admin, user=admin, reason=REASON)
    with pytest.raises(ValidationError, match="last active administrator"):
        services.user_set_role(actor=admin, user=admin, role=Role.AUDITOR)
    admin.refresh_from_db()
    assert admin.is_active
    assert admin.role == Role.ADMINISTRATOR
    assert entries(admin) == []
    # With a second administrator, either may go; then the other is the last.
    other = UserFactory.create(role=Role.ADMINISTRATOR)
    services.user_set_role(actor=other, user=admin, role=Role.AUDITOR)
    with pytest.raises(ValidationError, match="last active administrator"):
        services.user_deactivate(actor=other, user=other, reason=REASON)


def test_a_deactivated_administrator_does_not_count(admin: User) -> None:
    UserFactory.create(role=Role.ADMINISTRATOR, is_active=False)
    with pytest.raises(ValidationError, match="last active administrator"):
        services.user_set_role(actor=admin, user=admin, role=Role.ANALYST)


def _two_administrators() -> tuple[int, int]:
    first = UserFactory.create(username="admin-a", role=Role.ADMINISTRATOR)
    second = UserFactory.create(username="admin-b", role=Role.ADMINISTRATOR)
    return first.pk, second.pk


def _demote(actor_pk: int, user_pk: int) -> User:
    actor = User.objects.get(pk=actor_pk)
    return services.user_set_role(actor=actor, user=User.objects.get(pk=user_pk), role=Role.INVESTIGATOR)


def test_two_administrators_demoting_each_other_one_after_the_other_leave_one() -> None:
    a, b = _two_administrators()
    # Both pairs are read before either decides, so the second decides on copies that are out of date.
    first, second = decide_one_after_the_other(
        lambda: (User.objects.get(pk=a), User.objects.get(pk=b)),
        lambda pair: services.user_set_role(actor=pair[0], user=pair[1], role=Role.INVESTIGATOR),
        lambda pair: services.user_set_role(actor=pair[1], user=pair[0], role=Role.INVESTIGATOR),
    )
    assert first.error is None
    assert second.refused
    assert "last active administrator" in second.message
    assert User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_administrators_demoting_each_other_at_once_leave_one() -> None:
    a, b = _two_administrators()
    first, second = decide_at_once(lambda: _demote(a, b), lambda: _demote(b, a))
    assert first.error is None, first.error
    assert second.refused
    assert "last active administrator" in second.message
    assert User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).count() == 1


CSV_HEADER = "username,first_name,last_name,email,role,team\n"


def test_csv_dry_run_writes_nothing_and_reports_each_error_with_row_and_column(admin: User) -> None:
    TeamFactory.create(code="RASSO-N")
    UserFactory.create(username="taken")
    text = (
        CSV_HEADER
        + "anew,Ann,New,ann@police.example,investigator,RASSO-N\n"
        + "taken,Tim,Taken,,supervisor,RASSO-N\n"
        + "bnew,,Blank,not-an-email,wizard,NOPE\n"
        + "anew,Ann,Again,,analyst,\n"
    )
    users_before, log_before = User.objects.count(), AuditEvent.objects.count()
    report = services.users_import_csv(actor=admin, text=text, dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "username"),
        (4, "first_name"),
        (4, "email"),
        (4, "role"),
        (4, "team"),
        (5, "username"),
    ]
    assert str(report.errors[0]) == "Row 3, username: there is already a user called taken"
    assert report.rows == 4
    assert report.created == []
    assert (User.objects.count(), AuditEvent.objects.count()) == (users_before, log_before)


def test_csv_with_an_error_creates_nobody_even_without_dry_run(admin: User) -> None:
    text = CSV_HEADER + "anew,Ann,New,,investigator,\nbnew,Bo,New,,nobody,\n"
    report = services.users_import_csv(actor=admin, text=text, dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(3, "role")]
    assert not User.objects.filter(username__in=["anew", "bnew"]).exists()


def test_csv_correct_dry_run_creates_nobody_and_the_real_run_creates_each_audited(admin: User) -> None:
    team = TeamFactory.create(code="RASSO-N")
    text = CSV_HEADER + "anew,Ann,New,,Investigator,rasso-n\nbnew,Bo,New,bo@police.example,supervisor,\n"
    assert services.users_import_csv(actor=admin, text=text, dry_run=True).ok
    assert not User.objects.filter(username="anew").exists()
    report = services.users_import_csv(actor=admin, text=text, dry_run=False)
    assert report.created == ["anew", "bnew"]
    anew = User.objects.get(username="anew")
    assert anew.team == team
    assert anew.role == Role.INVESTIGATOR
    assert [e.action for e in entries(anew)] == [AuditAction.COLLECTION]


def test_csv_missing_columns_is_one_error_on_the_header(admin: User) -> None:
    report = services.users_import_csv(actor=admin, text="username,role\nx,analyst\n", dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(1, "first_name, last_name, email, team")]


def test_team_create_is_audited_and_refuses_a_duplicate_code(admin: User) -> None:
    team = services.team_create(actor=admin, code="rasso-s", name="RASSO South")
    assert team.code == "RASSO-S"
    assert AuditEvent.objects.filter(object_type="accounts.Team", object_id=str(team.pk)).count() == 1
    with pytest.raises(ValidationError) as caught:
        services.team_create(actor=admin, code="RASSO-S", name="Another")
    assert "already a team" in caught.value.message_dict["code"][0]


def _every_change(actor: User, user: User, team: Team) -> dict[str, Callable[[], object]]:
    """Each administration service, called as `actor` on `user`, by name."""
    return {
        "user_create": lambda: services.user_create(
            actor=actor, username="newcomer", first_name="New", last_name="Comer", role=Role.INVESTIGATOR, team=team
        ),
        "user_update": lambda: services.user_update(
            actor=actor, user=user, first_name="Changed", last_name="Name", email="changed@example.org"
        ),
        "user_set_role": lambda: services.user_set_role(actor=actor, user=user, role=Role.SUPERVISOR),
        "user_set_team": lambda: services.user_set_team(actor=actor, user=user, team=None),
        "user_deactivate": lambda: services.user_deactivate(actor=actor, user=user, reason=REASON),
        "user_reactivate": lambda: services.user_reactivate(actor=actor, user=user, reason=REASON),
        "user_set_password": lambda: services.user_set_password(
            actor=actor, user=user, password="a long new passphrase 42"
        ),
        "user_reset_second_factor": lambda: services.user_reset_second_factor(actor=actor, user=user, reason=REASON),
        "user_unlock": lambda: services.user_unlock(actor=actor, user=user, reason=REASON),
        "user_untie_force_account": lambda: services.user_untie_force_account(actor=actor, user=user, reason=REASON),
        "team_create": lambda: services.team_create(actor=actor, code="NEW", name="New team"),
        "team_rename": lambda: services.team_rename(actor=actor, team=team, name="Renamed team"),
        "users_import_csv": lambda: services.users_import_csv(
            actor=actor, text="username,first_name,last_name,role\nnewcsv,New,Csv,investigator\n", dry_run=False
        ),
        "support_service_save": lambda: services.support_service_save(actor=actor, service=None, values={}),
    }


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.INVESTIGATOR, Role.ANALYST, Role.AUDITOR])
def test_no_change_is_made_for_anyone_but_an_administrator_whoever_calls_the_service(role: str) -> None:
    from django.core.exceptions import PermissionDenied  # noqa: PLC0415

    team = TeamFactory.create(code="KEEP", name="Kept team")
    user = UserFactory.create(username="target", team=team, role=Role.INVESTIGATOR)
    actor = UserFactory.create(username="not-an-admin", team=team, role=role)
    audited_before = AuditEvent.objects.count()
    refused = []
    for name, change in _every_change(actor, user, team).items():
        try:
            change()
        except PermissionDenied:
            refused.append(name)
    assert refused == list(_every_change(actor, user, team))
    user.refresh_from_db()
    team.refresh_from_db()
    assert user.first_name != "Changed"
    assert user.role == Role.INVESTIGATOR
    assert user.team_id == team.pk
    assert user.is_active
    assert team.name == "Kept team"
    assert not User.objects.filter(username__in=["newcomer", "newcsv"]).exists()
    assert AuditEvent.objects.count() == audited_before


def test_a_deactivated_administrator_changes_nothing(admin: User) -> None:
    from django.core.exceptions import PermissionDenied  # noqa: PLC0415

    admin.is_active = False
    admin.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        services.team_create(actor=admin, code="NEW", name="New team")
