"""Sheets titled in English (a project partner's template, an export from another system) import
like Vietnamese ones: every column of every kind has an English header."""

import datetime

import pytest

from clubs.models import Club
from funds.models import FundEntry, Loan
from members.models import Household, Member, Sex
from sheets.columns import COLUMNS, SEX_SPLIT, header_key, header_lookup
from sheets.engine import run_import
from tests.conftest import make_member
from tests.funds.conftest import contribute, income
from tests.sheets.builders import write_csv, write_xlsx

pytestmark = pytest.mark.django_db
D = datetime.date

ENGLISH = {
    "clubs": {
        "club_code": "Club code", "name": "Club name", "province": "Province", "commune": "Commune",
        "legacy_commune": "Old commune", "legacy_district": "Old district", "villages": "Villages",
        "decision_number": "Decision number", "decision_date": "Decision date", "launched_on": "Launched on",
    },
    "members": {
        "row_number": "No.", "full_name": "Full name", "birth_year": "Year of birth", "birth_date": "Date of birth",
        "sex": "Sex", "ethnicity": "Ethnicity", "household": "Household", "village": "Village",
        "citizen_id": "Citizen ID", "phone": "Phone", "joined_on": "Joined on", "board_role": "Board role",
        "is_volunteer": "Volunteer", "has_health_insurance": "Health insurance", "club_code": "Club code",
    },
    "loans": {
        "club_code": "Club code", "full_name": "Full name", "birth_year": "Year of birth", "citizen_id": "Citizen ID",
        "disbursed_on": "Loan date", "principal": "Principal", "term_months": "Term (months)",
        "interest_rate": "Interest rate", "purpose": "Purpose", "outstanding": "Outstanding",
    },
    "contributions": {
        "club_code": "Club code", "fund": "Fund", "entry_date": "Date", "amount": "Amount", "source": "Source",
        "note": "Note", "entry_kind": "Entry kind", "entry_id": "Entry number",
    },
}  # fmt: skip


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_every_column_has_an_english_header(kind):
    lookup = header_lookup(COLUMNS[kind])
    assert {c.key for c in COLUMNS[kind]} == set(ENGLISH[kind])
    assert {key: lookup.get(header_key(english)) for key, english in ENGLISH[kind].items()} == {
        key: key for key in ENGLISH[kind]
    }


def _headers(kind, *keys):
    return [ENGLISH[kind][key] for key in keys]


def test_clubs_with_english_headers(tmp_path, tan_uyen):
    rows = [
        _headers("clubs", *ENGLISH["clubs"]),
        ["LCH-TU-09", "CLB bản Nà Cóc", "Lai Châu", "Tân Uyên", "", "", "Bản Nà Cóc", "25/QĐ-UBND", "10/03/2018",
         "15/03/2018"],
        ["LCH-TU-10", "CLB bản Thẳm", "Lai Châu", "", "Xã Phúc Khoa", "Huyện Tân Uyên", "", "", "2019", ""],
    ]  # fmt: skip
    report = run_import("clubs", write_xlsx(tmp_path / "clubs.xlsx", rows), commit=True)
    assert report.ok, report.errors
    first = Club.objects.get(code="LCH-TU-09")
    assert (first.name, first.commune, first.decision_number, first.launched_on) == (
        "CLB bản Nà Cóc", tan_uyen, "25/QĐ-UBND", D(2018, 3, 15),
    )  # fmt: skip
    assert Club.objects.get(code="LCH-TU-10").legacy_commune.name == "Xã Phúc Khoa"


def test_members_with_english_headers(club, tmp_path):
    rows = [
        ["CLUB MEMBERS — NA COC"],
        [],
        _headers("members", *ENGLISH["members"]),
        [1, "Lường Thị Chơ", 1952, "", "Nữ", "Thái", "HN", "Nà Cóc", "012345678901", "0912345678", "19/05/2018",
         "Chủ nhiệm", "x", "x", club.code],
        [2, "Giàng A Páo", "", "03/02/1949", "Nam", "Mông", "CN", "Nà Bó", "", "", "27/03/2018", "", "", "",
         club.code],
    ]  # fmt: skip
    report = run_import("members", write_csv(tmp_path / "members.csv", rows), commit=True)
    assert report.ok, report.errors
    assert (report.new, report.notices) == (2, [])  # no column left unread
    cho = Member.objects.get(full_name="Lường Thị Chơ")
    assert (cho.birth_year, cho.sex, cho.household, cho.village, cho.citizen_id, cho.phone) == (
        1952, Sex.FEMALE, Household.POOR, "Nà Cóc", "012345678901", "0912345678",
    )  # fmt: skip
    assert (cho.joined_on, cho.is_volunteer, cho.has_health_insurance) == (D(2018, 5, 19), True, True)
    assert cho.board_seats.get().role == "chair"
    pao = Member.objects.get(full_name="Giàng A Páo")
    assert (pao.birth_date, pao.birth_year, pao.household) == (D(1949, 2, 3), 1949, Household.NEAR_POOR)


def test_members_with_the_year_of_birth_over_male_and_female(club, tmp_path):
    rows = [
        ["No.", "Full name", "Year of birth", ""],
        ["", "", "Male", "Female"],
        [1, "Lò Thị Lan", "", 1950],
        [2, "Lò Văn Bình", 1948, ""],
    ]
    merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3)]
    report = run_import(
        "members", write_xlsx(tmp_path / "a.xlsx", rows, merges=merges), club=club, commit=True
    )
    assert report.ok, report.errors
    assert dict(Member.objects.values_list("full_name", "sex")) == {"Lò Thị Lan": "F", "Lò Văn Bình": "M"}
    assert set(SEX_SPLIT.values()) >= {"birth_year_male", "birth_year_female"}


def test_loans_with_english_headers(club, tmp_path):
    make_member(club, full_name="Lường Thị Chơ", birth_year=1952)
    contribute(income(club), 100_000_000, datetime.date(2020, 1, 1))  # the fund's capital first
    rows = [
        _headers("loans", *ENGLISH["loans"]),
        [club.code, "Lường Thị Chơ", 1952, "", "01/06/2025", "5.000.000", 12, "0,5%/tháng", "Chăn nuôi",
         "3.000.000"],
    ]  # fmt: skip
    report = run_import("loans", write_xlsx(tmp_path / "loans.xlsx", rows), commit=True)
    assert report.ok, report.errors
    assert report.notices == []
    loan = Loan.objects.get()
    assert (loan.principal, loan.opening_repaid, loan.term_months) == (5_000_000, 2_000_000, 12)


def test_contributions_with_english_headers(club, tmp_path):
    rows = [
        _headers("contributions", "club_code", "fund", "entry_date", "amount", "source", "note"),
        [club.code, "Quỹ tăng thu nhập", "15/03/2018", "100.000.000", "Tỉnh hỗ trợ", "Vốn ban đầu"],
    ]
    report = run_import("contributions", write_xlsx(tmp_path / "funds.xlsx", rows), commit=True)
    assert report.ok, report.errors
    entry = FundEntry.objects.get()
    assert (entry.amount, entry.note, entry.entry_date) == (100_000_000, "Vốn ban đầu", D(2018, 3, 15))
