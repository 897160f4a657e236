"""Repayment schedules of each plan, computed by hand."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funds.models import RatePeriod, RepaymentPlan
from funds.schedule import add_months, months_between, schedule_build

D = datetime.date


def rows(schedule):
    return [
        (i.number, i.due_on, i.principal_due, i.interest_due, i.principal_due_cumulative) for i in schedule
    ]


def test_equal_monthly_principal_with_interest_on_the_declining_balance():
    schedule = schedule_build(
        principal=5_000_000,
        disbursed_on=D(2024, 1, 15),
        term_months=12,
        interest_rate=Decimal("0.5"),
        rate_period=RatePeriod.MONTH,
        plan=RepaymentPlan.EQUAL_MONTHLY,
    )
    # 5.000.000 / 12 = 416.666,67 → 416.000 a month, the last month takes the rest: 424.000.
    assert [i.principal_due for i in schedule] == [416_000] * 11 + [424_000]
    assert sum(i.principal_due for i in schedule) == 5_000_000
    # Interest 0,5 % a month on what is still owed before each instalment.
    assert rows(schedule)[:3] == [
        (1, D(2024, 2, 15), 416_000, 25_000, 416_000),
        (2, D(2024, 3, 15), 416_000, 22_920, 832_000),  # 4.584.000 × 0,5 %
        (3, D(2024, 4, 15), 416_000, 20_840, 1_248_000),  # 4.168.000 × 0,5 %
    ]
    assert rows(schedule)[-1] == (12, D(2025, 1, 15), 424_000, 2_120, 5_000_000)  # 424.000 × 0,5 %


def test_equal_monthly_on_a_yearly_rate_and_amounts_not_in_thousands():
    schedule = schedule_build(
        principal=1_000_001,
        disbursed_on=D(2024, 1, 31),
        term_months=3,
        interest_rate=Decimal("6"),
        rate_period=RatePeriod.YEAR,
        plan=RepaymentPlan.EQUAL_MONTHLY,
    )
    # 6 %/năm = 0,5 %/tháng; 1.000.001 is not in thousands, so the parts are in đồng.
    assert rows(schedule) == [
        (1, D(2024, 2, 29), 333_333, 5_000, 333_333),  # 1.000.001 × 0,5 % = 5.000,005 → 5.000
        (2, D(2024, 3, 31), 333_333, 3_333, 666_666),  # 666.668 × 0,5 % = 3.333,34
        (3, D(2024, 4, 30), 333_335, 1_667, 1_000_001),  # 333.335 × 0,5 % = 1.666,675 → 1.667
    ]


def test_all_at_the_end_has_one_instalment_with_the_interest_of_the_whole_term():
    schedule = schedule_build(
        principal=3_000_000,
        disbursed_on=D(2024, 3, 10),
        term_months=6,
        interest_rate=Decimal("6"),
        rate_period=RatePeriod.YEAR,
        plan=RepaymentPlan.AT_END,
    )
    assert rows(schedule) == [(1, D(2024, 9, 10), 3_000_000, 90_000, 3_000_000)]  # 3.000.000 × 0,5 % × 6


def test_a_zero_rate_loan_owes_no_interest():
    schedule = schedule_build(
        principal=2_000_000,
        disbursed_on=D(2024, 3, 10),
        term_months=2,
        interest_rate=0,
        rate_period=RatePeriod.MONTH,
        plan=RepaymentPlan.EQUAL_MONTHLY,
    )
    assert rows(schedule) == [
        (1, D(2024, 4, 10), 1_000_000, 0, 1_000_000),
        (2, D(2024, 5, 10), 1_000_000, 0, 2_000_000),
    ]


def test_a_custom_schedule_keeps_the_dates_and_computes_missing_interest():
    schedule = schedule_build(
        principal=4_000_000,
        disbursed_on=D(2024, 3, 1),
        term_months=12,
        interest_rate=Decimal("0.5"),
        rate_period=RatePeriod.MONTH,
        plan=RepaymentPlan.CUSTOM,
        custom_schedule=[
            {"due_on": D(2024, 6, 1), "principal": 1_000_000, "interest": None},
            {"due_on": D(2024, 9, 1), "principal": 1_000_000},
            {"due_on": D(2025, 3, 1), "principal": 2_000_000, "interest": 0},
        ],
    )
    assert rows(schedule) == [
        (1, D(2024, 6, 1), 1_000_000, 60_000, 1_000_000),  # 4.000.000 × 0,5 % × 3 months
        (2, D(2024, 9, 1), 1_000_000, 45_000, 2_000_000),  # 3.000.000 × 0,5 % × 3 months
        (3, D(2025, 3, 1), 2_000_000, 0, 4_000_000),  # interest given as 0
    ]


@pytest.mark.parametrize(
    "schedule, message",
    [
        ([], "ít nhất một kỳ"),
        ([{"due_on": D(2024, 3, 1), "principal": 4_000_000}], "sau ngày giải ngân"),
        ([{"due_on": D(2025, 4, 1), "principal": 4_000_000}], "vượt quá thời hạn"),
        ([{"due_on": D(2024, 6, 1), "principal": 3_000_000}], "phải bằng số tiền vay"),
        (
            [
                {"due_on": D(2024, 9, 1), "principal": 2_000_000},
                {"due_on": D(2024, 6, 1), "principal": 2_000_000},
            ],
            "sau kỳ trước",
        ),
        (
            [{"due_on": D(2024, 6, 1), "principal": 0}, {"due_on": D(2024, 9, 1), "principal": 4_000_000}],
            "lớn hơn 0",
        ),
    ],
)
def test_a_custom_schedule_must_add_up_and_run_forward(schedule, message):
    with pytest.raises(ValidationError, match=message):
        schedule_build(
            principal=4_000_000,
            disbursed_on=D(2024, 3, 1),
            term_months=12,
            interest_rate=0,
            rate_period=RatePeriod.MONTH,
            plan=RepaymentPlan.CUSTOM,
            custom_schedule=schedule,
        )


def test_month_arithmetic_keeps_the_day_or_the_end_of_the_month():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_months(D(2024, 11, 15), 3) == D(2025, 2, 15)
    assert months_between(D(2024, 1, 31), D(2024, 2, 29)) == 1
    assert months_between(D(2024, 3, 1), D(2024, 6, 1)) == 3
    assert months_between(D(2024, 3, 15), D(2024, 4, 14)) == 1  # at least one month
    assert months_between(D(2024, 3, 15), D(2024, 6, 14)) == 2
