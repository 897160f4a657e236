"""Opening loan balances when a club moves onto the system: one row per loan still running.

The borrower must already be a member of the club (matched like the member import: citizen ID,
else name + birth year). `Dư nợ` is the principal still owed today; what was repaid before is
kept as the loan's `opening_repaid`, and `funds.services.loan_disburse` records the loan with its
schedule (principal due at the end of the term: the sheet does not say more, and that marks no
one late by a guess). A loan is matched by borrower, date and principal, so the same file
imported twice creates nothing; one that differs from the system is an error, not an update.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from itertools import accumulate
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funds.models import Fund, FundKind, Instalment, Loan, Purpose, RatePeriod, RepaymentPlan
from funds.money import MAX_AMOUNT, amount_too_large_message, format_vnd
from funds.schedule import schedule_build
from funds.selectors import loans_with_position
from funds.services import coverage_of, funds_cash_changes_by_day, loan_coverage_apply, loan_disburse
from members.models import Member, Membership
from places.text import FORMULA_SIGNS, search_key
from sheets import bulk
from sheets.columns import LOAN_COLUMNS
from sheets.lookups import resolve_club
from sheets.period_locks import refuse_locked_rows, rows_checked
from sheets.report import Context, ImportReport, RowIssues, RowWriteError, unchanged_label
from sheets.values import (
    CellError,
    parse_citizen_id,
    parse_date,
    parse_int,
    parse_money,
    parse_purpose,
    parse_rate,
    parse_remembered,
    parse_year,
    text,
)

COLUMNS = LOAN_COLUMNS
REQUIRED_ANY = (("full_name", "citizen_id"), ("principal",), ("disbursed_on",))
NAME_KEY = "full_name"
# Free-text columns checked for a leading formula sign (sheets.engine), each → whether it is prose.
FREE_TEXT = {"full_name": False, "purpose": False}
FIELDS = ("term_months", "interest_rate", "rate_period", "purpose", "purpose_text", "opening_repaid")


# The parsers of the money and number columns, named once (`what` is translated when a message needs it).
_parse_principal = partial(parse_money, what=gettext_lazy("Số tiền vay"))
_parse_outstanding = partial(parse_money, what=gettext_lazy("Dư nợ"))
_parse_term = partial(parse_int, what=gettext_lazy("Thời hạn"))
_PURPOSES = frozenset(Purpose.values)
_RATE_PERIODS = frozenset(RatePeriod.values)


def clean_row(values: dict[str, Any], issues: RowIssues, context: Context) -> dict | None:
    record: dict[str, Any] = {}
    record["full_name"] = text(values.get("full_name"))
    record["search_key"] = search_key(record["full_name"])
    memo = context.cache.setdefault("parsed", {})  # cells repeat: dates, amounts, terms, rates, purposes
    try:
        record["citizen_id"] = parse_citizen_id(values.get("citizen_id"))
    except CellError as error:
        issues.add("citizen_id", str(error))
    try:
        record["birth_year"] = parse_remembered(memo, parse_year, values.get("birth_year"))[0]
    except CellError as error:
        issues.add("birth_year", str(error))
    if not record.get("citizen_id") and not (record["full_name"] and record.get("birth_year")):
        issues.add("full_name", _("Ghi số CCCD, hoặc họ tên và năm sinh của người vay."))
    try:
        record["disbursed_on"], _year_only = parse_remembered(memo, parse_date, values.get("disbursed_on"))
        if record["disbursed_on"] is None:
            issues.add("disbursed_on", _("Thiếu ngày vay."))
        elif record["disbursed_on"] > context.today:
            issues.add("disbursed_on", _("Ngày vay ở tương lai."))
    except CellError as error:
        issues.add("disbursed_on", str(error))
    try:
        record["principal"] = parse_remembered(memo, _parse_principal, values.get("principal"))
        if not record["principal"]:
            issues.add("principal", _("Thiếu số tiền vay."))
        elif record["principal"] > MAX_AMOUNT:  # the loan form's limit and message (funds.money)
            issues.add("principal", amount_too_large_message(record["principal"]))
            record["principal"] = None
    except CellError as error:
        issues.add("principal", str(error))
    try:
        record["term_months"] = parse_remembered(memo, _parse_term, values.get("term_months"))
        if record["term_months"] is None or not 1 <= record["term_months"] <= 120:
            issues.add("term_months", _("Thời hạn vay phải từ 1 đến 120 tháng."))
    except CellError as error:
        issues.add("term_months", str(error))
    try:
        rate, period = parse_remembered(memo, parse_rate, values.get("interest_rate"))
        record["interest_rate"], record["rate_period"] = rate.quantize(Decimal("0.001")), period
        if rate > 100:
            issues.add("interest_rate", _("Lãi suất quá lớn."))
    except CellError as error:
        issues.add("interest_rate", str(error))
    record["purpose"], record["purpose_text"] = parse_remembered(memo, parse_purpose, values.get("purpose"))
    record["purpose_text"] = record["purpose_text"][:200]
    if record["purpose"] == Purpose.OTHER and not record["purpose_text"]:
        issues.add(
            "purpose", _("Thiếu mục đích vay (ví dụ: Chăn nuôi, Trồng trọt, Buôn bán nhỏ, hoặc ghi cụ thể).")
        )
    outstanding = None
    try:
        outstanding = parse_remembered(memo, _parse_outstanding, values.get("outstanding"))
    except CellError as error:
        issues.add("outstanding", str(error))
    principal = record.get("principal") or 0
    if outstanding is None:
        outstanding = principal  # empty: nothing repaid yet
    if outstanding > principal and record.get("principal"):
        issues.add("outstanding", _("Dư nợ lớn hơn số tiền vay."))
    record["outstanding"] = outstanding
    record["opening_repaid"] = principal - outstanding
    club = resolve_club(values, issues, context)
    record["club_id"] = club["id"] if club else None
    return record


def duplicate_keys():
    def by_loan(record):
        who = record.get("citizen_id") or (record["search_key"], record.get("birth_year"))
        return (record.get("club_id"), who, record.get("disbursed_on"), record.get("principal"))

    def describe(record, others):
        return _("Khoản vay này trùng với dòng %(rows)s của tệp (cùng người vay, ngày vay và số tiền).") % {
            "rows": others
        }

    return [(by_loan, describe, None)]


def plan(records: list[dict], report: ImportReport, context: Context) -> dict:
    club_ids = {r["club_id"] for r in records}
    members = list(Member.objects.filter(club_id__in=club_ids).values("id", "club_id", "citizen_id", "search_key", "birth_year", "full_name"))  # fmt: skip
    by_id = {m["citizen_id"]: m for m in members if m["citizen_id"]}
    by_name = defaultdict(list)
    for m in members:
        by_name[(m["club_id"], m["search_key"], m["birth_year"])].append(m)
    stays = defaultdict(list)
    for member_id, club_id, joined_on, left_on in Membership.objects.filter(club_id__in=club_ids).values_list(
        "member_id", "club_id", "joined_on", "left_on"
    ):
        stays[(member_id, club_id)].append((joined_on, left_on))
    funds = {f.club_id: f for f in Fund.objects.filter(club_id__in=club_ids, kind=FundKind.INCOME)}
    loans = defaultdict(list)
    for loan in loans_with_position(Loan.objects.filter(fund__in=funds.values()), context.today):
        loans[(loan.member_id, loan.disbursed_on, loan.principal)].append(loan)
    new = []
    label = context.layout.label
    for record in records:
        member = by_id.get(record.get("citizen_id") or "")
        if member is None and record.get("citizen_id"):
            report.add_error(record["_row"], label("citizen_id"), _("CLB không có thành viên mang số CCCD %(id)s.") % {"id": record["citizen_id"]})  # fmt: skip
            continue
        if member is None:
            found = by_name.get((record["club_id"], record["search_key"], record["birth_year"]), [])
            if len(found) != 1:
                message = (
                    _(
                        "CLB không có thành viên “%(name)s” sinh năm %(year)s: hãy nhập danh sách thành viên trước."
                    )
                    if not found
                    else _(
                        "CLB có %(n)s thành viên tên “%(name)s” sinh năm %(year)s: ghi số CCCD để biết là ai."
                    )
                )
                report.add_error(record["_row"], label("full_name"), message % {"name": record["full_name"], "year": record["birth_year"], "n": len(found)})  # fmt: skip
                continue
            member = found[0]
        fund = funds.get(record["club_id"])
        if fund is None:
            report.add_error(record["_row"], "", _("CLB chưa có quỹ tăng thu nhập."))
            continue
        record["member_id"], record["fund"] = member["id"], fund
        matches = loans.get((member["id"], record["disbursed_on"], record["principal"]), [])
        if matches:
            _compare(record, matches[0], report, label)
            continue
        day = record["disbursed_on"]
        if not any(joined <= day and (left is None or left > day) for joined, left in stays[(member["id"], record["club_id"])]):  # fmt: skip
            report.add_error(record["_row"], label("disbursed_on"), _("Ngày vay %(day)s, %(name)s chưa (hoặc không còn) là thành viên của CLB.") % {"day": f"{day:%d/%m/%Y}", "name": member["full_name"]})  # fmt: skip
            continue
        new.append(record)
        report.new += 1
    column = label("disbursed_on")
    refuse_locked_rows(report, [(r["_row"], column, r["club_id"], r["disbursed_on"]) for r in new])
    new = _refuse_negative_cash(new, report, label)
    return {"new": new}


def _refuse_negative_cash(new: list[dict], report: ImportReport, label) -> list[dict]:
    """The loan form's cash check, at preview: a loan (what is still owed of it) leaves the fund's cash,
    which must not fall below zero on its day or any later day. Loans are taken in date order, each
    against the cash the accepted ones before it left; the refused ones carry the form's message.
    Capital comes first: import the fund's contributions before its loans."""
    by_fund = defaultdict(list)
    for record in new:
        by_fund[record["fund"].pk].append(record)
    accepted = []
    cash_changes = funds_cash_changes_by_day(by_fund)  # four queries for every fund of the file
    for fund_id, records in by_fund.items():
        fund = records[0]["fund"]
        # The cash at the end of each day with a change, and the least of it from each such day on, once
        # per fund. The loans are taken in date order, so every loan accepted before this one left on its
        # day or earlier: it lowers the cash of every day from this one's on by the same amount (`taken`).
        # (Summing the fund's changes again for each loan cost seconds for a file of 20,000 loans.)
        days = sorted(cash_changes[fund_id])
        held = list(accumulate(cash_changes[fund_id][day] for day in days))
        least_from = list(accumulate(reversed(held), min))[::-1]
        taken = 0
        for record in sorted(records, key=lambda r: (r["disbursed_on"], r["_row"])):
            day, out = record["disbursed_on"], record["principal"] - record["opening_repaid"]
            at = bisect_right(days, day)  # days[:at] are on or before the loan's day
            lowest = min(held[at - 1] if at else 0, least_from[at] if at < len(days) else math.inf) - taken
            if out > lowest:
                report.add_error(
                    record["_row"],
                    label("outstanding"),
                    _(
                        "%(fund)s chỉ còn %(cash)s tiền mặt (tính cả các khoản chi, cho vay ghi sau ngày "
                        "%(date)s); không thể chi %(amount)s."
                    )
                    % {
                        "fund": fund.get_kind_display(),
                        "cash": format_vnd(max(lowest, 0)),
                        "date": f"{day:%d/%m/%Y}",
                        "amount": format_vnd(out),
                    }
                    + " "
                    + _("Hãy nhập vốn của quỹ (đóng góp) trước dư nợ cho vay."),
                )
                report.new -= 1
                continue
            taken += out
            accepted.append(record)
    return sorted(accepted, key=lambda r: r["_row"])


def _compare(record: dict, loan: Loan, report: ImportReport, label) -> None:
    """A loan already on the system: unchanged, or an error naming what differs (loans change through
    their own pages, where the schedule and the repayments are kept right)."""
    differences = [
        (str(Loan._meta.get_field(name).verbose_name), unchanged_label(getattr(loan, name)), unchanged_label(record[name]))
        for name in ("term_months", "interest_rate", "rate_period", "purpose", "purpose_text")
        if record[name] != getattr(loan, name)
    ]  # fmt: skip
    if record["outstanding"] != loan.outstanding:
        differences.append((_("dư nợ"), format_vnd(loan.outstanding), format_vnd(record["outstanding"])))
    if not differences:
        report.unchanged += 1
        return
    listing = "; ".join(f"{name}: {before} → {after}" for name, before, after in differences)
    report.add_error(
        record["_row"],
        "",
        _("Khoản vay này đã có trong hệ thống với thông tin khác (%(list)s): hãy sửa trên trang khoản vay.")
        % {"list": listing},
    )


def write(plan: dict, context: Context) -> None:
    """Each loan through `loan_disburse`, which builds its schedule; opening balances skip the cash check."""
    user = context.user if getattr(context.user, "pk", None) else None
    note = _("Dư nợ đầu kỳ nhập từ bảng tính ngày %(date)s") % {"date": f"{context.today:%d/%m/%Y}"}
    with rows_checked([(r["_row"], "", r["club_id"], r["disbursed_on"]) for r in plan["new"]]):
        _write(plan, note, user)


def _write(plan: dict, note: str, user) -> None:
    """What `loan_disburse` writes for each opening balance — the loan with its history record, its
    schedule, and the derived fields the principal repaid before sets (loan_coverage_refresh, whose
    save is a second history record) — in bulk: a few COPY statements for the file instead of a
    dozen queries per loan (a loan file went at 37 rows a second). The schedule and the derived
    fields come from the services' own functions. A row the service might refuse (the checks below
    are what it checks, the period locks already asked by `rows_checked`, the membership by `plan`)
    goes through the service itself, so its error is the service's, at that row."""
    today, now = timezone.localdate(), timezone.now()
    funds = {r["fund"].pk: r["fund"] for r in plan["new"]}
    # Locked as loan_disburse locks each (funds.services._lock_funds), all at once, in the order of their ids.
    list(Fund.objects.select_for_update().filter(pk__in=sorted(funds)).order_by("pk").values_list("pk"))
    # What every loan of the file has alike, set once.
    new_loan = _maker(Loan, plan=RepaymentPlan.AT_END, note=note.strip(), recorded_by_id=getattr(user, "pk", None), recorded_at=now)  # fmt: skip
    new_instalment = _maker(Instalment)
    # A schedule is a pure function of the loan's terms; loans given on one day for the same amount repeat them.
    schedules_of: dict[tuple, list] = {}
    loans, schedules, changed = [], [], []
    for r in plan["new"]:
        if not _plainly_valid(r, today):
            try:
                loan_disburse(
                    fund=r["fund"], member=Member.objects.get(pk=r["member_id"]), disbursed_on=r["disbursed_on"],
                    principal=r["principal"], purpose=r["purpose"], purpose_text=r["purpose_text"],
                    term_months=r["term_months"], interest_rate=r["interest_rate"], rate_period=r["rate_period"],
                    plan=RepaymentPlan.AT_END, opening_repaid=r["opening_repaid"], check_cash=False, note=note,
                    recorded_by=user,
                )  # fmt: skip
            except ValidationError as error:
                raise RowWriteError(r["_row"], "", " ".join(error.messages)) from error
            continue
        principal, disbursed_on, term_months = r["principal"], r["disbursed_on"], r["term_months"]
        interest_rate, rate_period = Decimal(r["interest_rate"]), r["rate_period"]
        terms = (principal, disbursed_on, term_months, interest_rate, rate_period)
        planned = schedules_of.get(terms)
        if planned is None:
            try:
                planned = schedules_of[terms] = schedule_build(
                    principal=principal, disbursed_on=disbursed_on, term_months=term_months,
                    interest_rate=interest_rate, rate_period=rate_period, plan=RepaymentPlan.AT_END,
                )  # fmt: skip
            except ValidationError as error:
                raise RowWriteError(r["_row"], "", " ".join(error.messages)) from error
        loan = new_loan(
            fund_id=r["fund"].pk, member_id=r["member_id"], disbursed_on=disbursed_on, principal=principal,
            purpose=r["purpose"], purpose_text=r["purpose_text"].strip(), term_months=term_months,
            interest_rate=interest_rate, rate_period=rate_period, opening_repaid=r["opening_repaid"],
            last_due_on=planned[-1].due_on, instalments_count=len(planned), first_unpaid_due_on=planned[0].due_on,
        )  # fmt: skip
        instalments = [
            new_instalment(number=row.number, due_on=row.due_on, principal_due=row.principal_due,
                           interest_due=row.interest_due, principal_due_cumulative=row.principal_due_cumulative)
            for row in planned
        ]  # fmt: skip
        if r["opening_repaid"]:
            first = dict(vars(loan))  # as the loan is first saved: its '+' history record
            if loan_coverage_apply(loan, instalments, coverage_of(loan, instalments, []))[1]:
                changed.append((len(loans), first))
        loans.append(vars(loan))  # the row as it ends (coverage applied)
        schedules.append(instalments)
    bulk.insert(Loan, loans, ids=True)
    for final, instalments in zip(loans, schedules, strict=True):
        for instalment in instalments:
            instalment.loan_id = final["id"]
    for index, first in changed:
        first["id"] = loans[index]["id"]
    history = {"user_id": bulk.history_user_id(), "reason": None, "when": now}
    # The '+' records: as the table holds the loan, unless its opening repayment changed it since.
    again = {index for index, _first in changed}
    bulk.insert_history_as_stored(Loan, [final for index, final in enumerate(loans) if index not in again], **history)
    bulk.insert_history(Loan, [first for _index, first in changed], **history)
    # loan_coverage_refresh's save(update_fields=…) of a loan its opening repayment changed: a second record.
    bulk.insert_history(Loan, [loans[index] for index, _first in changed], history_type="~", **history)
    bulk.insert(Instalment, [vars(i) for instalments in schedules for i in instalments])


def _maker(model, **alike) -> Callable[..., SimpleNamespace]:
    """A function making the rows of `model` to write: every concrete field (the primary key aside) by
    its attname, those given to neither at their default, as the attributes of a plain object — what
    the services' coverage functions read and set on a loan and its instalments. `vars()` of it is the
    row bulk.insert writes. `alike`: the fields every row has the same. (Model instances cost a
    20,000-loan import 0.4 s to build and 0.3 s to read back into rows.)"""
    defaults = {f.attname: f.get_default() for f in model._meta.concrete_fields if not f.primary_key}
    base = {**defaults, **alike}
    if len(base) != len(defaults):
        raise TypeError(f"{model.__name__} has no field {', '.join(base.keys() - defaults.keys())}")

    def new(**values) -> SimpleNamespace:
        row = SimpleNamespace(**base)
        row.__dict__.update(values)
        if len(row.__dict__) != len(base):  # a name that is no field added one
            raise TypeError(f"{model.__name__} has no field {', '.join(values.keys() - base.keys())}")
        return row

    return new


def _plainly_valid(r: dict, today) -> bool:
    """Whether `loan_disburse` (its own checks and the loan's full_clean) would take the row as it is."""
    principal, repaid, purpose_text = r["principal"], r["opening_repaid"], r["purpose_text"].strip()
    return (
        principal.__class__ is int
        and 0 < principal <= MAX_AMOUNT
        and r["disbursed_on"] is not None
        and r["disbursed_on"] <= today
        and r["purpose"] in _PURPOSES
        and (r["purpose"] != Purpose.OTHER or purpose_text)
        and len(purpose_text) <= Loan._meta.get_field("purpose_text").max_length
        and not purpose_text.startswith(FORMULA_SIGNS)  # the field's NoFormulaStart
        and r["rate_period"] in _RATE_PERIODS
        and isinstance(r["interest_rate"], Decimal)
        and 0 <= r["interest_rate"] < 1000
        and repaid.__class__ is int
        and 0 <= repaid <= principal
        and 1 <= r["term_months"] <= 120
    )
