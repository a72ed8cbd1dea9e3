"""The Measures page and `bluestone measures` on the demo force (SQLite).

Run: `python -m bench.measures [--cases 7200 --seed 2026]`. Builds its own database in a temporary
folder, loads the force and the demo's users, then times the measures for a twelve-month period.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import machine, measure

DEMO_CASES = 7_200
DEMO_SEED = 2026


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=DEMO_CASES)
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bluestone-bench-") as scratch:
        os.environ["BLUESTONE_VAR_DIR"] = str(Path(scratch) / "var")
        os.environ["DJANGO_SETTINGS_MODULE"] = "bluestone.settings.local"
        os.environ["BLUESTONE_ALLOWED_HOSTS"] = "testserver"
        os.environ.pop("DATABASE_URL", None)
        import django  # noqa: PLC0415 (the settings must be chosen first)

        django.setup()
        _run(Path(scratch), cases=args.cases, seed=args.seed, runs=args.runs)


def _run(scratch: Path, *, cases: int, seed: int, runs: int) -> None:
    from django.core.management import call_command  # noqa: PLC0415
    from django.db.models import Count  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    from bluestone.accounts.models import Team  # noqa: PLC0415
    from bluestone.cases.loading import extract_load  # noqa: PLC0415
    from bluestone.core import charts  # noqa: PLC0415
    from bluestone.insights.selectors import Scope, measure_rows  # noqa: PLC0415
    from bluestone.measures import Period  # noqa: PLC0415
    from bluestone.orchestration.management.commands.demo import demo_users_create  # noqa: PLC0415
    from bluestone.synth import generate_force, write_force  # noqa: PLC0415

    print(f"## Measures: {cases:,} cases, seed {seed}, SQLite ({machine()}, load average {_load()})\n")
    call_command("migrate", verbosity=0)
    out = scratch / "extract"
    write_force(generate_force(cases=cases, seed=seed), out)
    extract_load(directory=out)
    users = {user.role: user for user in demo_users_create()}
    period = Period(dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    as_of = dt.date(2026, 9, 30)
    query = f"?start={period.start}&end={period.end}"
    team = Team.objects.annotate(n=Count("cases")).order_by("-n").first()  # the busiest
    assert team is not None  # noqa: S101

    sign_in = reverse("accounts:sign-in")
    anonymous = Client()
    supervisor = Client()
    supervisor.force_login(users["supervisor"])
    page = reverse("insights:measures")
    for url in (page + query, page + query + f"&team={team.code}"):
        if supervisor.get(url).status_code != 200:
            raise SystemExit(f"{url} did not answer 200")

    def cold(url: str) -> object:
        charts.clear_caches()
        return supervisor.get(url)

    filtered = query + "&relationship=stranger&victim_age_band=18_24"
    baseline = measure(lambda: anonymous.get(sign_in), runs=runs * 2)
    rows = [
        ("sign-in page (baseline)", baseline),
        (
            "`measure_rows`, whole force, 12 months (the command's work)",
            measure(lambda: measure_rows(period=period, as_of=as_of), runs=runs),
        ),
        (
            "`measure_rows`, one team",
            measure(lambda: measure_rows(period=period, as_of=as_of, scope=Scope(team=team)), runs=runs),
        ),
        ("Measures page, whole force, charts drawn afresh", measure(lambda: cold(page + query), runs=runs)),
        ("Measures page, whole force, charts from the cache", measure(lambda: supervisor.get(page + query), runs=runs)),
        (
            "Measures page, one team, charts drawn afresh",
            measure(lambda: cold(page + query + f"&team={team.code}"), runs=runs),
        ),
        (
            "Measures page, strangers and victims aged 18 to 24, charts drawn afresh",
            measure(lambda: cold(page + filtered), runs=runs),
        ),
    ]
    print("| what (signed in as the supervisor) | server time | ratio to the sign-in page |")
    print("|---|---|---|")
    for label, timing in rows:
        print(f"| {label} | {timing} | {timing.median / baseline.median:.1f} |")
    # On a shared machine the wall time above includes waiting for a core; the processor time the
    # request itself used is what a quiet machine would take.
    print("\n| what | processor time, median of", runs, "|")
    print("|---|---|")
    for label, url in (
        ("Measures page, whole force, charts from the cache", page + query),
        ("Measures page, whole force, charts drawn afresh", None),
        ("Measures page, strangers and victims aged 18 to 24, charts from the cache", page + filtered),
    ):
        action = (lambda u=url: supervisor.get(u)) if url else (lambda: cold(page + query))
        print(f"| {label} | {_processor_time(action, runs=runs):.3f} s |")


def _processor_time(action: Callable[[], object], *, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.process_time()
        action()
        times.append(time.process_time() - started)
    return statistics.median(times)


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (5 min {five:.1f})"


if __name__ == "__main__":
    main()
