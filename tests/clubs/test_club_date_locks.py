"""A club's own dates before an approved period (issue 16): founding a club, or changing its decision,
launch, suspension or dissolution date, inside an approved period of its commune is refused with the
period's message on every path — the club's pages, the club import (all or nothing) and the admin — and a
fund's opening date likewise in the admin. Outside the period, or after the province reopens it, they work."""

import datetime

import pytest
from django.urls import reverse

from clubs.locks import PeriodLocked, period_reopen
from clubs.models import Club
from clubs.services import club_update
from funds.models import Fund, FundKind
from sheets.engine import run_import
from tests.clubs.test_lock_admin import _post_form
from tests.conftest import make_club
from tests.period_locks import INSIDE, OUTSIDE, assert_locked_message, lock_h1
from tests.sheets.builders import write_xlsx

pytestmark = pytest.mark.django_db
D = datetime.date
HEADER = ["Mã CLB", "Tên CLB", "Tỉnh", "Xã/Phường", "Xã/Phường cũ", "Huyện cũ", "Thôn/Tổ dân phố",
          "Số quyết định", "Ngày quyết định", "Ngày ra mắt"]  # fmt: skip
LOCKED = "không thể ghi hay sửa số liệu"


@pytest.fixture
def lock(club, tan_uyen, lai_chau_officer):
    return lock_h1(tan_uyen, lai_chau_officer)


def _club_state():
    return sorted(
        Club.objects.values_list("code", "name", "commune_id", "decision_date", "launched_on", "dissolved_on")
    ), sorted(Fund.objects.values_list("club__code", "kind", "opened_on"))


def _edit_data(club, **changes):
    data = {"code": club.code, "name": club.name, "commune": club.commune_id,
            "decision_date": f"{club.decision_date:%d/%m/%Y}", "launched_on": f"{club.launched_on:%d/%m/%Y}"}  # fmt: skip
    return data | changes


# --- The service and the pages ------------------------------------------------------------------------


def test_a_launch_moved_into_the_period_is_refused_on_its_field(client_for, staff, club, lock):
    before = _club_state()
    response = client_for(staff).post(
        reverse("clubs:club-edit", args=[club.pk]), _edit_data(club, launched_on=f"{INSIDE:%d/%m/%Y}")
    )
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["launched_on"])
    assert "2026-H1" in message and "Lò Văn Duyệt" in message and f"{INSIDE:%d/%m/%Y}" in message
    assert _club_state() == before


def test_a_date_of_the_period_is_not_moved_out_of_it_nor_the_club_dissolved_in_it(
    club, tan_uyen, lai_chau_officer
):
    launched_in_h1 = make_club(tan_uyen, code="LCH-TU-H1", decision_date=D(2026, 1, 20), launched_on=INSIDE)
    lock = lock_h1(tan_uyen, lai_chau_officer)
    before = _club_state()
    with pytest.raises(PeriodLocked) as refused:
        club_update(club=Club.objects.get(pk=launched_in_h1.pk), launched_on=OUTSIDE)
    assert_locked_message(refused.value)
    assert refused.value.field == "launched_on"
    with pytest.raises(PeriodLocked):
        club_update(club=Club.objects.get(pk=club.pk), dissolved_on=D(2026, 3, 1))
    assert _club_state() == before
    # Register data of such a club is put right at any time; dates after the period are written.
    club_update(club=Club.objects.get(pk=launched_in_h1.pk), name="CLB bản Nà Cóc (tên đúng)")
    club_update(club=Club.objects.get(pk=club.pk), dissolved_on=OUTSIDE)
    period_reopen(lock=lock, by=lai_chau_officer, reason="Sai ngày ra mắt")
    assert (
        club_update(club=Club.objects.get(pk=launched_in_h1.pk), launched_on=OUTSIDE).launched_on == OUTSIDE
    )


def test_a_club_founded_in_the_period_is_refused_and_gets_no_funds(client_for, staff, club, tan_uyen, lock):
    before = _club_state()
    data = {"code": "LCH-TU-77", "name": "CLB bản Mới", "commune": tan_uyen.pk,
            "decision_date": f"{INSIDE:%d/%m/%Y}", "launched_on": f"{OUTSIDE:%d/%m/%Y}"}  # fmt: skip
    response = client_for(staff).post(reverse("clubs:club-create"), data)
    assert response.status_code == 200
    assert LOCKED in " ".join(response.context["form"].errors["decision_date"])
    assert _club_state() == before
    response = client_for(staff).post(
        reverse("clubs:club-create"), data | {"decision_date": f"{OUTSIDE:%d/%m/%Y}"}
    )
    assert response.status_code == 302
    assert Fund.objects.filter(club__code="LCH-TU-77").count() == 2


def test_a_club_moved_to_a_commune_whose_period_holds_its_launch_is_refused(
    other_club, than_uyen, tan_uyen, lai_chau_officer
):
    moved = make_club(than_uyen, code="LCH-THU-H1", decision_date=D(2026, 1, 20), launched_on=INSIDE)
    lock_h1(tan_uyen, lai_chau_officer)
    with pytest.raises(PeriodLocked):
        club_update(club=Club.objects.get(pk=moved.pk), commune=tan_uyen)
    assert Club.objects.get(pk=moved.pk).commune == than_uyen


# --- The club import --------------------------------------------------------------------------------------


def _clubs_file(tmp_path, rows):
    return write_xlsx(tmp_path / "clb.xlsx", [["DANH SÁCH CÂU LẠC BỘ LTHTGN"], [], HEADER, *rows])


def test_a_club_file_founding_or_changing_a_club_in_the_period_writes_nothing(
    tmp_path, club, tan_uyen, lock, lai_chau_officer
):
    rows = [
        ["LCH-TU-31", "CLB bản Pắc Ta", "Lai Châu", "Tân Uyên", "", "", "", "", f"{OUTSIDE:%d/%m/%Y}", ""],
        ["LCH-TU-32", "CLB bản Hô Ta", "Lai Châu", "Tân Uyên", "", "", "", "", f"{INSIDE:%d/%m/%Y}", ""],
        # The existing club's launch moved into the period.
        [club.code, club.name, "Lai Châu", "Tân Uyên", "", "", "", "", f"{club.decision_date:%d/%m/%Y}",
         "01/03/2026"],
    ]  # fmt: skip
    path = _clubs_file(tmp_path, rows)
    before = _club_state()
    for commit in (False, True):
        report = run_import("clubs", path, commit=commit)
        assert not report.ok and not report.committed
        found = {e.row: e for e in report.errors}
        assert set(found) == {5, 6}, report.errors
        assert found[5].column == "I (Ngày quyết định)" and f"{INSIDE:%d/%m/%Y}" in found[5].message
        assert found[6].column == "J (Ngày ra mắt)" and "01/03/2026" in found[6].message
        for error in found.values():
            assert "2026-H1" in error.message and "Lò Văn Duyệt" in error.message and LOCKED in error.message
    assert _club_state() == before
    period_reopen(lock=lock, by=lai_chau_officer, reason="Bổ sung CLB thành lập tháng 5")
    report = run_import("clubs", path, commit=True)
    assert report.committed and (report.new, report.updated) == (2, 1)
    assert Fund.objects.get(club__code="LCH-TU-32", kind=FundKind.INCOME).opened_on == INSIDE


def test_an_unchanged_club_of_the_period_is_not_a_write(tmp_path, tan_uyen, lai_chau_officer):
    make_club(
        tan_uyen, code="LCH-TU-H1", name="CLB bản Nà Cóc", decision_date=D(2026, 1, 20), launched_on=INSIDE
    )
    lock_h1(tan_uyen, lai_chau_officer)
    row = [
        "LCH-TU-H1",
        "CLB bản Nà Cóc",
        "Lai Châu",
        "Tân Uyên",
        "",
        "",
        "",
        "",
        "20/01/2026",
        f"{INSIDE:%d/%m/%Y}",
    ]
    report = run_import("clubs", _clubs_file(tmp_path, [row]), commit=True)
    assert report.ok and report.unchanged == 1, report.errors


def test_a_period_approved_between_the_preview_and_the_write_refuses_the_club_file(
    tmp_path, club, tan_uyen, lai_chau_officer, monkeypatch
):
    from sheets import import_clubs

    checked = import_clubs.plan

    def plan_then_approve(*args, **kwargs):  # the province approves while the file is being checked
        planned = checked(*args, **kwargs)
        lock_h1(tan_uyen, lai_chau_officer)
        return planned

    monkeypatch.setattr(import_clubs, "plan", plan_then_approve)
    path = _clubs_file(tmp_path, [["LCH-TU-32", "CLB bản Hô Ta", "Lai Châu", "Tân Uyên", "", "", "", "",
                                   f"{INSIDE:%d/%m/%Y}", ""]])  # fmt: skip
    before = _club_state()
    report = run_import("clubs", path, commit=True)
    assert not report.committed and [e.row for e in report.errors] == [4]
    assert "2026-H1" in report.errors[0].message
    assert _club_state() == before


# --- The admin --------------------------------------------------------------------------------------------


@pytest.fixture
def admin(client_for, admin_user):
    return client_for(admin_user)


def test_the_admin_cannot_move_a_fund_opening_into_or_out_of_the_period(
    admin, club, tan_uyen, lai_chau_officer
):
    fund = club.funds.get(kind=FundKind.INCOME)
    lock = lock_h1(tan_uyen, lai_chau_officer)
    url = reverse("admin:funds_fund_change", args=[fund.pk])
    response = _post_form(admin, url, opened_on=f"{INSIDE:%Y-%m-%d}")
    assert response.status_code == 200
    page = response.content.decode()
    assert LOCKED in page and "2026-H1" in page and "Lò Văn Duyệt" in page
    fund.refresh_from_db()
    assert fund.opened_on == D(2024, 2, 1)
    fund.opened_on = INSIDE
    fund.save(update_fields=["opened_on"])
    assert _post_form(admin, url, opened_on=f"{OUTSIDE:%Y-%m-%d}").status_code == 200
    fund.refresh_from_db()
    assert fund.opened_on == INSIDE
    period_reopen(lock=lock, by=lai_chau_officer, reason="Sai ngày lập quỹ")
    assert _post_form(admin, url, opened_on=f"{OUTSIDE:%Y-%m-%d}").status_code == 302
    fund.refresh_from_db()
    assert fund.opened_on == OUTSIDE


def test_the_admin_cannot_date_a_club_inside_the_period(admin, club, lock):
    before = _club_state()
    url = reverse("admin:clubs_club_change", args=[club.pk])
    response = _post_form(admin, url, dissolved_on=f"{INSIDE:%Y-%m-%d}")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert LOCKED in " ".join(form.errors["dissolved_on"])
    assert _club_state() == before
    response = _post_form(admin, url, notes="Ghi chú mới")  # not a date: written
    assert response.status_code == 302, response.context["adminform"].form.errors
