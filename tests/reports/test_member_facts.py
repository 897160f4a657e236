"""The members' facts (reports.member_facts): the same counts as the register's, at any date.

The facts are copies of the register made once per club; each date-bound property is kept as the first
or last day it holds. A wrong boundary (a day early, a day late: a 60th birthday on 29 February, a
card that expires on the report's date, a status ending the day a member leaves) would give a count
off by one on that day only, so the property test below compares the two ways of counting on every
such day of a random register, not on a few dates picked by hand.

PostgreSQL only (kept as the report figures are); on SQLite the reports count the register itself.
"""

import datetime
import random

import pytest
from django.db import connection
from django.test import override_settings

from clubs.models import Club
from funds.models import Fund, FundKind, Loan, Purpose, RepaymentPlan, Source
from funds.selectors import POOR_BORROWERS, fund_figures_by_club
from members.ethnicity import KINH
from members.models import Household, HouseholdStatus, Member, Membership, Sex
from reports import indicators, member_facts
from reports.indicators import _club_rows_many
from reports.models import BorrowingFact, ClubFacts, HouseholdFact, MembershipFact
from reports.scope import Period, Scope
from tests.conftest import make_club, make_member

pytestmark = pytest.mark.django_db
D = datetime.date
FACTS = "the members' facts are kept on PostgreSQL only (change triggers, as the kept figures)"
STATUSES = [choice for choice, _label in Household.choices]


def _register(seed: int, communes) -> list[Club]:
    """Five clubs (one dissolved, one launched late, one only decided) and 60 members with random
    histories: births around 1966 (so that 60th birthdays fall in the years counted; some on 29
    February, some known by the year only), cards with and without an expiry date, up to three
    memberships one after the other (some left the day they joined, some moved on the same day, some
    joined two clubs at once), and up to three household status periods."""
    rng = random.Random(seed)
    clubs = [
        make_club(communes[0], decision_date=D(2023, 1, 5), launched_on=D(2023, 2, 1)),
        make_club(
            communes[1], decision_date=D(2023, 3, 1), launched_on=D(2023, 4, 1), dissolved_on=D(2025, 6, 30)
        ),
        make_club(communes[0], decision_date=D(2024, 12, 1), launched_on=D(2025, 2, 1)),
        make_club(communes[1], decision_date=D(2025, 9, 1), launched_on=None),
        make_club(communes[1], decision_date=D(2022, 5, 1), launched_on=D(2022, 6, 1)),
    ]

    def day(start: D, end: D) -> D:
        return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))

    members, stays, statuses = [], [], []
    for n in range(60):
        born = rng.choice(
            [D(1964, 2, 29), D(1968, 2, 29), D(1966, 3, 1), None, None, day(D(1962, 1, 1), D(1969, 12, 31))]
        )
        insured = rng.random() < 0.6
        history, start = [], day(D(2023, 1, 1), D(2026, 6, 30))
        for _ in range(rng.randint(1, 3)):
            end = rng.choice([None, start, day(start, D(2029, 6, 30))])
            history.append((rng.choice(clubs), start, end))
            if end is None:
                break
            start = rng.choice([end, day(end, D(2029, 6, 30))])
        if rng.random() < 0.1 and history[0][2] is not None:
            # Two first memberships begun on the same day (the second one closed), in one club or two.
            club = rng.choice([history[0][0], *clubs])
            history.insert(1, (club, history[0][1], day(history[0][1], D(2029, 6, 30))))
        club, joined, left = history[-1]
        members.append(
            Member(
                club=club, full_name=f"Người {n}", search_key=f"nguoi {n}", joined_on=joined, left_on=left,
                birth_year=born.year if born else rng.randint(1962, 1969), birth_date=born,
                sex=rng.choice([Sex.FEMALE, Sex.MALE]), ethnicity=rng.choice([KINH, KINH, 2, 3]),
                is_volunteer=rng.random() < 0.5, has_health_insurance=insured,
                health_insurance_expires_on=rng.choice([None, day(D(2023, 1, 1), D(2029, 12, 31))]) if insured else None,
            )
        )  # fmt: skip
        stays.append(history)
    Member.objects.bulk_create(members)
    for member, history in zip(members, stays, strict=True):
        Membership.objects.bulk_create(
            Membership(member=member, club=club, joined_on=joined, left_on=left)
            for club, joined, left in history
        )
        start = day(D(2022, 1, 1), D(2027, 1, 1))
        for _ in range(rng.randint(0, 3)):
            end = rng.choice([None, start, day(start, D(2029, 1, 1))])
            statuses.append(
                HouseholdStatus(member=member, status=rng.choice(STATUSES), valid_from=start, valid_to=end)
            )
            if end is None:
                break
            start = end + datetime.timedelta(days=rng.randint(1, 40))
    HouseholdStatus.objects.bulk_create(statuses)
    return clubs


def _boundaries(rng: random.Random) -> list[D]:
    """Every day on which a count may change, and the day before: joining, leaving, turning 60, a
    card's last day, a status's first and last days; and the leap days."""
    days = {D(2024, 2, 28), D(2024, 2, 29), D(2024, 3, 1), D(2028, 2, 28), D(2028, 2, 29), D(2028, 3, 1)}
    for joined, left in Membership.objects.values_list("joined_on", "left_on"):
        days |= {joined, left} - {None}
    for valid_from, valid_to in HouseholdStatus.objects.values_list("valid_from", "valid_to"):
        days |= {valid_from, valid_to} - {None}
    for born, year, expires in Member.objects.values_list(
        "birth_date", "birth_year", "health_insurance_expires_on"
    ):
        days.add(D(year + 60, 1, 1))
        if born is not None:
            days.add(
                D(born.year + 60, 3, 1)
                if (born.month, born.day) == (2, 29)
                else born.replace(year=born.year + 60)
            )
        if expires is not None:
            days.add(expires)
    days |= {day + datetime.timedelta(days=shift) for day in days for shift in (-1, 1)}
    return sorted(days)


def _rows(scope: Scope, dates: list[D], from_facts: bool, monkeypatch) -> list[dict]:
    monkeypatch.setattr(member_facts, "enabled", lambda: from_facts)
    parts = {"members", "households", "new_members"}  # what the facts count (and the clubs' own row)
    specs = [
        (on, Period(D(on.year, 1, 1) if i % 2 else D(2023, 1, 1), on), parts) for i, on in enumerate(dates)
    ]
    return _club_rows_many(scope, specs)


@pytest.mark.postgresql(reason=FACTS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_facts_count_what_the_register_counts_on_every_day_a_count_can_change(
    seed, tan_uyen, than_uyen, monkeypatch
):
    clubs = _register(seed, [tan_uyen, than_uyen])
    scope = Scope(club_ids=frozenset(club.pk for club in clubs))
    days = _boundaries(random.Random(seed))
    assert len(days) > 150
    compared = 0
    for start in range(0, len(days), 40):  # several dates per scan, as a report with targets asks
        some = days[start : start + 40]
        from_facts = _rows(scope, some, True, monkeypatch)
        from_register = _rows(scope, some, False, monkeypatch)
        for on, facts, register in zip(some, from_facts, from_register, strict=True):
            assert facts == register, on
            compared += sum(row["members"] for row in register.values())
    assert compared > 1000  # the days compared held members, not empty clubs
    assert MembershipFact.objects.filter(club__in=clubs).count() == Membership.objects.count()


def _loans(seed: int, clubs: list[Club]) -> None:
    """Loans of the clubs' income funds to their members and former members: some to a member of another
    club or one who left before it, some repaid or written off (on the day they were given, too), some
    overlapping another of the same borrower. Rows as they stand after the services wrote them; what the
    borrowers count reads of a loan is its dates."""
    rng = random.Random(seed * 7)
    funds = {fund.club_id: fund for fund in Fund.objects.filter(club__in=clubs, kind=FundKind.INCOME)}
    stays = list(Membership.objects.values_list("member_id", "club_id", "joined_on"))
    loans = []
    for member_id, club_id, joined in rng.sample(stays, 45):
        for _ in range(rng.randint(1, 2)):
            # Now and then a loan of a club they never joined.
            club = club_id if rng.random() < 0.85 else rng.choice(clubs).pk
            start = joined + datetime.timedelta(days=rng.randint(-30, 500))
            end = rng.choice([None, None, start, start + datetime.timedelta(days=rng.randint(1, 700))])
            written_off = end is not None and rng.random() < 0.3
            loans.append(
                Loan(
                    fund=funds[club], member_id=member_id, disbursed_on=start, principal=5_000_000,
                    purpose=Purpose.LIVESTOCK, term_months=12, plan=RepaymentPlan.AT_END,
                    repaid_on=None if written_off else end, written_off_on=end if written_off else None,
                )
            )  # fmt: skip
    Loan.objects.bulk_create(loans)


@pytest.mark.postgresql(reason=FACTS)
@pytest.mark.parametrize("seed", [1, 2])
def test_the_borrowing_facts_count_the_borrowers_the_funds_count_on_every_day_one_can_change(
    seed, tan_uyen, than_uyen
):
    """Borrowers and poor borrowers from the facts against funds.selectors' count from the register, on
    every day a loan, a membership or a household status begins or ends, and the days around."""
    clubs = _register(seed, [tan_uyen, than_uyen])
    _loans(seed, clubs)
    scope = Scope(club_ids=frozenset(club.pk for club in clubs))
    days = set(_boundaries(random.Random(seed)))
    for dates in Loan.objects.values_list("disbursed_on", "repaid_on", "written_off_on"):
        days |= {day + datetime.timedelta(days=shift) for day in dates if day for shift in (-1, 0, 1)}
    member_facts.bring_up_to_date(scope)
    assert set(BorrowingFact.objects.values_list("poor", flat=True)) == {False, True}
    clubs_qs = Club.objects.filter(pk__in=[club.pk for club in clubs])
    borrowers = poor = 0
    for on in sorted(days):
        register = fund_figures_by_club(clubs_qs, on, only={"borrowers", POOR_BORROWERS})
        facts = member_facts.borrowers(scope, on, poor=True)
        for club in clubs:
            counted = (register[club.pk]["borrowers"], register[club.pk][POOR_BORROWERS])
            assert facts.get(club.pk, (0, 0)) == counted, (on, club.pk)
            borrowers, poor = borrowers + counted[0], poor + counted[1]
        alone = member_facts.borrowers(scope, on, poor=False)  # the borrowers part asks without the poor
        assert {club_id: b for club_id, (b, _p) in alone.items() if b} == {
            club_id: b for club_id, (b, _p) in facts.items() if b
        }
    assert borrowers > 500 and poor > 100  # days with borrowers, poor ones among them, were compared


@pytest.mark.postgresql(reason=FACTS)
def test_a_club_changed_after_its_facts_were_written_has_them_written_again(tan_uyen, monkeypatch):
    club = make_club(tan_uyen)
    woman = make_member(club, full_name="Lò Thị Một", birth_year=1950, sex="F")
    make_member(club, full_name="Lò Văn Hai", birth_year=1980, sex="M")
    scope = Scope(club=club)
    on = D(2026, 3, 15)

    def women() -> int:
        return _rows(scope, [on], True, monkeypatch)[0][club.pk]["women"]

    assert women() == 1 and member_facts.behind(scope) == {}
    written = ClubFacts.objects.get(club=club).version
    Member.objects.filter(pk=woman.pk).update(sex="M")  # a raw update: only the change trigger sees it
    assert club.pk in member_facts.behind(scope)
    assert women() == 0
    assert ClubFacts.objects.get(club=club).version > written and member_facts.behind(scope) == {}
    # Code that wrote the facts another way: its rows are not trusted either.
    ClubFacts.objects.filter(club=club).update(digest="older")
    assert list(member_facts.behind(scope)) == [club.pk]
    assert women() == 0 and member_facts.behind(scope) == {}


@pytest.mark.postgresql(reason=FACTS)
def test_a_clubs_rows_are_those_of_its_last_write_and_a_gone_clubs_rows_go(tan_uyen, than_uyen):
    first, second = make_club(tan_uyen), make_club(than_uyen)
    moving = make_member(first, full_name="Hà Thị Chuyển", birth_year=1950)
    make_member(second, full_name="Hà Văn Ở", birth_year=1952)
    assert member_facts.bring_up_to_date(Scope(club_ids=frozenset({first.pk, second.pk}))) == 2
    Membership.objects.filter(member=moving).update(club=second)  # an admin's edit: both clubs change
    assert set(member_facts.behind(Scope(club_ids=frozenset({first.pk, second.pk})))) == {first.pk, second.pk}
    member_facts.bring_up_to_date(Scope(club=second))  # the second club's report alone
    assert MembershipFact.objects.filter(club=second).count() == 2
    member_facts.bring_up_to_date(Scope(club=first))
    assert MembershipFact.objects.filter(club=first).count() == 0
    HouseholdFact.objects.create(
        club_id=first.pk, member_id=moving.pk, status="poor", starts_on=D(2026, 1, 1)
    )
    BorrowingFact.objects.create(club_id=first.pk, member_id=moving.pk, starts_on=D(2026, 1, 1), poor=True)
    MembershipFact.objects.create(
        club_id=first.pk, member_id=moving.pk, joined_on=D(2026, 1, 1), woman=True, minority=False,
        volunteer=False, first=True,
    )  # fmt: skip
    Member.objects.filter(pk=moving.pk).update(club=second)
    Fund.objects.filter(club=first).delete()
    Club.objects.filter(pk=first.pk).delete()
    member_facts.forget_gone()
    assert not MembershipFact.objects.filter(club_id=first.pk).exists()
    assert not HouseholdFact.objects.filter(club_id=first.pk).exists()
    assert not BorrowingFact.objects.filter(club_id=first.pk).exists()
    assert not ClubFacts.objects.filter(club_id=first.pk).exists()  # its id, given again, finds nothing
    assert MembershipFact.objects.filter(club=second).count() == 2


def test_on_sqlite_the_register_itself_is_counted(tan_uyen):
    club = make_club(tan_uyen)
    make_member(club, full_name="Lò Thị Một", birth_year=1950)
    rows = indicators.compute_groups(Scope(club=club), D(2026, 3, 15), None, ("total",))["total"][None]
    assert rows["members_total"] == 1
    written = MembershipFact.objects.count()
    if connection.vendor == "postgresql":
        assert member_facts.enabled() and written == 1
    else:
        assert not member_facts.enabled() and written == 0


@pytest.mark.postgresql(reason=FACTS)
def test_borrowers_are_counted_once_whatever_their_loans_and_only_where_they_are_members(tan_uyen, than_uyen):
    """Two loans open at once, a poor borrower who moved on to another club with a loan of the first
    still open, a loan repaid: counted from the facts as the funds count them from the register."""
    from members.services import household_status_set, member_move
    from reports.indicators import compute_groups
    from tests.reports.conftest import contribute, lend

    first, second = make_club(tan_uyen), make_club(than_uyen)
    for club in (first, second):
        contribute(club, FundKind.INCOME, 50_000_000, D(2024, 3, 1), Source.MEMBERS)
    twice = make_member(first, full_name="Lò Thị Hai Khoản", birth_year=1950)
    moved = make_member(first, full_name="Lò Văn Chuyển", birth_year=1952)
    make_member(second, full_name="Lò Thị Trả Rồi", birth_year=1954)
    household_status_set(member=twice, status=Household.POOR, valid_from=D(2024, 2, 1))
    household_status_set(member=moved, status=Household.NEAR_POOR, valid_from=D(2024, 2, 1))
    lend(first, twice, 3_000_000, D(2026, 1, 5), term=12)
    lend(first, twice, 2_000_000, D(2026, 2, 5), term=12)
    lend(first, moved, 4_000_000, D(2026, 1, 10), term=12)
    member_move(member=moved, to_club=second, moved_on=D(2026, 3, 1))
    scope, on = Scope(club_ids=frozenset({first.pk, second.pk})), D(2026, 3, 15)
    codes = {"borrowers_total", "borrowers_poor_near_poor", "members_borrowing_pct", "loans_outstanding_vnd"}
    facts = compute_groups(scope, on, None, ("total", "club"), codes)
    with override_settings(REPORT_FIGURES_KEPT=False):
        register = compute_groups(scope, on, None, ("total", "club"), codes)
    assert facts == register
    assert facts["club"][first.pk]["borrowers_total"] == 1  # twice; moved is no longer a member here
    assert facts["club"][first.pk]["borrowers_poor_near_poor"] == 1
    assert facts["club"][second.pk]["borrowers_total"] == 0
