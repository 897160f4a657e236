import csv
import datetime
import io

import pytest
from django.utils import timezone

from funds.models import EntryKind, Fund, FundEntry, FundKind, Loan, Purpose, RepaymentPlan, Source
from funds.selectors import loans_with_position
from funds.services import loan_write_off
from members.models import Household, Member
from sheets.engine import run_import
from tests.conftest import make_member
from tests.funds.conftest import contribute, income, lend, repay

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def register(club, other_club, admin_user):
    """A small register with values that must survive an export and a re-import."""
    cho = make_member(club, full_name="Lường Thị Chơ", birth_year=1952, citizen_id="012345678901",
                      phone="+84912345678", household=Household.POOR, village="Bản Nà Cóc",
                      is_volunteer=True)  # fmt: skip
    make_member(
        club, full_name="Giàng A Páo", birth_year=1949, sex="M", birth_date=D(1949, 2, 3), ethnicity=8
    )
    binh = make_member(other_club, full_name="Lò Văn Bình", birth_year=1948, sex="M", village="Bản Mè")
    other_fund = Fund.objects.get(club=other_club, kind=FundKind.INCOME)
    Loan.objects.create(
        fund=other_fund, member=binh, disbursed_on=D(2025, 5, 1), principal=3_000_000, purpose=Purpose.TRADE,
        term_months=6, plan=RepaymentPlan.AT_END,
    )  # fmt: skip
    FundEntry.objects.create(fund=other_fund, entry_date=D(2019, 2, 1), kind=EntryKind.CONTRIBUTION,
                             amount=20_000_000, direction=1, source=Source.DONOR_ORG)  # fmt: skip
    fund = Fund.objects.get(club=club, kind=FundKind.INCOME)
    Loan.objects.create(
        fund=fund, member=cho, disbursed_on=D(2025, 6, 1), principal=5_000_000, purpose=Purpose.LIVESTOCK,
        purpose_text="mua lợn giống", term_months=12, plan=RepaymentPlan.AT_END, opening_repaid=1_000_000,
    )  # fmt: skip
    FundEntry.objects.create(fund=fund, entry_date=D(2018, 3, 15), kind=EntryKind.CONTRIBUTION, amount=100_000_000,
                             direction=1, source=Source.STATE, note="- Vốn ban đầu, tỉnh hỗ trợ")  # fmt: skip
    FundEntry.objects.create(
        fund=fund, entry_date=D(2019, 1, 5), kind=EntryKind.INTEREST, amount=250_000, direction=1
    )
    for _twice in range(
        2
    ):  # two members paid 50.000 đ at the same meeting: two entries alike in every column
        FundEntry.objects.create(fund=fund, entry_date=D(2019, 3, 2), kind=EntryKind.CONTRIBUTION, amount=50_000,
                                 direction=1, source=Source.MEMBERS)  # fmt: skip
    return cho


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(("kind", "import_kind"), [("clubs", "clubs"), ("members", "members"), ("loans", "loans"),
                                                     ("ledger", "contributions")])  # fmt: skip
def test_an_export_imported_again_changes_nothing(
    client_for, admin_user, register, tmp_path, fmt, kind, import_kind
):
    content = _download(client_for(admin_user), f"/sheets/export/{kind}/?format={fmt}")
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(content)
    before = (Member.objects.count(), Loan.objects.count(), FundEntry.objects.count())
    report = run_import(import_kind, path, commit=True)
    assert report.ok, report.errors
    assert report.new == 0 and report.updated == 0, report.changes
    assert report.unchanged > 0
    assert (Member.objects.count(), Loan.objects.count(), FundEntry.objects.count()) == before


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize("kind", ["clubs", "members", "loans", "ledger"])
def test_every_export_holds_only_the_users_area(
    client_for, staff, lai_chau_officer, thanh_hoa_officer, register, club, other_club, kind
):
    def club_codes(user):
        header, *rows = _csv_rows(_download(client_for(user), f"/sheets/export/{kind}/?format=csv"))
        return {row[header.index("Mã CLB")] for row in rows}

    assert club_codes(staff) == {club.code}  # other_club is in another commune
    assert club_codes(lai_chau_officer) == {club.code, other_club.code}
    assert club_codes(thanh_hoa_officer) == set()




def test_exports_hold_only_the_users_area(client_for, staff, lai_chau_officer, thanh_hoa_officer, register):
    text = _download(client_for(staff), "/sheets/export/members/?format=csv").decode("utf-8-sig")
    assert "Lường Thị Chơ" in text and "Lò Văn Bình" not in text  # other_club is in another commune
    assert "012345678901" in text  # commune staff edit the register: they get citizen IDs
    officer = _download(client_for(lai_chau_officer), "/sheets/export/members/?format=csv").decode(
        "utf-8-sig"
    )
    assert "Lò Văn Bình" in officer and "Số CCCD" not in officer and "012345678901" not in officer
    outsider = _download(client_for(thanh_hoa_officer), "/sheets/export/members/?format=csv").decode(
        "utf-8-sig"
    )
    assert outsider.splitlines()[1:] == []


def test_an_export_runs_a_bounded_number_of_queries(
    client_for, admin_user, club, django_assert_max_num_queries
):
    for n in range(30):
        make_member(club, full_name=f"Thành Viên {n}", birth_year=1950)
    client = client_for(admin_user)
    with django_assert_max_num_queries(8):
        _download(client, "/sheets/export/members/")


def test_the_loans_export_lists_what_each_open_loan_owes_today_in_a_bounded_number_of_queries(
    client_for, admin_user, club, staff, django_assert_max_num_queries
):
    """`Dư nợ` is each open loan's principal still owed, as the loan's page shows it
    (loans_with_position); repaid and written-off loans are left out. Read from the running totals in
    one query, however many loans."""
    fund = income(club)
    contribute(fund, 100_000_000, D(2025, 1, 5))
    people = [make_member(club, full_name=f"Người Vay {n}", birth_year=1950 + n) for n in range(6)]
    part = lend(fund, people[0], 6_000_000, D(2025, 2, 1), term=6)
    repay(part, D(2025, 3, 1), 1_500_000)
    repay(part, D(2025, 4, 1), 500_000)
    repaid = lend(fund, people[1], 3_000_000, D(2025, 3, 15), term=3)
    repay(repaid, D(2025, 4, 1), 3_000_000)
    lend(fund, people[2], 2_000_000, D(2025, 4, 1), term=6, opening_repaid=500_000)
    lost = lend(fund, people[3], 1_000_000, D(2025, 4, 2), term=6)
    loan_write_off(
        loan=lost, written_off_on=D(2025, 8, 1), reason="Lũ cuốn", approved_by="Ban CN", recorded_by=staff
    )
    client = client_for(admin_user)

    def owed_in_export() -> dict[str, int]:
        header, *rows = _csv_rows(_download(client, "/sheets/export/loans/?format=csv"))
        name, owed = header.index("Họ và tên"), header.index("Dư nợ")
        return {row[name]: int(row[owed].replace(".", "")) for row in rows}

    on_pages = {
        loan.member.full_name: loan.outstanding
        for loan in loans_with_position(Loan.objects.select_related("member"), timezone.localdate())
        if loan.outstanding > 0
    }
    assert owed_in_export() == on_pages == {"Người Vay 0": 4_000_000, "Người Vay 2": 1_500_000}
    with django_assert_max_num_queries(8) as few:
        owed_in_export()
    lend(fund, people[4], 1_000_000, D(2025, 5, 1), term=6)
    lend(fund, people[5], 1_000_000, D(2025, 5, 2), term=6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(owed_in_export()) == 4
