"""Running totals that the writes keep, so that reports read sums instead of recomputing history.

Two kinds, both derived from the raw rows (entries, repayments, instalments) and never typed in:

- per loan (`Loan.principal_repaid`, `repaid_through`, `unpaid_since`): the principal repaid, the
  last day on which it changed, and the due date of the first instalment not yet covered. They are
  the loan's figures as of any date on or after `repaid_through` (and its disbursement): a report at
  today reads them for every loan; a report at an earlier date reads them for the loans whose
  repayments all came by then, and the repayments and instalments of the others
  (funds.selectors).
- per fund and calendar month (`FundMonth`): what the month's entries add to the capital, by source.
  The capital on a date is the months before the date's month plus the raw entries of that month up
  to the date, so any date is answered, past ones included, from one month of raw rows at most.

The services (funds.services) keep them in the transaction that writes: the loan's totals come with
its coverage dates (`coverage_of`), and every ledger entry refreshes its month (`fund_month_refresh`).
Writers that bypass the services (bulk imports, the data generator, the demo, a data migration) call
`totals_recompute` after their bulk insert, for the funds they wrote or for everything.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import DateField, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth

BATCH = 5000


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def fund_month_refresh(fund_id: int, day: datetime.date, *, models=None) -> None:
    """Recompute the fund's month of `day` from its entries (call after writing an entry of that day)."""
    FundEntry, FundMonth = _models(models, "FundEntry", "FundMonth")
    first = month_start(day)
    FundMonth.objects.filter(fund_id=fund_id, month=first).delete()
    rows = (
        FundEntry.objects.filter(fund_id=fund_id, entry_date__range=(first, month_end(day)))
        .values("source")
        .annotate(total=Sum(F("direction") * F("amount")))
        .order_by()
    )
    FundMonth.objects.bulk_create(
        FundMonth(fund_id=fund_id, month=first, source=row["source"], amount=row["total"])
        for row in rows
        if row["total"]
    )


def _loan_total_expressions(Repayment, Instalment) -> dict:
    repayments = Repayment.objects.filter(loan_id=OuterRef("pk")).order_by()
    return {
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
        "unpaid_since": Subquery(
            Instalment.objects.filter(loan_id=OuterRef("pk"), paid_on__isnull=True)
            .order_by("due_on")
            .values("due_on")[:1],
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
    loans.update(**_loan_total_expressions(Repayment, Instalment))
    months = FundMonth.objects.all() if ids is None else FundMonth.objects.filter(fund_id__in=ids)
    months.delete()
    entries = FundEntry.objects.all() if ids is None else FundEntry.objects.filter(fund_id__in=ids)
    rows = (
        entries.annotate(month=TruncMonth("entry_date", output_field=DateField()))
        .values("fund_id", "month", "source")
        .annotate(total=Sum(F("direction") * F("amount")))
        .order_by()
    )
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        if row["total"]:
            batch.append(
                FundMonth(
                    fund_id=row["fund_id"], month=row["month"], source=row["source"], amount=row["total"]
                )
            )
        if len(batch) >= BATCH:
            FundMonth.objects.bulk_create(batch)
            batch = []
    FundMonth.objects.bulk_create(batch)


def _models(models, *names: str) -> tuple:
    """The models by name: the app's own, or a migration's historical ones (`models` = apps)."""
    if models is None:
        from django.apps import apps

        models = apps
    found = tuple(models.get_model("funds", name) for name in names)
    return found[0] if len(found) == 1 else found
