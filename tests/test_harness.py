"""The test harness itself: the throwaway PostgreSQL cluster, and that the PostgreSQL pass really is one.

The cluster tests run in the SQLite pass (they start their own server); PostgreSQL must be installed,
as `make test` requires. The last test runs only in the PostgreSQL pass.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests import pgcluster

REPO = Path(__file__).resolve().parent.parent


def _data_directory(url: str) -> Path:
    with psycopg.connect(url) as conn:
        row = conn.execute("show data_directory").fetchone()
    assert row is not None
    return Path(row[0])


def test_throwaway_cluster_serves_postgresql_and_leaves_nothing_behind() -> None:
    with pgcluster.throwaway_cluster() as url:
        assert url.startswith("postgres://postgres@127.0.0.1:")
        assert url.endswith("/bluestone")
        with psycopg.connect(url) as conn:
            version = conn.execute("select version()").fetchone()
            names = ["fsync", "synchronous_commit", "full_page_writes", "listen_addresses"]
            rows = conn.execute("select name, setting from pg_settings where name = any(%s)", [names]).fetchall()
            settings: dict[str, str] = {str(name): str(value) for name, value in rows}
        data = _data_directory(url)
        assert data.is_dir()
    assert version is not None
    assert version[0].startswith("PostgreSQL ")
    assert settings == {
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "listen_addresses": "127.0.0.1",
    }
    assert not data.exists()
    assert not data.parent.exists()


def test_throwaway_cluster_is_removed_when_the_block_raises() -> None:
    class BoomError(Exception):
        pass

    seen: list[Path] = []

    def use_and_fail() -> None:
        with pgcluster.throwaway_cluster() as url:
            seen.append(_data_directory(url))
            raise BoomError

    with pytest.raises(BoomError):
        use_and_fail()
    assert seen
    assert not seen[0].parent.exists()


def test_command_line_passes_database_url_and_the_exit_code() -> None:
    script = "import os, sys; print(os.environ['DATABASE_URL']); sys.exit(7)"
    result = subprocess.run(
        [sys.executable, "-m", "tests.pgcluster", "--", sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 7, result.stderr
    assert result.stdout.startswith("postgres://postgres@127.0.0.1:")
    assert "stopped and its folder removed" in result.stderr


def test_command_line_cleans_up_after_an_interrupt() -> None:
    # The command reports where the cluster lives, then waits to be interrupted like a Ctrl-C would.
    script = (
        "import os, time, psycopg\n"
        "with psycopg.connect(os.environ['DATABASE_URL']) as c:\n"
        "    print(c.execute('show data_directory').fetchone()[0], flush=True)\n"
        "time.sleep(120)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.pgcluster", "--", sys.executable, "-c", script],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, to signal like a terminal does
    )
    try:
        assert process.stdout is not None
        data = Path(process.stdout.readline().strip())
        assert data.is_dir()
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=180)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode != 0
    assert not data.parent.exists(), stderr


def test_missing_postgresql_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(pgcluster.PostgresNotFoundError, match="apt-get install postgresql"):
        pgcluster.find_binaries(search_root=tmp_path, path=str(tmp_path))


def test_the_highest_installed_version_is_chosen(tmp_path: Path) -> None:
    for version in ("9.6", "15", "13"):
        bin_dir = tmp_path / version / "bin"
        bin_dir.mkdir(parents=True)
        for tool in ("initdb", "pg_ctl"):
            (bin_dir / tool).touch()
    found = pgcluster.find_binaries(search_root=tmp_path, path=str(tmp_path / "empty"))
    assert found.initdb == tmp_path / "15" / "bin" / "initdb"


def test_free_port_is_free() -> None:
    import socket  # noqa: PLC0415

    port = pgcluster.free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


class _Item:
    """What `uses_the_database` reads of a collected test: its marks and the fixtures it asks for."""

    def __init__(self, marks: tuple[str, ...] = (), fixtures: tuple[str, ...] = ()) -> None:
        self.marks = marks
        self.fixturenames = list(fixtures)

    def get_closest_marker(self, name: str) -> object | None:
        return name if name in self.marks else None


@pytest.mark.parametrize(
    ("marks", "fixtures", "repeated"),
    [
        (("django_db",), (), True),
        (("postgres",), (), True),
        ((), ("db",), True),
        ((), ("transactional_db",), True),
        ((), ("live_server",), True),
        ((), ("postgres_database",), True),
        ((), ("tmp_path", "settings"), False),
        (("browser",), ("page",), False),
    ],
)
def test_the_postgresql_pass_repeats_exactly_the_tests_that_use_the_database(marks, fixtures, repeated) -> None:
    from tests.conftest import uses_the_database  # noqa: PLC0415

    assert uses_the_database(_Item(marks, fixtures)) is repeated  # type: ignore[arg-type]
