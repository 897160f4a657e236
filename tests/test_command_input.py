"""Issue 15, item 9: a wrong date given to a command is a Vietnamese message, not a Python traceback."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--province", "12", "--as-of", "2026-02-31", "--format", "json", "--output", "x.json"],
        ["report", "--national", "--from", "31/01/2026", "--format", "xlsx", "--output", "x.xlsx"],
        ["warm_reports", "--as-of", "nope"],
    ],
)
def test_a_wrong_date_is_a_vietnamese_message_without_a_traceback(argv, tmp_path):
    done = subprocess.run(
        [sys.executable, "manage.py", *argv], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "không phải một ngày có thật" in done.stderr
    assert not (ROOT / argv[-1]).exists()


def test_call_command_raises_command_error_in_vietnamese():
    with pytest.raises(CommandError, match="“nope” không phải một ngày có thật"):
        call_command("warm_reports", "--as-of", "nope")


@pytest.mark.parametrize("period", ["2026-02-31", "2026-H3", "nửa năm"])
def test_a_wrong_period_is_a_vietnamese_message_without_a_traceback(period):
    argv = ["report", "--commune", "3598", "--period", period, "--format", "json", "--output", "x.json"]
    done = subprocess.run(
        [sys.executable, "manage.py", *argv], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "Kỳ báo cáo không hợp lệ" in done.stderr
    assert not (ROOT / "x.json").exists()
