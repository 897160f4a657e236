"""Reads on the funds: figures at a date for a club or any set of clubs, loan status, overdue loans.

Everything is computed in the database with a fixed number of queries whatever the number of
clubs, loans or members. Definitions (the reports use them as they are):

- capital on a date: the signed sum of the ledger entries up to that date, both funds together;
- capital by source: contributions by source, net of their reversals;
- outstanding principal: principal disbursed − principal repaid (including principal repaid before
  the loan was brought onto the system) − principal written off, all up to the date;
- cash on hand: capital − outstanding principal;
- borrowers: distinct members, active in the club on the date, with outstanding principal > 0;
- members who borrowed in a period: distinct members with a loan disbursed in it;
- repayment rate: on-time instalments ÷ instalments due by the date, where an instalment is on
  time when the principal repaid by its due date covers the principal due through it (instalments
  falling due after a loan was written off are not counted);
- PAR30 (CGAP): the whole outstanding balance of the loans with a payment more than 30 days late ÷
  the total outstanding balance. A loan 30 days late is not counted; 31 days is.

The figures for a set of clubs read the running totals the writes keep (funds.totals): the capital
from the monthly sums before the date's month plus that month's entries, and each open loan's
principal repaid from the loan's own totals whenever its principal last moved on or before the date
(always, at today's date), and whether it is late from the index of unpaid instalments; only the other
loans, at a past date, read their repayments and their instalments' coverage dates.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from clubs.models import Club
from funds.models import FundEntry, FundKind, FundMonth, Instalment, Loan, Repayment, Source
from funds.totals import month_end, month_start
from members.models import Household, HouseholdStatus, Membership, active_on_q, household_valid_on_q

Period = tuple[datetime.date, datetime.date]

PAR_DAYS = 30
# Source.values builds its list (and the choices' labels) anew at each use: 2,400 reads took 46 ms, and a
# province report read it twice per club of each of its two dates.
SOURCES = tuple(Source.values)


class LoanState:
    ACTIVE = "active"
    OVERDUE = "overdue"
    REPAID = "repaid"
    WRITTEN_OFF = "written_off"

    labels = {
        ACTIVE: _("Đang vay"),
        OVERDUE: _("Quá hạn"),
        REPAID: _("Đã trả hết"),
        WRITTEN_OFF: _("Đã xóa nợ"),
    }
    choices = list(labels.items())


@dataclass(frozen=True)
class LoanStatus:
    state: str
    days_late: int = 0

    @property
    def label(self) -> str:
        return str(LoanState.labels[self.state])

    @property
    def is_overdue(self) -> bool:
        return self.state == LoanState.OVERDUE


class DaysBetween(Func):
    """Whole days from `start` to `end` (two dates), as an integer, on PostgreSQL and SQLite."""

    output_field = IntegerField()

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return f"({end} - {start})", [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra_context):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)", [*end_params, *start_params]


# ---------------------------------------------------------------------------
# Loan conditions at a date, as database filters
# ---------------------------------------------------------------------------


def loan_open_q(on: datetime.date, prefix: str = "") -> Q:
    """Loans with outstanding principal on `on`: disbursed, not fully repaid, not written off."""
    return (
        Q(**{f"{prefix}disbursed_on__lte": on})
        & (Q(**{f"{prefix}repaid_on__isnull": True}) | Q(**{f"{prefix}repaid_on__gt": on}))
        & (Q(**{f"{prefix}written_off_on__isnull": True}) | Q(**{f"{prefix}written_off_on__gt": on}))
    )


def loan_schedule_ran_out_q(on: datetime.date, prefix: str = "") -> Q:
    """Loans whose every instalment was due by `on`, none of them after a write-off: for these the
    stored counts (`instalments_count`, `instalments_on_time`) are the repayment-rate figures."""
    return Q(**{f"{prefix}last_due_on__lte": on}) & (
        Q(**{f"{prefix}written_off_on__isnull": True})
        | Q(**{f"{prefix}written_off_on__gte": F(f"{prefix}last_due_on")})
    )


def instalment_unpaid_q(on: datetime.date, prefix: str = "") -> Q:
    """Instalments whose cumulative principal was not yet covered on `on`."""
    return Q(**{f"{prefix}paid_on__isnull": True}) | Q(**{f"{prefix}paid_on__gt": on})


def _late_since(on: datetime.date) -> Subquery:
    """The earliest due date, before `on`, of an instalment still unpaid on `on` (None if none)."""
    return Subquery(
        Instalment.objects.filter(loan=OuterRef("pk"), due_on__lt=on)
        .filter(instalment_unpaid_q(on))
        .order_by("due_on")
        .values("due_on")[:1],
        output_field=DateField(),
    )


def _repaid_by(on: datetime.date, field: str = "principal") -> Coalesce:
    return Coalesce(
        Subquery(
            Repayment.objects.filter(loan=OuterRef("pk"), paid_on__lte=on)
            .order_by()
            .values("loan_id")
            .annotate(total=Sum(field))
            .values("total")[:1]
        ),
        0,
    )


def principal_repaid_by(on: datetime.date) -> Case:
    """The principal a loan had repaid by `on`: its running total (funds.totals) where that holds on
    the date, else the sum of its repayments up to it."""
    return Case(When(totals_hold_q(on), then=F("principal_repaid")), default=_repaid_by(on))


def open_loans_owing(loans: QuerySet[Loan], on: datetime.date) -> QuerySet[Loan]:
    """The loans open on `on`, annotated with `outstanding`, the principal they still owed then: what
    the reports sum, row by row (the loans export). One query, without a subquery per loan where the
    running totals hold (a country's 232,000 open loans: 58 s with `loans_with_position`)."""
    return loans.filter(loan_open_q(on)).annotate(
        outstanding=F("principal") - F("opening_repaid") - principal_repaid_by(on)
    )


def loans_with_position(loans: QuerySet[Loan], on: datetime.date) -> QuerySet[Loan]:
    """Loans annotated, as of `on`, with `repaid` and `outstanding` principal, `interest_paid`
    and `late_since` (see `_late_since`). For lists: it costs a subquery per row shown."""
    written_off = Case(When(written_off_on__lte=on, then=F("written_off_amount")), default=0)
    return loans.annotate(
        repaid=_repaid_by(on),
        interest_paid=_repaid_by(on, "interest"),
        late_since=Case(When(loan_open_q(on), then=_late_since(on)), default=None, output_field=DateField()),
    ).annotate(
        outstanding=Case(
            When(disbursed_on__lte=on, then=F("principal") - F("opening_repaid") - F("repaid") - written_off),
            default=0,
        )
    )


def late_q(on: datetime.date, due_before: datetime.date) -> Q:
    """Loans with an instalment due before `due_before` (at the latest `on`) and not covered on `on`.
    Where the running totals hold on `on` (funds.totals) the loan's first unpaid due date says it; only
    the other loans' instalments are read (a country's 232,000 open loans: one probe each otherwise)."""
    current = totals_hold_q(on)
    unpaid_then = Exists(
        Instalment.objects.filter(loan=OuterRef("pk"), due_on__lt=due_before).filter(instalment_unpaid_q(on))
    )
    return (current & Q(first_unpaid_due_on__lt=due_before)) | (~current & Q(unpaid_then))


def loans_filter_state(loans: QuerySet[Loan], state: str, on: datetime.date) -> QuerySet[Loan]:
    """Loans in a state on `on` (for list filters). Needs no annotation."""
    late = late_q(on, on)
    if state == LoanState.WRITTEN_OFF:
        return loans.filter(written_off_on__lte=on)
    if state == LoanState.REPAID:
        return loans.filter(repaid_on__lte=on).exclude(written_off_on__lte=on)
    if state == LoanState.OVERDUE:
        return loans.filter(loan_open_q(on)).filter(late)
    if state == LoanState.ACTIVE:
        return loans.filter(loan_open_q(on)).exclude(late)
    return loans


def loans_late_more_than(loans: QuerySet[Loan], days: int, on: datetime.date) -> QuerySet[Loan]:
    """Open loans with an instalment unpaid more than `days` days after its due date."""
    return loans.filter(loan_open_q(on)).filter(late_q(on, on - datetime.timedelta(days=days)))


def overdue_loans(loans_qs: QuerySet[Loan], on: datetime.date) -> QuerySet[Loan]:
    """Loans with a payment late on `on`, annotated with `late_since` and `days_late`, latest first."""
    return (
        loans_filter_state(loans_qs, LoanState.OVERDUE, on)
        .annotate(late_since=_late_since(on))
        .annotate(days_late=DaysBetween(Value(on, output_field=DateField()), F("late_since")))
        .order_by("-days_late", "pk")
    )


def loan_status(loan: Loan, on: datetime.date) -> LoanStatus | None:
    """The state of one loan on `on` (None before it was disbursed). Uses `late_since` when the
    loan was annotated by `loans_with_position` / `overdue_loans`, else reads its instalments."""
    if loan.disbursed_on > on:
        return None
    if loan.written_off_on is not None and loan.written_off_on <= on:
        return LoanStatus(LoanState.WRITTEN_OFF)
    if loan.repaid_on is not None and loan.repaid_on <= on:
        return LoanStatus(LoanState.REPAID)
    if hasattr(loan, "late_since"):
        late_since = loan.late_since
    else:
        late_since = (
            loan.instalments.filter(due_on__lt=on)
            .filter(instalment_unpaid_q(on))
            .order_by("due_on")
            .values_list("due_on", flat=True)
            .first()
        )
    if late_since is not None:
        return LoanStatus(LoanState.OVERDUE, (on - late_since).days)
    return LoanStatus(LoanState.ACTIVE)


# ---------------------------------------------------------------------------
# Figures for a set of clubs
# ---------------------------------------------------------------------------

RATE_FIGURES = frozenset({"repayment_rate_pct", "instalments_due", "instalments_on_time"})
FIGURE_KEYS = (
    "capital",
    "capital_income_fund",
    "capital_activity_fund",
    "capital_by_source",
    "cash",
    "outstanding",
    "borrowers",
    "active_members",
    "members_borrowing_pct",
    "members_ever_borrowed",
    "borrowed_in_period",
    "disbursed_in_period",
    "repayment_rate_pct",
    "instalments_due",
    "instalments_on_time",
    "par30_outstanding",
    "par30_pct",
    "clubs_with_both_funds",
)


def _grouped(queryset: QuerySet, key: str | None, **aggregates) -> dict:
    """`{group: {name: value}}` with `group` the value of `key`, or `{None: {...}}` for the whole set.

    By group, the rows come as the database gives them (plain_rows): every aggregate here counts, or sums
    whole đồng, so the sums are cast to bigint by the database rather than given as numeric and turned
    into int by a converter per value, a million calls for the country's report (about 0.3 s of Python
    beside the other queries of the report, which wait for it)."""
    if key is None:
        return {None: queryset.aggregate(**aggregates)}
    names = list(aggregates)
    as_integers = {
        name: _whole(aggregate) if isinstance(aggregate, Sum) else aggregate
        for name, aggregate in aggregates.items()
    }
    grouped = queryset.values(key).annotate(**as_integers).order_by().values_list(key, *names)
    _columns, rows = plain_rows(grouped)
    return {group: dict(zip(names, values, strict=True)) for group, *values in rows}


def plain_rows(queryset: QuerySet) -> tuple[list[str], list[tuple]]:
    """The column names and rows of a values() or values_list() queryset as the database driver gives
    them, without Django's converters (the columns must need none: counts, sums cast to integers, ids).
    The reports read their per-club counts this way too (reports.indicators)."""
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return [], []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [column[0] for column in cursor.description], cursor.fetchall()


def _pct(part: int, whole: int) -> float | None:
    return None if not whole else 100 * part / whole


# The figures each query gives (`only` runs just the queries of the figures asked for).
LEDGER_FIGURES = frozenset(
    {
        "capital",
        "capital_income_fund",
        "capital_activity_fund",
        "capital_by_source",
        "cash",
        "clubs_with_both_funds",
    }
)
LOAN_TOTAL_FIGURES = frozenset(
    {"members_ever_borrowed", "disbursed_in_period", "borrowed_in_period", *RATE_FIGURES}
)
OWED_FIGURES = frozenset({"outstanding", "cash", "par30_outstanding", "par30_pct"})
BORROWER_FIGURES = frozenset({"borrowers", "members_borrowing_pct"})
# Not in FIGURE_KEYS (only a report asks for it, through `only`): the borrowers, as counted above, whose
# household status valid on the date is poor or near-poor.
POOR_BORROWERS = "borrowers_poor_near_poor"
MEMBER_FIGURES = frozenset({"active_members", "members_borrowing_pct"})


def _figures(
    clubs_qs: QuerySet[Club],
    on: datetime.date,
    period: Period | None,
    by_club: bool,
    only: frozenset[str] | set[str] | None = None,
) -> dict:
    """The figures grouped by club id (by_club) or for the whole set (key None), in five queries
    (six by club). Per-loan work is done only for the loans open on the date. `only`: the figures
    wanted (the others are left 0); only the queries they need run."""
    wanted = frozenset(FIGURE_KEYS if only is None else only)
    club_ids = clubs_qs.values("pk")
    loans = Loan.objects.filter(fund__club__in=club_ids)

    # 1. The ledger: capital of each fund kind and by source, per club, from the running totals by month
    # (funds.totals) before the date's month and the entries of that month up to the date (none when
    # the date ends its month). Over a set of clubs the per-club rows are summed here, and the clubs
    # whose two funds both hold capital counted.
    ledger = _ledger_by_club(club_ids, on) if wanted & LEDGER_FIGURES else {}
    for row in ledger.values():
        row["clubs_with_both_funds"] = int(
            row["capital_income_fund"] > 0 and row["capital_activity_fund"] > 0
        )
    if not by_club:
        total = dict.fromkeys(LEDGER_NAMES, 0) | {"clubs_with_both_funds": 0}
        for row in ledger.values():
            for name in total:
                total[name] += row[name]
        ledger = {None: total}
    group = "fund__club_id" if by_club else None
    # 2. Every loan: members who ever borrowed, amount disbursed in the period, and the instalments
    # of the loans whose schedule ran out by the date (see 5).
    start, end = period if period else (on, on)
    ran_out = loan_schedule_ran_out_q(on)
    loan_totals = (
        _grouped(
            loans.filter(Q(disbursed_on__lte=on) | Q(disbursed_on__range=(start, end))),
            group,
            ever_borrowed=Count("member", distinct=True, filter=Q(disbursed_on__lte=on)),
            disbursed=Sum("principal", filter=Q(disbursed_on__range=(start, end))),
            borrowed_in_period=Count("member", distinct=True, filter=Q(disbursed_on__range=(start, end))),
            instalments_due=Sum("instalments_count", filter=ran_out),
            instalments_on_time=Sum("instalments_on_time", filter=ran_out),
        )
        if wanted & LOAN_TOTAL_FIGURES
        else {}
    )
    # 3. The loans open on the date: outstanding principal, what of it is at risk (PAR30), and the
    # borrowers who are active members of the club. Closed loans owe nothing, so they are left out.
    active_in_club = Exists(
        Membership.objects.filter(member=OuterRef("member_id"), club=OuterRef("fund__club_id")).filter(
            active_on_q(on)
        )
    )
    # A loan whose principal last moved by the date has its running totals (funds.totals) as its figures
    # on the date: the principal repaid, and the first unpaid instalment's due date for PAR30. Only the
    # others (at a past date, those repaid since) read their repayments and instalments.
    owed = F("principal") - F("opening_repaid") - F("repaid_by_on")
    open_sums = {}
    open_rows = loans.filter(loan_open_q(on))
    if wanted & OWED_FIGURES:
        # (An annotation, not the aggregate's filter: summed over the whole set, Django moves the rows into a
        # subquery, where a filter's reference to the loan row would be left dangling.)
        at_risk = ExpressionWrapper(
            late_q(on, on - datetime.timedelta(days=PAR_DAYS)), output_field=BooleanField()
        )
        open_rows = open_rows.annotate(repaid_by_on=principal_repaid_by(on), late_30=at_risk)
        open_sums.update(outstanding=Sum(owed), par30=Sum(owed, filter=Q(late_30=True)))
    if wanted & (BORROWER_FIGURES | {POOR_BORROWERS}):
        open_rows = open_rows.annotate(borrower_active=active_in_club)
    if wanted & BORROWER_FIGURES:
        open_sums["borrowers"] = Count("member", distinct=True, filter=Q(borrower_active=True))
    if POOR_BORROWERS in wanted:
        # The poor members as one uncorrelated IN: hashed once, each open loan probes it. A query of its own
        # from the memberships, probing their loans and statuses, took 80–90 ms of server CPU on 1,200 clubs;
        # this count adds 35–65 ms to the open-loans query (the IN's hash about half of it; a correlated
        # EXISTS on the statuses' index instead was no faster).
        poor = HouseholdStatus.objects.filter(
            household_valid_on_q(on), status__in=(Household.POOR, Household.NEAR_POOR)
        ).values("member_id")
        open_sums["borrowers_poor"] = Count(
            "member", distinct=True, filter=Q(borrower_active=True, member_id__in=poor)
        )
    open_loans = _grouped(open_rows, group, **open_sums) if open_sums else {}
    # 4. Active members.
    members = (
        _grouped(
            Membership.objects.filter(club__in=club_ids).filter(active_on_q(on)),
            "club_id" if by_club else None,
            n=Count("member", distinct=True),
        )
        if wanted & MEMBER_FIGURES
        else {}
    )
    # 5. Repayment rate: instalments due by the date (not after a write-off), and those paid on time.
    # Loans whose whole schedule was due by the date give their stored counts (2); only the
    # instalments of the others are read here.
    instalments = (
        Instalment.objects.filter(loan__fund__club__in=club_ids, due_on__lte=on)
        .exclude(loan__written_off_on__lt=F("due_on"))
        .exclude(loan_schedule_ran_out_q(on, prefix="loan__"))
    )
    rate = (
        _grouped(
            instalments,
            "loan__fund__club_id" if by_club else None,
            due=Count("pk"),
            on_time=Count("pk", filter=Q(paid_on__lte=F("due_on"))),
        )
        if wanted & RATE_FIGURES
        else {}
    )

    keys = list(clubs_qs.order_by().values_list("pk", flat=True)) if by_club else [None]
    result = {}
    for key in keys:
        figures = _empty_figures()
        row = ledger.get(key, {})
        figures["capital_income_fund"] = row.get("capital_income_fund") or 0
        figures["capital_activity_fund"] = row.get("capital_activity_fund") or 0
        figures["capital"] = figures["capital_income_fund"] + figures["capital_activity_fund"]
        figures["capital_by_source"] = {source: row.get(f"source_{source}") or 0 for source in SOURCES}
        figures["clubs_with_both_funds"] = row.get("clubs_with_both_funds") or 0
        totals, open_ = loan_totals.get(key, {}), open_loans.get(key, {})
        figures["outstanding"] = open_.get("outstanding") or 0
        figures["cash"] = figures["capital"] - figures["outstanding"]
        figures["members_ever_borrowed"] = totals.get("ever_borrowed") or 0
        figures["disbursed_in_period"] = (totals.get("disbursed") or 0) if period else 0
        figures["borrowers"] = open_.get("borrowers") or 0
        if POOR_BORROWERS in wanted:
            figures[POOR_BORROWERS] = open_.get("borrowers_poor") or 0
        figures["borrowed_in_period"] = (totals.get("borrowed_in_period") or 0) if period else 0
        figures["active_members"] = members.get(key, {}).get("n") or 0
        figures["members_borrowing_pct"] = _pct(figures["borrowers"], figures["active_members"])
        figures["par30_outstanding"] = open_.get("par30") or 0
        figures["par30_pct"] = _pct(figures["par30_outstanding"], figures["outstanding"])
        figures["instalments_due"] = (rate.get(key, {}).get("due") or 0) + (
            totals.get("instalments_due") or 0
        )
        figures["instalments_on_time"] = (rate.get(key, {}).get("on_time") or 0) + (
            totals.get("instalments_on_time") or 0
        )
        figures["repayment_rate_pct"] = _pct(figures["instalments_on_time"], figures["instalments_due"])
        result[key] = figures
    return result


LEDGER_NAMES = ("capital_income_fund", "capital_activity_fund", *(f"source_{s}" for s in SOURCES))


def totals_hold_q(on: datetime.date, prefix: str = "") -> Q:
    """Loans whose running totals (funds.totals) are their figures on `on`: no principal moved after it."""
    return Q(**{f"{prefix}repaid_through__isnull": True}) | Q(**{f"{prefix}repaid_through__lte": on})


def _ledger_by_club(club_ids: QuerySet, on: datetime.date) -> dict[int, dict[str, int]]:
    """Capital of each fund kind and by source on `on`, per club: the months before the date's month
    (all of it when the date ends its month) from FundMonth, and that month's entries up to the date."""
    first = month_start(on)
    whole_month = on == month_end(on)
    # Per fund and source, the row of the last month with entries before the date's month (or through
    # it when the date ends its month): its balance is the source's capital then.
    boundary = month_end(on) + datetime.timedelta(days=1) if whole_month else first
    months = FundMonth.objects.filter(fund__club__in=club_ids, month__lt=boundary).filter(
        Q(next_month__isnull=True) | Q(next_month__gte=boundary)
    )
    parts = [(months, F("balance"))]
    if not whole_month:
        entries = FundEntry.objects.filter(fund__club__in=club_ids, entry_date__range=(first, on))
        parts.append((entries, F("direction") * F("amount")))
    grouped = [
        rows.values("fund__club_id")
        .annotate(
            capital_income_fund=_whole(Sum(amount, filter=Q(fund__kind=FundKind.INCOME), default=0)),
            capital_activity_fund=_whole(Sum(amount, filter=Q(fund__kind=FundKind.ACTIVITY), default=0)),
            **{
                f"source_{source}": _whole(Sum(amount, filter=Q(source=source), default=0))
                for source in SOURCES
            },
        )
        .order_by()
        .values_list("fund__club_id", *LEDGER_NAMES)
        for rows, amount in parts
    ]
    # One query: the months' and the month's own rows together (UNION ALL), added up per club here.
    ledger: dict[int, dict[str, int]] = {}
    for club_id, *values in plain_rows(grouped[0].union(*grouped[1:], all=True))[1]:
        club = ledger.setdefault(club_id, dict.fromkeys(LEDGER_NAMES, 0))
        for name, value in zip(LEDGER_NAMES, values, strict=True):
            club[name] += value
    return ledger


def _whole(amount: Sum) -> Cast:
    """A sum of đồng as bigint from the database (see _grouped)."""
    return Cast(amount, BigIntegerField())


def _empty_figures() -> dict:
    figures = dict.fromkeys(FIGURE_KEYS, 0)
    figures["capital_by_source"] = dict.fromkeys(SOURCES, 0)
    return figures


def fund_figures(clubs_qs: QuerySet[Club], on: datetime.date, *, period: Period | None = None) -> dict:
    """The fund and loan figures of a set of clubs on a date (see the module docstring).

    Keys: capital, capital_income_fund, capital_activity_fund, capital_by_source ({source: đồng}),
    cash, outstanding, borrowers, active_members, members_borrowing_pct (0–100, None without
    members), members_ever_borrowed, disbursed_in_period and borrowed_in_period (0 without a period;
    the period is (start, end), both included), repayment_rate_pct (None when nothing was due), instalments_due,
    instalments_on_time, par30_outstanding, par30_pct (None when nothing is outstanding),
    clubs_with_both_funds (clubs whose income fund and activity fund both hold capital > 0).
    """
    return _figures(clubs_qs, on, period, by_club=False)[None]


def fund_figures_by_club(
    clubs_qs: QuerySet[Club],
    on: datetime.date,
    *,
    period: Period | None = None,
    only: frozenset[str] | set[str] | None = None,
) -> dict[int, dict]:
    """`fund_figures` for each club of the set: `{club_id: figures}` (clubs_with_both_funds is 0 or 1).
    `only`: the figures wanted (FIGURE_KEYS, and POOR_BORROWERS: the borrowers of poor or near-poor
    households); the queries the others need do not run, and they stay 0."""
    return _figures(clubs_qs, on, period, by_club=True, only=only)


def fund_balances(fund_ids: list[int], on: datetime.date) -> dict[int, dict]:
    """Capital, outstanding principal and cash of each fund on `on`: `{fund_id: {...}}`."""
    capital = dict(
        FundEntry.objects.filter(fund_id__in=fund_ids, entry_date__lte=on)
        .values_list("fund_id")
        .annotate(total=Sum(F("direction") * F("amount")))
        .order_by()
    )
    on_books = dict(
        Loan.objects.filter(fund_id__in=fund_ids, disbursed_on__lte=on)
        .values_list("fund_id")
        .annotate(
            total=Sum(F("principal") - F("opening_repaid"))
            - Coalesce(Sum("written_off_amount", filter=Q(written_off_on__lte=on)), 0)
        )
        .order_by()
    )
    repaid = dict(
        Repayment.objects.filter(loan__fund_id__in=fund_ids, paid_on__lte=on)
        .values_list("loan__fund_id")
        .annotate(total=Sum("principal"))
        .order_by()
    )
    balances = {}
    for fund_id in fund_ids:
        outstanding = on_books.get(fund_id, 0) - repaid.get(fund_id, 0)
        balances[fund_id] = {
            "capital": capital.get(fund_id, 0),
            "outstanding": outstanding,
            "cash": capital.get(fund_id, 0) - outstanding,
        }
    return balances


def fund_balances_from(figures: dict) -> dict[str, dict]:
    """Each fund's capital, outstanding and cash from a club's figures: `{fund kind: {...}}`.
    Only the income fund lends, so all outstanding principal is the income fund's."""
    income_capital, activity_capital = figures["capital_income_fund"], figures["capital_activity_fund"]
    return {
        FundKind.INCOME: {
            "capital": income_capital,
            "outstanding": figures["outstanding"],
            "cash": income_capital - figures["outstanding"],
        },
        FundKind.ACTIVITY: {"capital": activity_capital, "outstanding": 0, "cash": activity_capital},
    }


def collection_sheet_loans(club: Club, day: datetime.date) -> list[Loan]:
    """The club's loans with principal outstanding on the meeting day, or repaid on it, with what is due."""
    instalments_due = (
        Instalment.objects.filter(loan=OuterRef("pk"), due_on__lte=day).order_by().values("loan_id")
    )
    paid_today = Repayment.objects.filter(loan=OuterRef("pk"), paid_on=day).order_by().values("loan_id")
    next_due = Instalment.objects.filter(loan=OuterRef("pk"), due_on__gt=day).order_by("due_on")
    loans = loans_with_position(
        Loan.objects.filter(fund__club=club, fund__kind=FundKind.INCOME)
        .filter(loan_open_q(day) | Q(repaid_on=day))
        .select_related("member"),
        day,
    ).annotate(
        principal_due_to_date=Coalesce(
            Subquery(instalments_due.annotate(total=Max("principal_due_cumulative")).values("total")), 0
        ),
        interest_due_to_date=Coalesce(
            Subquery(instalments_due.annotate(total=Sum("interest_due")).values("total")), 0
        ),
        principal_paid_today=Coalesce(
            Subquery(paid_today.annotate(total=Sum("principal")).values("total")), 0
        ),
        interest_paid_today=Coalesce(Subquery(paid_today.annotate(total=Sum("interest")).values("total")), 0),
        next_due_on=Subquery(next_due.values("due_on")[:1]),
        next_principal_due=Subquery(next_due.values("principal_due")[:1]),
        next_interest_due=Subquery(next_due.values("interest_due")[:1]),
    )
    rows = list(loans.order_by("member__search_key", "disbursed_on", "pk"))
    for loan in rows:
        loan.status = loan_status(loan, day)
        loan.principal_due_now = max(
            0, min(loan.outstanding, loan.principal_due_to_date - loan.opening_repaid - loan.repaid)
        )
        loan.interest_due_now = max(0, loan.interest_due_to_date - loan.interest_paid)
    return rows
