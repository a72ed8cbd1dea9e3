"""The load test's simulated people (bench/loadtest/locustfile.py) do what they mean to without a
single failed request: Locust, headless, for a few seconds against a live server on loopback, on the
small synthetic force with the load test's own accounts (staff with an authenticator app, victims
with a portal code). `make loadtest` runs the same file for minutes against gunicorn and PostgreSQL.

PostgreSQL only, as the load test is: the live server answers requests on threads at once, and on
SQLite two requests that write an audit entry at the same moment can read the same chain head, so
the second is refused (as `audit_record` documents), which on PostgreSQL the chain's lock prevents.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bench.loadtest import world
from bench.loadtest.run import report

from bluestone.cases.loading import extract_load

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

LOCUSTFILE = Path(__file__).resolve().parents[1] / "bench" / "loadtest" / "locustfile.py"


def test_the_locustfile_runs_against_a_live_server_without_errors(live_server, small_force_dir, tmp_path):
    extract_load(directory=small_force_dir)
    accounts = {
        "staff": world.staff_accounts(investigators=2, supervisors=1, analysts=1),
        "victims": world.victim_accounts(1),
    }
    (tmp_path / "world.json").write_text(json.dumps(accounts))
    env = os.environ | {
        "BLUESTONE_LOADTEST_WORLD": str(tmp_path / "world.json"),
        "BLUESTONE_LOADTEST_HOST": "127.0.0.1",
        "BLUESTONE_LOADTEST_SCHEME": "http",
        "BLUESTONE_LOADTEST_STAFF": "4",
        "BLUESTONE_LOADTEST_VICTIMS": "1",
        # Short pauses: every kind of request is made in the 8 seconds, however loaded the machine.
        "BLUESTONE_LOADTEST_STAFF_PAUSE": "0.1,0.5",
        "BLUESTONE_LOADTEST_VICTIM_PAUSE": "0.2,1",
    }
    locust = Path(sys.executable).with_name("locust")
    command = [str(locust), "-f", str(LOCUSTFILE), "--headless", "--only-summary", "--users=5", "--spawn-rate=5"]
    command += ["--run-time=8s", "--stop-timeout=5", f"--host={live_server.url}", f"--csv={tmp_path / 'locust'}"]

    subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, timeout=120, check=False)

    table, failures, requests = report(tmp_path / "locust_stats.csv")
    failed = (tmp_path / "locust_failures.csv").read_text()
    assert (failures, requests > 0) == (0, True), failed
    for page in ("sign in: code", "portal: sign in", "Case: summary"):
        assert page in table
