"""`manage.py bench_import` measures each kind of import and leaves the database as it was."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from clubs.models import Club
from devdata.bench_import import KINDS, run
from funds.models import FundEntry, Instalment, Loan
from members.models import Member, Membership


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Club, Member, Membership, FundEntry, Loan, Instalment)
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_imported_in_full_and_removed_again(kind):
    before = _counts()
    seconds, peak_mb = run(70, kind=kind)  # two clubs: rows of more than one club
    assert seconds > 0 and peak_mb > 0
    assert _counts() == before


@pytest.mark.django_db(transaction=True)
def test_once_prints_the_figures_of_the_kind_asked(capsys):
    call_command("bench_import", "--rows", "20", "--once", "--kind", "contributions")
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["kind"] == "contributions" and figures["rows"] == 20
    assert figures["rows_per_s"] > 0
    assert set(figures) >= {"seconds", "peak_mb"}  # what make bench reads


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is read from Linux's /proc")
def test_an_imports_peak_memory_is_its_own_not_that_of_the_process_that_started_it():
    """`make bench` starts each import from a process holding a few hundred MB: the import's peak must
    not include them (Linux carries ru_maxrss across exec from the parent, when spawned by vfork)."""
    held = bytearray(400 * 2**20)
    held[:: 2**12] = b"\1" * len(held[:: 2**12])  # touched: resident, not only reserved
    child = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from devdata.bench_import import peak_memory_mb; "
         "print(peak_memory_mb())"],
        capture_output=True, text=True, check=True, cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )  # fmt: skip
    peak = float(child.stdout.strip().splitlines()[-1])
    assert 10 < peak < 200, peak  # Django set up; not the 400 MB held here
    del held
