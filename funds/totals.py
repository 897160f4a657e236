"""Running totals that the writes keep, so that reports read sums instead of recomputing history.

Two kinds, both derived from the raw rows (entries, repayments, instalments) and never typed in:

- per loan (`Loan.principal_repaid`, `repaid_through`, `first_unpaid_due_on`): the principal repaid,
  the last day on which it changed, and the due date of the first instalment not covered now. They are
  the loan's figures as of any date on or after `repaid_through` (and its disbursement): a report at
  today reads them for every loan; a report at an earlier date reads them for the loans whose
  repayments all came by then, and the repayments and instalments of the others (funds.selectors).
  For those loans "late by more than 30 days on that date" is a comparison of the first unpaid due
  date, where it was a probe of the uncovered instalments' index per open loan (the country's report:
  232,000 probes, 690 → 320 ms of its open-loans query, EXPLAIN ANALYZE). An instalment's due date is
  written once, with its loan's schedule (nothing edits it: the admin shows schedules read-only), and
  its covered date only by the coverage functions, which set this one with it.
- per fund and calendar month (`FundMonth`): what the month's entries add to the capital, by source.
  The capital on a date is the months before the date's month plus the raw entries of that month up
  to the date, so any date is answered, past ones included, from one month of raw rows at most.

The services (funds.services) keep them in the transaction that writes: the loan's totals come with
its coverage dates (`coverage_of`), and every ledger entry refreshes its month (`fund_month_refresh`).
Writers that bypass the services (bulk imports, the data generator, the demo, a data migration) call
`totals_recompute` after their bulk insert, for the funds they wrote or for everything.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

from django.db import connection
from django.db.models import DateField, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth

BATCH = 5000


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def fund_month_refresh(fund_id: int, day: datetime.date, *, models=None) -> None:
    """Rebuild the fund's month rows from the month of `day` on, from its entries (call after writing an
    entry of that day: usually only the current month's rows, more for a back-dated entry)."""
    FundEntry, FundMonth = _models(models, "FundEntry", "FundMonth")
    first = month_start(day)
    FundMonth.objects.filter(fund_id=fund_id, month__gte=first).delete()
    earlier = {
        source: (month, balance)
        for source, month, balance in FundMonth.objects.filter(fund_id=fund_id)
        .filter(Q(next_month__isnull=True) | Q(next_month__gte=first))
        .values_list("source", "month", "balance")
    }
    sums = (
        FundEntry.objects.filter(fund_id=fund_id, entry_date__gte=first)
        .annotate(month=TruncMonth("entry_date", output_field=DateField()))
        .values_list("source", "month")
        .annotate(total=Sum(F("direction") * F("amount")))
        .order_by("source", "month")
    )
    rows = _cumulated(((fund_id, source, month, total) for source, month, total in sums), FundMonth, earlier)
    FundMonth.objects.bulk_create(rows)
    # The rows before the rebuilt ones now lead to them (or to nothing).
    following = {}
    for row in rows:
        following.setdefault(row.source, row.month)
    for source, (month, _balance) in earlier.items():
        FundMonth.objects.filter(fund_id=fund_id, source=source, month=month).update(
            next_month=following.get(source)
        )


def _cumulated(sums: Iterable[tuple], FundMonth, earlier: dict | None = None) -> list:
    """FundMonth rows from (fund, source, month, net sum) in (fund, source, month) order: the running
    balance per fund and source (starting from `earlier[source]`'s), each row linked to the next."""
    rows: list = []
    balance, key = 0, None
    for fund_id, source, month, total in sums:
        if (fund_id, source) != key:
            key = (fund_id, source)
            balance = (earlier or {}).get(source, (None, 0))[1]
        elif rows:
            rows[-1].next_month = month
        balance += total
        rows.append(FundMonth(fund_id=fund_id, source=source, month=month, balance=balance))
    return rows


def _loan_total_expressions(Loan, Repayment, Instalment) -> dict:
    repayments = Repayment.objects.filter(loan_id=OuterRef("pk")).order_by()
    first_unpaid = {
        "first_unpaid_due_on": Subquery(
            Instalment.objects.filter(loan_id=OuterRef("pk"), paid_on__isnull=True)
            .order_by("due_on")
            .values("due_on")[:1],
            output_field=DateField(),
        )
    }
    if not any(field.name == "first_unpaid_due_on" for field in Loan._meta.fields):
        first_unpaid = {}  # the loans of the data migration that brought the other totals (funds 0005)
    return {
        **first_unpaid,
        "principal_repaid": Coalesce(
            Subquery(repayments.values("loan_id").annotate(total=Sum("principal")).values("total")[:1]), 0
        ),
        # The last day whose repayments changed the principal repaid (a day netting to 0 did not).
        "repaid_through": Subquery(
            repayments.values("paid_on")
            .annotate(total=Sum("principal"))
            .filter(~Q(total=0))
            .order_by("-paid_on")
            .values("paid_on")[:1],
            output_field=DateField(),
        ),
    }


def totals_recompute(fund_ids: Iterable[int] | QuerySet | None = None, *, models=None) -> None:
    """Recompute every running total of the funds given (all funds when None) from the raw rows.

    For writers that bypass funds.services: call it after the bulk insert, in the same transaction.
    The loans' `Instalment.paid_on` must be right already (funds.services.coverage_of).
    """
    Loan, Repayment, Instalment, FundEntry, FundMonth = _models(
        models, "Loan", "Repayment", "Instalment", "FundEntry", "FundMonth"
    )
    ids = None if fund_ids is None or isinstance(fund_ids, QuerySet) else list(fund_ids)
    if isinstance(fund_ids, QuerySet):
        ids = fund_ids  # used as a subquery
    loans = Loan.objects.all() if ids is None else Loan.objects.filter(fund_id__in=ids)
    loans.update(**_loan_total_expressions(Loan, Repayment, Instalment))
    months = FundMonth.objects.all() if ids is None else FundMonth.objects.filter(fund_id__in=ids)
    months.delete()
    if connection.vendor == "postgresql" and not isinstance(ids, QuerySet):
        _months_insert(FundEntry, FundMonth, ids)
        return
    entries = FundEntry.objects.all() if ids is None else FundEntry.objects.filter(fund_id__in=ids)
    sums = (
        entries.annotate(month=TruncMonth("entry_date", output_field=DateField()))
        .values_list("fund_id", "source", "month")
        .annotate(total=Sum(F("direction") * F("amount")))
        .order_by("fund_id", "source", "month")
    )
    batch: list = []
    for fund_id, source, month, total in sums.iterator(chunk_size=BATCH):
        if batch and batch[-1].fund_id == fund_id and batch[-1].source == source:
            batch[-1].next_month = month
            balance = batch[-1].balance + total
        elif batch and len(batch) >= BATCH and (batch[-1].fund_id, batch[-1].source) != (fund_id, source):
            FundMonth.objects.bulk_create(batch)
            batch, balance = [], total
        else:
            balance = total
        batch.append(FundMonth(fund_id=fund_id, source=source, month=month, balance=balance))
    FundMonth.objects.bulk_create(batch)


def _months_insert(FundEntry, FundMonth, ids: list[int] | None) -> None:
    """The months of `totals_recompute` written by PostgreSQL in one statement: the same sums, the running
    balance and the next month by window functions. Building a FundMonth object per row and sending them
    back took a 20,000-receipt import 0.5 s of its 2.6 s."""
    quote = connection.ops.quote_name
    where, params = ("", []) if ids is None else ("WHERE fund_id = ANY(%s)", [list(ids)])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(FundMonth._meta.db_table)} (fund_id, source, month, balance, next_month) "
            "SELECT fund_id, source, month, SUM(total) OVER w, LEAD(month) OVER w FROM ("
            "SELECT fund_id, source, date_trunc('month', entry_date)::date AS month, "
            f"SUM(direction * amount) AS total FROM {quote(FundEntry._meta.db_table)} {where} "
            "GROUP BY fund_id, source, month) s "
            "WINDOW w AS (PARTITION BY fund_id, source ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) "
            "ORDER BY fund_id, source, month",
            params,
        )


def _models(models, *names: str) -> tuple:
    """The models by name: the app's own, or a migration's historical ones (`models` = apps)."""
    if models is None:
        from django.apps import apps

        models = apps
    found = tuple(models.get_model("funds", name) for name in names)
    return found[0] if len(found) == 1 else found
