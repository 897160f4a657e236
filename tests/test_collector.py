"""The garbage collector paused during a report's computation and an import (config.collector), and
running again after them, however they end."""

import datetime
import gc
import threading

import pytest

from config.collector import collector_paused
from reports import indicators
from reports.scope import Scope
from sheets import engine
from tests.conftest import make_club
from tests.sheets.builders import write_csv


@pytest.fixture(autouse=True)
def _collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    assert gc.isenabled(), "a test left the collector paused"
    if not was:
        gc.disable()


def test_paused_inside_and_running_again_after_even_on_an_error():
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector_paused():
        assert not gc.isenabled()
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_nested_and_overlapping_pieces_resume_when_the_last_ends():
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "the inner piece ended, the outer still runs"
    assert gc.isenabled()

    # Two threads: the first to end leaves the collector paused for the other.
    inside, first_done, second_may_end = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def second():
        with collector_paused():
            inside.set()
            second_may_end.wait(5)
            seen["paused while the other ended"] = not gc.isenabled()

    thread = threading.Thread(target=second)
    with collector_paused():
        thread.start()
        inside.wait(5)
    first_done.set()
    seen["paused after the first ended"] = not gc.isenabled()
    second_may_end.set()
    thread.join(5)
    assert seen == {"paused after the first ended": True, "paused while the other ended": True}
    assert gc.isenabled()


def test_left_off_when_it_was_off_before():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.django_db
def test_a_report_is_computed_and_a_file_imported_with_the_collector_paused(monkeypatch, tmp_path, tan_uyen):
    seen = []
    real_parts = indicators._parts_for

    def parts_for(codes):
        seen.append(("report", gc.isenabled()))
        return real_parts(codes)

    monkeypatch.setattr(indicators, "_parts_for", parts_for)
    make_club(tan_uyen)
    indicators.compute_indicators(Scope(), datetime.date(2026, 3, 15))

    real_clean = engine._clean_rows

    def clean_rows(*args, **kwargs):
        seen.append(("import", gc.isenabled()))
        return real_clean(*args, **kwargs)

    monkeypatch.setattr(engine, "_clean_rows", clean_rows)
    header = ["Họ và tên", "Năm sinh", "Giới tính", "Mã CLB"]
    engine.run_import("members", write_csv(tmp_path / "m.csv", [header, ["Lò Thị En", "1950", "Nữ", "X"]]))
    assert seen == [("report", False), ("import", False)]
    assert gc.isenabled()
