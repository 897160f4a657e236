"""Demo fund and loan history for the Lai Châu clubs (codes starting `LCH-`).

The figures on 30/06/2019 come near what the province reported then (seed article, June 2019):
funds of 977 million đồng, 380 million of them from members and society (members, organisations,
individuals); 107 members borrowing, 750 million đồng outstanding. The history runs on to today:
loans revolve (a member repays and borrows again), a few are late now, one was written off.

Deterministic (a random generator seeded by each club's code) and idempotent: clubs whose funds
already hold entries or loans are left alone, and nothing happens when there are no Lai Châu clubs.
Written with bulk inserts (a few seconds for the province), so the rows are built here the way the
services would build them: the same schedules, interest entries and coverage dates.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clubs.models import Club
from devdata.demo_accounts import refresh_planner_statistics
from funds.models import (
    EntryKind,
    ExpenseCategory,
    FundEntry,
    FundKind,
    FundMonth,
    Instalment,
    Loan,
    Purpose,
    RatePeriod,
    Repayment,
    RepaymentPlan,
    Source,
)
from funds.schedule import add_months, schedule_build
from funds.selectors import fund_figures
from funds.services import coverage_of, fund_cash_changes_by_day, loan_coverage_apply
from funds.totals import totals_recompute
from members.models import DISADVANTAGED, Membership

PREFIX = "LCH-"
ANCHOR = datetime.date(2019, 6, 30)
TARGET_CAPITAL = 977_000_000
TARGET_MEMBERS_AND_SOCIETY = 380_000_000
TARGET_BORROWERS = 107
TARGET_OUTSTANDING = 750_000_000
PURPOSES = [
    (Purpose.LIVESTOCK, "Nuôi lợn"),
    (Purpose.LIVESTOCK, "Nuôi gà, vịt"),
    (Purpose.LIVESTOCK, "Nuôi trâu sinh sản"),
    (Purpose.CROPS, "Trồng chè"),
    (Purpose.CROPS, "Trồng ngô, lúa nương"),
    (Purpose.CROPS, "Trồng rau, cây ăn quả"),
    (Purpose.TRADE, "Bán tạp hóa"),
    (Purpose.SERVICES, "Xay xát thóc gạo"),
    (Purpose.PROCESSING, "Chế biến chè"),
]


@dataclass
class PlannedLoan:
    membership: Membership
    disbursed_on: datetime.date
    term: int
    plan: str
    weight: int  # principal before scaling, in millions
    rate: Decimal
    stops_after: int | None = None  # instalments paid before the borrower stops paying
    write_off_on: datetime.date | None = None
    principal: int = 0
    schedule: list = field(default_factory=list)


def _has_fund_data(club: Club) -> bool:
    return FundEntry.objects.filter(fund__club=club).exists() or Loan.objects.filter(fund__club=club).exists()


def _club_start(club: Club, funds: dict) -> datetime.date | None:
    return funds[FundKind.INCOME].opened_on or club.launched_on or club.decision_date


def _largest_remainder(total: int, weights: dict, caps: dict) -> dict:
    """Share `total` by `weights`, each at most its cap, summing to `total` where the caps allow."""
    weight_sum = sum(weights.values()) or 1
    shares = {key: min(caps[key], int(total * weight / weight_sum)) for key, weight in weights.items()}
    order = sorted(weights, key=lambda key: -(total * weights[key] / weight_sum) % 1)
    while sum(shares.values()) < total and any(shares[k] < caps[k] for k in order):
        for key in order:
            if sum(shares.values()) >= total:
                break
            if shares[key] < caps[key]:
                shares[key] += 1
    return shares


@transaction.atomic
def demo_funds_create() -> dict | None:
    """Fill the funds of the Lai Châu demo clubs; returns the province's figures on 30/06/2019 and today."""
    today = timezone.localdate()
    all_clubs = list(Club.objects.filter(code__startswith=PREFIX).order_by("code"))
    if not all_clubs:
        return None
    todo = [club for club in all_clubs if not _has_fund_data(club)]
    memberships = defaultdict(list)
    for membership in (
        Membership.objects.filter(club__in=todo)
        .select_related("member")
        .order_by("club_id", "joined_on", "member_id")
    ):
        memberships[membership.club_id].append(membership)
    # When the register's members joined after mid-2019, the 2019 figures are matched today instead.
    members_2019 = Membership.objects.filter(club__in=all_clubs, joined_on__lte=ANCHOR).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=ANCHOR)
    )
    anchor = (
        ANCHOR if members_2019.count() * 2 >= Membership.objects.filter(club__in=all_clubs).count() else today
    )

    plans: dict[int, dict] = {}
    for club in todo:
        funds = {fund.kind: fund for fund in club.funds.all()}
        start = _club_start(club, funds)
        if len(funds) < 2 or start is None or start >= today:
            continue
        plans[club.pk] = {
            "club": club,
            "funds": funds,
            "start": start,
            "rng": random.Random(f"funds-{club.code}"),
        }
    if not plans:
        return _summary(all_clubs, anchor, today)

    # Borrowers at the anchor date: shared by the clubs' members, poor and near-poor first.
    candidates = {}
    for club_id, plan in plans.items():
        rng = plan["rng"]
        eligible = [
            m
            for m in memberships[club_id]
            if max(m.joined_on, plan["start"]) <= anchor - datetime.timedelta(days=30)
            and (m.left_on is None or m.left_on > anchor)
        ]
        rng.shuffle(eligible)
        eligible.sort(key=lambda m: m.member.household not in DISADVANTAGED)
        candidates[club_id] = eligible
    slots = _largest_remainder(
        TARGET_BORROWERS,
        {club_id: len(c) for club_id, c in candidates.items()},
        {club_id: len(c) for club_id, c in candidates.items()},
    )

    # 1. Loans: one chain a borrower, revolving before and after the loan running on the anchor date.
    # Clubs founded after it lend to about one member in seven, around today.
    loans: list[PlannedLoan] = []
    for club_id, plan in plans.items():
        rng, start = plan["rng"], plan["start"]
        rate = rng.choice([Decimal(0), Decimal("0.3"), Decimal("0.5"), Decimal("0.5")])
        borrowers, around = candidates[club_id][: slots[club_id]], anchor
        if not borrowers:
            around = today - datetime.timedelta(days=60)
            borrowers = [m for m in memberships[club_id] if m.joined_on < around and m.left_on is None]
            borrowers = rng.sample(borrowers, len(borrowers) // 7)
        for membership in borrowers:
            loans.extend(_chain(rng, membership, start, around, today, rate, memberships[club_id]))
    loans = _mark_late_and_written_off(loans, today)
    _scale_principals(loans, anchor)

    # 2. Contributions to the income fund: the province at the start, members as they join, donors.
    entries: list[FundEntry] = []
    for club_id, plan in plans.items():
        rng, start, income = plan["rng"], plan["start"], plan["funds"][FundKind.INCOME]
        entries.append(
            _entry(income, EntryKind.CONTRIBUTION, rng.choice([20, 25, 25, 30]) * 1_000_000, start, Source.STATE,
                   note="Tỉnh hỗ trợ vốn ban đầu", document_number=f"QĐ {rng.randint(100, 999)}/QĐ-UBND")
        )  # fmt: skip
        for membership in memberships[club_id]:
            day = max(membership.joined_on, start)
            if day > today:
                continue
            amount = rng.choice([100_000, 200_000, 200_000, 300_000, 500_000])
            entries.append(
                _entry(income, EntryKind.CONTRIBUTION, amount, day, Source.MEMBERS, member_id=membership.member_id,
                       note="Thành viên góp vốn quỹ")
            )  # fmt: skip
    # 3. The activity fund: yearly dues, visits and meetings.
    for club_id, plan in plans.items():
        rng, activity = plan["rng"], plan["funds"][FundKind.ACTIVITY]
        for year in range(plan["start"].year, today.year + 1):
            day = max(datetime.date(year, 1, 15), plan["start"])
            active = sum(
                1
                for m in memberships[club_id]
                if m.joined_on <= day and (m.left_on is None or m.left_on > day)
            )
            if day > today or not active:
                continue
            dues = active * 30_000
            entries.append(_entry(activity, EntryKind.CONTRIBUTION, dues, day, Source.MEMBERS,
                                  note=f"Thành viên đóng góp quỹ hoạt động năm {year}"))  # fmt: skip
            for month, category, share, note in (
                (3, ExpenseCategory.VISITS, 40, "Thăm hỏi thành viên ốm đau"),
                (9, ExpenseCategory.MEETINGS, 30, "Nước uống, văn phòng phẩm sinh hoạt định kỳ"),
            ):
                spent_on = max(datetime.date(year, month, 10), day)
                if spent_on <= today:
                    entries.append(_entry(activity, EntryKind.EXPENSE, dues * share // 100, spent_on, "",
                                          category=category, note=note))  # fmt: skip

    # Organisations and individuals make up the rest of the 380 million from members and society.
    members_by_anchor = sum(
        e.amount for e in entries if e.source == Source.MEMBERS and e.entry_date <= anchor
    )
    donors = max(TARGET_MEMBERS_AND_SOCIETY - members_by_anchor, 0)
    weights = {
        club_id: max(len(memberships[club_id]), 1) for club_id, p in plans.items() if p["start"] <= anchor
    }
    for club_id, share in _split(donors, weights).items():
        plan = plans[club_id]
        day = plan["start"]
        organisation = share * 2 // 3 // 100_000 * 100_000
        income = plan["funds"][FundKind.INCOME]
        entries.append(_entry(income, EntryKind.CONTRIBUTION, organisation, day, Source.DONOR_ORG,
                              note="Doanh nghiệp, tổ chức trên địa bàn ủng hộ"))  # fmt: skip
        entries.append(_entry(income, EntryKind.CONTRIBUTION, share - organisation, day, Source.DONOR_PERSON,
                              note="Cá nhân hảo tâm, con em xa quê ủng hộ"))  # fmt: skip

    _write(loans, entries, plans)
    # The planner's statistics first: the recompute below joins the rows just written, and without them
    # PostgreSQL takes the tables for empty (a nested-loop plan made the demo take 129 s once, not 8).
    refresh_planner_statistics(FundEntry, Loan, Instalment, Repayment)
    # Written in bulk, past the services: the running totals of these funds from their rows, before the
    # capital is balanced on the figures that read them, and again after (it edits entries in place).
    fund_ids = [fund.pk for plan in plans.values() for fund in plan["funds"].values()]
    totals_recompute(fund_ids)
    _balance_capital(all_clubs, plans, anchor)
    totals_recompute(fund_ids)
    refresh_planner_statistics(FundEntry, Loan, Instalment, Repayment, FundMonth)
    return _summary(all_clubs, anchor, today)


def _entry(fund, kind, amount, day, source, **fields) -> FundEntry:
    direction = -1 if kind in (EntryKind.EXPENSE, EntryKind.WRITE_OFF, EntryKind.TRANSFER_OUT) else 1
    return FundEntry(
        fund=fund, kind=kind, amount=amount, direction=direction, entry_date=day, source=source, **fields
    )


def _split(total: int, weights: dict) -> dict:
    """Share an amount by weights in whole hundred thousands; the last share takes the rest."""
    weight_sum = sum(weights.values())
    if not weight_sum or total <= 0:
        return {}
    keys = sorted(weights, key=lambda key: getattr(key, "pk", key))
    shares = {key: total * weights[key] // weight_sum // 100_000 * 100_000 for key in keys[:-1]}
    shares[keys[-1]] = total - sum(shares.values())
    return shares


def _chain(rng, membership, start, anchor, today, rate, members) -> list[PlannedLoan]:
    """A chain of loans, each disbursed after the previous one was due: one running on the anchor
    date, earlier ones to the same borrower, later ones to them or, once in three, to another member."""
    first_day = max(membership.joined_on, start) + datetime.timedelta(days=7)

    def new(day: datetime.date) -> PlannedLoan:
        term = rng.choice([12, 12, 12, 18, 24])
        plan = RepaymentPlan.AT_END if rng.random() < 0.6 else RepaymentPlan.EQUAL_MONTHLY
        return PlannedLoan(membership, day, term, plan, rng.choice([3, 4, 5, 5, 6, 7, 8, 10]), rate)

    earliest = max(first_day, anchor - datetime.timedelta(days=330))
    latest = anchor - datetime.timedelta(days=15)
    if earliest > latest:
        return []
    current = new(earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days)))
    chain = [current]
    # Earlier loans, each repaid a month or two before the next; fewer members borrowed in the first years.
    day = current.disbursed_on
    while rng.random() < 0.6:
        term = 12
        previous_day = add_months(day, -(term + rng.choice([1, 2])))
        if previous_day < first_day:
            break
        loan = new(previous_day)
        loan.term = term
        chain.insert(0, loan)
        day = previous_day
    # Later loans, until today.
    while True:
        next_day = add_months(chain[-1].disbursed_on, chain[-1].term + rng.choice([0, 1, 1, 2]))
        borrower = chain[-1].membership
        if rng.random() < 1 / 3:
            others = [
                m for m in members if m.joined_on < next_day and (m.left_on is None or m.left_on > next_day)
            ]
            borrower = rng.choice(others) if others else borrower
        if next_day >= min(borrower.left_on or today, today):
            break
        loan = new(next_day)
        loan.membership = borrower
        chain.append(loan)
    return chain


def _mark_late_and_written_off(loans: list[PlannedLoan], today: datetime.date) -> list[PlannedLoan]:
    """A few borrowers stop paying their current loan; one older loan is written off."""
    rng = random.Random("funds-late")
    current = [
        loan for loan in loans if loan.disbursed_on <= today < add_months(loan.disbursed_on, loan.term)
    ]
    monthly = [loan for loan in current if loan.plan == RepaymentPlan.EQUAL_MONTHLY]
    for loan in rng.sample(monthly, min(3, len(monthly))):
        # Paid the instalments until one to four months ago.
        months_run = (today.year - loan.disbursed_on.year) * 12 + today.month - loan.disbursed_on.month
        loan.stops_after = max(0, months_run - rng.choice([1, 2, 4]))
    older = [
        loan
        for loan in loans
        if loan.plan == RepaymentPlan.EQUAL_MONTHLY
        and loan.term == 12
        and datetime.date(2021, 1, 1) <= loan.disbursed_on <= datetime.date(2022, 6, 30)
    ]
    if older:
        written_off = rng.choice(older)
        written_off.stops_after = 3
        written_off.write_off_on = add_months(written_off.disbursed_on, 18)
        # The borrower does not borrow again.
        loans = [
            loan
            for loan in loans
            if loan.membership is not written_off.membership or loan.disbursed_on <= written_off.disbursed_on
        ]
    return loans


def _scale_principals(loans: list[PlannedLoan], anchor: datetime.date) -> None:
    """Principals in half millions, scaled so that what is outstanding on the anchor date is near 750 million."""

    def outstanding_share(loan: PlannedLoan) -> Decimal:
        if not loan.disbursed_on <= anchor < add_months(loan.disbursed_on, loan.term):
            return Decimal(0)
        if loan.plan == RepaymentPlan.AT_END:
            return Decimal(1)
        months_paid = sum(1 for k in range(1, loan.term + 1) if add_months(loan.disbursed_on, k) <= anchor)
        return Decimal(loan.term - months_paid) / loan.term

    weighted = sum(loan.weight * outstanding_share(loan) for loan in loans) * 1_000_000
    factor = Decimal(TARGET_OUTSTANDING) / weighted if weighted else Decimal(1)
    for loan in loans:
        principal = Decimal(loan.weight * 1_000_000) * factor
        loan.principal = max(1_000_000, min(20_000_000, int(principal / 500_000 + Decimal("0.5")) * 500_000))
        loan.schedule = schedule_build(
            principal=loan.principal,
            disbursed_on=loan.disbursed_on,
            term_months=loan.term,
            interest_rate=loan.rate,
            rate_period=RatePeriod.MONTH,
            plan=loan.plan,
        )


def _write(loans: list[PlannedLoan], entries: list[FundEntry], plans: dict) -> None:
    """Insert the loans, their schedules, repayments and ledger entries the services would make."""
    rng = random.Random("funds-repayments")
    today = timezone.localdate()
    income_of = {club_id: plan["funds"][FundKind.INCOME] for club_id, plan in plans.items()}
    rows = []
    for loan in loans:
        purpose, text = rng.choice(PURPOSES)
        rows.append(
            Loan(
                fund=income_of[loan.membership.club_id],
                member_id=loan.membership.member_id,
                disbursed_on=loan.disbursed_on,
                principal=loan.principal,
                purpose=purpose,
                purpose_text=text,
                term_months=loan.term,
                interest_rate=loan.rate,
                rate_period=RatePeriod.MONTH,
                plan=loan.plan,
                last_due_on=loan.schedule[-1].due_on,
                instalments_count=len(loan.schedule),
            )
        )
    Loan.objects.bulk_create(rows)
    instalments, repayments, paid_with = [], [], []
    for planned, row in zip(loans, rows, strict=True):
        payments, repaid = [], 0
        for number, due in enumerate(planned.schedule, start=1):
            if planned.stops_after is not None and number > planned.stops_after:
                break
            roll = rng.random()
            late_by = 0 if roll < 0.85 else rng.randint(3, 25) if roll < 0.96 else rng.randint(35, 60)
            paid_on = due.due_on + datetime.timedelta(days=late_by) if late_by else due.due_on
            if paid_on > today:
                break
            repaid += due.principal_due
            payments.append((paid_on, due.principal_due))
            repayments.append(
                Repayment(loan=row, paid_on=paid_on, principal=due.principal_due, interest=due.interest_due)
            )
            paid_with.append(row)
        schedule = [
            Instalment(
                loan=row,
                number=due.number,
                due_on=due.due_on,
                principal_due=due.principal_due,
                interest_due=due.interest_due,
                principal_due_cumulative=due.principal_due_cumulative,
            )
            for due in planned.schedule
        ]
        daily = defaultdict(int)
        for paid_on, principal in payments:
            daily[paid_on] += principal
        loan_coverage_apply(row, schedule, coverage_of(row, schedule, sorted(daily.items())))
        instalments.extend(schedule)
        if planned.write_off_on and planned.write_off_on <= today:
            row.written_off_on, row.written_off_amount = planned.write_off_on, row.principal - repaid
            row.write_off_reason = (
                "Gia đình bị lũ quét cuốn mất chuồng trại, hộ nghèo không còn khả năng trả nợ"
            )
            row.write_off_approved_by = "Ban Chủ nhiệm CLB, có ý kiến của Hội NCT xã"
            entries.append(
                _entry(row.fund, EntryKind.WRITE_OFF, row.written_off_amount, row.written_off_on, "",
                       loan=row, member_id=row.member_id, note=row.write_off_reason)
            )  # fmt: skip
    Loan.objects.bulk_update(
        rows,
        [
            "repaid_on",
            "instalments_on_time",
            "written_off_on",
            "written_off_amount",
            "write_off_reason",
            "write_off_approved_by",
        ],
    )
    Instalment.objects.bulk_create(instalments, batch_size=2000)
    Repayment.objects.bulk_create(repayments, batch_size=2000)
    for repayment, row in zip(repayments, paid_with, strict=True):
        if repayment.interest:
            entries.append(
                _entry(row.fund, EntryKind.INTEREST, repayment.interest, repayment.paid_on, "",
                       repayment=repayment, loan=row, member_id=row.member_id, note="Lãi khoản vay")
            )  # fmt: skip
    FundEntry.objects.bulk_create([entry for entry in entries if entry.amount > 0], batch_size=2000)


def _balance_capital(all_clubs: list[Club], plans: dict, anchor: datetime.date) -> None:
    """The Fund for Caring for Older People and projects bring the province's capital on the anchor
    date to exactly 977 million, and no fund ever spends cash it does not hold.

    Their support goes first where the loans would otherwise spend money the fund did not yet hold:
    given when the club started for a shortfall up to the anchor date, and on the day the cash would
    run short for one after it (support that came later is not counted on the anchor date). The rest
    of the 977 million is shared equally at the start. Should the early support alone pass 977
    million, the province gave less at the start where the fund could do without it.
    """
    paths = {fund: _cash_path(fund) for plan in plans.values() for fund in plan["funds"].values()}
    at_start = defaultdict(int)
    for fund, path in paths.items():
        lowest = min((cash for day, cash in path if day <= anchor), default=0)
        if lowest < 0:
            at_start[fund] = _whole_millions(-lowest)
    capital = fund_figures(Club.objects.filter(pk__in=[c.pk for c in all_clubs]), anchor)["capital"]
    counted = sum(share for fund, share in at_start.items() if plans[fund.club_id]["start"] <= anchor)
    rest = TARGET_CAPITAL - capital - counted
    weights = {plan["funds"][FundKind.INCOME]: 1 for plan in plans.values() if plan["start"] <= anchor}
    for fund, share in _split(rest, weights).items():
        at_start[fund] += share
    if rest < 0:
        _province_support_reduce(-rest, plans, paths, anchor)
    for fund, share in at_start.items():
        _support_save(fund, share, plans[fund.club_id]["start"])
    for fund in paths:
        path = _cash_path(fund)
        short = [(day, cash) for day, cash in path if cash < 0]
        if short:
            _support_save(fund, _whole_millions(-min(cash for day, cash in short)), short[0][0])


def _cash_path(fund) -> list[tuple[datetime.date, int]]:
    """The fund's cash at the end of each day that moved it, in date order."""
    path, cash = [], 0
    for day, change in sorted(fund_cash_changes_by_day(fund).items()):
        cash += change
        path.append((day, cash))
    return path


def _whole_millions(amount: int) -> int:
    return (amount + 999_999) // 1_000_000 * 1_000_000


def _province_support_reduce(amount: int, plans: dict, paths: dict, anchor: datetime.date) -> None:
    """Take `amount` off the province's start-up support of income funds that never ran short
    before the anchor date, each by no more than the least cash it held until then."""
    for plan in sorted(plans.values(), key=lambda plan: plan["club"].code):
        income = plan["funds"][FundKind.INCOME]
        spare = min((cash for day, cash in paths[income] if day <= anchor), default=0)
        if amount <= 0 or plan["start"] > anchor or spare <= 0:
            continue
        # The entry was written moments ago in this transaction: nobody has seen it yet.
        entry = income.entries.get(source=Source.STATE, entry_date=plan["start"])
        cut = min(amount, spare, entry.amount - 1_000_000)
        FundEntry.objects.filter(pk=entry.pk).update(amount=entry.amount - cut)
        amount -= cut


def _support_save(fund, share: int, day: datetime.date) -> None:
    """Support for the income fund, two fifths from the Fund for Caring for Older People, the rest from a project."""
    care = share * 2 // 5 // 100_000 * 100_000 if fund.kind == FundKind.INCOME else 0
    if care > 0:
        _entry(fund, EntryKind.CONTRIBUTION, care, day, Source.CARE_FUND,
               note="Quỹ chăm sóc và phát huy vai trò NCT tỉnh hỗ trợ").save()  # fmt: skip
    if share - care > 0:
        _entry(fund, EntryKind.CONTRIBUTION, share - care, day, Source.PROJECT,
               note="Dự án nhân rộng mô hình CLB LTHTGN hỗ trợ vốn").save()  # fmt: skip


def _summary(clubs: list[Club], anchor: datetime.date, today: datetime.date) -> dict:
    club_set = Club.objects.filter(pk__in=[club.pk for club in clubs])
    return {
        "anchor": anchor,
        "at_anchor": fund_figures(club_set, anchor),
        "today": fund_figures(club_set, today),
    }
