"""The benchmark command end to end, at a tiny scale: it measures what exists and writes its JSON."""

import json

import pytest
from django.core.management import call_command

from devdata import bench

pytestmark = pytest.mark.django_db


def test_bench_runs_end_to_end_and_writes_its_figures(tmp_path, capsys):
    output = tmp_path / "results.json"
    call_command("bench", "--scale", "3-clubs", "--seed", "2", "--runs", "1", "--skip", "import",
                 "--export-members", "50", "--no-dump", "--output", str(output))  # fmt: skip
    printed = capsys.readouterr().out
    assert "Dataset 3-clubs-seed2-" in printed and "generated" in printed
    data = json.loads(output.read_text())
    assert data["dataset"]["clubs"] == 3
    assert data["machine"]["cores"] >= 1
    names = {m["name"]: m for m in data["measurements"]}
    assert "club page" in names and "province report, JSON" in names
    for measurement in data["measurements"]:
        assert measurement["status"] in ("ok", bench.NOT_AVAILABLE), measurement
        if measurement["status"] == "ok":
            assert measurement["median_ms"] > 0 and measurement["queries"] > 0
            assert measurement["name"] in printed
        else:
            assert measurement["median_ms"] is None  # nothing is made up for a missing feature


def test_a_second_run_reuses_the_dataset(capsys):
    call_command("bench", "--scale", "2-clubs", "--runs", "1", "--only", "club page", "--no-dump",
                 "--output", "/dev/null")  # fmt: skip
    call_command("bench", "--scale", "2-clubs", "--runs", "1", "--only", "club page", "--no-dump",
                 "--output", "/dev/null")  # fmt: skip
    assert "reused" in capsys.readouterr().out


def test_dataset_key_follows_scale_seed_and_code():
    assert bench.dataset_key("province", 1) == bench.dataset_key("province", 1)
    assert bench.dataset_key("province", 1) != bench.dataset_key("province", 2)
    assert bench.dataset_key("province", 1).startswith("province-seed1-")


def test_the_table_says_which_targets_hold():
    ok = bench.Result("fast page", 150, runs_ms=[100, 120, 90], queries=4)
    slow = bench.Result("slow page", 150, runs_ms=[300, 310, 290], queries=4)
    missing = bench.Result("future page", 300, status=bench.NOT_AVAILABLE)
    text = bench.table([ok, slow, missing])
    assert "OK" in text.splitlines()[1]
    assert "MISSED by 100 %" in text
    assert "not available yet" in text
