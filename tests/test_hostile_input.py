"""Issue 15: every file of the bad-input corpus is refused (or read) within 5 s and 300 MB peak.

The files are read in a fresh process (its peak resident memory is then theirs alone, plus Django):
one process reads them all, timing each, and reports its peak at the end. Before the bounds in
sheets/bounds.py, far-cell-xfd1048576.xlsx (1.6 KB) aborted the process asking for 549 GB and
far-cell-zz199000.xlsx took 38 s and 5.4 GB; the largest sheet within the limits (199,000 rows ×
20 columns, made here) is the worst case kept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.corpus import hostile

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"

_READER = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from sheets.reading import SheetRefused, read_sheets
times = {}
for path in sys.argv[1:]:
    started = time.perf_counter()
    try:
        for grid in read_sheets(path):
            pass
        outcome = "read"
    except SheetRefused as refused:
        outcome = str(refused)
    times[os.path.basename(path)] = [round(time.perf_counter() - started, 2), outcome[:80]]
# VmHWM, not getrusage's ru_maxrss: Linux carries the latter over from the parent through exec, so a
# child of a big test process would report the parent's size.
status = open("/proc/self/status").read()
peak_kb = int(status.split("VmHWM:")[1].split()[0])
print(json.dumps({"times": times, "peak_mb": peak_kb / 1024}))
"""


def _read_in_a_fresh_process(paths: list[Path], scratch: Path) -> dict:
    # Its own database file: the reader never touches one, but Django's setup must not meet the tests'.
    env = os.environ | {"VAR_DIR": str(scratch), "DATABASE_URL": f"sqlite:///{scratch / 'reader.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-c", _READER, *map(str, paths)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_corpus_file_within_5_seconds_and_300_mb(tmp_path):
    widest = hostile.write_raw_xlsx(
        tmp_path / "widest-allowed.xlsx", hostile.sheet_xml(hostile.member_rows(hostile.far_cell("T199000")))
    )
    files = sorted(p for p in CORPUS.iterdir() if p.suffix != ".py" and p.is_file())
    assert len(files) >= 50
    for group in (files, [widest]):  # the widest alone: its peak is not the sum of the others' leftovers
        figures = _read_in_a_fresh_process(group, tmp_path)
        slow = {name: value for name, value in figures["times"].items() if value[0] > 5}
        assert slow == {}
        assert figures["peak_mb"] < 300, figures
    assert figures["times"]["widest-allowed.xlsx"][1] == "read"  # the limits leave a real list alone
    corpus = _read_in_a_fresh_process([CORPUS / "far-cell-xfd1048576.xlsx"], tmp_path)
    assert corpus["times"]["far-cell-xfd1048576.xlsx"][1].startswith("Ô XFD1048576 nằm ở dòng 1.048.576")
