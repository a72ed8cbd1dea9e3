"""Writes for administrators: users, teams and roles. Each change and its audit entry commit or roll
back together; nobody is ever deleted (the audit log names them), only deactivated.

The force always keeps one active administrator: deactivating or demoting the last one is refused.
Two administrators demoting each other at the same moment cannot both win: each change locks every
active administrator's row (SELECT ... FOR UPDATE, in a fixed order) before counting them, so the
second waits for the first and then counts what the first left.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

import rules
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from bluestone.accounts.lockout import sign_in_attempts_reset
from bluestone.accounts.models import Role, Team, User
from bluestone.accounts.services import active_administrators_lock, user_sign_out_everywhere
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.core.locking import relock
from bluestone.portal.models import SupportService

ACCOUNT = "accounts.User"
TEAM = "accounts.Team"
REASON_MIN_LENGTH = 10
USERNAME_MAX = 150
NAME_MAX = 150
TEAM_CODE_MAX = 32
TEAM_NAME_MAX = 200
SUPPORT_NAME_MAX = 200
CSV_COLUMNS = ("username", "first_name", "last_name", "email", "role", "team")


def _audit(
    *, actor: User, user: User, action: AuditAction, request: HttpRequest | None, details: dict[str, Any], why: str = ""
) -> None:
    audit_record(
        actor=actor,
        action=action,
        request=request,
        object_type=ACCOUNT,
        object_id=user.pk,
        justification=why,
        details=details,
    )


def _require_administrator(actor: User) -> None:
    """Every change here is an administrator's, whoever calls it (a page, the command line, a task)."""
    if not rules.test_rule("administration.manage_users", actor):
        raise PermissionDenied("Users, teams and support services are kept by administrators.")


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            {"reason": f"Enter a reason of at least {REASON_MIN_LENGTH} characters: it is kept in the audit log"}
        )
    return reason


def _keep_an_administrator(user: User, what: str) -> None:
    """Refuse to take `user` out of the active administrators if they are the last one."""
    administrators = active_administrators_lock()
    if administrators == [user.pk]:
        raise ValidationError(
            f"{user.username} is the last active administrator and cannot be {what}: "
            "make someone else an administrator first",
            code="last_administrator",
        )


def _check_names(*, username: str, first_name: str, last_name: str, email: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = "Enter a username"
    elif len(username) > USERNAME_MAX or not all(c.isalnum() or c in "@.+-_" for c in username):
        errors["username"] = "Enter a username of letters, digits and @ . + - _ only, up to 150 characters"
    if not first_name:
        errors["first_name"] = "Enter the first name"
    elif len(first_name) > NAME_MAX:
        errors["first_name"] = f"Enter a first name of up to {NAME_MAX} characters"
    if not last_name:
        errors["last_name"] = "Enter the last name"
    elif len(last_name) > NAME_MAX:
        errors["last_name"] = f"Enter a last name of up to {NAME_MAX} characters"
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Enter an email address in the correct format, like name@example.police.uk"
    return errors


def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    role: str,
    team: Team | None,
    password: str = "",
    request: HttpRequest | None = None,
) -> User:
    """Create a member of staff. Without a password they cannot sign in until one is set for them."""
    _require_administrator(actor)
    username, first_name, last_name, email = (v.strip() for v in (username, first_name, last_name, email))
    errors = _check_names(username=username, first_name=first_name, last_name=last_name, email=email)
    if role not in Role.values:
        errors["role"] = "Select the role"
    if not errors.get("username") and User.objects.filter(username__iexact=username).exists():
        errors["username"] = f"There is already a user called {username}: choose another username"
    candidate = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            errors["password"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User(username=username, first_name=first_name, last_name=last_name, email=email, role=role, team=team)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        _audit(
            actor=actor,
            user=user,
            action=AuditAction.COLLECTION,
            request=request,
            details={"role": role, "team_id": team.pk if team else None, "password_set": bool(password)},
        )
    return user


def user_update(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    request: HttpRequest | None = None,
) -> User:
    """Change a user's name and email address."""
    _require_administrator(actor)
    first_name, last_name, email = first_name.strip(), last_name.strip(), email.strip()
    errors = _check_names(username=user.username, first_name=first_name, last_name=last_name, email=email)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        relock(user)
        changed = [
            name
            for name, value in (("first_name", first_name), ("last_name", last_name), ("email", email))
            if getattr(user, name) != value
        ]
        if not changed:
            return user
        user.first_name, user.last_name, user.email = first_name, last_name, email
        user.save(update_fields=changed)
        _audit(actor=actor, user=user, action=AuditAction.ALTERATION, request=request, details={"changed": changed})
    return user


def user_set_role(*, actor: User, user: User, role: str, request: HttpRequest | None = None) -> User:
    """Change a user's role. The last active administrator cannot be given another role."""
    _require_administrator(actor)
    if role not in Role.values:
        raise ValidationError({"role": "Select the role"})
    with transaction.atomic():
        if role != Role.ADMINISTRATOR:
            _keep_an_administrator(user, "given another role")
        relock(user)
        before = user.role
        if before == role:
            return user
        user.role = role
        user.save(update_fields=["role"])
        _audit(
            actor=actor,
            user=user,
            action=AuditAction.ALTERATION,
            request=request,
            details={"changed": ["role"], "role_from": before, "role_to": role},
        )
    return user


def user_set_team(*, actor: User, user: User, team: Team | None, request: HttpRequest | None = None) -> User:
    """Move a user to another team (or to no team)."""
    _require_administrator(actor)
    with transaction.atomic():
        relock(user)
        before = user.team_id
        after = team.pk if team else None
        if before == after:
            return user
        user.team = team
        user.save(update_fields=["team"])
        _audit(
            actor=actor,
            user=user,
            action=AuditAction.ALTERATION,
            request=request,
            details={"changed": ["team"], "team_from": before, "team_to": after},
        )
    return user


def user_deactivate(*, actor: User, user: User, reason: str, request: HttpRequest | None = None) -> User:
    """Stop a user signing in and end their sessions. They stay in the database: the log names them."""
    _require_administrator(actor)
    why = _reason(reason)
    with transaction.atomic():
        _keep_an_administrator(user, "deactivated")
        relock(user)
        if not user.is_active:
            raise ValidationError(f"{user.username} is already deactivated", code="already")
        user.is_active = False
        user.save(update_fields=["is_active"])
        user_sign_out_everywhere(user=user)
        _audit(
            actor=actor,
            user=user,
            action=AuditAction.ALTERATION,
            request=request,
            why=why,
            details={"changed": ["is_active"], "active": False},
        )
    return user


def user_reactivate(*, actor: User, user: User, reason: str, request: HttpRequest | None = None) -> User:
    """Let a deactivated user sign in again."""
    _require_administrator(actor)
    why = _reason(reason)
    with transaction.atomic():
        relock(user)
        if user.is_active:
            raise ValidationError(f"{user.username} is already active", code="already")
        user.is_active = True
        user.save(update_fields=["is_active"])
        _audit(
            actor=actor,
            user=user,
            action=AuditAction.ALTERATION,
            request=request,
            why=why,
            details={"changed": ["is_active"], "active": True},
        )
    return user


def user_set_password(*, actor: User, user: User, password: str, request: HttpRequest | None = None) -> User:
    """Set a new password for a user (a new account, or a forgotten password) and end their sessions."""
    _require_administrator(actor)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": " ".join(error.messages)}) from error
    with transaction.atomic():
        relock(user)
        user.set_password(password)
        user.save(update_fields=["password"])
        user_sign_out_everywhere(user=user)
        _audit(
            actor=actor, user=user, action=AuditAction.ALTERATION, request=request, details={"changed": ["password"]}
        )
    return user


def user_reset_second_factor(*, actor: User, user: User, reason: str, request: HttpRequest | None = None) -> int:
    """Remove a user's authenticator app (lost or replaced phone) so that they set one up again.

    Their sessions end. Returns how many devices were removed (0 if they had none).
    """
    _require_administrator(actor)
    why = _reason(reason)
    with transaction.atomic():
        relock(user)
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        user_sign_out_everywhere(user=user)
        _audit(
            actor=actor,
            user=user,
            action=AuditAction.ALTERATION,
            request=request,
            why=why,
            details={"changed": ["second_factor"], "devices_removed": removed},
        )
    return int(removed)


def user_unlock(*, actor: User, user: User, reason: str, request: HttpRequest | None = None) -> None:
    """Clear the failed sign-ins that locked a user out."""
    _require_administrator(actor)
    why = _reason(reason)
    with transaction.atomic():
        sign_in_attempts_reset(user=user)
        _audit(
            actor=actor,
            user=user,
            action=AuditAction.ALTERATION,
            request=request,
            why=why,
            details={"changed": ["sign_in_lock"], "unlocked": True},
        )


def user_untie_force_account(*, actor: User, user: User, reason: str, request: HttpRequest | None = None) -> None:
    """Untie a user from the force account single sign-on tied them to (say, the person's force account
    was replaced): their next sign-in through the provider ties them to the account it is made with.
    Their sessions end, since one of them may have been opened with the old force account."""
    _require_administrator(actor)
    why = _reason(reason)
    with transaction.atomic():
        relock(user)
        if not user.sso_subject:
            raise ValidationError(f"{user.username} is not tied to a force account", code="not_tied")
        before = {"issuer": user.sso_issuer, "sub": user.sso_subject}
        user.sso_issuer, user.sso_subject = "", ""
        user.save(update_fields=["sso_issuer", "sso_subject"])
        user_sign_out_everywhere(user=user)
        _audit(
            actor=actor,
            user=user,
            action=AuditAction.ALTERATION,
            request=request,
            why=why,
            details={"changed": ["force_account"], "force_account_from": before},
        )


def team_create(*, actor: User, code: str, name: str, request: HttpRequest | None = None) -> Team:
    _require_administrator(actor)
    code, name = code.strip().upper(), " ".join(name.split())
    errors: dict[str, str] = {}
    if not code:
        errors["code"] = "Enter the team's code"
    elif len(code) > TEAM_CODE_MAX or not all(c.isalnum() or c in "-_" for c in code):
        errors["code"] = "Enter a code of letters, digits, - and _ only, up to 32 characters"
    elif Team.objects.filter(code=code).exists():
        errors["code"] = f"There is already a team with the code {code}"
    if not name:
        errors["name"] = "Enter the team's name"
    elif len(name) > TEAM_NAME_MAX:
        errors["name"] = "Enter a name of up to 200 characters"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        team = Team.objects.create(code=code, name=name)
        audit_record(actor=actor, action=AuditAction.COLLECTION, request=request, object_type=TEAM, object_id=team.pk)
    return team


def team_rename(*, actor: User, team: Team, name: str, request: HttpRequest | None = None) -> Team:
    _require_administrator(actor)
    name = " ".join(name.split())
    if not name or len(name) > TEAM_NAME_MAX:
        raise ValidationError({"name": "Enter the team's name, up to 200 characters"})
    with transaction.atomic():
        relock(team)
        team.name = name
        team.save(update_fields=["name", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            object_type=TEAM,
            object_id=team.pk,
            details={"changed": ["name"]},
        )
    return team


@dataclass(frozen=True)
class RowError:
    row: int  # the line of the file, counting the header as 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.column}: {self.message}"


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def users_import_csv(*, actor: User, text: str, dry_run: bool, request: HttpRequest | None = None) -> ImportReport:
    """Create users from CSV (columns: username, first_name, last_name, email, role, team as its code).

    Every row is checked first, and each error is reported with its row and column. If any row is
    wrong nothing is created; a dry run creates nothing either way. Imported users have no password
    until one is set for them.
    """
    _require_administrator(actor)
    report = ImportReport(dry_run=dry_run)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in CSV_COLUMNS if name not in header]
    if missing:
        report.errors.append(RowError(1, ", ".join(missing), "the header is missing these columns"))
        return report
    teams = {team.code.upper(): team for team in Team.objects.all()}
    roles = {value: value for value in Role.values} | {label.lower(): value for value, label in Role.choices}
    seen: set[str] = set()
    planned: list[dict[str, Any]] = []
    for number, raw in enumerate(reader, start=2):
        report.rows += 1
        row = {(key or "").strip(): (value or "").strip() for key, value in raw.items() if key is not None}
        errors = _check_names(
            username=row["username"], first_name=row["first_name"], last_name=row["last_name"], email=row["email"]
        )
        role = roles.get(row["role"].lower())
        if role is None:
            errors["role"] = f"'{row['role']}' is not a role: use one of {', '.join(Role.values)}"
        team = teams.get(row["team"].upper()) if row["team"] else None
        if row["team"] and team is None:
            errors["team"] = f"there is no team with the code '{row['team']}'"
        username = row["username"].lower()
        if "username" not in errors:
            if username in seen:
                errors["username"] = f"{row['username']} appears more than once in the file"
            elif User.objects.filter(username__iexact=row["username"]).exists():
                errors["username"] = f"there is already a user called {row['username']}"
        seen.add(username)
        for column in CSV_COLUMNS:
            if column in errors:
                report.errors.append(RowError(number, column, errors[column]))
        planned.append(row | {"role": role, "team": team})
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        for row in planned:
            user = user_create(
                actor=actor,
                username=row["username"],
                first_name=row["first_name"],
                last_name=row["last_name"],
                email=row["email"],
                role=row["role"],
                team=row["team"],
                request=request,
            )
            report.created.append(user.username)
    return report


SUPPORT = "portal.SupportService"
SUPPORT_FIELDS = ("name", "offer", "phone", "website", "email", "area", "shown", "position")


def _support_check(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {
        key: " ".join(str(values.get(key) or "").split()) for key in ("name", "phone", "website", "email", "area")
    }
    cleaned["offer"] = str(values.get("offer") or "").strip()
    cleaned["shown"] = values.get("shown", True)
    cleaned["position"] = values.get("position") or 100
    errors: dict[str, str] = {}
    if not cleaned["name"]:
        errors["name"] = "Enter the organisation's name"
    elif len(cleaned["name"]) > SUPPORT_NAME_MAX:
        errors["name"] = "Enter a name of up to 200 characters"
    if not cleaned["offer"]:
        errors["offer"] = "Enter what they offer"
    if not cleaned["area"]:
        errors["area"] = "Enter where they help, such as the whole force area or one town"
    if not (cleaned["phone"] or cleaned["website"] or cleaned["email"]):
        errors["phone"] = "Enter at least one way to contact them: a phone number, a website or an email address"
    if cleaned["website"] and not cleaned["website"].startswith("https://"):
        errors["website"] = "Enter a website address starting https://"
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = "Enter an email address in the correct format, like help@example.org"
    if errors:
        raise ValidationError(errors)
    cleaned["shown"] = bool(cleaned["shown"])
    cleaned["position"] = int(cleaned["position"] or 100)
    return cleaned


def support_service_save(
    *, actor: User, service: SupportService | None, values: dict[str, Any], request: HttpRequest | None = None
) -> SupportService:
    """Add a support service the portal lists (service None) or change one; audited either way."""
    _require_administrator(actor)
    cleaned = _support_check(values)
    with transaction.atomic():
        if service is None:
            service = SupportService.objects.create(**cleaned)
            action, changed = AuditAction.COLLECTION, list(SUPPORT_FIELDS)
        else:
            relock(service)
            changed = [key for key, value in cleaned.items() if getattr(service, key) != value]
            if not changed:
                return service
            for key in changed:
                setattr(service, key, cleaned[key])
            service.save()
            action = AuditAction.ALTERATION
        audit_record(
            actor=actor,
            action=action,
            request=request,
            object_type=SUPPORT,
            object_id=service.pk,
            details={"changed": changed},
        )
    return service
