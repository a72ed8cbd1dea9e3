"""Where a staff request's processor time goes under the production settings, one request at a time.

The load test's force and accounts (`bench.loadtest.world`) in a throwaway PostgreSQL server, static
files collected, then, in one process with the production settings, Django's test client (the whole
middleware chain, as gunicorn's workers run it) signs in `--staff` of the load test's accounts
(password, then the authenticator code) and makes the load test's staff requests in turn for
`--rounds` rounds. Prints, per page, the median processor time of this process (Python: Django,
templates, hashing; not PostgreSQL's own) and the median wall time, then cProfile's heaviest
functions over the rounds after the first.

    python -m bench.loadtest.profile --cases 20000
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import hmac
import io
import json
import os
import pstats
import random
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import machine

TOTP_STEP = 30


def _staff_requests(account: dict[str, Any], rng: random.Random, *, measures: bool) -> list[tuple[str, str]]:
    """One round of the locustfile's staff tasks for this account: (page name, path) pairs."""
    role = account["role"]
    pages: list[tuple[str, str]] = []
    if role == "analyst":
        pages += [("analysis: case list", "/analysis/cases/")] + ([("Measures", "/measures/")] if measures else [])
        pages += [
            ("Repeat suspects", "/repeat-suspects/"),
            ("Repeat suspects: filtered", "/repeat-suspects/?band=high"),
        ]
        return pages
    if role == "investigator":
        pages.append(("My cases", "/cases/mine/"))
    sort = rng.choice(["-reported", "crime_reference"])
    pages += [
        ("Team cases", "/cases/team/"),
        ("Team cases: a later page, sorted", f"/cases/team/?page={rng.randint(2, 40)}&sort={sort}"),
        ("Team cases: filtered", "/cases/team/?status=under_investigation&offence_class=19C"),
    ]
    case = rng.choice(account["cases"])
    pages.append(("Case: summary", f"/cases/{case}/"))
    pages += [
        (f"Case: {tab}", f"/cases/{case}/{tab}/") for tab in ("plan", "victim", "evidence", "timeline", "outcome")
    ]
    pages.append(("My work", "/my-work/") if role == "investigator" else ("Team work", "/team-work/"))
    surname = rng.choice(account["surnames"] or ["Smith"])
    pages.append(("Search: a surname", f"/cases/search/?q={surname}"))
    if role != "investigator" and measures:
        pages.append(("Measures", "/measures/"))
    return pages


def _totp(key_hex: str) -> str:
    """As the locustfile's `totp_now` (which cannot be imported here: Locust patches the standard library)."""
    counter = struct.pack(">Q", int(time.time()) // TOTP_STEP)
    digest = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**6:06d}"


class _Meter:
    """Processor and wall time of each request, by page name."""

    def __init__(self) -> None:
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.wall: dict[str, list[float]] = defaultdict(list)

    def __call__(self, name: str, action: Callable[[], Any]) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        response = action()
        self.cpu[name].append(time.process_time() - cpu)
        self.wall[name].append(time.perf_counter() - wall)
        if response.status_code not in {200, 302}:
            raise SystemExit(f"{name}: status {response.status_code}")
        return response

    def table(self) -> str:
        lines = ["| page | requests | CPU median | wall median |", "|---|---:|---:|---:|"]
        for name in sorted(self.cpu):
            cpu, wall = self.cpu[name], self.wall[name]
            lines.append(
                f"| {name} | {len(cpu)} | {statistics.median(cpu) * 1000:.0f} ms "
                f"| {statistics.median(wall) * 1000:.0f} ms |"
            )
        pages = [name for name in self.cpu if not name.startswith("sign in")]
        cpu_all = [value for name in pages for value in self.cpu[name]]
        wall_all = [value for name in pages for value in self.wall[name]]
        lines.append(
            f"| **pages after sign-in** | {len(cpu_all)} | {statistics.median(cpu_all) * 1000:.0f} ms "
            f"(mean {statistics.mean(cpu_all) * 1000:.0f}) | {statistics.median(wall_all) * 1000:.0f} ms |"
        )
        return "\n".join(lines)


def inner(world_file: Path, *, staff: int, rounds: int, top: int, measures: bool) -> None:
    import django  # noqa: PLC0415 (the settings come from the environment)

    django.setup()
    from django.conf import settings  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    world = json.loads(world_file.read_text())
    host = settings.ALLOWED_HOSTS[0]
    accounts = [a for a in world["staff"] if a["role"] == "investigator"][: max(1, staff - 2)]
    accounts += [a for a in world["staff"] if a["role"] == "supervisor"][:1]
    accounts += [a for a in world["staff"] if a["role"] == "analyst"][:1]
    meter = _Meter()
    clients = []
    for account in accounts:
        client = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")
        meter("sign in: password (form)", lambda c=client: c.get("/account/sign-in/"))
        signed = meter(
            "sign in: password",
            lambda c=client, a=account: c.post(
                "/account/sign-in/", {"username": a["username"], "password": a["password"]}
            ),
        )
        if "/two-factor/" in signed.get("Location", ""):
            meter(
                "sign in: code",
                lambda c=client, a=account: c.post("/account/two-factor/", {"code": _totp(a["totp_key"])}),
            )
        clients.append((client, account))
    rng = random.Random(7)
    profiler = cProfile.Profile()
    for number in range(rounds):
        for client, account in clients:
            for name, path in _staff_requests(account, rng, measures=measures):
                if number:
                    profiler.enable()
                meter(name, lambda c=client, p=path: c.get(p))
                if number:
                    profiler.disable()
    import bluestone  # noqa: PLC0415

    print(f"code from {Path(bluestone.__file__).parent}\n")
    print(meter.table())
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--staff", type=int, default=6, help="accounts signed in (investigators, a supervisor, an analyst)"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=40, help="functions listed from the profile")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout's src folder (same migrations): its code is measured too, in turns with this one",
    )
    parser.add_argument("--turns", type=int, default=1, help="processes per checkout, alternating")
    parser.add_argument("--without-measures", action="store_true", help="leave the Measures page out")
    parser.add_argument(
        "--hold",
        action="store_true",
        help="keep the server afterwards, writing the environment to env.json in the scratch folder, "
        "until a file named stop appears there",
    )
    parser.add_argument("--inner", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        inner(args.inner, staff=args.staff, rounds=args.rounds, top=args.top, measures=not args.without_measures)
        return 0

    from bench.loadtest.run import BIN, ROOT, _run, production_environment  # noqa: PLC0415
    from tests.pgcluster import throwaway_cluster  # noqa: PLC0415

    print(f"## Processor time per staff request: {args.cases:,} cases ({machine()})")
    print(f"load average {os.getloadavg()[0]:.1f} at the start\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="bluestone-profile-") as folder, throwaway_cluster() as url:
        scratch = Path(folder)
        env = production_environment(url, scratch)
        world = scratch / "world.json"
        _run(
            [
                sys.executable,
                "-m",
                "bench.loadtest.world",
                f"--cases={args.cases}",
                f"--seed={args.seed}",
                f"--investigators={max(1, args.staff - 2)}",
                "--supervisors=1",
                "--analysts=1",
                "--victims=1",
                f"--out={world}",
            ],
            env,
            "building the force",
        )
        _run([str(BIN / "bluestone"), "collectstatic", "--noinput", "--verbosity=0"], env, "collectstatic")
        command = [sys.executable, "-m", "bench.loadtest.profile", f"--inner={world}", f"--staff={args.staff}"]
        command += [f"--rounds={args.rounds}", f"--top={args.top}"]
        command += ["--without-measures"] if args.without_measures else []
        env |= {"BLUESTONE_LOADTEST_WORLD": str(world), "PYTHONDONTWRITEBYTECODE": "1"}
        checkouts = {"this checkout": env}
        if args.baseline:
            checkouts = {f"baseline ({args.baseline})": env | {"PYTHONPATH": str(args.baseline.resolve())}} | checkouts
        failed = 0
        for turn in range(args.turns):
            for label, checkout_env in checkouts.items():
                print(f"\n### {label}, turn {turn + 1} (load average {os.getloadavg()[0]:.1f})\n", flush=True)
                failed |= subprocess.run(command, env=checkout_env, cwd=ROOT, check=False).returncode
        print(f"\nload average {os.getloadavg()[0]:.1f} at the end", flush=True)
        if args.hold:
            (scratch / "env.json").write_text(json.dumps(env | {"BLUESTONE_PROFILE_COMMAND": " ".join(command)}))
            print(f"holding: {scratch / 'env.json'}; touch {scratch / 'stop'} to end", flush=True)
            while not (scratch / "stop").exists():
                time.sleep(2)
        return failed


if __name__ == "__main__":
    sys.exit(main())
