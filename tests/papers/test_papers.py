"""The papers to print, read back from the PDF with pdfplumber: the club's member list (official
header), the blank attendance and collection sheet for next month with each borrower's due
repayment, the member's loan card with its schedule and payments. And who may print them."""

import datetime
import io

import pdfplumber
import pytest
from django.urls import reverse
from django.utils import timezone

from funds.models import EntryKind, FundKind, RatePeriod, RepaymentPlan
from funds.services import fund_entry_add, loan_disburse, loan_repay
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        assert pdf.pages[0].width < pdf.pages[0].height  # A4 portrait
        return "\n".join(page.extract_text() for page in pdf.pages)


@pytest.fixture
def people(club):
    return [
        make_member(club, full_name="Nguyễn Thị An", phone="0912345678", household="poor"),
        make_member(club, full_name="Lò Thị Bình", birth_year=1948),
        make_member(club, full_name="Vàng A Chá", sex="M", birth_year=1990),
    ]


@pytest.fixture
def loan(club, people):
    fund = club.funds.get(kind=FundKind.INCOME)
    fund_entry_add(
        fund=fund,
        kind=EntryKind.CONTRIBUTION,
        amount=20_000_000,
        entry_date=datetime.date(2024, 3, 1),
        source="state",
        recorded_by=None,
    )
    today = timezone.localdate()
    loan = loan_disburse(
        fund=fund,
        member=people[2],
        disbursed_on=today - datetime.timedelta(days=75),
        principal=6_000_000,
        purpose="livestock",
        term_months=6,
        interest_rate=0,
        rate_period=RatePeriod.MONTH,
        plan=RepaymentPlan.EQUAL_MONTHLY,
        recorded_by=None,
    )
    loan_repay(
        loan=loan,
        paid_on=today - datetime.timedelta(days=40),
        principal=1_000_000,
        interest=0,
        recorded_by=None,
    )
    return loan


def test_the_member_list_is_an_official_paper(client_for, staff, club, people):
    text = _text(client_for(staff).get(reverse("clubs:club-members-pdf", args=[club.pk])))
    assert "HỘI NGƯỜI CAO TUỔI XÃ TÂN UYÊN" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "DANH SÁCH THÀNH VIÊN" in text
    assert f"ngày {timezone.localdate():%d} tháng {timezone.localdate():%m}" in text
    for line in ("1 Lò Thị Bình 1948 Nữ", "2 Nguyễn Thị An 1955 Nữ", "3 Vàng A Chá 1990 Nam"):
        assert line in text
    assert "0912345678" in text and "Hộ nghèo" in text
    assert "Tổng số 3 thành viên, trong đó 2 nữ" in text


def test_the_meeting_sheet_has_every_member_and_each_borrowers_due_repayment(
    client_for, staff, club, people, loan
):
    text = _text(client_for(staff).get(reverse("life:meeting-sheet-pdf", args=[club.pk])))
    month = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    assert f"BUỔI SINH HOẠT THÁNG {month:%m/%Y}" in text
    assert "SỔ ĐIỂM DANH, ĐO SỨC KHỎE" in text and "BẢNG THU NỢ QUỸ TĂNG THU NHẬP" in text
    for name in ("1 Lò Thị Bình 1948", "2 Nguyễn Thị An 1955", "3 Vàng A Chá 1990"):
        assert name in text
    # Disbursed 75 days ago, 1,000,000 a month: by the end of next month 4 or 5 instalments are due,
    # 1,000,000 of them paid; the sheet shows the rest of what is due.
    due_by = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    due_count = sum(1 for i in loan.instalments.all() if i.due_on <= due_by)
    due = f"{(due_count - 1) * 1_000_000:,}".replace(",", ".") + " đ"
    assert f"1 Vàng A Chá {loan.disbursed_on:%d/%m/%Y} 5.000.000 đ {due} 0 đ" in text


def test_the_loan_card_has_the_schedule_and_payments(client_for, staff, loan):
    text = _text(client_for(staff).get(reverse("funds:loan-card-pdf", args=[loan.pk])))
    assert "THẺ VAY VỐN" in text and "Người vay: Vàng A Chá (1990)" in text
    assert "Số tiền vay: 6.000.000 đ" in text
    schedule = list(loan.instalments.order_by("number"))
    assert len(schedule) == 6
    for instalment in schedule:
        assert f"{instalment.number} {instalment.due_on:%d/%m/%Y} 1.000.000 đ 0 đ 1.000.000 đ" in text
    paid_on = timezone.localdate() - datetime.timedelta(days=40)
    assert f"{paid_on:%d/%m/%Y} 1.000.000 đ 0 đ" in text
    assert "Dư nợ đến ngày" in text and "5.000.000 đ" in text


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("staff", 200),
        ("lai_chau_officer", 200),
        ("admin_user", 200),
        ("other_staff", 404),
        ("thanh_hoa_officer", 404),
    ],
)
def test_who_may_print(request, client_for, club, loan, user, status):
    client = client_for(request.getfixturevalue(user))
    for url in (
        reverse("clubs:club-members-pdf", args=[club.pk]),
        reverse("life:meeting-sheet-pdf", args=[club.pk]),
        reverse("funds:loan-card-pdf", args=[loan.pk]),
    ):
        assert client.get(url).status_code == status, url
    assert client_for(None).get(reverse("funds:loan-card-pdf", args=[loan.pk])).status_code == 302
