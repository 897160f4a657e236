import datetime

import pytest

from clubs.models import Club
from funds.models import Fund
from places.models import Commune
from sheets.engine import run_import
from tests.sheets.builders import write_xlsx

pytestmark = pytest.mark.django_db
D = datetime.date
HEADER = ["Mã CLB", "Tên CLB", "Tỉnh", "Xã/Phường", "Xã/Phường cũ", "Huyện cũ", "Thôn/Tổ dân phố",
          "Số quyết định", "Ngày quyết định", "Ngày ra mắt"]  # fmt: skip


def _import(tmp_path, rows, **kwargs):
    title = [["HỘI NGƯỜI CAO TUỔI TỈNH"], ["DANH SÁCH CÂU LẠC BỘ LTHTGN"], []]
    return run_import(
        "clubs", write_xlsx(tmp_path / "clb.xlsx", [*title, HEADER, *rows]), commit=True, **kwargs
    )


def test_clubs_are_created_with_their_two_funds(tmp_path, tan_uyen):
    report = _import(
        tmp_path,
        [
            [
                "lch-tu-05",
                "CLB bản Nà Cóc",
                "Lai Châu",
                "Tân Uyên",
                "",
                "",
                "Bản Nà Cóc",
                "25/QĐ-UBND",
                "10/3/2018",
                "",
            ],
            ["LCH-TU-06", "CLB bản Mè", "Tỉnh Lai Châu", "Xã Tân Uyên", "", "", "", "", "2019", "15/04/2019"],
        ],
    )
    assert report.ok, report.errors
    assert report.new == 2
    first = Club.objects.get(code="LCH-TU-05")
    assert (first.commune, first.province_id, first.launched_on) == (tan_uyen, tan_uyen.province_id, None)
    assert first.decision_date == D(2018, 3, 10) and first.villages == "Bản Nà Cóc"
    assert Club.objects.get(code="LCH-TU-06").launched_on == D(2019, 4, 15)
    assert Fund.objects.filter(club__code__in=["LCH-TU-05", "LCH-TU-06"]).count() == 4
    assert _import(tmp_path, [["LCH-TU-05", "CLB bản Nà Cóc", "Lai Châu", "Tân Uyên", "", "", "Bản Nà Cóc",
                               "25/QĐ-UBND", "10/03/2018", ""]]).unchanged == 1  # fmt: skip


def test_a_legacy_address_maps_to_the_current_commune(tmp_path, tan_uyen):
    report = _import(
        tmp_path,
        [
            [
                "LCH-TU-07",
                "CLB bản Thẳm",
                "Lai Châu",
                "",
                "xã Trung Đồng",
                "huyện Tân Uyên",
                "",
                "",
                "1/1/2019",
                "",
            ]
        ],
    )
    assert report.ok, report.errors
    club = Club.objects.get(code="LCH-TU-07")
    assert club.commune == tan_uyen
    assert club.legacy_commune.name == "Xã Trung Đồng"
    assert club.legacy_address == "Xã Trung Đồng, Huyện Tân Uyên"


def test_a_split_legacy_commune_asks_for_the_current_commune_and_lists_the_candidates(tmp_path, thanh_hoa):
    row = [
        "THA-QS-01",
        "CLB khu Sơn Lư",
        "Thanh Hóa",
        "",
        "Thị trấn Sơn Lư",
        "Huyện Quan Sơn",
        "",
        "",
        "1/1/2019",
        "",
    ]
    report = _import(tmp_path, [row])
    assert not report.ok and Club.objects.filter(code="THA-QS-01").count() == 0
    error = report.errors[0]
    assert error.row == 5 and error.column == "D (Xã/Phường)"
    assert "chia vào nhiều xã/phường mới" in error.message
    assert "Xã Quan Sơn" in error.message and "Xã Tam Lư" in error.message
    row[3] = "Xã Tam Lư"
    report = _import(tmp_path, [row])
    assert report.ok, report.errors
    assert Club.objects.get(code="THA-QS-01").commune == Commune.objects.get(code=15019)
    row[0], row[3] = "THA-QS-02", "Phường Hạc Thành"  # not one of the communes Sơn Lư went into
    assert "không phải nơi" in _import(tmp_path, [row]).errors[0].message


def test_a_legacy_name_found_in_two_districts_needs_the_district(tmp_path):
    report = _import(
        tmp_path, [["QNG-01", "CLB", "Quảng Ngãi", "", "Phường Nguyễn Nghiêm", "", "", "", "2019", ""]]
    )
    assert "Huyện cũ" in report.errors[0].message


def test_club_errors_name_the_row_and_the_column(tmp_path):
    report = _import(
        tmp_path,
        [
            ["LCH-1", "CLB A", "Lai Châu", "Xã Không Có", "", "", "", "", "1/1/2019", ""],
            ["LCH-2", "CLB B", "Lai Châu", "Tân Uyên", "", "", "", "", "1/1/2019", "1/1/2018"],
            ["LCH-1", "CLB C", "Lai Châu", "Tân Uyên", "", "", "", "", "1/1/2019", ""],
        ],
    )
    assert not report.ok and Club.objects.count() == 0
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "không có xã/phường" in messages[(5, "D (Xã/Phường)")]
    assert "Ngày ra mắt không được trước" in messages[(6, "J (Ngày ra mắt)")]
    assert "trùng với dòng 7" in messages[(5, "")]
