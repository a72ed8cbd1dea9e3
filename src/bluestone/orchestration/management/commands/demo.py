"""`bluestone demo`: a synthetic force on SQLite with one user per role, served on 127.0.0.1:8000."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Count, Q

from bluestone.accounts.models import Officer, Role, Team, User
from bluestone.cases.models import Case, CaseStatus
from bluestone.core import clock
from bluestone.core.demo import run_demo_steps

# About two years of reports for a mid-sized force (DOMAIN.md: ~3,600 sexual offences a year).
DEMO_CASES = 7_200
DEMO_SEED = 2026


def demo_password(role: str) -> str:
    """The demo's published password for a role. Only ever set on the local demo database."""
    return f"bluestone-{role}"


class Command(BaseCommand):
    help = "Build the demo: migrate, generate and load a synthetic force, create demo users, and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="build everything but do not start the server")
        parser.add_argument("--cases", type=int, default=DEMO_CASES, help=f"cases to generate (default {DEMO_CASES})")
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help=f"random seed (default {DEMO_SEED})")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="where to serve (default 127.0.0.1:8000)")

    def handle(self, *args: Any, **options: Any) -> None:
        self._refuse_outside_a_laptop()
        started = time.perf_counter()
        self.stdout.write("Preparing the database ...")
        call_command("migrate", interactive=False, verbosity=0)

        # The force's window ends yesterday, as a live force's extract would: reviews, duties and contacts
        # fall due from where the cases stand today, and the dashboard's latest months have data. The same
        # seed on the same day gives the same force.
        end_date = clock.today() - dt.timedelta(days=1)
        stem = f"demo-force-{options['cases']}-{options['seed']}"
        extract_dir = Path(settings.VAR_DIR) / f"{stem}-{end_date.isoformat()}"
        if not (extract_dir / "cases.parquet").exists():
            self.stdout.write(f"Generating a synthetic force of {options['cases']:,} cases ending {end_date} ...")
            call_command(
                "synth",
                cases=options["cases"],
                seed=options["seed"],
                end_date=end_date.isoformat(),
                out=str(extract_dir),
                verbosity=0,
                force=True,
            )
        # Earlier days' forces of the same size and seed (and the undated folder of earlier versions) go.
        for stale in [Path(settings.VAR_DIR) / stem, *Path(settings.VAR_DIR).glob(f"{stem}-????-??-??")]:
            if stale != extract_dir and stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
        self.stdout.write("Loading it ...")
        call_command("load", str(extract_dir), verbosity=1)
        users = demo_users_create()
        notes = run_demo_steps(users={user.role: user for user in users}, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo ready in {time.perf_counter() - started:.0f}s. Sign in as:"))
        for user in users:
            team = user.team.name if user.team else "no team"
            self.stdout.write(f"  {user.username:<14} password {demo_password(user.role):<26} ({user.role}, {team})")
        for line in notes:
            self.stdout.write(line)
        if not options["no_serve"]:
            self.stdout.write(f"Serving http://{options['addrport']}/ (Ctrl-C to stop)")
            # A worker beside the server runs background tasks (a linkage run, scoring a new case's people).
            worker = subprocess.Popen(
                [sys.executable, "-m", "bluestone.cli", "db_worker", "--no-reload", "--interval", "1"]
            )
            try:
                call_command("runserver", options["addrport"], use_reloader=False)
            finally:
                worker.terminate()

    @staticmethod
    def _refuse_outside_a_laptop() -> None:
        # The demo sets published passwords: never on a force's server.
        if settings.SETTINGS_MODULE.endswith(".production") or connection.vendor != "sqlite":
            raise CommandError(
                "The demo runs only on the local SQLite settings (bluestone.settings.local), "
                "because it creates users with published passwords."
            )


@transaction.atomic
def demo_users_create() -> list[User]:
    """One user per role; the investigator is the officer with the most open cases, the supervisor leads that team."""
    open_cases = Count("cases", filter=~Q(cases__status=CaseStatus.CLOSED))
    officer = Officer.objects.annotate(open_cases=open_cases).order_by("-open_cases", "collar_number").first()
    if officer is None:
        raise CommandError("No officers were loaded, so there is nobody to sign in as.")
    team: Team = officer.team
    users = []
    for role in Role:
        user, _ = User.objects.get_or_create(username=role.value)
        user.role = role.value
        user.team = team if role in {Role.INVESTIGATOR, Role.SUPERVISOR} else None
        user.is_staff = False
        user.set_password(demo_password(role.value))
        users.append(user)
    investigator, supervisor = users[0], users[1]
    investigator.first_name, investigator.last_name = officer.first_name, officer.last_name
    supervisor.first_name, supervisor.last_name = "Demo", "Supervisor"
    for user in users[2:]:
        user.first_name, user.last_name = "Demo", user.get_role_display()
    for user in users:
        user.save()
    Officer.objects.filter(user=investigator).exclude(pk=officer.pk).update(user=None)
    officer.user = investigator
    officer.save(update_fields=["user"])
    if not Case.objects.filter(officer=officer).exists():
        raise CommandError("The demo investigator has no cases; generate a larger force.")
    return users
