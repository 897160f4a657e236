"""The indicators the plans ask for (issue 16), each on small clubs built here and worked out by hand.

Judged club by club, then counted: a province whose average is inside a plan's bounds may still have no
club that is, and the other way round.
"""

import datetime

import pytest

from clubs.models import CompositionStandard
from funds.models import EntryKind, FundKind, RatePeriod, RepaymentPlan, Source
from funds.services import fund_entry_add, loan_disburse, loan_repay
from life.models import Activity, ActivityType
from members.models import Household, LeaveReason
from members.services import member_leave
from reports.indicators import (
    BORROWER_CODES,
    compute_indicators,
    indicators_by_club,
    indicators_by_commune,
    meets_1336_composition,
)
from reports.scope import Period, Scope
from tests.conftest import make_club, make_member

pytestmark = pytest.mark.django_db
D = datetime.date
ON = D(2026, 6, 30)
JOINED = D(2025, 1, 1)
PLAN_CODES = (
    "clubs_composition_1336_pct",
    "clubs_borrowing_50_pct",
    "clubs_all_8_and_borrowing_50_pct",
    "members_borrowed_in_period",
    "borrowers_poor_near_poor",
    "members_health_insured",
    "members_health_insured_pct",
    "members_older_poor",
    "members_older_near_poor",
)


def people(club, *, women_older=0, women_younger=0, men_older=0, men_younger=0, **fields):
    """Members in four kinds (older: born 1950; younger: 1980), all joined on JOINED."""
    made = []
    for sex, year, n in [("F", 1950, women_older), ("F", 1980, women_younger), ("M", 1950, men_older),
                         ("M", 1980, men_younger)]:  # fmt: skip
        for i in range(n):
            made.append(make_member(club, full_name=f"Người {club.code} {sex}{year} {i}", birth_year=year, sex=sex,
                                    joined_on=JOINED, **fields))  # fmt: skip
    return made


def test_the_composition_of_1336_is_judged_club_by_club_with_its_bounds_included(
    tan_uyen, than_uyen, lai_chau
):
    # X: 50 members, 30 women (60 %), 35 older (70 %), 15 younger (30 %): every bound met exactly.
    x = make_club(tan_uyen, code="X", decision_date=D(2024, 12, 1), launched_on=D(2024, 12, 15))
    x_people = people(x, women_older=30, men_older=5, men_younger=15)
    # Y: 50 members, 29 women (58 %), 36 older (72 %): women and older both out of bounds.
    y = make_club(than_uyen, code="Y", decision_date=D(2024, 12, 1), launched_on=D(2024, 12, 15))
    people(y, women_older=29, men_older=7, men_younger=14)
    # Together: 100 members, 59 % women, 71 % older — the averages say nothing about each club.
    scope = Scope(province=lai_chau)
    values = compute_indicators(scope, ON)
    assert (values["members_total"], values["clubs_active"]) == (100, 2)
    assert values["clubs_composition_1336_pct"] == 50.0  # X of X, Y
    by_club = indicators_by_club(scope, ON)
    assert (by_club[x.pk]["clubs_composition_1336_pct"], by_club[y.pk]["clubs_composition_1336_pct"]) == (
        100,
        0,
    )
    by_commune = indicators_by_commune(scope, ON)
    assert (
        by_commune[tan_uyen.pk]["clubs_composition_1336_pct"],
        by_commune[than_uyen.pk]["clubs_composition_1336_pct"],
    ) == (100, 0)

    # The province's own standard (the admin's, used by clubs_composition_ok_pct) does not move the plan's rule.
    CompositionStandard.objects.create(province=lai_chau, members_min=1, members_max=100, women_pct_min=0,
                                       women_pct_max=100, older_pct_min=0, older_pct_max=100, younger_pct_min=0,
                                       younger_pct_max=100, poor_pct_min=0, poor_pct_max=100, volunteers_min=0)  # fmt: skip
    values = compute_indicators(scope, ON)
    assert (values["clubs_composition_ok_pct"], values["clubs_composition_1336_pct"]) == (100.0, 50.0)

    # A man of X leaves the day after: 49 members, below 50.
    member_leave(member=x_people[-1], left_on=ON + datetime.timedelta(days=1), reason=LeaveReason.WITHDREW)
    assert compute_indicators(scope, ON)["clubs_composition_1336_pct"] == 50.0
    assert compute_indicators(scope, ON + datetime.timedelta(days=1))["clubs_composition_1336_pct"] == 0.0


@pytest.mark.parametrize(
    ("members", "women", "older", "met"),
    [
        (50, 30, 30, True),  # 60 % women, 60 % older, 40 % younger
        (70, 49, 49, True),  # 70 %, 70 %, 30 %
        (71, 43, 43, False),  # 71 members
        (49, 30, 30, False),  # 49 members
        (60, 43, 40, False),  # 71,7 % women
        (60, 40, 35, False),  # 58,3 % older (41,7 % younger)
        (67, 42, 47, False),  # 70,1 % older (62,7 % women): compared exactly
    ],
)
def test_the_rule_of_1336_on_the_counts(members, women, older, met):
    assert meets_1336_composition({"members": members, "women": women, "older": older}) is met


def _fund(club, amount=50_000_000):
    fund_entry_add(fund=club.funds.get(kind=FundKind.INCOME), kind=EntryKind.CONTRIBUTION, amount=amount,
                   entry_date=JOINED, source=Source.STATE, recorded_by=None)  # fmt: skip


def _lend(club, member, on, principal=2_000_000):
    return loan_disburse(fund=club.funds.get(kind=FundKind.INCOME), member=member, disbursed_on=on,
                         principal=principal, purpose="livestock", term_months=12, interest_rate=0,
                         rate_period=RatePeriod.MONTH, plan=RepaymentPlan.EQUAL_MONTHLY, recorded_by=None)  # fmt: skip


def _all_8_areas(club, day=None):
    day = day or D(2026, 3, 1)
    for area in range(1, 9):
        Activity.objects.create(
            club=club, held_on=day, area=area, kind=ActivityType.OTHER, title=f"HĐ {area}"
        )


@pytest.fixture
def borrowing(tan_uyen, than_uyen):
    """P: 4 members, 2 borrowing on ON (exactly 50 %), the 8 areas → both judgements.
    Q: 3 members, 1 borrowing (33 %), the 8 areas → 8 areas only.
    R: 2 members, both borrowing (100 %), 7 areas → ≥ 50 % only.
    S: suspended, its 2 members borrowing → not active, counted in no share."""
    clubs = {}
    for code, commune in [("P", tan_uyen), ("Q", tan_uyen), ("R", than_uyen), ("S", than_uyen)]:
        clubs[code] = make_club(commune, code=code, decision_date=D(2024, 12, 1), launched_on=D(2024, 12, 15))
        _fund(clubs[code])
    p = people(clubs["P"], women_older=2, women_younger=2)
    q = people(clubs["Q"], women_older=3)
    r = people(clubs["R"], men_older=2)
    s = people(clubs["S"], men_younger=2)
    _lend(clubs["P"], p[0], D(2026, 2, 1))
    _lend(clubs["P"], p[1], D(2025, 6, 1))  # before the period, still owing
    # p[2] borrowed and repaid everything before ON: borrowed in the period, not borrowing now.
    repaid = _lend(clubs["P"], p[2], D(2026, 1, 10))
    loan_repay(loan=repaid, paid_on=D(2026, 4, 1), principal=2_000_000, interest=0, recorded_by=None)
    _lend(clubs["Q"], q[0], D(2026, 1, 1))  # the first day of the period
    _lend(clubs["Q"], q[0], D(2026, 3, 1))  # a second loan: one member all the same
    _lend(clubs["R"], r[0], D(2026, 6, 30))  # the last day of the period
    _lend(clubs["R"], r[1], D(2025, 12, 31))  # the day before it
    for member in s:
        _lend(clubs["S"], member, D(2026, 1, 5))
    clubs["S"].suspended_on = D(2026, 5, 1)
    clubs["S"].save(update_fields=["suspended_on"])
    _all_8_areas(clubs["P"])
    _all_8_areas(clubs["Q"])
    Activity.objects.filter(club=clubs["Q"], area=8).update(held_on=D(2025, 7, 1))  # within 12 months
    for area in range(1, 8):
        Activity.objects.create(club=clubs["R"], held_on=D(2026, 3, 1), area=area, kind=ActivityType.OTHER,
                                title=f"HĐ {area}")  # fmt: skip
    return clubs, p, q, r, s


def test_clubs_with_half_their_members_borrowing_and_with_the_8_areas_too(borrowing, lai_chau):
    clubs, *_ = borrowing
    scope = Scope(province=lai_chau)
    values = compute_indicators(scope, ON)
    assert values["clubs_active"] == 3  # P, Q, R (S suspended)
    assert values["clubs_all_8_activities_pct"] == 66.7  # P, Q
    assert values["clubs_borrowing_50_pct"] == 66.7  # P (2 of 4), R (2 of 2); not Q (1 of 3)
    assert values["clubs_all_8_and_borrowing_50_pct"] == 33.3  # P alone
    by_club = indicators_by_club(scope, ON)
    assert [by_club[clubs[c].pk]["clubs_all_8_and_borrowing_50_pct"] for c in "PQR"] == [100.0, 0.0, 0.0]
    assert [by_club[clubs[c].pk]["clubs_borrowing_50_pct"] for c in "PQRS"] == [100.0, 0.0, 100.0, None]
    # The codes asked alone run the queries they need (the 8 areas and the loans).
    alone = compute_indicators(scope, ON, codes={"clubs_all_8_and_borrowing_50_pct"})
    assert alone["clubs_all_8_and_borrowing_50_pct"] == 33.3
    alone = compute_indicators(scope, ON, codes={"clubs_borrowing_50_pct"})
    assert alone["clubs_borrowing_50_pct"] == 66.7
    # When P's loan of February is repaid, P falls to 1 of 4.
    from funds.models import Loan

    loan = Loan.objects.get(fund__club=clubs["P"], disbursed_on=D(2026, 2, 1))
    loan_repay(loan=loan, paid_on=ON, principal=2_000_000, interest=0, recorded_by=None)
    values = compute_indicators(scope, ON)
    assert (values["clubs_borrowing_50_pct"], values["clubs_all_8_and_borrowing_50_pct"]) == (33.3, 0.0)


def test_the_borrowers_asked_alone_are_those_of_the_whole_catalogue(borrowing, lai_chau):
    """Targets as of a past date often ask only for % borrowing: the open loans' count runs alone (no
    ledger, no outstanding principal), with the same figures as the whole funds query at any date."""
    scope = Scope(province=lai_chau)
    for on in (D(2025, 12, 31), D(2026, 1, 10), D(2026, 4, 1), ON):
        everything = compute_indicators(scope, on)
        alone = compute_indicators(scope, on, codes=set(BORROWER_CODES))
        assert {code: alone[code] for code in BORROWER_CODES} == {
            code: everything[code] for code in BORROWER_CODES
        }, on
        assert alone["fund_capital_vnd"] is None and alone["loans_outstanding_vnd"] is None
    # On 31/12/2025: p1 (lent 01/06) and r1 (lent that day) of the 11 members.
    last_year = compute_indicators(scope, D(2025, 12, 31), codes={"members_borrowing_pct"})
    assert last_year["members_borrowing_pct"] == 18.2


def test_members_who_borrowed_in_the_period_beside_those_owing_now(borrowing, lai_chau):
    scope = Scope(province=lai_chau)
    half = Period(D(2026, 1, 1), ON)
    values = compute_indicators(scope, ON, half)
    # In the period: P p0 p2, Q q0 (twice), R r0, S both = 6; owing on ON: p0 p1 q0 r0 r1 + S's two = 7.
    assert values["members_borrowed_in_period"] == 6
    # From 02/01 to 29/06: r0 (30/06) is out, q0 is in through the second loan (01/03).
    assert values["borrowers_total"] == 7
    assert (
        compute_indicators(scope, ON, Period(D(2026, 1, 2), D(2026, 6, 29)))["members_borrowed_in_period"]
        == 5
    )
    assert (
        compute_indicators(scope, ON, Period(D(2025, 1, 1), D(2025, 12, 31)))["members_borrowed_in_period"]
        == 2
    )


def test_poor_and_near_poor_borrowers_and_older_poor_members(tan_uyen, lai_chau):
    club = make_club(tan_uyen, code="H", decision_date=D(2024, 12, 1), launched_on=D(2024, 12, 15))
    _fund(club)
    older_poor = make_member(club, full_name="Lò Thị Nghèo", birth_year=1950, sex="F", joined_on=JOINED,
                             household=Household.POOR, household_since=JOINED)  # fmt: skip
    make_member(club, full_name="Lò Văn Cận", birth_year=1955, sex="M", joined_on=JOINED,
                household=Household.NEAR_POOR, household_since=JOINED)  # fmt: skip
    young_poor = make_member(club, full_name="Lò Thị Trẻ", birth_year=1985, sex="F", joined_on=JOINED,
                             household=Household.POOR, household_since=JOINED)  # fmt: skip
    older_hardship = make_member(club, full_name="Lò Văn Khó", birth_year=1945, sex="M", joined_on=JOINED,
                                 household=Household.HARDSHIP, household_since=JOINED)  # fmt: skip
    make_member(club, full_name="Lò Văn Khá", birth_year=1940, sex="M", joined_on=JOINED)
    # Poor too, but not borrowers on ON: one repaid in full, one left the club still owing.
    repaid = make_member(club, full_name="Lò Thị Trả", birth_year=1970, sex="F", joined_on=JOINED,
                         household=Household.NEAR_POOR, household_since=JOINED)  # fmt: skip
    left = make_member(club, full_name="Lò Thị Đi", birth_year=1972, sex="F", joined_on=JOINED,
                       household=Household.POOR, household_since=JOINED)  # fmt: skip
    for member in (older_poor, young_poor, older_hardship, left):
        _lend(club, member, D(2026, 2, 1))
    loan_repay(loan=_lend(club, repaid, D(2026, 1, 5)), paid_on=D(2026, 5, 5), principal=2_000_000, interest=0,
               recorded_by=None)  # fmt: skip
    member_leave(member=left, left_on=D(2026, 6, 1), reason=LeaveReason.MOVED)
    # On 01/05 all four poor or near-poor members owed (the repayment is on 05/05, the leaving on 01/06).
    assert compute_indicators(Scope(province=lai_chau), D(2026, 5, 1))["borrowers_poor_near_poor"] == 4
    values = compute_indicators(Scope(province=lai_chau), ON)
    assert (values["members_older_poor"], values["members_older_near_poor"]) == (1, 1)
    assert values["borrowers_total"] == 3
    assert values["borrowers_poor_near_poor"] == 2  # older_poor, young_poor (hardship is neither)
    # The status valid on the date: the younger poor member is out of poverty from 01/06.
    from members.services import household_status_set

    household_status_set(member=young_poor, status=Household.NONE, valid_from=D(2026, 6, 1))
    assert compute_indicators(Scope(province=lai_chau), ON)["borrowers_poor_near_poor"] == 1
    # On 31/05 the younger one was still poor and the one who left still a member.
    assert compute_indicators(Scope(province=lai_chau), D(2026, 5, 31))["borrowers_poor_near_poor"] == 3


def test_members_with_a_health_insurance_card_valid_on_the_date(tan_uyen, lai_chau):
    club = make_club(tan_uyen, code="I", decision_date=D(2024, 12, 1), launched_on=D(2024, 12, 15))
    people(club, women_older=2, has_health_insurance=True)  # no expiry recorded: valid
    people(club, women_younger=1, has_health_insurance=True, health_insurance_expires_on=ON)
    people(
        club,
        men_older=1,
        has_health_insurance=True,
        health_insurance_expires_on=ON - datetime.timedelta(days=1),
    )
    people(club, men_younger=1)
    scope = Scope(province=lai_chau)
    values = compute_indicators(scope, ON)
    assert (values["members_health_insured"], values["members_health_insured_pct"]) == (3, 60.0)
    after = compute_indicators(scope, ON + datetime.timedelta(days=1))
    assert (after["members_health_insured"], after["members_health_insured_pct"]) == (2, 40.0)


def test_the_new_indicators_in_every_scope_are_the_sum_of_their_clubs(borrowing, lai_chau, tan_uyen):
    """Commune, province and national scopes give the counts of the clubs they hold."""
    half = Period(D(2026, 1, 1), ON)
    commune = compute_indicators(Scope(province=lai_chau, commune_ids=frozenset({tan_uyen.pk})), ON, half)
    province = compute_indicators(Scope(province=lai_chau), ON, half)
    national = compute_indicators(Scope(), ON, half)
    assert commune["members_borrowed_in_period"] == 3  # P p0 p2, Q q0
    assert (commune["clubs_borrowing_50_pct"], commune["clubs_all_8_and_borrowing_50_pct"]) == (50.0, 50.0)
    for code in PLAN_CODES:
        assert national[code] == province[code], code


def test_the_new_indicators_cost_a_constant_number_of_queries(borrowing, lai_chau, tan_uyen):
    """Their counts ride on the existing per-club queries (one query more, for poor borrowers): asked alone
    they need no more queries than the whole catalogue, and neither grows with the data."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    scope = Scope(province=lai_chau)

    def queries(codes=None):
        with CaptureQueriesContext(connection) as captured:
            compute_indicators(scope, ON, codes=codes)
        return len(captured.captured_queries)

    alone, everything = queries(set(PLAN_CODES)), queries()
    club = make_club(tan_uyen, code="Z", decision_date=D(2024, 12, 1), launched_on=D(2024, 12, 15))
    _fund(club)
    for member in people(club, women_older=4, men_younger=2, has_health_insurance=True):
        _lend(club, member, D(2026, 3, 1))
    _all_8_areas(club)
    assert (queries(set(PLAN_CODES)), queries()) == (alone, everything)
    assert alone <= everything <= 20  # with the poor borrowers counted from the members' facts (PostgreSQL)


def test_the_new_codes_are_in_the_catalogue_with_names_units_and_definitions():
    from reports.catalogue import BY_CODE, Unit

    for code in PLAN_CODES:
        indicator = BY_CODE[code]
        assert indicator.name_vi and indicator.name_en and indicator.definition, code
        assert indicator.unit == (Unit.PERCENT if code.endswith("_pct") else Unit.COUNT), code
    assert BY_CODE["members_borrowed_in_period"].over_period
