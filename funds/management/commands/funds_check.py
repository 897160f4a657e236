"""Check (and with --fix, repair) the figures derived from the loan repayments.

`Instalment.paid_on` and `Loan.repaid_on` are kept by the services; rows written another way (a bulk
load, a data generator, a hand edit) must be brought in line, else outstanding and overdue figures
at a date are wrong. Also checks that each repayment's interest is in the ledger.
"""

from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, Q, Sum

from funds.models import FundEntry, Instalment, Loan, Repayment
from funds.services import coverage_of, loan_coverage_apply

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
                        changed_loans, ["repaid_on", "instalments_on_time"], batch_size=1000
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
        if interest_paid != interest_booked or (not fix and (wrong_instalments or wrong_loans)):
            raise CommandError("The funds data are not consistent.")
