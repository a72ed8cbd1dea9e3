"""Asking the portal for a new code: a real, enrolled reference against a made-up one.

Run: `python -m bench.portal [--runs 40]`. Builds its own SQLite database in a temporary folder and
uses the database task backend, as a deployment does, so the request only queues the work.
Before this was measured, a known enrolled reference answered in about 490 ms and an unknown one in
about 70 ms (hashing a new code and queueing a text message inside the request): the difference
told anyone which references were real. The ratio printed should be close to 1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import Timing, machine


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bluestone-bench-") as scratch:
        os.environ["BLUESTONE_VAR_DIR"] = str(Path(scratch) / "var")
        os.environ["DJANGO_SETTINGS_MODULE"] = "bluestone.settings.local"
        os.environ["BLUESTONE_ALLOWED_HOSTS"] = "testserver"
        # Enough room that no client is locked out during the runs.
        os.environ["BLUESTONE_PORTAL_ADDRESS_ATTEMPTS"] = "100000"
        os.environ.pop("DATABASE_URL", None)
        import django  # noqa: PLC0415 (the settings must be chosen first)

        django.setup()
        _run(runs=args.runs)


def _enrolled_reference() -> str:
    import datetime as dt  # noqa: PLC0415

    from bluestone.accounts.models import Officer, Role, Team, User  # noqa: PLC0415
    from bluestone.cases.models import Case, HowReported, Involvement, PersonRecord  # noqa: PLC0415
    from bluestone.cases.models import Role as InvolvementRole  # noqa: PLC0415
    from bluestone.core.models import OffenceClass  # noqa: PLC0415
    from bluestone.victims.services import portal_access_issue, victim_profiles_ensure  # noqa: PLC0415

    team = Team.objects.create(code="BENCH", name="Bench team")
    user = User.objects.create_user(username="bench", password=None, role=Role.INVESTIGATOR, team=team)
    officer = Officer.objects.create(collar_number="B1", first_name="Bench", last_name="Officer", team=team, user=user)
    reported = dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC)
    case = Case.objects.create(
        crime_reference="BS/26/0000042",
        reported_at=reported,
        recorded_at=reported,
        offence_from=dt.date(2026, 2, 8),
        how_reported=HowReported.NON_EMERGENCY_CALL,
        offence_class=OffenceClass.objects.get(code="19C"),
        team=team,
        officer=officer,
    )
    person = PersonRecord.objects.create(first_name="Synthetic", last_name="Victim")
    Involvement.objects.create(case=case, person=person, role=InvolvementRole.VICTIM)
    profile = victim_profiles_ensure(case_id=case.pk, actor=user)[0]
    profile.safe_phone = "07700 900000"
    profile.save(update_fields=["safe_phone"])
    portal_access_issue(actor=user, profile=profile)
    return case.crime_reference


def _run(*, runs: int) -> None:
    from django.core.management import call_command  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    print(f"## Asking for a new portal code ({machine()}, load {os.getloadavg()[0]:.1f})\n")
    call_command("migrate", verbosity=0)
    known = _enrolled_reference()
    counter = iter(range(1, 10**6))

    def ask(reference: str) -> None:
        number = next(counter)
        client = Client(REMOTE_ADDR=f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}")
        response = client.post("/portal/follow/new-code/", {"reference": reference})
        assert response.status_code == 200  # noqa: S101

    ask(known)  # warm up: templates, the first code
    ask("BS/26/9999998")
    times: dict[str, list[float]] = {"made-up reference (baseline)": [], "enrolled reference": []}
    # Alternated, so that a change in the machine's load falls on both alike.
    for _ in range(runs):
        for label, reference in (("made-up reference (baseline)", "BS/26/9999999"), ("enrolled reference", known)):
            started = time.perf_counter()
            ask(reference)
            times[label].append(time.perf_counter() - started)
    results = {
        label: Timing(statistics.median(values), min(values), max(values), len(values))
        for label, values in times.items()
    }
    baseline = results["made-up reference (baseline)"].median
    print("| reference asked for | server time per request | ratio to a made-up reference |")
    print("|---|---|---|")
    for label, timing in results.items():
        print(f"| {label} | {timing} | {timing.median / baseline:.2f} |")


if __name__ == "__main__":
    main()
