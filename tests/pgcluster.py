"""A throwaway PostgreSQL server for the test suite.

    python -m tests.pgcluster -- CMD ARGS...

creates a new cluster in a fresh temporary folder, listening on a free port of 127.0.0.1 only, with a
database ``bluestone``; runs CMD with ``DATABASE_URL`` pointing at it; then stops the server and removes
the folder, whatever happened (failure, exception, Ctrl-C, SIGTERM), and exits with CMD's exit code.

PostgreSQL refuses to run as root. Run as root (as CI does), the folder is handed to the ``postgres``
user that Debian's package creates, and ``initdb``/``pg_ctl`` run through ``runuser -u postgres --``.

Tests reuse the core as a context manager: ``with throwaway_cluster() as url: ...``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg

INSTALL_HINT = "PostgreSQL is not installed: apt-get install postgresql"
DEBIAN_ROOT = Path("/usr/lib/postgresql")
SERVICE_USER = "postgres"
DATABASE = "bluestone"
START_TIMEOUT_SECONDS = 60

# Durability is worthless for a database that is deleted in a minute; speed is not.
TEST_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "logging_collector": "off",
    "log_min_messages": "warning",
}

# Trust, but only for connections from this machine: the unix socket (in the private folder) and loopback.
HBA = """\
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
"""


class ClusterError(RuntimeError):
    """The throwaway cluster could not be made, started or stopped."""


class PostgresNotFoundError(ClusterError):
    """No PostgreSQL server binaries on this machine."""


@dataclass(frozen=True)
class PgBinaries:
    initdb: Path
    pg_ctl: Path


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.name)) or (0,)


def find_binaries(search_root: Path = DEBIAN_ROOT, path: str | None = None) -> PgBinaries:
    """``initdb`` and ``pg_ctl`` from PATH, else from the highest version under /usr/lib/postgresql/*/bin."""
    on_path_initdb = shutil.which("initdb", path=path)
    on_path_pg_ctl = shutil.which("pg_ctl", path=path)
    if on_path_initdb and on_path_pg_ctl:
        return PgBinaries(Path(on_path_initdb), Path(on_path_pg_ctl))
    # Debian keeps the server binaries off PATH, one folder per major version.
    versions = sorted(
        (d for d in search_root.glob("*") if (d / "bin" / "initdb").is_file() and (d / "bin" / "pg_ctl").is_file()),
        key=_version_key,
        reverse=True,
    )
    if versions:
        return PgBinaries(versions[0] / "bin" / "initdb", versions[0] / "bin" / "pg_ctl")
    raise PostgresNotFoundError(f"{INSTALL_HINT} (no initdb/pg_ctl on PATH or under {search_root}/*/bin)")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _is_root() -> bool:
    return os.geteuid() == 0


class _Runner:
    """Runs the PostgreSQL tools as the current user, or as ``postgres`` when we are root."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.prefix: list[str] = []
        self.owner: tuple[int, int] | None = None
        if _is_root():
            try:
                account = pwd.getpwnam(SERVICE_USER)
            except KeyError:
                raise ClusterError(
                    f"running as root, but there is no '{SERVICE_USER}' user to run PostgreSQL as "
                    "(PostgreSQL refuses to run as root; apt-get install postgresql creates the user)"
                ) from None
            runuser = shutil.which("runuser")
            if runuser is None:
                raise ClusterError("running as root, but runuser is missing (apt-get install util-linux)")
            self.prefix = [runuser, "-u", SERVICE_USER, "--"]
            self.owner = (account.pw_uid, account.pw_gid)

    def give(self, path: Path) -> None:
        """Hand a file or folder we made to the user that PostgreSQL runs as."""
        if self.owner is not None:
            os.chown(path, *self.owner)

    def run(self, args: Sequence[str | Path], *, detach: bool = False) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        return subprocess.run(
            [*self.prefix, *map(str, args)],
            cwd=self.folder,  # a folder the postgres user can enter, unlike /root
            env=env,
            capture_output=True,
            text=True,
            check=False,
            # The server forked by `pg_ctl start` must not share our terminal's process group: Ctrl-C
            # would stop it behind our back. We stop it ourselves, in order, afterwards.
            start_new_session=detach,
        )


def _fail(step: str, result: subprocess.CompletedProcess[str], log: Path | None = None) -> ClusterError:
    detail = (result.stderr or result.stdout).strip()
    if log is not None and log.exists():
        detail += "\n--- server log ---\n" + "\n".join(log.read_text(errors="replace").splitlines()[-30:])
    return ClusterError(f"{step} failed (exit {result.returncode}): {detail}")


@dataclass
class Cluster:
    folder: Path
    port: int
    url: str


def _configure(data: Path, folder: Path, port: int, runner: _Runner) -> None:
    settings = {**TEST_SETTINGS, "port": str(port), "unix_socket_directories": f"'{folder}'"}
    with (data / "postgresql.conf").open("a") as conf:
        conf.write("\n# bluestone tests.pgcluster: a throwaway server\n")
        conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
    (data / "pg_hba.conf").write_text(HBA)
    runner.give(data / "pg_hba.conf")


@contextlib.contextmanager
def running_cluster(database: str = DATABASE) -> Iterator[Cluster]:
    """Make, start and yield a cluster; always stop it and delete its folder afterwards."""
    binaries = find_binaries()
    folder = Path(tempfile.mkdtemp(prefix="bluestone-pg-"))
    data = folder / "data"
    log = folder / "server.log"
    started = False
    runner: _Runner | None = None
    try:
        runner = _Runner(folder)
        runner.give(folder)
        if runner.owner is not None and runner.run(["test", "-w", folder]).returncode != 0:
            raise ClusterError(
                f"the '{SERVICE_USER}' user cannot write to {folder}: set TMPDIR to a folder it can reach, like /tmp"
            )
        result = runner.run(
            [binaries.initdb, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]
        )
        if result.returncode != 0:
            raise _fail("initdb", result)
        for attempt in range(3):
            port = free_port()
            if attempt == 0:
                _configure(data, folder, port, runner)
            else:  # someone took the port between our check and the server's bind: try another
                conf = data / "postgresql.conf"
                conf.write_text(re.sub(r"(?m)^port = \d+$", f"port = {port}", conf.read_text()))
            result = runner.run(
                [binaries.pg_ctl, "-D", data, "-l", log, "-w", "-t", str(START_TIMEOUT_SECONDS), "start"],
                detach=True,
            )
            if result.returncode == 0:
                started = True
                break
            if "could not bind" not in (log.read_text(errors="replace") if log.exists() else ""):
                break
        if not started:
            raise _fail("pg_ctl start", result, log)
        with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')  # the name is ours, not user input
        yield Cluster(folder=folder, port=port, url=f"postgres://postgres@127.0.0.1:{port}/{database}")
    finally:
        try:
            if started and runner is not None:
                result = runner.run([binaries.pg_ctl, "-D", data, "-m", "fast", "-w", "-t", "30", "stop"])
                if result.returncode != 0:
                    runner.run([binaries.pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def throwaway_cluster(database: str = DATABASE) -> Iterator[str]:
    """Yield the URL (``postgres://postgres@127.0.0.1:PORT/bluestone``) of a fresh, private server."""
    with running_cluster(database) as cluster:
        yield cluster.url


def _raise_on_sigterm(signum: int, frame: object) -> None:
    # Turn `kill PID` (as CI does on a timeout) into an exception so that the cleanup runs.
    raise SystemExit(128 + signum)


def _say(message: str) -> None:
    print(f"pgcluster: {message}", file=sys.stderr, flush=True)  # noqa: T201


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        _say("usage: python -m tests.pgcluster -- CMD [ARGS...]")
        return 2
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    began = time.monotonic()
    try:
        with running_cluster() as cluster:
            _say(f"PostgreSQL ready on 127.0.0.1:{cluster.port} in {time.monotonic() - began:.1f}s ({cluster.folder})")
            try:
                code = subprocess.run(args, env={**os.environ, "DATABASE_URL": cluster.url}, check=False).returncode
            except FileNotFoundError:
                _say(f"command not found: {args[0]}")
                code = 127
            stopping = time.monotonic()
        _say(f"PostgreSQL stopped and its folder removed in {time.monotonic() - stopping:.1f}s")
    except ClusterError as error:
        _say(str(error))
        return 3
    except KeyboardInterrupt:
        _say("interrupted; PostgreSQL stopped and its folder removed")
        return 130
    # A command killed by a signal reports -N; a shell would say 128+N.
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
