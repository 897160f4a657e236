"""The reporting cycle's transitions (reports/cycle.py): who may do each, and that no other is possible."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clubs.locks import PeriodLocked, check_open
from clubs.models import PeriodLock, Role
from places.models import Commune, Province
from reports.cycle import (
    commune_board,
    commune_report,
    commune_submit,
    cycle_approve,
    cycle_reopen,
    cycle_return,
    differences,
    province_board,
    province_submit,
)
from reports.models import CycleReport, CycleStatus
from reports.periods import parse_period
from tests.conftest import make_club, make_user

pytestmark = pytest.mark.django_db
D = datetime.date
Q1 = parse_period("2026-Q1")
AFTER = D(2026, 4, 2)


@pytest.fixture
def national(db):
    return make_user("trunguong", Role.NATIONAL)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_whole_cycle_of_a_commune(dataset, staff, lai_chau_officer, tan_uyen):
    row = commune_submit(commune=tan_uyen, period="2026-Q1", user=staff, today=AFTER)
    assert row.status == CycleStatus.SUBMITTED and row.pdf.read(4) == b"%PDF"
    assert row.figures["scope"]["commune_code"] == tan_uyen.code
    assert row.figures["indicators"]["clubs_total"]["value"] == 2
    row = cycle_return(row=row, user=lai_chau_officer, reason="Thiếu số liệu quỹ")
    assert (row.status, row.return_reason) == (CycleStatus.RETURNED, "Thiếu số liệu quỹ")
    row = commune_submit(commune=tan_uyen, period=Q1, user=staff, today=AFTER)
    assert row.status == CycleStatus.SUBMITTED and CycleReport.objects.count() == 1
    row = cycle_approve(row=row, user=lai_chau_officer)
    assert row.status == CycleStatus.APPROVED
    assert row.lock.commune == tan_uyen and (row.lock.starts_on, row.lock.ends_on) == (Q1.start, Q1.end)
    with pytest.raises(PeriodLocked, match="2026-Q1"):
        check_open(commune_id=tan_uyen.pk, day=D(2026, 2, 1))
    check_open(commune_id=tan_uyen.pk, day=D(2026, 4, 1))  # the next period is open
    row = cycle_reopen(row=row, user=lai_chau_officer, reason="Sửa ngày vào hội")
    assert row.status == CycleStatus.RETURNED and "Sửa ngày vào hội" in row.return_reason
    assert PeriodLock.objects.get().reopen_reason == "Sửa ngày vào hội"
    check_open(commune_id=tan_uyen.pk, day=D(2026, 2, 1))
    assert row.history.count() == 5  # every transition is audited


def test_no_other_transition_is_possible(dataset, staff, lai_chau_officer, tan_uyen):
    row = commune_submit(commune=tan_uyen, period=Q1, user=staff, today=AFTER)
    with pytest.raises(ValidationError, match="đang chờ duyệt"):
        commune_submit(commune=tan_uyen, period=Q1, user=staff, today=AFTER)
    with pytest.raises(ValidationError, match="đã được duyệt"):
        cycle_reopen(row=row, user=lai_chau_officer, reason="x")
    with pytest.raises(ValidationError, match="lý do"):
        cycle_return(row=row, user=lai_chau_officer, reason="  ")
    row = cycle_approve(row=row, user=lai_chau_officer)
    with pytest.raises(ValidationError, match="đã được duyệt"):
        commune_submit(commune=tan_uyen, period=Q1, user=staff, today=AFTER)
    for change in (cycle_approve, lambda **kw: cycle_return(reason="x", **kw)):
        with pytest.raises(ValidationError, match="chờ duyệt"):
            change(row=row, user=lai_chau_officer)
    with pytest.raises(ValidationError, match="lý do"):
        cycle_reopen(row=row, user=lai_chau_officer, reason="")
    row.refresh_from_db()
    assert row.status == CycleStatus.APPROVED and PeriodLock.objects.get().reopened_at is None


def test_a_report_is_submitted_only_after_the_period_or_within_the_window(dataset, staff, tan_uyen, settings):
    settings.REPORT_SUBMIT_WINDOW_DAYS = 10
    with pytest.raises(ValidationError, match="21/03/2026"):
        commune_submit(commune=tan_uyen, period=Q1, user=staff, today=D(2026, 3, 20))
    assert not CycleReport.objects.exists()
    commune_submit(commune=tan_uyen, period=Q1, user=staff, today=D(2026, 3, 21))


@pytest.mark.parametrize(
    "who", ["other_staff", "lai_chau_officer", "thanh_hoa_officer", "national", "nobody"]
)
def test_only_the_communes_staff_submit(request, dataset, tan_uyen, who):
    with pytest.raises(PermissionDenied):
        commune_submit(commune=tan_uyen, period=Q1, user=request.getfixturevalue(who), today=AFTER)
    assert not CycleReport.objects.exists()


@pytest.mark.parametrize("who", ["staff", "other_staff", "thanh_hoa_officer", "national", "nobody"])
def test_only_the_province_reviews_a_commune(request, dataset, staff, tan_uyen, who):
    row = commune_submit(commune=tan_uyen, period=Q1, user=staff, today=AFTER)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        cycle_approve(row=row, user=user)
    with pytest.raises(PermissionDenied):
        cycle_return(row=row, user=user, reason="x")
    row.refresh_from_db()
    assert row.status == CycleStatus.SUBMITTED and not PeriodLock.objects.exists()


def test_the_province_report_is_compiled_from_approved_communes(
    dataset, staff, other_staff, lai_chau_officer, national, tan_uyen, than_uyen, lai_chau
):
    row = commune_submit(commune=tan_uyen, period=Q1, user=staff, today=AFTER)
    cycle_approve(row=row, user=lai_chau_officer)
    commune_submit(commune=than_uyen, period=Q1, user=other_staff, today=AFTER)  # submitted, not approved
    with pytest.raises(PermissionDenied):
        province_submit(province=lai_chau, period=Q1, user=staff, today=AFTER)
    compiled = province_submit(province=lai_chau, period=Q1, user=lai_chau_officer, today=AFTER)
    approved = row.figures["indicators"]
    for code in ("clubs_total", "members_total", "borrowers_total", "fund_capital_vnd"):
        assert compiled.figures["indicators"][code]["value"] == approved[code]["value"], code
    assert compiled.missing == [{"code": than_uyen.code, "name": than_uyen.name}]
    with pytest.raises(PermissionDenied):
        cycle_approve(row=compiled, user=lai_chau_officer)
    compiled = cycle_approve(row=compiled, user=national)
    assert compiled.status == CycleStatus.APPROVED and compiled.lock is None


def test_the_boards(dataset, staff, lai_chau_officer, tan_uyen, than_uyen, lai_chau, settings):
    settings.REPORT_DEADLINE_DAYS = {"quarter": 15, "half": 15, "year": 15}
    commune_submit(commune=tan_uyen, period=Q1, user=staff, today=AFTER)
    rows = {row.place: row for row in commune_board(lai_chau, Q1, D(2026, 4, 16))}
    assert len(rows) == Commune.objects.filter(province=lai_chau).count()
    assert (rows[tan_uyen].status, rows[tan_uyen].overdue) == (CycleStatus.SUBMITTED, False)
    assert (rows[than_uyen].status, rows[than_uyen].overdue) == ("not_started", True)
    assert not {row.place: row for row in commune_board(lai_chau, Q1, D(2026, 4, 15))}[than_uyen].overdue
    national_rows = {row.place: row for row in province_board(Q1, D(2026, 5, 2))}
    assert all(row.status == "not_started" for row in national_rows.values())
    # Provinces with a club in the period are overdue; the others owe nothing.
    assert {p for p, row in national_rows.items() if row.overdue} == {lai_chau, Province.objects.get(code=38)}


def test_differences_mark_what_changed_since_submission(dataset, staff, tan_uyen):
    row = commune_submit(commune=tan_uyen, period=Q1, user=staff, today=AFTER)
    row.figures["indicators"]["members_total"]["value"] = 1
    changed = {d["indicator"].code for d in differences(row, commune_report(tan_uyen, Q1)) if d["changed"]}
    assert changed == {"members_total"}


# ---------------------------------------------------------------------------------------------------------
# The whole transition table, at both levels: from each state, each action either leads where the table
# says or is refused with a Vietnamese message and changes nothing (the row, its history, the locks).
# ---------------------------------------------------------------------------------------------------------

SUBMITTED, RETURNED, APPROVED = CycleStatus.SUBMITTED, CycleStatus.RETURNED, CycleStatus.APPROVED
ACTIONS = ("submit", "approve", "return", "reopen")
# (state, action) → the next state; None: refused. "none" is a period with no report yet (only submit
# applies: the other actions need a report to act on).
TRANSITIONS = {
    ("none", "submit"): SUBMITTED,
    (SUBMITTED, "submit"): None, (SUBMITTED, "approve"): APPROVED,
    (SUBMITTED, "return"): RETURNED, (SUBMITTED, "reopen"): None,
    (RETURNED, "submit"): SUBMITTED, (RETURNED, "approve"): None,
    (RETURNED, "return"): None, (RETURNED, "reopen"): None,
    (APPROVED, "submit"): None, (APPROVED, "approve"): None,
    (APPROVED, "return"): None, (APPROVED, "reopen"): RETURNED,
}  # fmt: skip
REFUSALS = {  # what the refusal says, by (state, action)
    (SUBMITTED, "submit"): "đang chờ duyệt", (APPROVED, "submit"): "đã được duyệt",
    (SUBMITTED, "reopen"): "Chỉ mở lại kỳ đã được duyệt", (RETURNED, "reopen"): "Chỉ mở lại kỳ đã được duyệt",
    (RETURNED, "approve"): "Chỉ duyệt hoặc trả lại", (RETURNED, "return"): "Chỉ duyệt hoặc trả lại",
    (APPROVED, "approve"): "Chỉ duyệt hoặc trả lại", (APPROVED, "return"): "Chỉ duyệt hoặc trả lại",
}  # fmt: skip
# The walk: from each state, every refused action first, then the one taken (every allowed pair once).
WALK = ["submit", "return", "submit", "approve", "reopen", "submit", "approve"]


def test_the_transition_table_is_complete():
    states = {"none", SUBMITTED, RETURNED, APPROVED}
    assert {state for state, _action in TRANSITIONS} == states
    for state in states - {"none"}:
        assert {action for s, action in TRANSITIONS if s == state} == set(ACTIONS), state
    refused = {pair for pair, after in TRANSITIONS.items() if after is None}
    assert refused == set(REFUSALS)


def _state(row: CycleReport | None) -> tuple:
    """Everything a transition may change: the row (with its history) and the period locks."""
    locks = sorted(PeriodLock.objects.values_list("pk", "reopened_at", "reopen_reason"))
    if row is None:
        return (None, locks)
    row = CycleReport.objects.get(pk=row.pk)
    return (row.status, row.submitted_at, row.reviewed_at, row.return_reason, row.pdf.name, row.figures,
            row.history.count(), locks)  # fmt: skip


@pytest.mark.parametrize("level", ["commune", "province"])
def test_every_transition_and_that_no_other_is_possible(level, club, staff, lai_chau_officer, national, tan_uyen):
    province = tan_uyen.province
    submitter, reviewer = (staff, lai_chau_officer) if level == "commune" else (lai_chau_officer, national)

    def submit(row):
        if level == "commune":
            return commune_submit(commune=tan_uyen, period=Q1, user=submitter, today=AFTER)
        return province_submit(province=province, period=Q1, user=submitter, today=AFTER)

    do = {
        "submit": submit,
        "approve": lambda row: cycle_approve(row=row, user=reviewer),
        "return": lambda row: cycle_return(row=row, user=reviewer, reason="Thiếu số liệu quỹ"),
        "reopen": lambda row: cycle_reopen(row=row, user=reviewer, reason="Sửa ngày vào hội"),
    }
    row, state, tried = None, "none", set()
    for taken in WALK:
        for action in ACTIONS:
            if (state, action) not in TRANSITIONS or TRANSITIONS[state, action] is not None:
                continue
            before = _state(row)
            with pytest.raises(ValidationError, match=REFUSALS[state, action]):
                do[action](row)
            assert _state(row) == before, (state, action)
            tried.add((state, action))
        expected = TRANSITIONS[state, taken]
        assert expected is not None, (state, taken)
        row = do[taken](row)
        row.refresh_from_db()
        assert row.status == expected, (state, taken)
        tried.add((state, taken))
        state = expected
    assert tried == set(TRANSITIONS)
    assert CycleReport.objects.count() == 1 and row.history.count() == len(WALK)
    # Each approval of a commune locked its period; the reopening lifted the first lock, not the second.
    locks = list(PeriodLock.objects.order_by("pk").values_list("reopened_at", flat=True))
    if level == "commune":
        assert len(locks) == 2 and locks[0] is not None and locks[1] is None
    else:
        assert locks == []


def test_only_the_national_level_reviews_a_province(
    club, staff, lai_chau_officer, thanh_hoa_officer, nobody, national, tan_uyen
):
    row = province_submit(province=tan_uyen.province, period=Q1, user=lai_chau_officer, today=AFTER)
    others = (staff, lai_chau_officer, thanh_hoa_officer, nobody)  # one submission (a PDF) for all of them
    for user in others:
        with pytest.raises(PermissionDenied):
            cycle_approve(row=row, user=user)
        with pytest.raises(PermissionDenied):
            cycle_return(row=row, user=user, reason="x")
    row = cycle_approve(row=row, user=national)
    for user in others:
        with pytest.raises(PermissionDenied):
            cycle_reopen(row=row, user=user, reason="x")
    row.refresh_from_db()
    assert row.status == CycleStatus.APPROVED and row.history.count() == 2


def test_only_the_provinces_officer_reopens_a_commune(
    club, staff, lai_chau_officer, thanh_hoa_officer, national, nobody, tan_uyen
):
    row = cycle_approve(
        row=commune_submit(commune=tan_uyen, period=Q1, user=staff, today=AFTER), user=lai_chau_officer
    )
    for user in (staff, thanh_hoa_officer, national, nobody):
        with pytest.raises(PermissionDenied):
            cycle_reopen(row=row, user=user, reason="Sửa số liệu")
    row.refresh_from_db()
    assert row.status == CycleStatus.APPROVED and PeriodLock.objects.get().reopened_at is None


def test_a_commune_without_a_club_in_the_period_is_on_the_board_but_never_overdue(
    club, tan_uyen, than_uyen, lai_chau, django_assert_max_num_queries
):
    late = D(2026, 6, 1)
    with django_assert_max_num_queries(3):
        rows = {row.place: row for row in commune_board(lai_chau, Q1, late)}
    assert rows[tan_uyen].overdue and rows[tan_uyen].expected
    assert not rows[than_uyen].overdue and not rows[than_uyen].expected  # no club there
    make_club(than_uyen, decision_date=D(2026, 4, 10), launched_on=None)  # founded after Q1: still not asked for Q1
    assert not {row.place: row for row in commune_board(lai_chau, Q1, late)}[than_uyen].overdue
    make_club(than_uyen, decision_date=D(2026, 3, 10), launched_on=None)
    assert {row.place: row for row in commune_board(lai_chau, Q1, late)}[than_uyen].overdue


def test_a_report_submitted_before_the_catalogue_grew_shows_no_change_for_the_new_codes(
    dataset, staff, tan_uyen
):
    """Submissions frozen before issue 16 added the plans' indicators hold no value for them: those rows
    show nothing sent and are not marked changed."""
    row = commune_submit(commune=tan_uyen, period=Q1, user=staff, today=AFTER)
    for code in ("members_borrowed_in_period", "clubs_borrowing_50_pct", "members_health_insured"):
        del row.figures["indicators"][code]
    rows = {d["indicator"].code: d for d in differences(row, commune_report(tan_uyen, Q1))}
    assert rows["members_borrowed_in_period"]["submitted"] is None
    assert rows["members_borrowed_in_period"]["now"] == 2  # m2, m3 in Q1 (A, Tân Uyên)
    assert not any(d["changed"] for d in rows.values())
