"""Loading a synthetic force into SQLite, and the case lists served from it.

Run: `python -m bench.app [--cases 100000]`. Builds its own database in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench.common import machine, measure, peak_memory_mb


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
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
    import pyarrow.parquet as pq  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    from bluestone import extract  # noqa: PLC0415
    from bluestone.cases.loading import extract_load  # noqa: PLC0415
    from bluestone.cases.models import Case  # noqa: PLC0415
    from bluestone.orchestration.management.commands.demo import demo_users_create  # noqa: PLC0415
    from bluestone.synth import generate_force, write_force  # noqa: PLC0415

    print(f"## Load and case lists: {cases:,} cases, seed {seed} ({machine()})\n")
    call_command("migrate", verbosity=0)
    out = scratch / "extract"
    write_force(generate_force(cases=cases, seed=seed), out)
    rows = sum(pq.read_metadata(out / spec.filename).num_rows for spec in extract.TABLES)

    def read_all() -> None:
        for spec in extract.TABLES:
            pq.read_table(out / spec.filename)

    read = measure(read_all, runs=3)
    first = measure(lambda: extract_load(directory=out), runs=1)
    again = measure(lambda: extract_load(directory=out), runs=1)
    print("| step | rows | time | ratio to reading the Parquet files |")
    print("|---|---|---|---|")
    print(f"| read the extract (baseline) | {rows:,} | {read} | 1.0 |")
    print(f"| first load into an empty SQLite database | {rows:,} | {first} | {first.median / read.median:.0f} |")
    print(f"| re-load of the same extract (idempotent) | {rows:,} | {again} | {again.median / read.median:.0f} |")
    print(f"\nPeak memory after loading: {peak_memory_mb():,.0f} MB. Cases in the database: {Case.objects.count():,}\n")

    users = {user.role: user for user in demo_users_create()}
    client = Client()
    client.force_login(users["investigator"])
    sign_in = reverse("accounts:sign-in")
    pages = [
        ("My cases, page 1", reverse("cases:mine")),
        ("Team cases, page 1", reverse("cases:team")),
        ("Team cases, page 40", reverse("cases:team") + "?page=40"),
        ("Team cases, filtered by status and offence", reverse("cases:team") + "?status=closed&offence_class=19C"),
        ("Team cases, sorted by crime reference", reverse("cases:team") + "?sort=crime_reference"),
    ]
    own_case = Case.objects.filter(officer__user=users["investigator"]).first()
    if own_case is not None:
        pages.append(("Case page", reverse("cases:detail", args=[own_case.pk])))
    anonymous = Client()
    baseline = measure(lambda: anonymous.get(sign_in), runs=runs * 2)
    print("| page (signed in as the investigator) | server time per page | ratio to the sign-in page |")
    print("|---|---|---|")
    print(f"| sign-in page (baseline) | {baseline} | 1.0 |")
    for label, url in pages:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url} answered {response.status_code}")
        timing = measure(lambda url=url: client.get(url), runs=runs)
        print(f"| {label} | {timing} | {timing.median / baseline.median:.1f} |")
    supervisor = Client()
    supervisor.force_login(users["supervisor"])
    measures = measure(lambda: supervisor.get(reverse("insights:measures")), runs=runs)
    print(f"| Measures, last 12 months (as the supervisor) | {measures} | {measures.median / baseline.median:.1f} |")


if __name__ == "__main__":
    main()
