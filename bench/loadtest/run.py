"""Start a load test and print its figures: a throwaway PostgreSQL server, the force and accounts
(`bench.loadtest.world`), static files collected, gunicorn serving the staff and portal surfaces with
the production settings on loopback (deploy/gunicorn.conf.py), then Locust, headless, for a fixed
time. Everything listens on 127.0.0.1 only and is stopped and removed at the end.

Exits 1 if any request failed (an error status, or a form that did not come back as expected).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path

from bench.common import machine

ROOT = Path(__file__).resolve().parents[2]
HOST = "bluestone.loadtest"
BIN = Path(sys.executable).parent


def _key() -> str:
    return secrets.token_urlsafe(60)[:60]


def production_environment(database_url: str, scratch: Path) -> dict[str, str]:
    """The production settings as a force sets them, with messages written to a file (no real victims)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("BLUESTONE_", "DJANGO_", "DATABASE_URL"))}
    return base | {
        "DJANGO_SETTINGS_MODULE": "bluestone.settings.production",
        "DATABASE_URL": database_url,
        "BLUESTONE_SECRET_KEY": _key(),
        "BLUESTONE_PSEUDONYM_KEY": _key(),
        "BLUESTONE_AUDIT_KEY": _key(),
        "BLUESTONE_AUDIT_CHECKPOINT_FILE": str(scratch / "audit-checkpoints.jsonl"),
        "BLUESTONE_ALLOWED_HOSTS": HOST,
        "BLUESTONE_PORTAL_URL": f"https://{HOST}/portal/follow/",
        "BLUESTONE_NOTIFICATION_SENDER": "bluestone.victims.notifications.FileSender",
        "BLUESTONE_ALLOW_FILE_SENDER": "1",
        "BLUESTONE_VAR_DIR": str(scratch / "var"),
        "BLUESTONE_STATIC_ROOT": str(scratch / "static"),
        # Every simulated victim comes from 127.0.0.1: the per-address limit would lock them out together.
        "BLUESTONE_PORTAL_ADDRESS_ATTEMPTS": "1000000",
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    started = time.monotonic()
    result = subprocess.run(command, env=env, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{what} failed (exit {result.returncode})")
    print(f"{what}: {time.monotonic() - started:.0f} s", flush=True)


@contextlib.contextmanager
def gunicorn(surface: str, env: dict[str, str], scratch: Path, workers: int) -> Iterator[int]:
    """gunicorn serving one surface on a free loopback port, until the block ends."""
    port = _free_port()
    env = env | {
        "BLUESTONE_SURFACES": surface,
        "BLUESTONE_BIND": f"127.0.0.1:{port}",
        "BLUESTONE_WORKERS": str(workers),
    }
    log_path = scratch / f"gunicorn-{surface}.log"
    with log_path.open("w") as log:
        command = [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "bluestone.wsgi"]
        process = subprocess.Popen(command, env=env, cwd=scratch, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"gunicorn ({surface}) exited:\n{log_path.read_text()[-3000:]}")
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", port)) == 0:
                        break
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn ({surface}) did not listen within 120 s")
                time.sleep(0.2)
            _wait_ready(port, deadline)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(port: int, deadline: float) -> None:
    """Until a worker answers the liveness check (workers import the application after the bind)."""
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/healthz", headers={"Host": HOST})
            if connection.getresponse().status == HTTPStatus.OK:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"the server on port {port} did not answer /healthz in time")
        time.sleep(0.5)


def server_errors(scratch: Path) -> int:
    """Responses with a 5xx status in the servers' access logs; the servers' own complaints are printed."""
    count = 0
    for log in scratch.glob("gunicorn-*.log"):
        for line in log.read_text(errors="replace").splitlines():
            parts = line.split('" ')
            if len(parts) > 1 and parts[-1][:1] == "5":
                count += 1
            elif "[CRITICAL]" in line or "[ERROR]" in line or "[WARNING]" in line:
                print(f"{log.name}: {line}")
    return count


def report(stats: Path) -> tuple[str, int, int]:
    """A Markdown table of Locust's figures per page, the number of failed requests and of all requests."""
    lines = [
        "| page | requests | failures | median | p95 | p99 | max |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    failures = requests = 0
    with stats.open() as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all requests**"
        label = f"{row['Type']} {name}" if row["Type"] else name
        if row["Name"] == "Aggregated":
            failures, requests = int(row["Failure Count"]), int(row["Request Count"])
        lines.append(
            f"| {label} | {int(row['Request Count']):,} | {row['Failure Count']} | {row['50%']} ms "
            f"| {row['95%']} ms | {row['99%']} ms | {float(row['Max Response Time']):.0f} ms |"
        )
    return "\n".join(lines), failures, requests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=250_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--users", type=int, default=50, help="staff signed in at once")
    parser.add_argument("--victims", type=int, default=20, help="victims on the portal at once")
    parser.add_argument("--seconds", type=int, default=300, help="how long the load lasts")
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="people starting per second")
    parser.add_argument("--staff-workers", type=int, default=3)
    parser.add_argument("--portal-workers", type=int, default=2)
    parser.add_argument(
        "--without-measures",
        action="store_true",
        help="nobody opens the Measures page (analysts open their case list instead)",
    )
    args = parser.parse_args(argv)

    from tests.pgcluster import throwaway_cluster  # noqa: PLC0415

    without = ", without the Measures page" if args.without_measures else ""
    print(f"## Load test: {args.cases:,} cases, {args.users} staff, {args.victims} victims, {args.seconds} s{without}")
    print(f"({machine()}; load average {os.getloadavg()[0]:.1f} at the start)\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="bluestone-loadtest-") as folder, throwaway_cluster() as url:
        scratch = Path(folder)
        env = production_environment(url, scratch)
        world = scratch / "world.json"
        investigators = max(1, round(args.users * 0.64))
        supervisors = max(1, round(args.users * 0.2))
        analysts = max(1, args.users - investigators - supervisors)
        _run(
            [
                sys.executable,
                "-m",
                "bench.loadtest.world",
                f"--cases={args.cases}",
                f"--seed={args.seed}",
                f"--investigators={investigators}",
                f"--supervisors={supervisors}",
                f"--analysts={analysts}",
                f"--victims={args.victims}",
                f"--out={world}",
            ],
            env,
            "building the force",
        )
        _run([str(BIN / "bluestone"), "collectstatic", "--noinput", "--verbosity=0"], env, "collectstatic")
        began = time.monotonic()
        with (
            gunicorn("staff", env, scratch, args.staff_workers) as staff_port,
            gunicorn("portal", env, scratch, args.portal_workers) as portal_port,
        ):
            print(f"servers listening: {time.monotonic() - began:.0f} s", flush=True)
            load_before = os.getloadavg()
            locust_env = os.environ | {
                "BLUESTONE_LOADTEST_WORLD": str(world),
                "BLUESTONE_LOADTEST_HOST": HOST,
                "BLUESTONE_LOADTEST_PORTAL": f"http://127.0.0.1:{portal_port}",
                "BLUESTONE_LOADTEST_STAFF": str(args.users),
                "BLUESTONE_LOADTEST_VICTIMS": str(args.victims),
                "BLUESTONE_LOADTEST_MEASURES": "0" if args.without_measures else "1",
            }
            command = [
                str(BIN / "locust"),
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--only-summary",
                f"--users={args.users + args.victims}",
                f"--spawn-rate={args.spawn_rate}",
                f"--run-time={args.seconds}s",
                "--stop-timeout=10",
                f"--host=http://127.0.0.1:{staff_port}",
                f"--csv={scratch / 'locust'}",
                "--loglevel=INFO",
            ]
            started = time.monotonic()
            with (scratch / "locust.log").open("w") as log:
                subprocess.run(command, env=locust_env, cwd=scratch, check=False, stdout=log, stderr=subprocess.STDOUT)
            elapsed = time.monotonic() - started
            load_after = os.getloadavg()
        table, failures, requests = report(scratch / "locust_stats.csv")
        errors = server_errors(scratch)
        if not requests:
            print((scratch / "locust.log").read_text()[-4000:])
        print(table)
        print(
            f"\nLocust ran {elapsed:.0f} s. Load average at the start of the load {load_before[0]:.1f}, "
            f"at the end {load_after[0]:.1f} (five-minute {load_after[1]:.1f}). "
            f"Failed requests: {failures}; 5xx responses in the servers' logs: {errors}."
        )
        failures_file = scratch / "locust_failures.csv"
        if failures and failures_file.exists():
            print("\n" + failures_file.read_text()[:4000])
    return 1 if failures or errors or not requests else 0


if __name__ == "__main__":
    sys.exit(main())
