import datetime
import shutil
from pathlib import Path

import pytest

from clubs.models import BoardMembership, BoardRole
from members.models import Household, HouseholdStatus, Member, Membership, Sex
from sheets import bulk, import_members
from sheets.engine import run_import
from sheets.legacy_text import encode_tcvn3, encode_vni
from tests.conftest import make_member
from tests.sheets.builders import (
    CLOSINGS,
    HEADER_BOTTOM,
    HEADER_TOP,
    TITLE_ROWS,
    closing_merges,
    header_merges,
    office_member_rows,
    office_sheet_rows,
    write_csv,
    write_legacy_csv,
    write_ods,
    write_xls,
    write_xlsx,
)

pytestmark = pytest.mark.django_db
D = datetime.date
FIXTURES = Path(__file__).parent / "fixtures"


def _members():
    return {m.full_name: m for m in Member.objects.all()}


def _assert_office_members_imported(club):
    members = _members()
    assert set(members) == {"Lường Thị Chơ", "Giàng A Páo", "Nguyễn Thị Hoa", "Tẩn Thị Vân", "Vàng Văn Khiêm"}
    cho, pao, hoa, van, khiem = (members[n] for n in ("Lường Thị Chơ", "Giàng A Páo", "Nguyễn Thị Hoa", "Tẩn Thị Vân", "Vàng Văn Khiêm"))  # fmt: skip
    # The birth year under "Nam" or "Nữ" gives the sex.
    assert (cho.sex, cho.birth_year, pao.sex, pao.birth_year) == (Sex.FEMALE, 1952, Sex.MALE, 1949)
    # HN / CN / Hộ nghèo / Khó khăn / Không.
    assert [m.household for m in (cho, pao, hoa, van, khiem)] == [
        Household.POOR, Household.NEAR_POOR, Household.POOR, Household.HARDSHIP, Household.NONE,
    ]  # fmt: skip
    # Excel date, dd/mm/yyyy, d/m/yy, Excel serial number, bare year.
    assert [m.joined_on for m in (cho, pao, hoa, van, khiem)] == [
        D(2018, 5, 19), D(2018, 3, 27), D(2018, 5, 4), D(2019, 1, 1), D(2019, 1, 1),
    ]  # fmt: skip
    # NFD name composed; an ID typed as a number gets its leading zero back; dots in an ID removed.
    assert hoa.search_key == "nguyen thi hoa"
    assert (cho.citizen_id, hoa.citizen_id, khiem.citizen_id, pao.citizen_id) == (
        "012345678901", "012345678902", "012345678903", None,
    )  # fmt: skip
    assert van.phone == "0912345679"  # the leading zero Excel dropped
    assert (khiem.ethnicity, van.ethnicity) == (8, 9)  # H'Mông, Dao
    assert (cho.is_volunteer, hoa.is_volunteer, pao.is_volunteer) == (True, True, False)
    assert all(m.club_id == club.pk for m in members.values())
    # What member_create writes for each person: a membership, and household status rows.
    assert Membership.objects.filter(left_on__isnull=True).count() == 5
    assert set(HouseholdStatus.objects.values_list("member__full_name", "status", "valid_from")) == {
        ("Lường Thị Chơ", Household.POOR, D(2018, 5, 19)),
        ("Giàng A Páo", Household.NEAR_POOR, D(2018, 3, 27)),
        ("Nguyễn Thị Hoa", Household.POOR, D(2018, 5, 4)),
        ("Tẩn Thị Vân", Household.HARDSHIP, D(2019, 1, 1)),
    }
    assert set(BoardMembership.objects.values_list("member__full_name", "role", "from_date")) == {
        ("Lường Thị Chơ", BoardRole.CHAIR, D(2018, 5, 19)),
        ("Nguyễn Thị Hoa", BoardRole.TREASURER, D(2018, 5, 4)),
    }
    assert Member.history.filter(history_type="+").count() == 5
    # The membership repeats the member's club and join date; every row written has its '+' record.
    assert set(Membership.objects.values_list("member__full_name", "club_id", "joined_on", "leave_reason")) == {
        (m.full_name, club.pk, m.joined_on, "") for m in members.values()
    }
    assert set(Membership.history.values_list("id", "history_type")) == {
        (pk, "+") for pk in Membership.objects.values_list("pk", flat=True)
    }
    assert set(HouseholdStatus.history.values_list("id", "status", "history_type")) == {
        (pk, status, "+") for pk, status in HouseholdStatus.objects.values_list("pk", "status")
    }
    assert not HouseholdStatus.objects.exclude(valid_to=None, standard_period="", note="").exists()


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_province_office_sheet_imports_in_every_spreadsheet_format(club, tmp_path, fmt):
    writer = {"xlsx": write_xlsx, "xls": write_xls, "ods": write_ods}[fmt]
    path = writer(tmp_path / f"ds.{fmt}", office_sheet_rows(), merges=header_merges())
    report = run_import("members", path, club=club, commit=True)
    assert report.ok, report.errors
    assert (report.header_row, report.rows, report.new) == (6, 5, 5)
    _assert_office_members_imported(club)


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("cp1258", False)])
def test_csv_in_utf8_with_or_without_bom_and_in_windows_1258(club, tmp_path, encoding, bom):
    rows = office_sheet_rows()
    rows = [[v for v in row] for row in rows]
    path = write_csv(tmp_path / "ds.csv", rows, encoding=encoding, bom=bom)
    if encoding == "cp1258":  # Windows-1258 writes tones as combining marks: the bytes really differ
        assert "Lường".encode() not in path.read_bytes()
    report = run_import("members", path, club=club, commit=True)
    assert report.ok, report.errors
    members = _members()
    assert {"Lường Thị Chơ", "Nguyễn Thị Hoa", "Vàng Văn Khiêm"} <= set(members)
    assert members["Tẩn Thị Vân"].joined_on == D(2019, 1, 1)


@pytest.mark.parametrize("encode", [encode_tcvn3, encode_vni], ids=["tcvn3", "vni"])
def test_legacy_encoded_sheets_are_converted_to_unicode(club, tmp_path, encode):
    rows = [[encode(v) if isinstance(v, str) else v for v in row] for row in office_sheet_rows()]
    assert rows[8][1] != "Lường Thị Chơ"
    path = write_xlsx(tmp_path / "ds.xlsx", rows, merges=header_merges())
    report = run_import("members", path, club=club, commit=True)
    assert report.ok, report.errors
    assert any("bảng mã cũ" in notice for notice in report.notices)
    _assert_office_members_imported(club)


@pytest.mark.parametrize("encode", [encode_tcvn3, encode_vni], ids=["tcvn3", "vni"])
def test_legacy_encoded_csv_files_are_converted(club, tmp_path, encode):
    path = write_legacy_csv(tmp_path / "ds.csv", office_sheet_rows(), encode)
    report = run_import("members", path, club=club, commit=True)
    assert report.ok, report.errors
    assert {"Lường Thị Chơ", "Nguyễn Thị Hoa", "Giàng A Páo"} <= set(_members())


def test_the_lai_chau_sample_file_imports(club, tmp_path):
    path = shutil.copy(FIXTURES / "lai-chau-huoi-luong-members.xlsx", tmp_path / "sample.xlsx")
    report = run_import("members", path, club=club, commit=True)
    assert report.ok, report.errors
    assert (report.header_row, report.new) == (6, 52)
    members = Member.objects.filter(club=club)
    assert members.count() == 52
    assert members.filter(sex=Sex.FEMALE).count() == 33  # years written under "Nữ"
    cho = members.get(full_name="Lường Thị Chơ")
    assert (cho.birth_year, cho.household, cho.ethnicity, cho.joined_on) == (
        1952,
        Household.POOR,
        3,
        D(2018, 5, 19),
    )
    assert BoardMembership.objects.filter(club=club).count() == 5
    assert members.filter(is_volunteer=True).count() == 6


@pytest.mark.parametrize("closing", list(CLOSINGS))
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_totals_line_and_the_signature_block_end_the_list_wherever_their_label_sits(
    club, tmp_path, closing, fmt
):
    rows = office_sheet_rows(office_member_rows(closing))
    if fmt == "xlsx":
        path = write_xlsx(tmp_path / "ds.xlsx", rows, merges=header_merges() + closing_merges(closing))
    else:
        path = write_csv(tmp_path / "ds.csv", rows)
    report = run_import("members", path, club=club, commit=True)
    assert report.ok, report.errors
    assert (report.rows, report.new) == (5, 5)
    _assert_office_members_imported(club)


def test_a_totals_line_under_each_village_does_not_end_a_numbered_list(club, tmp_path):
    rows = [
        ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Thôn"],
        [1, "Lò Thị Lan", 1950, "Nữ", "Bản Mè"],
        ["Cộng bản Mè", "", 1, "", ""],
        [2, "Lò Văn Bình", 1948, "Nam", "Bản Hon"],
        ["Cộng bản Hon", "", 1, "", ""],
        ["", "Trong đó: nữ", 1],  # a breakdown under the totals, not a member
        ["Tổng cộng", "", 2, "", ""],
    ]
    report = run_import("members", write_xlsx(tmp_path / "a.xlsx", rows), club=club, commit=True)
    assert report.ok, report.errors
    assert sorted(Member.objects.values_list("full_name", flat=True)) == ["Lò Thị Lan", "Lò Văn Bình"]


def test_a_board_seat_in_the_first_column_is_not_a_signers_title(club, tmp_path):
    rows = [
        ["Chức vụ", "Họ và tên", "Năm sinh", "Giới tính"],
        ["Chủ nhiệm", "Lò Thị Lan", 1950, "Nữ"],
        ["Thư ký", "Lò Văn Bình", 1948, "Nam"],
        ["", "Lò Văn An", 1947, "Nam"],
        ["THƯ KÝ", "", "CHỦ NHIỆM CLB"],
        ["Lò Văn Bình", "", "Lò Thị Lan"],
    ]
    report = run_import("members", write_xlsx(tmp_path / "a.xlsx", rows), club=club, commit=True)
    assert report.ok, report.errors
    assert report.new == 3
    assert dict(BoardMembership.objects.values_list("member__full_name", "role")) == {
        "Lò Thị Lan": BoardRole.CHAIR, "Lò Văn Bình": BoardRole.SECRETARY,
    }  # fmt: skip


def test_a_member_whose_surname_is_tong_is_not_a_totals_line(club, tmp_path):
    rows = [
        ["Họ và tên", "Năm sinh", "Giới tính"],
        ["Tống Thị Lan", 1950, "Nữ"],
        ["Tống Văn Bình", 1948, "Nam"],
    ]
    report = run_import("members", write_xlsx(tmp_path / "a.xlsx", rows), club=club, commit=True)
    assert report.ok, report.errors
    assert report.new == 2


def test_reimporting_the_same_file_changes_nothing(club, tmp_path):
    path = write_xlsx(tmp_path / "ds.xlsx", office_sheet_rows(), merges=header_merges())
    run_import("members", path, club=club, commit=True)
    history_rows = Member.history.count()
    again = run_import("members", path, club=club, commit=True)
    assert (again.new, again.updated, again.unchanged, again.invalid) == (0, 0, 5, 0)
    assert not again.committed
    assert Member.objects.count() == 5
    assert Member.history.count() == history_rows


def test_an_invalid_row_writes_nothing_and_each_error_names_row_and_column(club, tmp_path):
    data = office_member_rows()
    data[1][5] = "Giàu"  # household
    data[2][9] = "31/02/2018"  # join date
    path = write_xlsx(tmp_path / "ds.xlsx", office_sheet_rows(data), merges=header_merges())
    report = run_import("members", path, club=club, commit=True)
    assert not report.committed
    assert Member.objects.count() == 0 and Membership.objects.count() == 0
    assert report.invalid == 2
    by_row = {e.row: e for e in report.errors}
    assert by_row[9].column == "F (Hoàn cảnh)"
    assert "Giàu" in by_row[9].message
    assert by_row[10].column == "J (Ngày tham gia)"
    assert "không phải ngày có thật" in by_row[10].message


def test_duplicates_inside_the_file_are_reported_on_both_rows(club, tmp_path):
    data = office_member_rows()
    data[4] = [4, "Lường Thị Chơ", "", 1952, "Thái", "HN", "Nà Cóc", "", "", "", "", ""]  # row 1 again, no ID
    data[5][7] = "012345678901"  # Khiêm has Chơ's citizen ID
    path = write_xlsx(tmp_path / "ds.xlsx", office_sheet_rows(data), merges=header_merges())
    report = run_import("members", path, club=club, commit=True)
    assert not report.committed
    rows_with_errors = sorted({e.row for e in report.errors})
    assert rows_with_errors == [8, 12, 13]
    assert any("trùng với dòng 12" in e.message for e in report.errors if e.row == 8)
    assert any("trùng với dòng 8" in e.message for e in report.errors if e.row == 13)


def test_namesakes_with_their_own_citizen_ids_are_two_people(club, tmp_path):
    rows = [["Họ và tên", "Năm sinh", "Giới tính", "Số CCCD"],
            ["Vàng Thị Vân", 1953, "Nữ", "012345678911"], ["Vàng Thị Vân", 1953, "Nữ", "012345678912"]]  # fmt: skip
    report = run_import("members", write_xlsx(tmp_path / "a.xlsx", rows), club=club, commit=True)
    assert report.ok and report.new == 2


def test_rows_are_matched_to_existing_members_and_updates_keep_history(club, tmp_path):
    hoa = make_member(club, full_name="Nguyễn Thị Hoa", birth_year=1955, household=Household.NONE)
    by_id = make_member(club, full_name="Lò Thị Lan", birth_year=1942, citizen_id="083634014884")
    rows = [
        ["STT", "Họ tên", "Năm sinh", "Nam/Nữ", "Hoàn cảnh gia đình", "Số CCCD", "Chức vụ"],
        [1, "NGUYEN THI HOA", 1955, "nữ", "HN", "", "Thư ký"],  # matched by name without diacritics
        [2, "Lò Thị Lan (Bản Mè)", 1942, "Nữ", "", "083634014884", ""],  # matched by ID; name corrected
    ]
    report = run_import("members", write_xlsx(tmp_path / "a.xlsx", rows), club=club, commit=True)
    assert report.ok, report.errors
    assert (report.new, report.updated, report.unchanged) == (0, 2, 0)
    changes = {c.row: c for c in report.changes}
    assert ("Hoàn cảnh gia đình", "Không", "Hộ nghèo") in changes[2].fields
    assert ("Chức vụ", "—", "Thư ký") in changes[2].fields
    hoa.refresh_from_db()
    by_id.refresh_from_db()
    assert hoa.full_name == "NGUYEN THI HOA" and hoa.household == Household.POOR
    assert by_id.full_name == "Lò Thị Lan (Bản Mè)" and by_id.household == Household.NONE  # empty cell kept
    today = datetime.date.today()
    assert list(hoa.household_statuses.values_list("status", "valid_from", "valid_to")) == [
        (Household.POOR, today, None)
    ]
    assert BoardMembership.objects.get(member=hoa).role == BoardRole.SECRETARY


def test_a_citizen_id_held_in_another_club_is_an_error(club, other_club, tmp_path):
    make_member(other_club, full_name="Lò Thị Lan", citizen_id="083634014884")
    rows = [["Họ và tên", "Năm sinh", "Giới tính", "Số CCCD"], ["Lò Thị Lan", 1955, "Nữ", "083634014884"]]
    report = run_import("members", write_xlsx(tmp_path / "a.xlsx", rows), club=club, commit=True)
    assert not report.ok
    assert "CLB khác" in report.errors[0].message
    assert report.errors[0].column == "D (Số CCCD)"


@pytest.mark.parametrize(
    ("rows", "merges"),
    [
        ([["Họ và tên", "Năm sinh", "Nữ"], ["Lò Thị Lan", 1950, "x"], ["Lò Văn Bình", 1948, ""]], []),
        ([["Họ và tên", "Năm sinh", "Giới tính", ""], ["", "", "Nam", "Nữ"], ["Lò Thị Lan", 1950, "", "x"],
          ["Lò Văn Bình", 1948, "x", ""]], [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3)]),
    ],
    ids=["x under Nữ", "Giới tính over Nam | Nữ"],
)  # fmt: skip
def test_an_x_under_nu_gives_the_sex(club, tmp_path, rows, merges):
    report = run_import(
        "members", write_xlsx(tmp_path / "a.xlsx", rows, merges=merges), club=club, commit=True
    )
    assert report.ok, report.errors
    assert dict(Member.objects.values_list("full_name", "sex")) == {"Lò Thị Lan": "F", "Lò Văn Bình": "M"}


def test_a_club_code_column_spreads_members_over_clubs(club, other_club, tmp_path):
    rows = [["Họ và tên", "Năm sinh", "Giới tính", "Mã CLB"], ["Lò Thị Lan", 1950, "Nữ", club.code],
            ["Lò Văn Bình", 1948, "Nam", other_club.code.lower()], ["Lò Văn An", 1948, "Nam", "KHONG-CO"]]  # fmt: skip
    report = run_import("members", write_xlsx(tmp_path / "a.xlsx", rows), commit=True)
    assert [(e.row, e.column) for e in report.errors] == [(4, "D (Mã CLB)")]
    rows.pop()
    report = run_import("members", write_xlsx(tmp_path / "b.xlsx", rows), commit=True)
    assert report.ok
    assert dict(Member.objects.values_list("full_name", "club__code")) == {
        "Lò Thị Lan": club.code,
        "Lò Văn Bình": other_club.code,
    }


def test_a_sheet_without_a_header_is_refused_with_a_clear_message(club, tmp_path):
    rows = [*TITLE_ROWS, ["Cột 1", "Cột 2"], [1, 2]]
    report = run_import("members", write_xlsx(tmp_path / "a.xlsx", rows), club=club)
    assert "Không tìm thấy dòng tiêu đề" in report.refused
    assert "Họ và tên" in report.refused


def test_the_header_is_found_on_a_later_sheet_and_numbering_rows_are_skipped(club, tmp_path):
    rows = [HEADER_TOP, HEADER_BOTTOM, [f"({i})" for i in range(1, 13)], office_member_rows()[0]]
    report = run_import(
        "members", write_xlsx(tmp_path / "a.xlsx", rows, sheets_before=1), club=club, commit=True
    )
    assert report.ok, report.errors
    assert report.rows == 1 and Member.objects.get().full_name == "Lường Thị Chơ"


def test_a_village_merged_over_several_members_belongs_to_each(club, tmp_path):
    rows = [["Họ và tên", "Năm sinh", "Giới tính", "Thôn"], ["Lò Thị Lan", 1950, "Nữ", "Bản Mè"],
            ["Lò Văn Bình", 1948, "Nam", ""], ["Lò Văn An", 1947, "Nam", "Bản Hon"]]  # fmt: skip
    report = run_import(
        "members", write_xlsx(tmp_path / "a.xlsx", rows, merges=[(1, 3, 2, 3)]), club=club, commit=True
    )
    assert report.ok, report.errors
    assert dict(Member.objects.values_list("full_name", "village")) == {
        "Lò Thị Lan": "Bản Mè", "Lò Văn Bình": "Bản Mè", "Lò Văn An": "Bản Hon",
    }  # fmt: skip


def test_a_sheet_larger_than_one_batch_imports_and_reimports_on_either_database(club, tmp_path, monkeypatch):
    # The batches made small, so that 25 rows cross every boundary a 50,000-row sheet crosses: the
    # citizen ids looked up per query on SQLite (one array on PostgreSQL), the rows written per chunk,
    # and the rows per bulk_create on SQLite (per COPY on PostgreSQL).
    monkeypatch.setattr(import_members, "IDS_PER_QUERY", 4)
    monkeypatch.setattr(import_members, "BATCH", 6)
    monkeypatch.setattr(bulk, "BATCH", 5)
    count = 25
    rows = [["Họ và tên", "Năm sinh", "Giới tính", "Số CCCD", "Hoàn cảnh", "Ngày tham gia"]]
    rows += [
        [f"Người thứ {n}", 1940 + n, "Nữ" if n % 2 else "Nam", f"{n:012d}", "HN" if n % 3 == 0 else "Không",
         "01/03/2024"]
        for n in range(1, count + 1)
    ]  # fmt: skip
    report = run_import("members", write_csv(tmp_path / "ds.csv", rows), club=club, commit=True)
    assert report.committed and (report.new, report.invalid) == (count, 0)
    members = Member.objects.filter(club=club)
    assert sorted(members.values_list("citizen_id", flat=True)) == [f"{n:012d}" for n in range(1, count + 1)]
    assert Membership.objects.filter(club=club).count() == count
    assert Member.history.filter(history_type="+").count() == count
    poor = members.filter(household=Household.POOR)
    assert HouseholdStatus.objects.filter(member__in=poor).count() == poor.count() == count // 3
    # Everyone's name corrected: each is found by citizen id only (not by name), in every lookup.
    for row in rows[1:]:
        row[0] = row[0].replace("thứ", "số")
    rows[-1][4] = rows[1][4] = "HN"
    again = run_import("members", write_csv(tmp_path / "ds2.csv", rows), club=club, commit=True)
    assert (again.new, again.updated, again.invalid) == (0, count, 0)
    assert members.count() == count and not members.filter(full_name__contains="thứ").exists()
    assert set(members.filter(household=Household.POOR).values_list("birth_year", flat=True)) >= {1941, 1965}
    assert Member.history.filter(history_type="~").count() == count
