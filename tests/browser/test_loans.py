"""Lending in the browser: disburse a loan from the club's fund, then record a repayment.

Amounts are typed the way people write them: "1,5 triệu", "500.000".
"""

import datetime

import pytest
from django.urls import reverse

from funds.models import EntryKind, FundKind, Loan
from funds.services import fund_entry_add
from tests.browser.conftest import check_page, log_in
from tests.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date


def test_staff_disburse_a_loan_and_record_a_repayment(page, staff, club):
    borrower = make_member(club, full_name="Vàng A Chá", sex="M")
    fund_entry_add(
        fund=club.funds.get(kind=FundKind.INCOME),
        kind=EntryKind.CONTRIBUTION,
        amount=20_000_000,
        entry_date=D(2024, 3, 1),
        source="state",
        recorded_by=None,
    )
    log_in(page, staff.username, PASSWORD)
    page.goto(f"{page.base_url}{reverse('funds:club-loans', args=[club.pk])}")
    check_page(page, "club-loans")
    page.get_by_role("link", name="Giải ngân").click()
    check_page(page, "loan-disburse-form")
    page.get_by_label("Người vay").select_option(label=str(borrower))
    page.get_by_label("Ngày giải ngân").fill("2025-01-10")
    page.get_by_label("Số tiền vay").fill("1,5 triệu")
    page.get_by_label("Thời hạn (tháng)").fill("6")
    page.get_by_label("Lãi suất (%)").fill("1")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã giải ngân khoản vay").wait_for()
    loan = Loan.objects.get()
    assert (loan.member, loan.principal, loan.disbursed_on, loan.term_months) == (
        borrower,
        1_500_000,
        D(2025, 1, 10),
        6,
    )
    check_page(page, "loan")

    page.get_by_role("link", name="Ghi trả nợ").click()
    check_page(page, "loan-repayment-form")
    page.get_by_label("Ngày trả").fill("2025-02-10")
    page.get_by_label("Tiền gốc").fill("500.000")
    page.get_by_label("Tiền lãi").fill("15.000")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã ghi lần trả nợ").wait_for()
    repayment = loan.repayments.get()
    assert (repayment.paid_on, repayment.principal, repayment.interest) == (D(2025, 2, 10), 500_000, 15_000)
    assert page.locator("dd strong").inner_text() == "1.000.000 đ"  # what is still owed

    page.goto(f"{page.base_url}{reverse('funds:loan-list')}")
    assert page.get_by_role("link", name="Vàng A Chá").is_visible()
    check_page(page, "loan-list")
