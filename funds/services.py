"""Writes on the funds: founding a club with its two funds, ledger entries, transfers, loans, repayments, write-offs, collection sheets.

Every function validates first, runs in one transaction and raises `ValidationError` with a
Vietnamese message, leaving the database exactly as it was. The ledger is never edited in place: a
mistake is put right by a reversing entry (`fund_entry_reverse`, `repayment_reverse`).

Money that leaves a fund (a loan, an expense, a transfer) is checked against the fund's cash on
hand with the fund row locked (`select_for_update`), so that two people recording at the same time
cannot both spend the same money. The check looks at the day of the outflow and every later day, so
that a back-dated outflow cannot make the cash negative after a later loan.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from clubs import services as club_services
from clubs.locks import check_club_id_open, check_club_open, known_open
from clubs.models import Club
from funds.models import (
    ENTRY_DIRECTION,
    EntryKind,
    Fund,
    FundEntry,
    FundKind,
    Instalment,
    Loan,
    Purpose,
    RatePeriod,
    Repayment,
    RepaymentPlan,
    Source,
)
from funds.money import MAX_AMOUNT, amount_too_large_message, format_vnd
from funds.schedule import schedule_build
from funds.totals import fund_month_refresh
from members.models import Member, Membership, active_on_q
from places.models import Commune
from places.text import formula_error

# Kinds a person may record by hand; the others are made by transfers, repayments, write-offs and reversals.
MANUAL_ENTRY_KINDS = (EntryKind.CONTRIBUTION, EntryKind.INTEREST, EntryKind.EXPENSE)
# Imports and the demo record without a user.
NOT_REQUIRED = ["recorded_by"]


@transaction.atomic
def club_found(*, code: str, name: str, commune: Commune, **fields) -> Club:
    """A new club in a commune, with its income-generation fund and its activity fund."""
    club = club_services.club_create(code=code, name=name, commune=commune, **fields)
    opened = club.launched_on or club.decision_date
    Fund.objects.bulk_create([Fund(club=club, kind=kind, opened_on=opened) for kind in FundKind.values])
    return club


def _today() -> datetime.date:
    return timezone.localdate()


def _check_amount(amount, field: str = "amount") -> None:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValidationError({field: _("Số tiền phải là số nguyên đồng lớn hơn 0.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: amount_too_large_message(amount)})


def _check_not_future(day: datetime.date | None, field: str) -> None:
    if day is None:
        raise ValidationError({field: _("Hãy nhập ngày.")})
    if day > _today():
        raise ValidationError({field: _("Không ghi sổ cho ngày trong tương lai.")})


def _lock_funds(*funds: Fund) -> list[Fund]:
    """Lock fund rows in a fixed order (by id), so that two transfers cannot deadlock."""
    ids = sorted({fund.pk for fund in funds})
    locked = {fund.pk: fund for fund in Fund.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    return [locked[fund.pk] for fund in funds]


def fund_cash_changes_by_day(fund: Fund) -> dict[datetime.date, int]:
    """How each day moved the fund's cash: ledger entries, loans out, principal back.

    A write-off moves no cash: its ledger entry lowers the capital and it lowers outstanding
    principal by the same amount.
    """
    return funds_cash_changes_by_day([fund.pk])[fund.pk]


def funds_cash_changes_by_day(fund_ids: Iterable[int]) -> dict[int, dict[datetime.date, int]]:
    """`fund_cash_changes_by_day` of many funds (an import's), in four queries whatever their number."""
    fund_ids = list(fund_ids)
    changes: dict[int, dict[datetime.date, int]] = {pk: defaultdict(int) for pk in fund_ids}
    for fund_id, day, direction, total in (
        FundEntry.objects.filter(fund_id__in=fund_ids)
        .values_list("fund_id", "entry_date", "direction")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        changes[fund_id][day] += direction * total
    loans = Loan.objects.filter(fund_id__in=fund_ids)
    for fund_id, day, lent, opening in (
        loans.values_list("fund_id", "disbursed_on")
        .annotate(lent=Sum("principal"), opening=Sum("opening_repaid"))
        .order_by()
    ):
        changes[fund_id][day] += opening - lent
    for fund_id, day, total in (
        loans.filter(written_off_on__isnull=False)
        .values_list("fund_id", "written_off_on")
        .annotate(total=Sum("written_off_amount"))
        .order_by()
    ):
        changes[fund_id][day] += total
    for fund_id, day, total in (
        Repayment.objects.filter(loan__fund_id__in=fund_ids)
        .values_list("loan__fund_id", "paid_on")
        .annotate(total=Sum("principal"))
        .order_by()
    ):
        changes[fund_id][day] += total
    return changes


def fund_cash_low_point(fund: Fund, on: datetime.date) -> int:
    """The least cash the fund holds on `on` or any later day: what may still leave it on `on`."""
    changes = fund_cash_changes_by_day(fund)
    cash = sum(change for day, change in changes.items() if day <= on)
    lowest = cash
    for day in sorted(day for day in changes if day > on):
        cash += changes[day]
        lowest = min(lowest, cash)
    return lowest


def _check_cash(fund: Fund, amount: int, on: datetime.date, field: str = "amount") -> None:
    available = fund_cash_low_point(fund, on)
    if amount > available:
        raise ValidationError(
            {
                field: _(
                    "%(fund)s chỉ còn %(cash)s tiền mặt (tính cả các khoản chi, cho vay ghi sau ngày "
                    "%(date)s); không thể chi %(amount)s."
                )
                % {
                    "fund": fund.get_kind_display(),
                    "cash": format_vnd(max(available, 0)),
                    "date": f"{on:%d/%m/%Y}",
                    "amount": format_vnd(amount),
                }
            }
        )


# ---------------------------------------------------------------------------
# The ledger
# ---------------------------------------------------------------------------


@transaction.atomic
def fund_entry_add(
    *,
    fund: Fund,
    kind: str,
    amount: int,
    entry_date: datetime.date,
    source: str = "",
    category: str = "",
    member: Member | None = None,
    document_number: str = "",
    note: str = "",
    recorded_by,
) -> FundEntry:
    """Record a contribution (with its source), an expense (activity fund) or other interest received."""
    if kind not in MANUAL_ENTRY_KINDS:
        raise ValidationError(
            {"kind": _("Chuyển quỹ, thu lãi cho vay, xóa nợ và bút toán đảo được ghi từ chức năng riêng.")}
        )
    _check_amount(amount)
    _check_not_future(entry_date, "entry_date")
    check_club_id_open(club_id=fund.club_id, day=entry_date)
    if kind == EntryKind.CONTRIBUTION and source not in Source.values:
        raise ValidationError({"source": _("Hãy chọn nguồn đóng góp.")})
    if kind != EntryKind.CONTRIBUTION and source:
        raise ValidationError({"source": _("Chỉ khoản đóng góp mới ghi nguồn.")})
    if kind == EntryKind.EXPENSE:
        if fund.kind != FundKind.ACTIVITY:
            raise ValidationError(
                {
                    "kind": _(
                        "Chi hoạt động ghi ở quỹ hoạt động; hãy chuyển tiền từ quỹ tăng thu nhập sang trước."
                    )
                }
            )
        if not category:
            raise ValidationError({"category": _("Hãy chọn khoản chi.")})
    elif category:
        raise ValidationError({"category": _("Chỉ khoản chi mới ghi khoản chi.")})
    if member is not None and not Membership.objects.filter(member=member, club_id=fund.club_id).exists():
        raise ValidationError({"member": _("Người này không phải thành viên của CLB.")})
    direction = ENTRY_DIRECTION[EntryKind(kind)]
    if direction < 0:
        (fund,) = _lock_funds(fund)
        _check_cash(fund, amount, entry_date)
    entry = FundEntry(
        fund=fund,
        kind=kind,
        amount=amount,
        direction=direction,
        entry_date=entry_date,
        source=source,
        category=category,
        member=member,
        document_number=document_number.strip(),
        note=note.strip(),
        recorded_by=recorded_by,
    )
    entry.full_clean(exclude=NOT_REQUIRED)
    entry.save()
    fund_month_refresh(entry.fund_id, entry.entry_date)
    return entry


def _reversal_of(entry: FundEntry, *, entry_date: datetime.date, note: str, recorded_by) -> FundEntry:
    reversal = FundEntry(
        fund_id=entry.fund_id,
        kind=EntryKind.CORRECTION,
        amount=entry.amount,
        direction=-entry.direction,
        entry_date=entry_date,
        source=entry.source,
        category=entry.category,
        member_id=entry.member_id,
        document_number=entry.document_number,
        note=note,
        reverses=entry,
        repayment_id=None,
        loan_id=entry.loan_id,
        recorded_by=recorded_by,
    )
    reversal.full_clean(exclude=NOT_REQUIRED)
    reversal.save()
    fund_month_refresh(reversal.fund_id, reversal.entry_date)
    return reversal


@transaction.atomic
def fund_entry_reverse(*, entry: FundEntry, entry_date: datetime.date, note: str, recorded_by) -> FundEntry:
    """Cancel an entry by a reversing entry (same amount, source and category, opposite direction).

    Both legs of a transfer are reversed together. Interest from a repayment is cancelled with the
    repayment (`repayment_reverse`); a write-off cannot be reversed.
    """
    entry = FundEntry.objects.select_related("fund").get(pk=entry.pk)
    if entry.kind == EntryKind.CORRECTION:
        raise ValidationError(_("Không đảo một bút toán đảo; hãy ghi một bút toán mới."))
    if FundEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("Bút toán này đã được đảo."))
    if entry.repayment_id is not None:
        raise ValidationError(_("Tiền lãi này thuộc một lần trả nợ: hãy hủy lần trả nợ đó."))
    if entry.kind == EntryKind.WRITE_OFF:
        raise ValidationError(_("Không đảo được bút toán xóa nợ."))
    _check_not_future(entry_date, "entry_date")
    if entry_date < entry.entry_date:
        raise ValidationError({"entry_date": _("Ngày đảo không được trước ngày của bút toán gốc.")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Hãy ghi lý do đảo bút toán.")})
    # The reversal is dated in the open period: that is how an entry of an approved period is put right.
    check_club_id_open(club_id=entry.fund.club_id, day=entry_date)
    legs = [entry]
    if entry.transfer_pair_id is not None:
        legs.append(FundEntry.objects.select_related("fund").get(pk=entry.transfer_pair_id))
    funds = _lock_funds(*[leg.fund for leg in legs])
    # Again under the lock: two people reversing the same entry at once both passed the check above;
    # the second gets here once the first has committed, and is told so in words, not by the unique index.
    if FundEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("Bút toán này đã được đảo."))
    for leg, fund in zip(legs, funds, strict=True):
        if leg.direction > 0:  # reversing money in takes it out again
            _check_cash(fund, leg.amount, entry_date, field="entry_date")
    reversals = [_reversal_of(leg, entry_date=entry_date, note=note, recorded_by=recorded_by) for leg in legs]
    if len(reversals) == 2:
        first, second = reversals
        first.transfer_pair, second.transfer_pair = second, first
        first.save(update_fields=["transfer_pair"])
        second.save(update_fields=["transfer_pair"])
    return reversals[0]


@transaction.atomic
def fund_transfer(
    *, from_fund: Fund, to_fund: Fund, amount: int, entry_date: datetime.date, note: str, recorded_by
) -> tuple[FundEntry, FundEntry]:
    """Move money between a club's two funds: a paired TRANSFER_OUT and TRANSFER_IN."""
    _check_amount(amount)
    _check_not_future(entry_date, "entry_date")
    if from_fund.pk == to_fund.pk:
        raise ValidationError(_("Hãy chọn hai quỹ khác nhau."))
    if from_fund.club_id != to_fund.club_id:
        raise ValidationError(_("Chỉ chuyển tiền giữa hai quỹ của cùng một CLB."))
    check_club_id_open(club_id=from_fund.club_id, day=entry_date)
    from_fund, to_fund = _lock_funds(from_fund, to_fund)
    _check_cash(from_fund, amount, entry_date)
    common = {
        "amount": amount,
        "entry_date": entry_date,
        "note": (note or "").strip(),
        "recorded_by": recorded_by,
    }
    out = FundEntry(fund=from_fund, kind=EntryKind.TRANSFER_OUT, direction=-1, **common)
    out.full_clean(exclude=NOT_REQUIRED)
    out.save()
    into = FundEntry(fund=to_fund, kind=EntryKind.TRANSFER_IN, direction=1, transfer_pair=out, **common)
    into.full_clean(exclude=NOT_REQUIRED)
    into.save()
    out.transfer_pair = into
    out.save(update_fields=["transfer_pair"])
    fund_month_refresh(out.fund_id, entry_date)
    fund_month_refresh(into.fund_id, entry_date)
    return out, into


# ---------------------------------------------------------------------------
# Loans
# ---------------------------------------------------------------------------


def coverage_dates(
    steps: list[tuple[datetime.date, int]], thresholds: list[int]
) -> list[datetime.date | None]:
    """For each threshold, the first date the running repaid principal reached it (None if never).

    `steps` are (date, principal repaid by then) in date order. Repaid principal only grows with the
    date (a reversal carries the date of what it cancels), so that first day is the day it stays covered.
    """
    dates = []
    for threshold in thresholds:
        dates.append(next((day for day, repaid in steps if repaid >= threshold), None))
    return dates


@dataclass(frozen=True)
class Coverage:
    """What a loan's repayments give: each instalment's paid date, the repaid date, the on-time count."""

    paid_on: list[datetime.date | None]
    repaid_on: datetime.date | None
    on_time: int
    # The loan's running totals (funds.totals).
    principal_repaid: int = 0
    repaid_through: datetime.date | None = None
    first_unpaid_due_on: datetime.date | None = None


def coverage_of(
    loan: Loan, instalments: list[Instalment], daily_repaid: list[tuple[datetime.date, int]]
) -> Coverage:
    """`instalments` in order, `daily_repaid` the principal repaid each day, in date order."""
    steps = [(loan.disbursed_on, loan.opening_repaid)]
    for day, total in daily_repaid:
        steps.append((day, steps[-1][1] + total))
    dates = coverage_dates(steps, [i.principal_due_cumulative for i in instalments] + [loan.principal])
    paid_on = dates[:-1]
    on_time = sum(
        1 for i, day in zip(instalments, paid_on, strict=True) if day is not None and day <= i.due_on
    )
    return Coverage(
        paid_on,
        dates[-1],
        on_time,
        principal_repaid=sum(total for _day, total in daily_repaid),
        repaid_through=max((day for day, total in daily_repaid if total), default=None),
        first_unpaid_due_on=min(
            (i.due_on for i, day in zip(instalments, paid_on, strict=True) if day is None), default=None
        ),
    )


def loan_coverage_apply(loan: Loan, instalments: list[Instalment], coverage: Coverage) -> tuple[list, bool]:
    """Set the derived fields on the objects; return the instalments changed and whether the loan changed."""
    changed = []
    for instalment, paid_on in zip(instalments, coverage.paid_on, strict=True):
        if instalment.paid_on != paid_on:
            instalment.paid_on = paid_on
            changed.append(instalment)
    derived = (
        coverage.repaid_on, coverage.on_time, coverage.principal_repaid, coverage.repaid_through,
        coverage.first_unpaid_due_on,
    )  # fmt: skip
    loan_changed = tuple(getattr(loan, name) for name in LOAN_DERIVED_FIELDS) != derived
    for name, value in zip(LOAN_DERIVED_FIELDS, derived, strict=True):
        setattr(loan, name, value)
    return changed, loan_changed


# The loan's fields coverage_of derives (its coverage dates, and its running totals: funds.totals).
LOAN_DERIVED_FIELDS = (
    "repaid_on",
    "instalments_on_time",
    "principal_repaid",
    "repaid_through",
    "first_unpaid_due_on",
)


def loan_coverage_refresh(loan: Loan) -> None:
    """Recompute the derived fields of a loan from its repayments: when each instalment was covered
    (`Instalment.paid_on`), when the whole principal was repaid (`Loan.repaid_on`) and how many
    instalments were paid by their due date (`Loan.instalments_on_time`)."""
    daily = list(loan.repayments.values_list("paid_on").annotate(total=Sum("principal")).order_by("paid_on"))
    instalments = list(loan.instalments.order_by("number"))
    changed, loan_changed = loan_coverage_apply(loan, instalments, coverage_of(loan, instalments, daily))
    Instalment.objects.bulk_update(changed, ["paid_on"])
    if loan_changed:
        loan.save(update_fields=list(LOAN_DERIVED_FIELDS))


def _check_interest_rate(interest_rate) -> Decimal:
    try:
        rate = Decimal(interest_rate)
    except (TypeError, ArithmeticError, ValueError):
        raise ValidationError({"interest_rate": _("Lãi suất không hợp lệ.")}) from None
    if rate < 0:
        raise ValidationError({"interest_rate": _("Lãi suất không được âm.")})
    return rate


@transaction.atomic
def loan_disburse(
    *,
    fund: Fund,
    member: Member,
    disbursed_on: datetime.date,
    principal: int,
    purpose: str,
    purpose_text: str = "",
    term_months: int,
    interest_rate,
    rate_period: str,
    plan: str,
    custom_schedule: list[dict] | None = None,
    opening_repaid: int = 0,
    check_cash: bool = True,
    note: str = "",
    recorded_by,
) -> Loan:
    """Lend from a club's income-generation fund to one of its active members.

    `opening_repaid` brings an older loan onto the system with the principal already repaid;
    `check_cash=False` is for such opening balances, when the fund's earlier history is not recorded.
    """
    _check_amount(principal, "principal")
    _check_not_future(disbursed_on, "disbursed_on")
    check_club_id_open(club_id=fund.club_id, day=disbursed_on)
    if fund.kind != FundKind.INCOME:
        raise ValidationError({"fund": _("Chỉ quỹ tăng thu nhập mới cho thành viên vay.")})
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("Hãy chọn mục đích vay.")})
    if purpose == Purpose.OTHER and not purpose_text.strip():
        raise ValidationError({"purpose_text": _("Hãy ghi cụ thể mục đích vay.")})
    if rate_period not in RatePeriod.values:
        raise ValidationError({"rate_period": _("Hãy chọn lãi suất tính theo tháng hay năm.")})
    if plan not in RepaymentPlan.values:
        raise ValidationError({"plan": _("Hãy chọn cách trả gốc.")})
    rate = _check_interest_rate(interest_rate)
    if not isinstance(opening_repaid, int) or not 0 <= opening_repaid <= principal:
        raise ValidationError({"opening_repaid": _("Gốc đã trả trước phải từ 0 đến số tiền vay.")})
    active = Membership.objects.filter(member=member, club_id=fund.club_id).filter(active_on_q(disbursed_on))
    if not active.exists():
        raise ValidationError(
            {"member": _("Người vay phải là thành viên đang sinh hoạt của CLB vào ngày giải ngân.")}
        )
    planned = schedule_build(
        principal=principal,
        disbursed_on=disbursed_on,
        term_months=term_months,
        interest_rate=rate,
        rate_period=rate_period,
        plan=plan,
        custom_schedule=custom_schedule,
    )
    (fund,) = _lock_funds(fund)
    if check_cash:
        _check_cash(fund, principal - opening_repaid, disbursed_on, field="principal")
    loan = Loan(
        fund=fund,
        member=member,
        disbursed_on=disbursed_on,
        principal=principal,
        purpose=purpose,
        purpose_text=purpose_text.strip(),
        term_months=term_months,
        interest_rate=rate,
        rate_period=rate_period,
        plan=plan,
        opening_repaid=opening_repaid,
        last_due_on=planned[-1].due_on,
        instalments_count=len(planned),
        first_unpaid_due_on=planned[0].due_on,
        note=note.strip(),
        recorded_by=recorded_by,
    )
    loan.full_clean(exclude=NOT_REQUIRED)
    loan.save()
    Instalment.objects.bulk_create(
        Instalment(
            loan=loan,
            number=row.number,
            due_on=row.due_on,
            principal_due=row.principal_due,
            interest_due=row.interest_due,
            principal_due_cumulative=row.principal_due_cumulative,
        )
        for row in planned
    )
    if opening_repaid:
        loan_coverage_refresh(loan)
    return loan


def _owed(loan: Loan) -> int:
    repaid = loan.repayments.aggregate(total=Sum("principal"))["total"] or 0
    return loan.principal - loan.opening_repaid - repaid


def _interest_owed(loan: Loan) -> int:
    """Interest of the whole schedule not yet paid. Clubs may collect interest ahead of its due
    date, so the limit is the whole schedule's, not what is due so far: it stops typos only."""
    scheduled = loan.instalments.aggregate(total=Sum("interest_due"))["total"] or 0
    paid = loan.repayments.aggregate(total=Sum("interest"))["total"] or 0
    return scheduled - paid


def _check_interest(loan: Loan, interest: int) -> None:
    if not loan.interest_rate:
        raise ValidationError({"interest": _("Khoản vay không tính lãi: không thu tiền lãi.")})
    owed = _interest_owed(loan)
    if interest > owed:
        raise ValidationError(
            {
                "interest": _(
                    "Tiền lãi trả (%(paid)s) lớn hơn số lãi còn phải trả của cả khoản vay (%(owed)s)."
                )
                % {"paid": format_vnd(interest), "owed": format_vnd(max(owed, 0))}
            }
        )


@transaction.atomic
def loan_repay(
    *, loan: Loan, paid_on: datetime.date, principal: int, interest: int, note: str = "", recorded_by
) -> Repayment:
    """Record a repayment: principal back to the fund's cash, interest into its ledger."""
    loan = Loan.objects.select_for_update().select_related("fund").get(pk=loan.pk)
    principal, interest = principal or 0, interest or 0
    for field, value in (("principal", principal), ("interest", interest)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationError({field: _("Số tiền không được âm.")})
    if principal == 0 and interest == 0:
        raise ValidationError(_("Hãy nhập tiền gốc hoặc tiền lãi."))
    _check_not_future(paid_on, "paid_on")
    if paid_on < loan.disbursed_on:
        raise ValidationError({"paid_on": _("Ngày trả không được trước ngày giải ngân.")})
    check_club_id_open(club_id=loan.fund.club_id, day=paid_on)
    if loan.written_off_on is not None:
        raise ValidationError(
            _("Khoản vay đã được xóa nợ ngày %(date)s.") % {"date": f"{loan.written_off_on:%d/%m/%Y}"}
        )
    owed = _owed(loan)
    if principal > owed:
        raise ValidationError(
            {
                "principal": _("Tiền gốc trả (%(paid)s) lớn hơn số còn nợ (%(owed)s).")
                % {"paid": format_vnd(principal), "owed": format_vnd(owed)}
            }
        )
    if interest:
        _check_interest(loan, interest)
    repayment = Repayment(
        loan=loan,
        paid_on=paid_on,
        principal=principal,
        interest=interest,
        note=note.strip(),
        recorded_by=recorded_by,
    )
    repayment.full_clean(exclude=NOT_REQUIRED)
    repayment.save()
    if interest:
        FundEntry.objects.create(
            fund=loan.fund,
            kind=EntryKind.INTEREST,
            amount=interest,
            direction=1,
            entry_date=paid_on,
            member_id=loan.member_id,
            repayment=repayment,
            loan=loan,
            note=_("Lãi khoản vay của %(name)s") % {"name": loan.member.full_name},
            recorded_by=recorded_by,
        )
        fund_month_refresh(loan.fund_id, paid_on)
    if principal:
        loan_coverage_refresh(loan)
    return repayment


@transaction.atomic
def repayment_reverse(*, repayment: Repayment, note: str, recorded_by) -> Repayment:
    """Cancel a repayment recorded by mistake: a negative repayment on the same date, and a
    reversing entry for its interest. The mistaken row stays, marked as cancelled."""
    loan = Loan.objects.select_for_update().select_related("fund").get(pk=repayment.loan_id)
    repayment = Repayment.objects.get(pk=repayment.pk)
    if repayment.reverses_id is not None:
        raise ValidationError(_("Đây là một lần hủy; không hủy lại được."))
    if Repayment.objects.filter(reverses=repayment).exists():
        raise ValidationError(_("Lần trả nợ này đã được hủy."))
    if loan.written_off_on is not None:
        raise ValidationError(_("Khoản vay đã được xóa nợ; không hủy được lần trả nợ."))
    # The cancellation carries the repayment's date: a repayment of an approved period stays.
    check_club_id_open(club_id=loan.fund.club_id, day=repayment.paid_on)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Hãy ghi lý do hủy.")})
    (fund,) = _lock_funds(loan.fund)
    # Taking principal back out of the fund must not make its cash negative on any later day.
    if repayment.principal:
        _check_cash(fund, repayment.principal, repayment.paid_on, field="note")
    reversal = Repayment(
        loan=loan,
        paid_on=repayment.paid_on,
        principal=-repayment.principal,
        interest=-repayment.interest,
        note=note,
        reverses=repayment,
        recorded_by=recorded_by,
    )
    reversal.full_clean(exclude=NOT_REQUIRED)
    reversal.save()
    interest_entry = repayment.fund_entries.filter(kind=EntryKind.INTEREST).first()
    if interest_entry is not None:
        if repayment.interest:
            _check_cash(fund, repayment.interest, repayment.paid_on, field="note")
        _reversal_of(interest_entry, entry_date=repayment.paid_on, note=note, recorded_by=recorded_by)
    loan_coverage_refresh(loan)
    return reversal


@transaction.atomic
def loan_write_off(
    *, loan: Loan, written_off_on: datetime.date, reason: str, approved_by: str, recorded_by
) -> Loan:
    """Write off what is still owed on a loan that cannot be recovered, with the reason and the approver."""
    loan = Loan.objects.select_for_update().select_related("fund").get(pk=loan.pk)
    if loan.written_off_on is not None:
        raise ValidationError(_("Khoản vay đã được xóa nợ."))
    _check_not_future(written_off_on, "written_off_on")
    if written_off_on < loan.disbursed_on:
        raise ValidationError({"written_off_on": _("Ngày xóa nợ không được trước ngày giải ngân.")})
    check_club_id_open(club_id=loan.fund.club_id, day=written_off_on)
    last_paid = loan.repayments.order_by("-paid_on").values_list("paid_on", flat=True).first()
    if last_paid and written_off_on < last_paid:
        raise ValidationError(
            {
                "written_off_on": _("Ngày xóa nợ không được trước lần trả nợ gần nhất (%(date)s).")
                % {"date": f"{last_paid:%d/%m/%Y}"}
            }
        )
    reason, approved_by = (reason or "").strip(), (approved_by or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do xóa nợ.")})
    if not approved_by:
        raise ValidationError({"approved_by": _("Hãy ghi người phê duyệt xóa nợ.")})
    # Saved with update_fields, not full_clean(): the fields' formula check (NoFormulaStart) by hand.
    if error := formula_error(reason, _("Lý do xóa nợ"), prose=True):
        raise ValidationError({"reason": error})
    if error := formula_error(approved_by, _("Người phê duyệt xóa nợ")):
        raise ValidationError({"approved_by": error})
    owed = _owed(loan)
    if owed <= 0:
        raise ValidationError(_("Khoản vay đã trả hết, không còn gì để xóa."))
    loan.written_off_on, loan.written_off_amount = written_off_on, owed
    loan.write_off_reason, loan.write_off_approved_by = reason, approved_by
    loan.save(
        update_fields=["written_off_on", "written_off_amount", "write_off_reason", "write_off_approved_by"]
    )
    FundEntry.objects.create(
        fund=loan.fund,
        kind=EntryKind.WRITE_OFF,
        amount=owed,
        direction=-1,
        entry_date=written_off_on,
        member_id=loan.member_id,
        loan=loan,
        note=reason,
        recorded_by=recorded_by,
    )
    fund_month_refresh(loan.fund_id, written_off_on)
    return loan


# ---------------------------------------------------------------------------
# The collection sheet: all the repayments of a club meeting, in one go.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CollectionLine:
    loan: Loan
    principal: int = 0
    interest: int = 0
    note: str = ""


@transaction.atomic
def collection_sheet_save(
    *, club: Club, paid_on: datetime.date, lines: list[CollectionLine], recorded_by
) -> list[Repayment]:
    """Record every repayment of a meeting day, all or none.

    Lines with nothing paid are skipped. When any line is refused, nothing is saved and the
    `ValidationError` maps each refused line's index in `lines` to its messages.
    """
    check_club_open(club, paid_on)  # once for the sheet, before any line
    errors: dict[int, list[str]] = {}
    saved: list[Repayment] = []
    for index, line in enumerate(lines):
        if not (line.principal or line.interest):
            continue
        if line.loan.fund.club_id != club.pk:
            errors[index] = [_("Khoản vay không thuộc CLB này.")]
            continue
        try:
            with known_open(club, paid_on):  # checked above, once for the sheet
                saved.append(
                    loan_repay(
                        loan=line.loan,
                        paid_on=paid_on,
                        principal=line.principal,
                        interest=line.interest,
                        note=line.note,
                        recorded_by=recorded_by,
                    )
                )
        except ValidationError as error:
            errors[index] = error.messages
    if errors:
        # Raising rolls back the lines already saved in this transaction.
        raise ValidationError(errors)
    return saved
