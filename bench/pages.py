"""Server time of the main staff pages on PostgreSQL, for one user at a time, at a large force.

Run: `python -m bench.pages [--cases 20000] [--runs 7] [--explain 5] [--keep-going]`.

A throwaway PostgreSQL server (tests/pgcluster.py), a synthetic force of `--cases` cases written by
`bluestone synth` and loaded with `extract_load` (COPY), an investigator (the officer with the most
open cases), a supervisor of that officer's team and an analyst. Each page is asked for once to warm
up, then `--runs` times in a row through Django's test client in this process (no network, no
server): the table gives the median and the 95th percentile (the highest of fewer than 20 runs) of
the server time. Then the slowest statements of the slowest pages are shown with EXPLAIN ANALYZE.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import machine


@dataclass(frozen=True)
class PageTiming:
    role: str
    label: str
    url: str
    times: list[float]
    statements: list[tuple[float, str, Any]]  # the statements of the last run: seconds, SQL, parameters

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", action="append", default=[], help="profile the page with this label (repeatable)")
    parser.add_argument("--only", action="append", default=[], help="time only the pages with these labels")
    parser.add_argument(
        "--explain", type=int, default=5, help="EXPLAIN ANALYZE the slowest statements of this many pages"
    )
    args = parser.parse_args(argv)
    from tests.pgcluster import throwaway_cluster  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="bluestone-bench-") as scratch, throwaway_cluster() as url:
        os.environ["BLUESTONE_VAR_DIR"] = str(Path(scratch) / "var")
        os.environ["DJANGO_SETTINGS_MODULE"] = "bluestone.settings.local"
        os.environ["BLUESTONE_ALLOWED_HOSTS"] = "testserver"
        os.environ["BLUESTONE_DEBUG"] = "0"
        os.environ["DATABASE_URL"] = url
        import django  # noqa: PLC0415 (the settings must be chosen first)

        django.setup()
        _run(
            Path(scratch),
            cases=args.cases,
            seed=args.seed,
            runs=args.runs,
            explain=args.explain,
            profile=args.profile,
            only=args.only,
        )


def _load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f}, {five:.1f}, {fifteen:.1f} (1, 5, 15 minutes; {os.cpu_count()} cores, shared)"


def _build(scratch: Path, *, cases: int, seed: int) -> None:
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    from bluestone.cases.loading import extract_load  # noqa: PLC0415
    from bluestone.synth import generate_force, write_force  # noqa: PLC0415

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    out = scratch / "extract"
    write_force(generate_force(cases=cases, seed=seed), out)
    synthesised = time.perf_counter()
    extract_load(directory=out)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"Built in {time.perf_counter() - started:.0f} s (migrate and synth {synthesised - started:.0f} s, "
        f"load and ANALYZE {time.perf_counter() - synthesised:.0f} s).\n",
        flush=True,
    )


def _people() -> dict[str, Any]:
    """An investigator with the most open cases, a supervisor of their team, an analyst."""
    from django.db.models import Count, Q  # noqa: PLC0415

    from bluestone.accounts.models import Officer, Role, User  # noqa: PLC0415
    from bluestone.cases.models import CaseStatus  # noqa: PLC0415

    officer = (
        Officer.objects.filter(user__isnull=True)
        .annotate(open_cases=Count("cases", filter=~Q(cases__status=CaseStatus.CLOSED)))
        .order_by("-open_cases", "collar_number")
        .first()
    )
    if officer is None:
        raise SystemExit("the force has no officers")
    people = {}
    for role, team in ((Role.INVESTIGATOR, officer.team), (Role.SUPERVISOR, officer.team), (Role.ANALYST, None)):
        user = User.objects.create_user(
            username=f"bench-{role}", password=None, role=role, team=team, first_name="Bench", last_name=str(role)
        )
        people[str(role)] = user
    officer.user = people[str(Role.INVESTIGATOR)]
    officer.save(update_fields=["user"])
    return people


def _pages(people: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(role, label, URL) of each page to time."""
    from django.db.models import Count  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    from bluestone.cases.models import Case, Involvement  # noqa: PLC0415

    investigator = people["investigator"]
    # The investigator's case with the most people on it: the case page's heaviest.
    case = (
        Case.objects.filter(officer__user=investigator)
        .annotate(people=Count("involvements"))
        .order_by("-people", "pk")
        .first()
    )
    assert case is not None  # noqa: S101
    surname = (
        Involvement.objects.filter(case=case)
        .exclude(person__last_name="")
        .values_list("person__last_name", flat=True)
        .first()
    ) or "Smith"
    team = reverse("cases:team")
    yield "investigator", "My cases", reverse("cases:mine")
    yield "investigator", "Team cases", team
    yield "investigator", "Team cases, page 40, by crime reference", f"{team}?page=40&sort=crime_reference"
    yield "investigator", "Team cases, last page", f"{team}?page=last"
    yield "investigator", "Team cases, filtered", f"{team}?status=under_investigation&offence_class=19C"
    yield (
        "investigator",
        "Team cases, reported in 2024, by offence",
        f"{team}?reported_from=2024-01-01&reported_to=2024-12-31&sort=offence",
    )
    yield "investigator", "Case: summary", reverse("cases:detail", args=[case.pk])
    for tab in ("plan", "victim", "evidence", "timeline", "outcome"):
        yield "investigator", f"Case: {tab}", f"/cases/{case.pk}/{tab}/"
    yield "investigator", "My work", reverse("investigation:my-work")
    yield "investigator", "Search: a surname", f"{reverse('cases:search')}?q={surname}"
    yield "supervisor", "Team work", reverse("investigation:team-work")
    yield "supervisor", "Team cases, page 40", f"{team}?page=40"
    yield "supervisor", "Measures", reverse("insights:measures")
    yield "analyst", "Cases (pseudonymised)", reverse("cases:analysis-list")
    yield "analyst", "Cases (pseudonymised), page 200", f"{reverse('cases:analysis-list')}?page=200"
    yield "analyst", "Repeat suspects", reverse("suspects:register")
    yield "analyst", "Repeat suspects: high", f"{reverse('suspects:register')}?band=high"
    yield "analyst", "Measures", reverse("insights:measures")


def _time(client: Any, url: str, runs: int) -> tuple[list[float], list[tuple[float, str, Any]]]:
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    # One more run with the statements captured (the capture itself costs a little, so it is not timed).
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    statements = [(float(q["time"]), q["sql"], None) for q in captured.captured_queries]
    return times, statements


def _run(scratch: Path, *, cases: int, seed: int, runs: int, explain: int, profile: list[str], only: list[str]) -> None:
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from bluestone.cases.models import Case  # noqa: PLC0415

    print(f"## Staff pages on PostgreSQL: {cases:,} cases, seed {seed} ({machine()})\n", flush=True)
    print(f"Load average before the build: {_load_average()}\n", flush=True)
    _build(scratch, cases=cases, seed=seed)
    people = _people()
    clients = {}
    for role, user in people.items():
        clients[role] = Client()
        clients[role].force_login(user)
    print(f"Cases in the database: {Case.objects.count():,}. Load average before timing: {_load_average()}\n")
    results = []
    for role, label, url in _pages(people):
        if only and label not in only:
            continue
        if label in profile:
            _profile(clients[role], url, label)
        times, statements = _time(clients[role], url, runs)
        results.append(PageTiming(role, label, url, times, statements))
        print(f"  {label} ({role}): {statistics.median(times) * 1000:.0f} ms", flush=True)
    print()
    print("| page | as | median | p95 | queries | slowest query |")
    print("|---|---|---:|---:|---:|---:|")
    for r in results:
        slowest = max((s[0] for s in r.statements), default=0.0)
        print(
            f"| {r.label} | {r.role} | {r.median * 1000:.0f} ms | {r.p95 * 1000:.0f} ms "
            f"| {len(r.statements)} | {slowest * 1000:.0f} ms |"
        )
    print(f"\n{runs} runs per page after one to warm up. Load average after: {_load_average()}\n")
    if explain:
        print("### The slowest statements of the slowest pages\n")
        with connection.cursor() as cursor:
            for r in sorted(results, key=lambda r: r.median, reverse=True)[:explain]:
                for seconds, sql, _ in sorted(r.statements, key=lambda s: s[0], reverse=True)[:2]:
                    if seconds < 0.002 or not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                        continue
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql)
                    plan = "\n".join(_shorten(row[0], 240) for row in cursor.fetchall())
                    print(
                        f"{r.label} ({r.role}), {seconds * 1000:.0f} ms:\n\n```\n{_shorten(sql, 900)}\n\n{plan}\n```\n"
                    )


def _profile(client: Any, url: str, label: str) -> None:
    import cProfile  # noqa: PLC0415
    import pstats  # noqa: PLC0415

    client.get(url)
    profiler = cProfile.Profile()
    profiler.runcall(client.get, url)
    print(f"### Profile: {label}\n\n```")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    print("```\n", flush=True)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + " ..."


if __name__ == "__main__":
    main()
