"""Repayment schedules: the instalments a loan is due to pay, computed from its terms.

Pure functions (no database), so each plan can be checked by hand in the tests.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from funds.models import RatePeriod, RepaymentPlan


@dataclass(frozen=True)
class PlannedInstalment:
    number: int
    due_on: datetime.date
    principal_due: int
    interest_due: int
    principal_due_cumulative: int


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the last day of the month when that month is shorter (31/1 → 28/2)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from `start` to `end`, at least 1 (interest is charged by the month)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and end != add_months(start, months):
        months -= 1
    return max(months, 1)


def monthly_rate(interest_rate: Decimal, rate_period: str) -> Decimal:
    """Interest per month as a fraction: 0,5 %/tháng → 0.005; 6 %/năm → 0.005."""
    rate = Decimal(interest_rate) / 100
    return rate if rate_period == RatePeriod.MONTH else rate / 12


def _dong(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _equal_parts(principal: int, count: int) -> list[int]:
    """Equal principal parts, rounded down to the thousand when the loan is in thousands; the rest
    goes in the last part (5.000.000 over 12 months: 11 × 416.000 and 424.000)."""
    part = principal // count
    if principal % 1000 == 0 and part >= 1000:
        part = part // 1000 * 1000
    return [part] * (count - 1) + [principal - part * (count - 1)]


def schedule_build(
    *,
    principal: int,
    disbursed_on: datetime.date,
    term_months: int,
    interest_rate: Decimal,
    rate_period: str,
    plan: str,
    custom_schedule: list[dict] | None = None,
) -> list[PlannedInstalment]:
    """The instalments of a loan.

    - equal monthly principal: one instalment a month, interest on the declining balance;
    - all at the end: one instalment at the end of the term, with the interest of the whole term;
    - custom: the dates and principal parts given (`[{"due_on": date, "principal": int,
      "interest": int | None}]`); interest left empty is computed on the declining balance for the
      whole months since the previous date.
    Interest is rounded to the đồng.
    """
    if term_months is None or term_months < 1:
        raise ValidationError({"term_months": _("Thời hạn vay phải từ 1 tháng trở lên.")})
    rate = monthly_rate(interest_rate, rate_period)
    rows: list[tuple[datetime.date, int, int]] = []
    if plan == RepaymentPlan.EQUAL_MONTHLY:
        if principal < term_months:
            # Each instalment must ask for some principal (the database refuses a zero part).
            raise ValidationError(
                {
                    "principal": _("Số tiền vay quá nhỏ để chia đều trả gốc trong %(n)s tháng.")
                    % {"n": term_months}
                }
            )
        balance = principal
        for number, part in enumerate(_equal_parts(principal, term_months), start=1):
            rows.append((add_months(disbursed_on, number), part, _dong(balance * rate)))
            balance -= part
    elif plan == RepaymentPlan.AT_END:
        rows.append((add_months(disbursed_on, term_months), principal, _dong(principal * rate * term_months)))
    elif plan == RepaymentPlan.CUSTOM:
        rows = _custom_rows(principal, disbursed_on, term_months, rate, custom_schedule or [])
    else:
        raise ValidationError({"plan": _("Hãy chọn cách trả gốc.")})
    planned, cumulative = [], 0
    for number, (due_on, part, interest) in enumerate(rows, start=1):
        cumulative += part
        planned.append(PlannedInstalment(number, due_on, part, interest, cumulative))
    return planned


def _custom_rows(
    principal: int, disbursed_on: datetime.date, term_months: int, rate: Decimal, schedule: list[dict]
) -> list[tuple[datetime.date, int, int]]:
    if not schedule:
        raise ValidationError({"custom_schedule": _("Lịch trả riêng cần ít nhất một kỳ.")})
    rows, previous, balance = [], disbursed_on, principal
    end = add_months(disbursed_on, term_months)
    for index, item in enumerate(schedule, start=1):
        due_on, part, interest = item["due_on"], item["principal"], item.get("interest")
        if due_on <= previous:
            raise ValidationError(
                {
                    "custom_schedule": _("Kỳ %(n)s: hạn trả phải sau ngày giải ngân và sau kỳ trước.")
                    % {"n": index}
                }
            )
        if due_on > end:
            raise ValidationError(
                {"custom_schedule": _("Kỳ %(n)s: hạn trả vượt quá thời hạn vay.") % {"n": index}}
            )
        if part is None or part <= 0:
            raise ValidationError({"custom_schedule": _("Kỳ %(n)s: tiền gốc phải lớn hơn 0.") % {"n": index}})
        if interest is not None and interest < 0:
            raise ValidationError({"custom_schedule": _("Kỳ %(n)s: tiền lãi không được âm.") % {"n": index}})
        if interest is None:
            interest = _dong(balance * rate * months_between(previous, due_on))
        rows.append((due_on, part, interest))
        previous, balance = due_on, balance - part
    if balance != 0:
        raise ValidationError(
            {
                "custom_schedule": _(
                    "Tổng tiền gốc các kỳ (%(total)s đ) phải bằng số tiền vay (%(principal)s đ)."
                )
                % {
                    "total": f"{principal - balance:,}".replace(",", "."),
                    "principal": f"{principal:,}".replace(",", "."),
                }
            }
        )
    return rows
