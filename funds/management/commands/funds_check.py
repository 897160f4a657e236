"""Check (and with --fix, repair) the figures derived from the loan repayments.

`Instalment.paid_on` and `Loan.repaid_on` are kept by the services; rows written another way (a bulk
load, a data generator, a hand edit) must be brought in line, else outstanding and overdue figures
at a date are wrong. Also checks that each repayment's interest is in the ledger, and that no fund's
cash on hand falls below zero on any day (issue 15: an opening balance imported without the fund's
capital did).
"""

import datetime
from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _

from funds.models import Fund, FundEntry, Instalment, Loan, Repayment
from funds.money import format_vnd
from funds.services import LOAN_DERIVED_FIELDS, coverage_of, funds_cash_changes_by_day, loan_coverage_apply

CHUNK = 2000


class Command(BaseCommand):
    help = "Check the coverage dates of instalments and loans against the repayments; --fix repairs them."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Write the recomputed dates.")

    def handle(self, *args, fix: bool = False, **options):
        wrong_instalments = wrong_loans = 0
        last_id = 0
        while True:
            loans = list(Loan.objects.filter(pk__gt=last_id).order_by("pk")[:CHUNK])
            if not loans:
                break
            last_id = loans[-1].pk
            ids = [loan.pk for loan in loans]
            daily = defaultdict(list)
            for loan_id, day, total in (
                Repayment.objects.filter(loan_id__in=ids)
                .values_list("loan_id", "paid_on")
                .annotate(total=Sum("principal"))
                .order_by("loan_id", "paid_on")
            ):
                daily[loan_id].append((day, total))
            instalments = defaultdict(list)
            for instalment in Instalment.objects.filter(loan_id__in=ids).order_by("loan_id", "number"):
                instalments[instalment.loan_id].append(instalment)
            changed_instalments, changed_loans = [], []
            for loan in loans:
                rows = instalments[loan.pk]
                changed, loan_changed = loan_coverage_apply(
                    loan, rows, coverage_of(loan, rows, daily[loan.pk])
                )
                changed_instalments += changed
                if loan_changed:
                    changed_loans.append(loan)
            wrong_instalments += len(changed_instalments)
            wrong_loans += len(changed_loans)
            if fix:
                with transaction.atomic():
                    Instalment.objects.bulk_update(changed_instalments, ["paid_on"], batch_size=1000)
                    Loan.objects.bulk_update(
                        changed_loans, list(LOAN_DERIVED_FIELDS), batch_size=1000
                    )
        interest_paid = Repayment.objects.aggregate(total=Sum("interest"))["total"] or 0
        interest_booked = (
            FundEntry.objects.filter(
                Q(repayment__isnull=False) | Q(reverses__repayment__isnull=False)
            ).aggregate(total=Sum(F("direction") * F("amount")))["total"]
            or 0
        )
        self.stdout.write(
            f"Instalments with a wrong paid date: {wrong_instalments}; loans with wrong derived figures: {wrong_loans}"
            + (" (fixed)" if fix and (wrong_instalments or wrong_loans) else "")
        )
        self.stdout.write(f"Interest in repayments: {interest_paid}; in the ledger: {interest_booked}")
        negative = negative_cash()
        for fund, day, cash in negative[:50]:
            self.stdout.write(
                _("Tiền mặt âm: %(fund)s của CLB %(club)s còn %(cash)s vào ngày %(date)s.")
                % {"fund": fund.get_kind_display(), "club": fund.club.code, "cash": format_vnd(cash), "date": f"{day:%d/%m/%Y}"}
            )  # fmt: skip
        self.stdout.write(f"Funds whose cash falls below zero on some day: {len(negative)}")
        if negative or interest_paid != interest_booked or (not fix and (wrong_instalments or wrong_loans)):
            raise CommandError("The funds data are not consistent.")


def negative_cash() -> list[tuple[Fund, datetime.date, int]]:
    """Each fund whose cash on hand (services.funds_cash_changes_by_day, summed day by day) falls below
    zero on some day: the fund, the first such day and the cash then. Funds are read CHUNK at a time."""
    found = []
    last_id = 0
    while True:
        ids = list(Fund.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not ids:
            break
        last_id = ids[-1]
        changes = funds_cash_changes_by_day(ids)
        below = {}
        for fund_id, days in changes.items():
            cash = 0
            for day in sorted(days):
                cash += days[day]
                if cash < 0:
                    below[fund_id] = (day, cash)
                    break
        funds = Fund.objects.select_related("club").in_bulk(list(below))
        found += [(funds[fund_id], *below[fund_id]) for fund_id in sorted(below)]
    return found
