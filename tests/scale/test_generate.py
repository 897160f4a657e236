"""The data generator at a small scale: consistent with what the services write, reproducible for a seed."""

import datetime
import random
import statistics

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q, Sum

from clubs.models import BoardMembership, Club
from devdata.generate import generate_data, generated_marker, parse_scale, reset_generated
from funds.models import Fund, FundEntry, Instalment, Loan, Repayment
from funds.services import club_found
from life.models import Activity, Attendance, CareAssignment, ClubRating
from members.models import DISADVANTAGED, HouseholdStatus, Member, Membership, older_person_q
from members.services import household_on, member_create
from places.text import search_key
from tests.scale import checks
from tests.scale.conftest import CLUBS, SEED, UNTIL
from tests.test_formula_fields import formula_starts

# One worker runs the whole module under xdist (make test: --dist loadgroup): the 30 clubs of the
# module's `generated` fixture are made once, and the tests that reset them run after those reading them.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("scale-generated")]


def test_it_makes_the_clubs_asked_for_in_the_province(generated):
    clubs = Club.objects.all()
    assert clubs.count() == CLUBS == generated.clubs
    assert set(clubs.values_list("province__code", flat=True)) == {38}
    assert all(code.startswith("SIM-38-") for code in clubs.values_list("code", flat=True))
    assert generated_marker() == (f"{CLUBS}-clubs", SEED)
    assert 40 * CLUBS < Member.objects.count() < 90 * CLUBS


def test_clubs_are_composed_near_the_ishc_standard(generated):
    sizes, women, older, poor = [], [], [], []
    for club in Club.objects.active_on(UNTIL):
        members = Member.objects.filter(club=club).active_on(UNTIL)
        count = members.count()
        sizes.append(count)
        women.append(members.filter(sex="F").count() / count)
        older.append(members.filter(older_person_q(UNTIL)).count() / count)
        poor.append(members.filter(household__in=DISADVANTAGED).count() / count)
        assert members.filter(is_volunteer=True).count() >= 5
    assert 50 <= statistics.mean(sizes) <= 70
    assert min(sizes) >= 30 and max(sizes) <= 95  # natural spread around the standard
    assert 0.6 <= statistics.mean(women) <= 0.72
    assert 0.55 <= statistics.mean(older) <= 0.72
    assert 0.55 <= statistics.mean(poor) <= 0.72
    assert len(set(sizes)) > 5


def test_no_generated_text_starts_like_a_formula(generated):
    assert formula_starts() == []


def test_names_follow_ethnicity_and_search_keys_match(generated):
    by_group = dict(Member.objects.values_list("ethnicity").annotate(n=Count("id")))
    assert by_group[1] > sum(by_group.values()) * 0.6  # Kinh majority in Thanh Hóa
    assert set(by_group) <= {1, 3, 6, 8, 9, 29}  # Kinh, Thái, Mường, H'Mông, Dao, Khơ-mú
    for name, key in Member.objects.values_list("full_name", "search_key")[:500]:
        assert key == search_key(name)
        assert name != key  # written with diacritics


def test_memberships_and_household_periods_are_consistent(generated):
    assert checks.members_not_matching_their_history() == []
    assert checks.overlapping_household_periods() == []
    assert Membership.objects.filter(left_on__isnull=True).values("member").annotate(n=Count("id")).filter(
        n__gt=1
    ).count() == 0  # fmt: skip
    assert Member.objects.filter(left_on__isnull=False).exists()
    assert Membership.objects.filter(leave_reason="transferred").exists() or CLUBS < 10
    changed = HouseholdStatus.objects.values("member").annotate(n=Count("id")).filter(n__gt=1).count()
    assert changed > 0  # statuses change over time
    for member in Member.objects.filter(household_statuses__isnull=False).distinct()[:300]:
        assert member.household == household_on(member, UNTIL)


def test_nothing_is_dated_after_the_end_date(generated):
    assert not Member.objects.filter(Q(joined_on__gt=UNTIL) | Q(left_on__gt=UNTIL)).exists()
    assert not Loan.objects.filter(disbursed_on__gt=UNTIL).exists()
    assert not Repayment.objects.filter(paid_on__gt=UNTIL).exists()
    assert not FundEntry.objects.filter(entry_date__gt=UNTIL).exists()
    assert not Activity.objects.filter(held_on__gt=UNTIL).exists()
    assert not ClubRating.objects.filter(rated_on__gt=UNTIL).exists()


@pytest.mark.parametrize("day", [datetime.date(2021, 1, 1), datetime.date(2024, 6, 30), UNTIL])
def test_capital_equals_cash_plus_outstanding(generated, day):
    assert checks.capital_equals_cash_plus_outstanding(day) == []


def test_no_fund_ever_holds_negative_cash(generated):
    lowest = checks.lowest_cash()
    assert len(lowest) > CLUBS  # both funds of most clubs have moved money
    assert min(lowest.values()) >= 0


def test_loans_schedules_repayments_and_ledger_agree(generated):
    loans = Loan.objects.annotate(
        scheduled=Sum("instalments__principal_due", distinct=False),
    )
    assert loans.count() > CLUBS * 10
    for loan in loans[:400]:
        assert loan.scheduled == loan.principal
        repaid = loan.repayments.aggregate(total=Sum("principal"))["total"] or 0
        assert repaid + loan.written_off_amount <= loan.principal
    for repayment in Repayment.objects.filter(interest__gt=0)[:400]:
        assert list(repayment.fund_entries.values_list("kind", "amount")) == [
            ("interest", repayment.interest)
        ]
    for loan in Loan.objects.filter(written_off_on__isnull=False):
        entry = FundEntry.objects.get(loan=loan, kind="write_off")
        assert (entry.entry_date, entry.amount) == (loan.written_off_on, loan.written_off_amount)
    # Realistic portfolios: some late, some written off, most repaid.
    assert Loan.objects.filter(written_off_on__isnull=False).exists()
    late = Instalment.objects.filter(due_on__lt=UNTIL - datetime.timedelta(days=30))
    assert late.exists()
    assert Fund.objects.filter(entries__kind="transfer_out").exists()
    sources = set(FundEntry.objects.filter(kind="contribution").values_list("source", flat=True))
    assert {"state", "members", "donor_org"} <= sources


def test_the_funds_consistency_check_passes(generated, capsys):
    call_command("funds_check")  # raises CommandError when derived dates or booked interest disagree
    assert "wrong paid date: 0; loans with wrong derived figures: 0" in capsys.readouterr().out


def test_schedules_match_the_funds_schedule_builder():
    from decimal import Decimal

    from devdata.synthetic_clubs import loan_schedule
    from funds.schedule import schedule_build

    rng = random.Random(3)
    for _ in range(300):
        principal = rng.randint(4, 30) * 500_000 + rng.choice((0, 0, 1234))
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 700))
        term = rng.choice((6, 12, 18, 24, 36))
        rate_milli, period = rng.choice(
            ((0, "month"), (500, "month"), (650, "month"), (6000, "year"), (7200, "year"))
        )
        plan = rng.choice(("equal_monthly", "at_end"))
        expected = schedule_build(
            principal=principal, disbursed_on=day, term_months=term, interest_rate=Decimal(rate_milli) / 1000,
            rate_period=period, plan=plan,
        )  # fmt: skip
        got = loan_schedule(principal, day, term, rate_milli, period, plan)
        assert got == [
            (p.number, p.due_on, p.principal_due, p.interest_due, p.principal_due_cumulative)
            for p in expected
        ]


def test_boards_meetings_and_care_involve_members_of_the_club(generated):
    for seat in BoardMembership.objects.select_related("member")[:300]:
        assert seat.to_date is None or seat.to_date >= seat.from_date
        stays = Membership.objects.filter(
            member=seat.member, club=seat.club_id, joined_on__lte=seat.from_date
        )
        assert stays.exists()
    chairs = BoardMembership.objects.filter(role="chair", to_date__isnull=True)
    assert chairs.values("club").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    for row in Attendance.objects.select_related("activity")[:500]:
        day = row.activity.held_on
        assert (
            Membership.objects.filter(member=row.member_id, club=row.activity.club_id, joined_on__lte=day)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
            .exists()
        )
    assert Activity.objects.values("area").distinct().count() == 8
    assert (
        CareAssignment.objects.filter(volunteer__is_volunteer=True).count() == CareAssignment.objects.count()
    )
    assert ClubRating.objects.exists()


def test_the_app_inserts_normally_afterwards(generated, thanh_hoa_commune):
    club = club_found(code="REAL-01", name="CLB thật", commune=thanh_hoa_commune,
                       decision_date=datetime.date(2026, 1, 5))  # fmt: skip
    member = member_create(club=club, full_name="Lê Thị Hoa", birth_year=1950, sex="F",
                           joined_on=datetime.date(2026, 2, 1), household="poor")  # fmt: skip
    assert member.pk > Member.objects.exclude(pk=member.pk).order_by("-pk").values_list("pk", flat=True)[0]
    assert club.funds.count() == 2


def _fingerprint() -> list:
    return [
        list(Club.objects.order_by("id").values_list("code", "name", "decision_date", "launched_on")),
        list(
            Member.objects.order_by("id").values_list(
                "full_name", "birth_year", "household", "joined_on", "left_on", "citizen_id"
            )
        ),  # fmt: skip
        list(Loan.objects.order_by("id").values_list("principal", "disbursed_on", "written_off_amount")),
        list(FundEntry.objects.order_by("id").values_list("kind", "amount", "entry_date")),
        Activity.objects.count(),
    ]


def test_same_seed_same_data_and_a_second_run_does_nothing(generated):
    generate_data(scale="4-clubs", seed=3, until=UNTIL, reset=True)
    first = _fingerprint()
    assert generate_data(scale="4-clubs", seed=3, until=UNTIL).nothing_to_do
    generate_data(scale="4-clubs", seed=3, until=UNTIL, reset=True)
    assert _fingerprint() == first
    generate_data(scale="4-clubs", seed=4, until=UNTIL, reset=True)
    assert _fingerprint() != first


def test_another_seed_needs_reset(generated):
    with pytest.raises(ValidationError, match="already holds generated data"):
        generate_data(scale=f"{CLUBS}-clubs", seed=SEED + 1, until=UNTIL)


def test_it_refuses_a_database_with_real_clubs(generated, club):
    assert reset_generated() == CLUBS  # generated rows go, table by table, and the real club stays
    assert list(Club.objects.all()) == [club]
    with pytest.raises(ValidationError, match="not generated"):
        generate_data(scale="2-clubs", seed=1, until=UNTIL)
    result = generate_data(scale="2-clubs", seed=1, until=UNTIL, force=True)
    assert result.clubs == 2
    assert Club.objects.filter(pk=club.pk).exists()


def _schema() -> list[tuple]:
    """Every index and constraint (PostgreSQL), or every table's and index's definition (SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype IN ('f', 'u', 'c') "
                "UNION SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2"
            )
        else:
            cursor.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        return cursor.fetchall()


def test_bulk_loading_puts_every_index_and_foreign_key_back(db):
    # On PostgreSQL bulk loading drops the indexes and foreign keys and re-creates them; on SQLite the
    # option is ignored (INSERTs into the tables as they are). Either way the schema is as before.
    reset_generated()
    before = _schema()
    result = generate_data(scale="3-clubs", seed=1, until=UNTIL, bulk=True)
    assert result.clubs == 3 and Club.objects.count() == 3
    assert _schema() == before
    assert checks.members_not_matching_their_history() == []


def test_scales():
    assert parse_scale("province").clubs == 1200
    assert parse_scale("national").members == 1_100_000
    assert parse_scale("50-clubs").clubs == 50
    with pytest.raises(ValidationError):
        parse_scale("huge")


def test_command(db, capsys):
    reset_generated()
    call_command("generate_data", "--scale", "2-clubs", "--seed", "5", "--until", "2026-06-30")
    assert "Generated 2 clubs" in capsys.readouterr().out
    call_command("generate_data", "--scale", "2-clubs", "--seed", "5", "--until", "2026-06-30")
    assert "nothing to do" in capsys.readouterr().out


def test_plans_with_targets_come_with_the_data_and_go_with_it(db):
    from devdata.generate import GENERATED_PLAN_NOTE
    from reports.models import Plan

    reset_generated()
    generate_data(scale="2-clubs", seed=1, province_code=1, until=UNTIL)  # Hà Nội: no real plan of its own
    simulated = Plan.objects.get(province__code=1)
    assert simulated.notes == GENERATED_PLAN_NOTE and simulated.targets.count() >= 8
    assert Plan.objects.filter(province__isnull=True).exists()  # the national plans (reports.plans)
    reset_generated()
    assert not Plan.objects.filter(province__code=1).exists()
    assert Plan.objects.filter(province__isnull=True).exists()  # real plans stay
