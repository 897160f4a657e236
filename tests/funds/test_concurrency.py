"""Two people recording at the same moment cannot spend the same cash or repay the same debt twice.

Real concurrent transactions on PostgreSQL: two threads, each with its own database connection,
committing for real. The services are slowed down between their check and their write, so that
without the row locks both threads would pass the check; with them, the second waits for the first.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from clubs.models import Club
from funds import services
from funds.models import FundEntry, Instalment, Loan, Repayment
from members.models import Member
from tests.conftest import make_club, make_member
from tests.funds.conftest import D, contribute, income, lend

pytestmark = [
    pytest.mark.postgresql(
        reason="row locks between concurrent transactions (select_for_update); SQLite has no row locks"
    ),
    # Committed data; the flush afterwards is limited to these apps so the places loaded once stay.
    pytest.mark.django_db(
        transaction=True,
        available_apps=["funds", "members"],
    ),
]


def run_together(*calls):
    """Run the calls in threads started at the same moment; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except ValidationError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def slowed(monkeypatch, name):
    """Make services.<name> wait after reading, widening the window between check and write."""
    original = getattr(services, name)

    def slow(*args, **kwargs):
        value = original(*args, **kwargs)
        time.sleep(0.5)
        return value

    monkeypatch.setattr(services, name, slow)


@pytest.fixture
def committed_club(tan_uyen):
    club = make_club(tan_uyen, code="LCH-CONC-01")
    yield club
    # Remove what the test committed; the flush would not reach the club row itself.
    FundEntry.objects.filter(fund__club=club).delete()
    Repayment.objects.filter(loan__fund__club=club).delete()
    Instalment.objects.filter(loan__fund__club=club).delete()
    Loan.objects.filter(fund__club=club).delete()
    Member.objects.filter(memberships__club=club).delete()
    club.funds.all().delete()
    Club.history.filter(id=club.pk).delete()
    club.delete()


def test_two_disbursements_cannot_both_spend_the_same_cash(committed_club, monkeypatch):
    fund = income(committed_club)
    contribute(fund, 100_000_000, D(2024, 3, 1))
    hoa = make_member(committed_club, full_name="Lò Thị Hoa")
    mai = make_member(committed_club, full_name="Tòng Thị Mai")
    slowed(monkeypatch, "fund_cash_low_point")

    results = run_together(
        lambda: lend(fund, hoa, 60_000_000, D(2024, 4, 1)),
        lambda: lend(fund, mai, 60_000_000, D(2024, 4, 1)),
    )

    assert sorted(type(result).__name__ for result in results) == ["Loan", "ValidationError"]
    refused = next(result for result in results if isinstance(result, ValidationError))
    assert "40.000.000 đ" in str(refused)
    assert Loan.objects.filter(fund=fund).count() == 1


def test_two_repayments_cannot_both_pay_the_last_of_a_debt(committed_club, monkeypatch):
    fund = income(committed_club)
    contribute(fund, 20_000_000, D(2024, 3, 1))
    loan = lend(fund, make_member(committed_club, full_name="Lò Thị Hoa"), 10_000_000, D(2024, 4, 1))
    slowed(monkeypatch, "_owed")

    results = run_together(
        lambda: services.loan_repay(
            loan=loan, paid_on=D(2024, 5, 1), principal=6_000_000, interest=0, recorded_by=None
        ),
        lambda: services.loan_repay(
            loan=loan, paid_on=D(2024, 5, 1), principal=6_000_000, interest=0, recorded_by=None
        ),
    )

    assert sorted(type(result).__name__ for result in results) == ["Repayment", "ValidationError"]
    assert sum(Repayment.objects.filter(loan=loan).values_list("principal", flat=True)) == 6_000_000
