"""The reporting cycle's transitions (reports/cycle.py): who may do each, and that no other is possible."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clubs.locks import PeriodLocked, check_open
from clubs.models import PeriodLock, Role
from places.models import Commune
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
from tests.conftest import make_user

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
    national_rows = province_board(Q1, D(2026, 5, 2))
    assert all(row.status == "not_started" and row.overdue for row in national_rows)


def test_differences_mark_what_changed_since_submission(dataset, staff, tan_uyen):
    row = commune_submit(commune=tan_uyen, period=Q1, user=staff, today=AFTER)
    row.figures["indicators"]["members_total"]["value"] = 1
    changed = {d["indicator"].code for d in differences(row, commune_report(tan_uyen, Q1)) if d["changed"]}
    assert changed == {"members_total"}


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
