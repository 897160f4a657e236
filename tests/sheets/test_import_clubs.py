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


# A real-shaped Quảng Ngãi club list (issue 14): names that differ only by diacritics live in the same
# province, and commune names begin with syllables that look like unit types once diacritics go.
BA_TO, BA_TO_CIRCUMFLEX, SON_HA, SON_HA_DOT = 21484, 21523, 21289, 21292
TRUONG_QUANG_TRONG = 21172  # the current ward Xã Tịnh Ấn Tây went into


def _club(code, province, commune, legacy="", district=""):
    return [code, f"CLB {code}", province, commune, legacy, district, "", "", "1/1/2019", ""]


def test_names_that_differ_only_by_diacritics_resolve_when_written_exactly(tmp_path):
    report = _import(
        tmp_path,
        [
            _club("QNG-BT-01", "Tỉnh Quảng Ngãi", "Xã Ba Tơ"),
            _club("QNG-BT-02", "Quảng Ngãi", "Xã Ba Tô"),
            _club("QNG-SH-01", "Quảng Ngãi", "Xã Sơn Hà"),
            _club("QNG-SH-02", "quảng ngãi", "Sơn Hạ"),
        ],
    )
    assert report.ok, report.errors
    communes = dict(Club.objects.filter(code__startswith="QNG-").values_list("code", "commune__code"))
    assert communes == {
        "QNG-BT-01": BA_TO,
        "QNG-BT-02": BA_TO_CIRCUMFLEX,
        "QNG-SH-01": SON_HA,
        "QNG-SH-02": SON_HA_DOT,
    }


def test_a_name_without_diacritics_that_fits_several_units_lists_them_and_writes_nothing(tmp_path):
    report = _import(
        tmp_path, [_club("QNG-BT-03", "Quang Ngai", "Xa Ba To"), _club("QNG-SH-03", "Quảng Ngãi", "Son Ha")]
    )
    assert not report.ok and Club.objects.filter(code__startswith="QNG-").count() == 0
    messages = {e.row: e.message for e in report.errors}
    assert "nhiều đơn vị tên “Xa Ba To”" in messages[5]
    assert "Xã Ba Tô (Quảng Ngãi)" in messages[5] and "Xã Ba Tơ (Quảng Ngãi)" in messages[5]
    assert "Xã Sơn Hà (Quảng Ngãi)" in messages[6] and "Xã Sơn Hạ (Quảng Ngãi)" in messages[6]


@pytest.mark.parametrize(
    ("legacy", "district"),
    [
        ("Tịnh Ấn Tây", "thành phố Quảng Ngãi"),
        ("Xã Tịnh Ấn Tây", "TP. Quảng Ngãi"),
        ("xã tịnh ấn tây", "Quảng Ngãi"),
        ("Tinh An Tay", "TP Quang Ngai"),
    ],
)
def test_a_legacy_commune_whose_name_begins_like_a_unit_type_is_found(tmp_path, legacy, district):
    report = _import(tmp_path, [_club("QNG-TAT-01", "Quảng Ngãi", "", legacy, district)])
    assert report.ok, report.errors
    club = Club.objects.get(code="QNG-TAT-01")
    assert (club.legacy_commune.name, club.legacy_commune.district.name) == (
        "Xã Tịnh Ấn Tây",
        "Thành phố Quảng Ngãi",
    )
    assert club.commune.code == TRUONG_QUANG_TRONG
    assert club.legacy_address == "Xã Tịnh Ấn Tây, Thành phố Quảng Ngãi"


def test_a_legacy_commune_not_in_the_district_written_is_not_found(tmp_path):
    report = _import(tmp_path, [_club("QNG-TAT-02", "Quảng Ngãi", "", "Tịnh Ấn Tây", "Huyện Sơn Tịnh")])
    assert not report.ok and not Club.objects.filter(code="QNG-TAT-02").exists()
    assert "Không tìm thấy xã/phường cũ “Tịnh Ấn Tây, Huyện Sơn Tịnh”" in report.errors[0].message
