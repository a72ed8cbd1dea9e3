"""The force a load test runs against: a synthetic force loaded into the database, the staff who
sign in (each with a password and an authenticator app whose secret is known), and victims enrolled
on the portal. Writes what the simulated people need to a JSON file.

Run by `bench.loadtest.run` in a process with the production settings and DATABASE_URL set:
    python -m bench.loadtest.world --cases N --out accounts.json
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

PASSWORD_BYTES = 18
CASES_PER_ACCOUNT = 30


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--investigators", type=int, default=32)
    parser.add_argument("--supervisors", type=int, default=10)
    parser.add_argument("--analysts", type=int, default=8)
    parser.add_argument("--victims", type=int, default=20)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    import django  # noqa: PLC0415 (the settings come from the environment)

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    began = time.monotonic()
    call_command("migrate", verbosity=0)
    _load(cases=args.cases, seed=args.seed)
    loaded = time.monotonic()
    world = {
        "staff": staff_accounts(investigators=args.investigators, supervisors=args.supervisors, analysts=args.analysts),
        "victims": victim_accounts(args.victims),
    }
    args.out.write_text(json.dumps(world, indent=1))
    accounts = time.monotonic() - loaded
    print(f"world: {args.cases:,} cases loaded in {loaded - began:.0f} s, accounts made in {accounts:.0f} s")


def _load(*, cases: int, seed: int) -> None:
    from bluestone.cases.loading import extract_load  # noqa: PLC0415
    from bluestone.synth import generate_force, write_force  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="bluestone-loadtest-") as scratch:
        write_force(generate_force(cases=cases, seed=seed), Path(scratch))
        extract_load(directory=Path(scratch))


def _account(username: str, role: str, team: Any) -> dict[str, Any]:
    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415

    from bluestone.accounts.models import User  # noqa: PLC0415

    password = secrets.token_urlsafe(PASSWORD_BYTES)
    user = User.objects.create_user(
        username=username, password=password, role=role, team=team, first_name="Load", last_name=f"Test {username}"
    )
    key = secrets.token_hex(20)
    TOTPDevice.objects.create(user=user, name="Authenticator app", key=key, confirmed=True)
    return {"username": username, "password": password, "totp_key": key, "role": role, "user": user}


def _surnames(case_ids: list[Any]) -> list[str]:
    from bluestone.cases.models import Involvement  # noqa: PLC0415

    names = Involvement.objects.filter(case_id__in=case_ids).exclude(person__last_name="")
    return sorted(set(names.values_list("person__last_name", flat=True)))[:10]


def staff_accounts(*, investigators: int, supervisors: int, analysts: int) -> list[dict[str, Any]]:
    """Investigators (the officers with the most open cases, with some of their cases and the surnames
    on them), supervisors of their teams, analysts; each signs in with a password and a TOTP code."""
    from django.db.models import Count, Q  # noqa: PLC0415

    from bluestone.accounts.models import Officer, Role  # noqa: PLC0415
    from bluestone.cases.models import Case, CaseStatus  # noqa: PLC0415

    staff = []
    open_cases = Count("cases", filter=~Q(cases__status=CaseStatus.CLOSED))
    officers = list(
        Officer.objects.filter(user__isnull=True)
        .annotate(open_cases=open_cases)
        .order_by("-open_cases", "collar_number")[:investigators]
    )
    teams = []
    for number, officer in enumerate(officers):
        account = _account(f"investigator{number:02d}", Role.INVESTIGATOR, officer.team)
        officer.user = account.pop("user")
        officer.save(update_fields=["user"])
        cases = list(
            Case.objects.filter(officer=officer)
            .exclude(status=CaseStatus.CLOSED)
            .order_by("-reported_at")
            .values_list("pk", flat=True)[:CASES_PER_ACCOUNT]
        )
        account["cases"] = [str(pk) for pk in cases]
        account["surnames"] = _surnames(cases)
        staff.append(account)
        if officer.team not in teams:
            teams.append(officer.team)
    for number in range(supervisors):
        team = teams[number % len(teams)]
        account = _account(f"supervisor{number:02d}", Role.SUPERVISOR, team)
        account.pop("user")
        cases = list(Case.objects.filter(team=team).order_by("-reported_at").values_list("pk", flat=True)[:100])
        account["cases"] = [str(pk) for pk in cases[::4]]
        account["surnames"] = _surnames(cases)
        staff.append(account)
    for number in range(analysts):
        account = _account(f"analyst{number:02d}", Role.ANALYST, None)
        account.pop("user")
        account["cases"], account["surnames"] = [], []
        staff.append(account)
    return staff


def victim_accounts(count: int) -> list[dict[str, str]]:
    """Victims on open cases of the investigators above, each with a portal access code issued."""
    from bluestone.accounts.models import User  # noqa: PLC0415
    from bluestone.cases.models import Case, CaseStatus, Involvement, Role  # noqa: PLC0415
    from bluestone.victims.services import portal_access_issue, victim_profiles_ensure  # noqa: PLC0415

    victims: list[dict[str, str]] = []
    cases = (
        Case.objects.exclude(status=CaseStatus.CLOSED)
        .filter(officer__user__isnull=False, involvements__role=Role.VICTIM)
        .select_related("officer__user")
        .distinct()
        .order_by("-reported_at")
    )
    for case in cases[: count * 2]:
        if len(victims) == count:
            break
        officer = case.officer.user  # type: ignore[union-attr]
        assert isinstance(officer, User)  # noqa: S101
        if not Involvement.objects.filter(case=case, role=Role.VICTIM).exists():
            continue
        profile = victim_profiles_ensure(case_id=case.pk, actor=officer)[0]
        _access, code = portal_access_issue(actor=officer, profile=profile)
        victims.append({"reference": case.crime_reference, "code": code, "secret_word": secrets.token_hex(6)})
    return victims


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluestone.settings.production")
    main()
