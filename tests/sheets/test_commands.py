from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clubs.models import Club
from members.models import Member, Membership
from tests.sheets.builders import header_merges, office_member_rows, office_sheet_rows, write_xlsx

pytestmark = pytest.mark.django_db


def _run(*args):
    from io import StringIO

    out = StringIO()
    try:
        call_command(*args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_import_members_with_a_club_for_the_whole_sheet(club, tmp_path):
    path = write_xlsx(tmp_path / "ds.xlsx", office_sheet_rows(), merges=header_merges())
    code, output = _run("import_members", str(path), "--club", club.code, "--dry-run")
    assert code == 0 and "Thêm mới: 5" in output and "Chạy thử" in output
    assert Member.objects.count() == 0
    code, output = _run("import_members", str(path), "--club", club.code.lower())
    assert code == 0 and "Đã ghi" in output
    assert Member.objects.filter(club=club).count() == 5
    code, output = _run("import_members", str(path), "--club", club.code)
    assert code == 0 and "Không đổi: 5" in output


def test_import_members_writes_the_lai_chau_sample_on_either_database(club):
    # On the embedded SQLite default this once crashed: HistoricalMember() got unexpected keyword
    # arguments: 'search_key'. `make test` runs it on both databases.
    sample = Path(__file__).parent / "fixtures" / "lai-chau-huoi-luong-members.xlsx"
    code, output = _run("import_members", str(sample), "--club", club.code)
    assert code == 0 and "Thêm mới: 52" in output and "Đã ghi" in output, output
    members = Member.objects.filter(club=club)
    assert members.count() == 52
    assert Membership.objects.filter(member__in=members).count() == 52
    assert Member.history.filter(club_id=club.pk, history_type="+").count() == 52
    code, output = _run("import_members", str(sample), "--club", club.code)
    assert code == 0 and "Không đổi: 52" in output and members.count() == 52


def test_an_invalid_row_exits_1_and_prints_row_and_column(club, tmp_path):
    data = office_member_rows()
    data[0][5] = "Giàu"
    path = write_xlsx(tmp_path / "ds.xlsx", office_sheet_rows(data), merges=header_merges())
    code, output = _run("import_members", str(path), "--club", club.code)
    assert code == 1
    assert "Dòng 8, cột F (Hoàn cảnh): “Giàu” không phải hoàn cảnh gia đình hợp lệ" in output
    assert Member.objects.count() == 0


def test_every_import_command_and_its_exit_codes(club, tmp_path):
    clubs = write_xlsx(tmp_path / "clb.xlsx", [["Mã CLB", "Tên CLB", "Tỉnh", "Xã/Phường", "Ngày quyết định"],
                                               ["LCH-TU-09", "CLB bản Hon", "Lai Châu", "Tân Uyên", "01/02/2020"]])  # fmt: skip
    assert _run("import_clubs", str(clubs))[0] == 0
    assert Club.objects.filter(code="LCH-TU-09").exists()
    bad_loans = write_xlsx(tmp_path / "vay.xlsx", [["Mã CLB", "Họ và tên", "Năm sinh", "Ngày vay", "Số tiền vay", "Thời hạn (tháng)"],
                                                   ["LCH-TU-09", "Ai Đó", 1950, "01/02/2024", "5 triệu", 12]])  # fmt: skip
    assert _run("import_loans", str(bad_loans), "--dry-run")[0] == 1
    contributions = write_xlsx(tmp_path / "gop.xlsx", [["Mã CLB", "Quỹ", "Ngày", "Số tiền", "Nguồn"],
                                                       ["LCH-TU-09", "Quỹ hoạt động", "01/03/2020", "500.000", "Thành viên"]])  # fmt: skip
    assert _run("import_contributions", str(contributions))[0] == 0
    code, output = _run("import_contributions", str(tmp_path / "khong-co.xlsx"))
    assert code == 1 and "Không có tệp" in output
    refused = tmp_path / "hong.xlsx"
    refused.write_bytes(b"PK\x03\x04rubbish")
    code, output = _run("import_clubs", str(refused))
    assert code == 1 and "Không đọc được tệp" in output


@pytest.mark.parametrize(
    ("command", "header"),
    [("import_members", ["STT", "Họ và tên", "Năm sinh", "Giới tính"]),
     ("import_contributions", ["Mã CLB", "Quỹ", "Ngày", "Số tiền", "Nguồn", "Ghi chú"])],
)  # fmt: skip
def test_a_file_with_only_headers_exits_1(club, tmp_path, command, header):
    title = [["DANH SÁCH"], []]
    path = write_xlsx(tmp_path / "trong.xlsx", [*title, header, [], ["", "Tổng cộng"], ["", "Người lập"]])
    code, output = _run(command, str(path), *(["--club", club.code] if command == "import_members" else []))
    assert code == 1
    assert (
        "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề (dòng 3, trang “DS thanh vien”): không có gì để nhập. "
        "Hãy điền danh sách dưới dòng tiêu đề rồi tải lên lại."
    ) in output
    assert output.rstrip().endswith("Không nhập được tệp này: không ghi gì.")
