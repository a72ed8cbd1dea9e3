"""`bluestone users ...`: the administrators' user pages from the command line.

    bluestone users list
    bluestone users create USERNAME --first-name F --last-name L --role ROLE [--team CODE] [--email E] --by ADMIN
    bluestone users deactivate USERNAME --reason "..." --by ADMIN
    bluestone users set-role USERNAME ROLE --by ADMIN
    bluestone users set-team USERNAME CODE|none --by ADMIN
    bluestone users reset-second-factor USERNAME --reason "..." --by ADMIN
    bluestone users unlock USERNAME --reason "..." --by ADMIN
    bluestone users import FILE.csv [--dry-run] --by ADMIN

Every change is made by the same services as the pages, so it is checked and audited the same way,
in the name of the active administrator given with --by. A password is never taken on the command
line (it would stay in the shell's history): set one on the user's page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bluestone.accounts.models import Role, Team, User
from bluestone.administration import services


def _message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "List, create and change staff users: roles, teams, deactivation, second factor, unlocking, CSV import."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("list", help="every user, with role, team and whether active")

        def changing(name: str, help_text: str) -> CommandParser:
            sub: CommandParser = commands.add_parser(name, help=help_text)
            sub.add_argument("--by", required=True, help="the username of the active administrator making the change")
            return sub

        create = changing("create", "create a user (without a password: set one on their page)")
        create.add_argument("username")
        create.add_argument("--first-name", required=True)
        create.add_argument("--last-name", required=True)
        create.add_argument("--role", required=True, help=f"one of {', '.join(Role.values)}")
        create.add_argument("--team", default="", help="the team's code")
        create.add_argument("--email", default="")
        for name, help_text in (
            ("deactivate", "stop a user signing in and end their sessions"),
            ("reactivate", "let a deactivated user sign in again"),
            ("reset-second-factor", "remove a user's authenticator app"),
            ("unlock", "clear the failed sign-ins that locked a user out"),
            ("untie-force-account", "untie a user from the force account single sign-on tied them to"),
        ):
            sub = changing(name, help_text)
            sub.add_argument("username")
            sub.add_argument("--reason", required=True, help="why (kept in the audit log)")
        set_role = changing("set-role", "change a user's role")
        set_role.add_argument("username")
        set_role.add_argument("role", help=f"one of {', '.join(Role.values)}")
        set_team = changing("set-team", "move a user to another team")
        set_team.add_argument("username")
        set_team.add_argument("team", help="the team's code, or 'none'")
        importing = changing("import", "create users from a CSV file")
        importing.add_argument("file", type=Path)
        importing.add_argument("--dry-run", action="store_true", help="check every row and create nobody")

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["command"]
        if command == "list":
            self._list()
            return
        actor = self._administrator(options["by"])
        try:
            self._change(command, actor, options)
        except ValidationError as error:
            raise CommandError(_message(error)) from None

    def _list(self) -> None:
        for user in User.objects.select_related("team").order_by("username"):
            status = "active" if user.is_active else "deactivated"
            team = user.team.code if user.team else "-"
            self.stdout.write(f"{user.username}\t{user.get_full_name()}\t{user.role}\t{team}\t{status}")

    def _administrator(self, username: str) -> User:
        actor = User.objects.filter(username=username, is_active=True, role=Role.ADMINISTRATOR).first()
        if actor is None:
            raise CommandError(f"--by must name an active administrator; {username!r} is not one.")
        return actor

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username!r}. `bluestone users list` shows them.")
        return user

    def _team(self, code: str) -> Team | None:
        if not code or code.lower() == "none":
            return None
        team = Team.objects.filter(code__iexact=code).first()
        if team is None:
            codes = ", ".join(Team.objects.order_by("code").values_list("code", flat=True)) or "none yet"
            raise CommandError(f"There is no team with the code {code!r}. Teams: {codes}.")
        return team

    def _change(self, command: str, actor: User, options: dict[str, Any]) -> None:
        if command == "import":
            self._import(actor, options["file"], options["dry_run"])
            return
        if command == "create":
            user = services.user_create(
                actor=actor,
                username=options["username"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
                role=options["role"],
                team=self._team(options["team"]),
            )
            self.stdout.write(f"Created {user.username} ({user.role}).")
            return
        user = self._user(options["username"])
        if command == "set-role":
            services.user_set_role(actor=actor, user=user, role=options["role"])
            self.stdout.write(f"{user.username} is now {user.role}.")
        elif command == "set-team":
            services.user_set_team(actor=actor, user=user, team=self._team(options["team"]))
            self.stdout.write(f"{user.username} is now in {user.team.code if user.team else 'no team'}.")
        elif command == "deactivate":
            services.user_deactivate(actor=actor, user=user, reason=options["reason"])
            self.stdout.write(f"{user.username} is deactivated.")
        elif command == "reactivate":
            services.user_reactivate(actor=actor, user=user, reason=options["reason"])
            self.stdout.write(f"{user.username} is active again.")
        elif command == "reset-second-factor":
            removed = services.user_reset_second_factor(actor=actor, user=user, reason=options["reason"])
            self.stdout.write(f"{user.username}'s second factor is reset ({removed} device(s) removed).")
        elif command == "unlock":
            services.user_unlock(actor=actor, user=user, reason=options["reason"])
            self.stdout.write(f"{user.username} is unlocked.")
        elif command == "untie-force-account":
            services.user_untie_force_account(actor=actor, user=user, reason=options["reason"])
            self.stdout.write(f"{user.username} is untied from their force account.")

    def _import(self, actor: User, path: Path, dry_run: bool) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        report = services.users_import_csv(actor=actor, text=text, dry_run=dry_run)
        if report.errors:
            for row_error in report.errors:
                self.stderr.write(str(row_error))
            raise CommandError(f"{len(report.errors)} problem(s) in {path}: nobody was created.")
        if dry_run:
            self.stdout.write(f"{report.rows} row(s) are correct: nobody was created (dry run).")
        else:
            self.stdout.write(f"Created {len(report.created)} user(s).")
