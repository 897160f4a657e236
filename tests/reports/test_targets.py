import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reports import progress
from reports.catalogue import BY_CODE, CATALOGUE
from reports.indicators import PERIOD_CODES, compute_indicators
from reports.models import Comparison, Plan, Target
from reports.progress import Status, _project, evaluate_targets, target_status
from reports.scope import Period, Scope
from tests.reports.conftest import ON

D = datetime.date


@pytest.mark.parametrize(
    "comparison, value, value_max, actual, expected",
    [
        (Comparison.AT_LEAST, 70, None, 69.9, Status.NOT_MET),
        (Comparison.AT_LEAST, 70, None, 70, Status.MET),
        (Comparison.AT_LEAST, 70, None, 90, Status.EXCEEDED),
        (Comparison.AT_MOST, 0, None, 0, Status.MET),
        (Comparison.AT_MOST, 0, None, 1, Status.NOT_MET),
        (Comparison.BETWEEN, 60, 70, 59.9, Status.NOT_MET),
        (Comparison.BETWEEN, 60, 70, 60, Status.MET),
        (Comparison.BETWEEN, 60, 70, 76, Status.NOT_MET),  # above a range is not "exceeded"
        (Comparison.AT_LEAST, 70, None, None, Status.NO_DATA),
    ],
)
def test_target_status(comparison, value, value_max, actual, expected):
    assert target_status(comparison, value, value_max, actual) == expected


def test_projection_is_linear_from_the_plan_start():
    start, on, deadline = D(2026, 1, 1), D(2026, 7, 2), D(2026, 12, 31)  # 182 of 364 days
    new_clubs = BY_CODE["clubs_new_in_period"]
    assert _project(new_clubs, None, 10, start, on, deadline) == 20
    members = BY_CODE["members_total"]
    assert _project(members, 100, 150, start, on, deadline) == 200  # base 100, +50 in half the time
    pct = BY_CODE["members_borrowing_pct"]
    assert _project(pct, 20, 70, start, on, deadline) == 100.0  # capped
    assert _project(members, 100, 150, start, deadline, deadline) == 150  # at the deadline: the actual
    assert _project(members, 100, None, start, on, deadline) is None
    assert _project(members, None, 150, start, on, deadline) == 300  # no members then: from zero
    assert _project(pct, None, 33.3, start, on, deadline) == 33.3  # no share then: no pace to follow


@pytest.fixture
def plan(lai_chau):
    plan = Plan.objects.create(province=lai_chau, name="Đề án thử", start=D(2026, 1, 1), end=D(2026, 12, 31))
    for indicator, comparison, value, value_max, extra in [
        ("clubs_new_in_period", Comparison.AT_LEAST, 4, None, {}),
        ("members_total", Comparison.AT_LEAST, 20, None, {}),
        ("members_women_pct", Comparison.BETWEEN, 60, 70, {}),
        ("clubs_rated_weak", Comparison.AT_MOST, 0, None, {}),
        ("communes_with_club_pct", Comparison.AT_LEAST, 100, None, {"area_class": "remote"}),
    ]:
        Target.objects.create(plan=plan, indicator=indicator, comparison=comparison, value=value,
                              value_max=value_max, **extra)  # fmt: skip
    return plan


@pytest.mark.django_db
def test_targets_are_measured_and_projected_by_hand(dataset, lai_chau, plan):
    rows = {row.indicator.code: row for row in evaluate_targets(plan, Scope(province=lai_chau), ON)}
    # 73 of 364 days gone.
    new = rows["clubs_new_in_period"]
    assert (new.actual, new.status, new.pct_of_target) == (2, Status.NOT_MET, 50.0)
    assert (new.projection, new.projected_status, new.at_risk) == (10, Status.EXCEEDED, False)  # 2 × 364/73
    members = rows["members_total"]
    # 8 members on 01/01/2026 (A: m1 m2 m4 m5 m7 m11, D: m8, F: m10), 9 now: 8 + 1 × 364/73 ≈ 13.
    assert (members.actual, members.status, members.pct_of_target) == (9, Status.NOT_MET, 45.0)
    assert (members.projection, members.at_risk) == (13, True)
    assert rows["members_women_pct"].status == Status.MET
    weak = rows["clubs_rated_weak"]
    assert (weak.actual, weak.status, weak.pct_of_target) == (1, Status.NOT_MET, None)
    remote = rows["communes_with_club_pct"]
    assert (remote.actual, remote.status) == (100.0, Status.MET)


@pytest.mark.django_db
def test_a_milestone_whose_year_is_over_is_judged_at_its_deadline(dataset, lai_chau):
    plan = Plan.objects.create(
        province=lai_chau, name="Đề án 2025–2026", start=D(2025, 1, 1), end=D(2026, 12, 31)
    )
    Target.objects.create(plan=plan, indicator="clubs_new_in_period", value=1, year=2025)
    Target.objects.create(plan=plan, indicator="clubs_new_in_period", value=2)
    milestone, final = evaluate_targets(plan, Scope(province=lai_chau), ON)
    assert milestone.deadline == D(2025, 12, 31)
    assert (milestone.actual, milestone.status, milestone.projection, milestone.at_risk) == (
        0,
        "not_met",
        0,
        False,
    )
    assert (final.actual, final.status) == (2, "met")  # B and C, since 01/01/2025


@pytest.mark.django_db
def test_evaluating_targets_takes_a_bounded_number_of_queries(
    dataset, lai_chau, plan, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4 * 14):
        evaluate_targets(plan, Scope(province=lai_chau), ON)


@pytest.mark.django_db
def test_only_the_period_codes_depend_on_the_period(dataset, lai_chau):
    """What lets the targets' stocks ride on their events' computation (evaluate_targets)."""
    scope = Scope(province=lai_chau)
    year, since_2025 = compute_indicators(scope, ON), compute_indicators(scope, ON, Period(D(2025, 1, 1), ON))
    differ = {indicator.code for indicator in CATALOGUE if year[indicator.code] != since_2025[indicator.code]}
    assert differ and differ <= PERIOD_CODES


@pytest.mark.django_db
def test_the_stocks_and_events_of_a_date_are_computed_once(dataset, lai_chau, monkeypatch):
    """A milestone judged at its deadline needs that date's stocks and its events: one computation for
    both, with the figures of two separate ones; not when a stock depends on the period."""
    plan = Plan.objects.create(
        province=lai_chau, name="Đề án 2025–2026", start=D(2025, 1, 1), end=D(2026, 12, 31)
    )
    for indicator in ("clubs_new_in_period", "members_women_pct", "members_total"):
        Target.objects.create(plan=plan, indicator=indicator, value=1, year=2025)
    calls = []
    real = compute_indicators
    many = progress.compute_groups_many

    def counted(scope, requests):
        calls.extend(requests)
        return many(scope, requests)

    monkeypatch.setattr(progress, "compute_groups_many", counted)
    rows = {row.indicator.code: row.actual for row in evaluate_targets(plan, Scope(province=lai_chau), ON)}
    assert len(calls) == 1
    scope, day = Scope(province=lai_chau), D(2025, 12, 31)
    stocks = real(scope, day, None, {"members_women_pct", "members_total"})
    events = real(scope, day, Period(D(2025, 1, 1), day), {"clubs_new_in_period"})
    assert rows == {
        "clubs_new_in_period": events["clubs_new_in_period"],
        "members_women_pct": stocks["members_women_pct"],
        "members_total": stocks["members_total"],
    }
    Target.objects.create(plan=plan, indicator="meetings_held_pct", value=1, year=2025)
    calls.clear()
    rows = {row.indicator.code: row.actual for row in evaluate_targets(plan, Scope(province=lai_chau), ON)}
    assert len(calls) == 2
    assert rows["meetings_held_pct"] == real(scope, day, None, {"meetings_held_pct"})["meetings_held_pct"]


@pytest.mark.django_db
def test_a_target_is_validated(lai_chau):
    plan = Plan.objects.create(province=lai_chau, name="Đề án", start=D(2026, 1, 1), end=D(2030, 12, 31))
    with pytest.raises(ValidationError) as error:
        Target(
            plan=plan, indicator="no_such_code", comparison=Comparison.BETWEEN, value=Decimal(60)
        ).full_clean()
    assert {"indicator", "value_max"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        Target(plan=plan, indicator="clubs_total", value=Decimal(1), year=2031).full_clean()
    assert "year" in error.value.message_dict
