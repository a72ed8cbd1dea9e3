"""Production serving as deploy/ sets it up: gunicorn with deploy/gunicorn.conf.py and the production
settings, one process per surface, asked over loopback as the reverse proxy would ask it.

The database URL names a server that is not there: liveness answers regardless, and readiness says
the database is failing (503), which is what a load balancer must see.

Static files are collected once for the module, as a deployment collects them once for its servers;
the portal server is started once for the two tests that ask it.
"""

from __future__ import annotations

import http.client
import json
import os
import runpy
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.test_deploy_check import PRODUCTION, bluestone_command

ROOT = Path(__file__).resolve().parents[1]
HOST = PRODUCTION["BLUESTONE_ALLOWED_HOSTS"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(tmp_path: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("BLUESTONE_", "DJANGO_", "DATABASE_URL"))}
    return base | PRODUCTION | {"BLUESTONE_VAR_DIR": str(tmp_path), "BLUESTONE_STATIC_ROOT": str(tmp_path / "static")}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A deployment's folder with the static files collected, as `collectstatic` does before serving."""
    var = tmp_path_factory.mktemp("deployment")
    collected = subprocess.run(
        [*bluestone_command(), "collectstatic", "--noinput", "--verbosity", "0"],
        env=_environment(var),
        cwd=var,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert collected.returncode == 0, collected.stderr
    return var


@contextmanager
def gunicorn(surface: str, tmp_path: Path) -> Iterator[int]:
    """gunicorn serving `surface` from the deployment folder `tmp_path` (its static files collected)."""
    port = _free_port()
    env = _environment(tmp_path) | {"BLUESTONE_SURFACES": surface, "BLUESTONE_BIND": f"127.0.0.1:{port}"}
    env |= {"BLUESTONE_WORKERS": "1"}
    log = (tmp_path / f"gunicorn-{surface}.log").open("w")
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
    process = subprocess.Popen(
        [*command, "bluestone.wsgi"], env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, text=True
    )
    try:
        for _ in range(600):  # until it listens (or has died)
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited: {(tmp_path / f'gunicorn-{surface}.log').read_text()}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.fixture(scope="module")
def portal_port(deployment: Path) -> Iterator[int]:
    with gunicorn("portal", deployment) as port:
        yield port


def test_the_portal_server_answers_health_and_no_staff_route(portal_port):
    statuses = {path: _get(portal_port, path) for path in ("/healthz", "/readyz", "/cases/mine/", "/account/sign-in/")}

    assert statuses == {"/healthz": 200, "/readyz": 503, "/cases/mine/": 404, "/account/sign-in/": 404}


def test_the_staff_server_answers_no_portal_route(deployment):
    with gunicorn("staff", deployment) as port:
        statuses = {path: _get(port, path) for path in ("/healthz", "/portal/", "/portal/follow/", "/static/x")}

    assert statuses == {"/healthz": 200, "/portal/": 404, "/portal/follow/": 404, "/static/x": 404}


def test_static_files_are_served_by_the_application_server(deployment, portal_port):
    manifest = (deployment / "static" / "staticfiles.json").read_text()
    hashed = json.loads(manifest)["paths"]["bluestone/favicon.svg"]

    assert _get(portal_port, f"/static/{hashed}") == 200


def test_an_idle_connection_is_kept_open_longer_than_a_proxy_keeps_its_own(portal_port):
    # A proxy (or the load test's simulated staff) sends its next request on the same connection after
    # a pause; gunicorn must not close the connection first, or a request sent at that moment is reset.
    connection = http.client.HTTPConnection("127.0.0.1", portal_port, timeout=30)
    headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
    connection.request("GET", "/healthz", headers=headers)
    first = connection.getresponse()
    first.read()
    kept = connection.sock
    time.sleep(6)  # longer than a short keep-alive (5 s), far shorter than a proxy's idle timeout
    connection.request("GET", "/healthz", headers=headers)
    second = connection.getresponse()
    second.read()
    reused = kept is not None and connection.sock is kept
    connection.close()

    assert (first.status, second.status) == (200, 200)
    assert reused


def test_the_keep_alive_outlasts_a_proxy_idle_timeout_and_can_be_changed(monkeypatch):
    conf = ROOT / "deploy" / "gunicorn.conf.py"
    monkeypatch.delenv("BLUESTONE_KEEPALIVE_SECONDS", raising=False)
    default = runpy.run_path(str(conf))["keepalive"]
    monkeypatch.setenv("BLUESTONE_KEEPALIVE_SECONDS", "120")
    changed = runpy.run_path(str(conf))["keepalive"]

    assert default > 60  # nginx's upstream keepalive_timeout, and most load balancers' idle timeout
    assert changed == 120
