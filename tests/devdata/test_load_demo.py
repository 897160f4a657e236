"""`manage.py load_demo`, the data `make run` starts with: everything is built, and a second run adds nothing."""

import datetime
import io

import pytest
from django.core.management import call_command

from clubs.models import Club
from funds.models import FundEntry, Loan
from life.models import Activity
from members.models import Member, Membership
from places.models import Province
from reports.indicators import compute_indicators
from reports.scope import Period, Scope
from tests.test_formula_fields import formula_starts

pytestmark = pytest.mark.django_db
D = datetime.date


def _counts() -> list[int]:
    return [model.objects.count() for model in (Club, Member, Membership, Loan, FundEntry, Activity)]


def test_load_demo_builds_everything_and_a_second_run_changes_nothing():
    call_command("load_demo", stdout=io.StringIO())
    assert Member.objects.count() > 800
    assert formula_starts() == []  # every name, village and note of the demo passes the formula check
    first = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == first
    assert Club.objects.filter(code__startswith="LCH-").count() == 18
    # The indicators the plans ask for (issue 16) have something to show in the demo province.
    h1 = Period(D(2026, 1, 1), D(2026, 6, 30))
    values = compute_indicators(Scope(province=Province.objects.get(code=12)), h1.end, h1)
    for code in ("members_health_insured", "members_older_poor", "members_older_near_poor",
                 "borrowers_poor_near_poor", "members_borrowed_in_period"):  # fmt: skip
        assert 0 < values[code] < values["members_total"], code
