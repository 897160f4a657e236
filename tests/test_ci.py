"""The .ci scripts `make test` relies on: the throwaway PostgreSQL server and the Python finder."""

import os
import re
import subprocess
from pathlib import Path

import pytest

CI = Path(__file__).resolve().parents[1] / ".ci"
have_postgresql = any(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
needs_postgresql = pytest.mark.skipif(
    not have_postgresql or os.geteuid() != 0,
    reason="needs the PostgreSQL server binaries and root (the server runs as the postgres user)",
)


def _with_postgres(*command: str) -> tuple[subprocess.CompletedProcess, Path]:
    result = subprocess.run(
        [CI / "with-postgres", *command], capture_output=True, text=True, timeout=120, check=False
    )
    found = re.search(r"\(files in (\S+)\)", result.stdout)
    assert found, result.stdout + result.stderr
    return result, Path(found.group(1))


@needs_postgresql
def test_with_postgres_returns_the_commands_failure_and_removes_its_files():
    result, folder = _with_postgres("false")
    assert result.returncode != 0
    assert not folder.exists()


@needs_postgresql
def test_with_postgres_runs_the_command_against_the_server_it_names():
    # Like `.ci/with-postgres true`, and shows the command was given the server's address.
    result, folder = _with_postgres("sh", "-c", 'echo "url=$DATABASE_URL"')
    assert result.returncode == 0, result.stderr
    assert "Throwaway database server: postgres (PostgreSQL)" in result.stdout
    assert re.search(r"url=postgres://postgres@127\.0\.0\.1:\d+/clb", result.stdout)
    assert not folder.exists()


def test_find_python_prints_a_python_of_at_least_3_12():
    result = subprocess.run([CI / "find-python"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    python = result.stdout.strip()
    version = subprocess.run(
        [python, "-c", "import sys; print(*sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert tuple(map(int, version)) >= (3, 12)
