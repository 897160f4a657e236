"""A hand-built Lai Châu dataset whose every figure is worked out by hand in the tests.

As of ON = 15/03/2026, period = year to date (01/01/2026 – 15/03/2026).

Clubs (Lai Châu unless said):
  A  Tân Uyên   decided 10/01/2024, launched 01/02/2024                      → active
  B  Than Uyên  decided 05/01/2026, launched 01/02/2026                      → active, new in period
  C  Tân Uyên   decided 10/02/2026, not launched                             → decided only, new in period
  D  Than Uyên  launched 2023, dissolved 01/03/2026                          → not counted
  F  Than Uyên  launched 2024, suspended 01/02/2026                          → counted, not active
  E  Thanh Hóa  launched 2024                                                → other province
Than Uyên is a mountain commune.

Members active on ON in counted clubs (9):
  A: m1 ♀ 1950 Thái poor vol · m2 ♂ born 15/03/1966 (60 today) near-poor since 01/01/2026, poor before, vol
     · m3 ♀ born 16/03/1966 (59) hardship vol joined 10/01/2026 · m5 ♂ 1980 vol leaves 16/03/2026
     · m11 ♂ 1940 vol
     (m4 ♀ 1990 vol left 14/03/2026, the day before: not counted)
  B: m6 ♀ 1955 H'Mông poor vol joined 01/02/2026 · m7 ♀ 1958 moved from A on 15/02/2026 (not new)
  C: m9 ♀ year 1960 only, joined 10/02/2026
  F: m10 ♀ 1970
  Health insurance cards: m1 (no expiry recorded), m3 (expires on ON: still valid); m6's expired the day
  before and m4 (left) holds one: neither counted.
  D: m8 (club dissolved: not counted) · E: one Thanh Hóa member joined 2026 (other province)
"""

import datetime
from types import SimpleNamespace

import pytest

from clubs.models import BoardMembership, BoardRole
from clubs.services import board_seat_add
from funds.models import EntryKind, FundKind, RatePeriod, RepaymentPlan, Source
from funds.services import fund_entry_add, loan_disburse, loan_repay
from life.models import Activity, ActivityType, ClubRating, Rating
from members.models import Household, LeaveReason
from members.services import household_status_set, member_leave, member_move
from places.models import AreaClass
from tests.conftest import make_club, make_member

ON = datetime.date(2026, 3, 15)
D = datetime.date


@pytest.fixture
def dataset(tan_uyen, than_uyen, thanh_hoa_commune):
    than_uyen.area_class = AreaClass.MOUNTAIN
    than_uyen.save(update_fields=["area_class"])
    a = make_club(tan_uyen, code="A", decision_date=D(2024, 1, 10), launched_on=D(2024, 2, 1))
    b = make_club(than_uyen, code="B", decision_date=D(2026, 1, 5), launched_on=D(2026, 2, 1))
    c = make_club(tan_uyen, code="C", decision_date=D(2026, 2, 10), launched_on=None)
    d = make_club(
        than_uyen,
        code="D",
        decision_date=D(2023, 1, 5),
        launched_on=D(2023, 2, 1),
        dissolved_on=D(2026, 3, 1),
    )
    f = make_club(
        than_uyen,
        code="F",
        decision_date=D(2024, 1, 5),
        launched_on=D(2024, 2, 1),
        suspended_on=D(2026, 2, 1),
    )
    e = make_club(thanh_hoa_commune, code="E", decision_date=D(2024, 1, 5), launched_on=D(2024, 2, 1))
    joined = D(2024, 2, 1)

    m1 = make_member(
        a,
        full_name="Lò Thị Một",
        birth_year=1950,
        sex="F",
        ethnicity=3,
        household=Household.POOR,
        is_volunteer=True,
        has_health_insurance=True,
        joined_on=joined,
    )
    m2 = make_member(
        a,
        full_name="Nguyễn Văn Hai",
        birth_year=1966,
        birth_date=D(1966, 3, 15),
        sex="M",
        household=Household.POOR,
        is_volunteer=True,
        joined_on=joined,
    )
    household_status_set(member=m2, status=Household.NEAR_POOR, valid_from=D(2026, 1, 1))
    m3 = make_member(
        a,
        full_name="Trần Thị Ba",
        birth_year=1966,
        birth_date=D(1966, 3, 16),
        sex="F",
        household=Household.HARDSHIP,
        is_volunteer=True,
        has_health_insurance=True,
        health_insurance_expires_on=ON,
        joined_on=D(2026, 1, 10),
    )
    m4 = make_member(
        a,
        full_name="Lê Thị Bốn",
        birth_year=1990,
        sex="F",
        is_volunteer=True,
        has_health_insurance=True,
        joined_on=joined,
    )
    member_leave(member=m4, left_on=D(2026, 3, 14), reason=LeaveReason.MOVED)
    m5 = make_member(
        a, full_name="Phạm Văn Năm", birth_year=1980, sex="M", is_volunteer=True, joined_on=joined
    )
    member_leave(member=m5, left_on=D(2026, 3, 16), reason=LeaveReason.WITHDREW)
    m11 = make_member(
        a, full_name="Hoàng Văn Mười Một", birth_year=1940, sex="M", is_volunteer=True, joined_on=joined
    )
    m6 = make_member(
        b,
        full_name="Giàng Thị Sáu",
        birth_year=1955,
        sex="F",
        ethnicity=8,
        household=Household.POOR,
        is_volunteer=True,
        has_health_insurance=True,
        health_insurance_expires_on=ON - datetime.timedelta(days=1),
        joined_on=D(2026, 2, 1),
    )
    m7 = make_member(a, full_name="Vũ Thị Bảy", birth_year=1958, sex="F", joined_on=joined)
    member_move(member=m7, to_club=b, moved_on=D(2026, 2, 15))
    m8 = make_member(d, full_name="Đỗ Văn Tám", birth_year=1950, sex="M", joined_on=D(2023, 2, 1))
    m9 = make_member(c, full_name="Bùi Thị Chín", birth_year=1960, sex="F", joined_on=D(2026, 2, 10))
    m10 = make_member(f, full_name="Đinh Thị Mười", birth_year=1970, sex="F", joined_on=joined)
    make_member(e, full_name="Mai Thị Thanh", birth_year=1950, sex="F", joined_on=D(2026, 1, 20))

    # Board of A on ON: m1, m5 (from ON), m11 = 3 people; m2's seat ended the day before.
    board_seat_add(club=a, member=m1, role=BoardRole.CHAIR, from_date=joined)
    seat = board_seat_add(club=a, member=m2, role=BoardRole.TREASURER, from_date=joined)
    BoardMembership.objects.filter(pk=seat.pk).update(to_date=D(2026, 3, 14))
    board_seat_add(club=a, member=m5, role=BoardRole.SECRETARY, from_date=ON)
    board_seat_add(club=a, member=m11, role=BoardRole.VICE_CHAIR, from_date=joined)

    # Activities: A covers all 8 areas within the 12 calendar months (April 2025 – March 2026; its area 8
    # on 01/04/2025, the first day); B misses area 8 (its only one is on 31/03/2025, the day before).
    def activity(club, day, area, kind=ActivityType.OTHER):
        Activity.objects.create(club=club, held_on=day, area=area, kind=kind, title=f"HĐ {area}")

    for area in range(1, 8):
        activity(a, D(2026, 1, 20), area)
        activity(b, D(2026, 2, 20), area)
    activity(a, D(2025, 4, 1), 8)
    activity(b, D(2025, 3, 31), 8)
    # Monthly meetings in the period: A held in Jan (twice) and Mar of 3 months due; B in Feb of 2 due.
    for club, day in [(a, D(2026, 1, 10)), (a, D(2026, 1, 25)), (a, D(2026, 3, 5)), (b, D(2026, 2, 20))]:
        activity(club, day, 4, ActivityType.MONTHLY_MEETING)

    # Ratings: latest year rated by ON is 2025 (A strong, F good, D weak); 2024 and a later rating ignored.
    ClubRating.objects.create(club=a, year=2024, rating=Rating.AVERAGE, rated_on=D(2025, 1, 10))
    for club, rating in [(a, Rating.STRONG), (f, Rating.GOOD), (d, Rating.WEAK)]:
        ClubRating.objects.create(club=club, year=2025, rating=rating, rated_on=D(2026, 1, 15))
    ClubRating.objects.create(club=b, year=2026, rating=Rating.WEAK, rated_on=D(2026, 3, 20))

    # Funds. A: income fund 100 M đ from the province (2024) + 20 M đ from members (2025), activity fund
    # 5 M đ from members; B: income fund 30 M đ from a donor organisation, nothing in its activity fund.
    contribute(a, FundKind.INCOME, 100_000_000, D(2024, 3, 1), Source.STATE)
    contribute(a, FundKind.INCOME, 20_000_000, D(2025, 6, 1), Source.MEMBERS)
    contribute(a, FundKind.ACTIVITY, 5_000_000, D(2024, 3, 1), Source.MEMBERS)
    contribute(b, FundKind.INCOME, 30_000_000, D(2026, 2, 5), Source.DONOR_ORG)
    # Loans, no interest, equal monthly principal. m1 borrowed 2 M in 2025 and repaid it all (closed).
    # m2: 6 M on 12/01/2026, first instalment due 12/02, unpaid: 31 days late on ON → at risk (PAR30).
    # m3: 6 M on 13/01/2026, first instalment due 13/02, unpaid: 30 days late on ON → not yet.
    # m6 (B): 3 M on 20/02/2026, first due 20/03. Outstanding 15 M; PAR30 = 6 / 15 = 40%.
    old = lend(a, m1, 2_000_000, D(2025, 6, 1), term=2)
    loan_repay(loan=old, paid_on=D(2025, 8, 1), principal=2_000_000, interest=0, recorded_by=None)
    lend(a, m2, 6_000_000, D(2026, 1, 12))
    lend(a, m3, 6_000_000, D(2026, 1, 13))
    lend(b, m6, 3_000_000, D(2026, 2, 20))

    return SimpleNamespace(a=a, b=b, c=c, d=d, e=e, f=f, m1=m1, m2=m2, m3=m3, m4=m4, m5=m5, m6=m6, m7=m7,
                           m8=m8, m9=m9, m10=m10, m11=m11)  # fmt: skip


def contribute(club, kind, amount, on, source):
    fund_entry_add(fund=club.funds.get(kind=kind), kind=EntryKind.CONTRIBUTION, amount=amount, entry_date=on,
                   source=source, recorded_by=None)  # fmt: skip


def lend(club, member, principal, on, *, term=6):
    return loan_disburse(fund=club.funds.get(kind=FundKind.INCOME), member=member, disbursed_on=on,
                         principal=principal, purpose="livestock", term_months=term, interest_rate=0,
                         rate_period=RatePeriod.MONTH, plan=RepaymentPlan.EQUAL_MONTHLY, recorded_by=None)  # fmt: skip


# Every figure of the dataset for Lai Châu on ON, worked out by hand above.
LAI_CHAU_EXPECTED = {
    "clubs_total": 4,  # A, B, C, F
    "clubs_active": 2,  # A, B
    "clubs_not_launched": 1,  # C
    "clubs_new_in_period": 2,  # B, C
    "members_total": 9,
    "members_new_in_period": 3,  # m3, m6, m9 (m7 moved, not new)
    "members_older_new_in_period": 2,  # m6, m9 (m3 is 59 on the date)
    "members_women": 6,  # m1 m3 m6 m7 m9 m10
    "members_women_pct": 66.7,
    "members_older": 6,  # m1 m2 m11 m6 m7 m9
    "members_older_pct": 66.7,
    "members_younger_pct": 33.3,
    "members_poor": 2,  # m1 m6
    "members_near_poor": 1,  # m2
    "members_hardship": 1,  # m3
    "members_poor_near_poor_pct": 33.3,
    "members_older_poor": 2,  # m1 m6 (m2, 60 today, is near-poor since 01/01/2026)
    "members_older_near_poor": 1,  # m2
    "members_health_insured": 2,  # m1 (no expiry), m3 (expires on ON); m6's expired the day before
    "members_health_insured_pct": 22.2,  # 2 / 9
    "members_ethnic_minority_pct": 22.2,  # m1 m6
    "members_per_club_avg": 4.5,  # 9 / 2 active clubs
    "board_members_total": 3,
    "volunteers_total": 6,  # m1 m2 m3 m5 m11 m6
    "clubs_with_5_volunteers_pct": 50.0,  # A of A, B
    "clubs_composition_ok_pct": 0.0,  # national standard: 50–70 members, A has 5 and B 2
    "clubs_composition_1336_pct": 0.0,  # 50–70 members too
    "clubs_all_8_activities_pct": 50.0,  # A of A, B
    "fund_capital_vnd": 155_000_000,  # A 100 + 20 + 5, B 30
    "fund_capital_state_vnd": 100_000_000,
    "fund_capital_members_vnd": 25_000_000,
    "fund_capital_donor_org_vnd": 30_000_000,
    "fund_capital_donor_person_vnd": 0,
    "fund_capital_care_fund_vnd": 0,
    "fund_capital_project_vnd": 0,
    "fund_capital_other_vnd": 0,
    "loans_outstanding_vnd": 15_000_000,
    "borrowers_total": 3,  # m2 m3 m6
    "members_borrowing_pct": 33.3,  # 3 / 9
    "members_ever_borrowed": 4,  # m1 m2 m3 m6
    "members_borrowed_in_period": 3,  # m2 m3 m6 (m1 borrowed in 2025)
    "borrowers_poor_near_poor": 2,  # m2 near-poor, m6 poor (m3 is hardship: not counted)
    "clubs_borrowing_50_pct": 50.0,  # B: 1 of 2 members borrowing; A: 2 of 5
    "clubs_all_8_and_borrowing_50_pct": 0.0,  # A has the 8 areas but 40% borrowing, B the reverse
    "loans_disbursed_in_period_vnd": 15_000_000,
    "par30_pct": 40.0,  # m2's 6 M of 15 M (m3's loan is 30 days late: not counted)
    "clubs_with_both_funds_pct": 50.0,  # A of A, B
    "meetings_held_pct": 60.0,  # (2 + 1) / (3 + 2)
    "clubs_rated_good_pct": 66.7,  # A, F of A, F, D
    "clubs_rated_weak": 1,  # D
    "communes_total": 38,
    "communes_with_club": 2,  # Tân Uyên, Than Uyên
    "communes_with_club_pct": 5.3,
    "communes_with_club_pct_plains": 2.7,  # 1 / 37
    "communes_with_club_pct_remote": 100.0,  # 1 / 1
    "provinces_with_club_pct": None,  # national figure only
}
