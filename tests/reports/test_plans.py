"""The real plans, loaded as data: every target figure domain.md gives for them, and loading twice."""

import io

import pytest
from django.core.management import call_command

from reports.models import Plan, Target

pytestmark = pytest.mark.django_db

COMPOSITION = {
    ("members_per_club_avg", "between", 50, 70, None, ""),  # each club 50–70 members
    ("members_women_pct", "between", 60, 70, None, ""),
    ("members_older_pct", "between", 60, 70, None, ""),
    ("members_younger_pct", "between", 30, 40, None, ""),
}
# (indicator, comparison, value, value_max, year, area class), from domain.md.
EXPECTED = {
    "1336/QĐ-TTg": {
        ("provinces_with_club_pct", "at_least", 95, None, None, ""),
        ("clubs_new_in_period", "at_least", 3000, None, None, ""),
        ("members_new_in_period", "at_least", 150000, None, None, ""),
        (
            "members_older_new_in_period",
            "at_least",
            100000,
            None,
            None,
            "",
        ),  # "> 100,000 of them older people"
        *COMPOSITION,
        ("clubs_all_8_activities_pct", "at_least", 70, None, None, ""),
        ("members_borrowing_pct", "at_least", 50, None, None, ""),
        ("clubs_with_both_funds_pct", "at_least", 100, None, None, ""),
    },
    "1648/QĐ-TTg": {
        ("clubs_new_in_period", "at_least", 6000, None, 2030, ""),  # 2025–2030
        ("clubs_new_in_period", "at_least", 12000, None, None, ""),  # by 2035
        ("communes_with_club_pct", "at_least", 100, None, None, "plains"),
        ("communes_with_club_pct", "at_least", 70, None, None, "remote"),
    },
    "Quảng Ngãi": {
        ("clubs_new_in_period", "at_least", 19, None, 2022, ""),  # about 19 a year
        ("clubs_new_in_period", "at_least", 38, None, 2023, ""),
        ("clubs_new_in_period", "at_least", 57, None, 2024, ""),
        ("clubs_new_in_period", "at_least", 76, None, None, ""),
        ("members_new_in_period", "at_least", 3800, None, None, ""),
        ("communes_with_club_pct", "at_least", 50, None, None, "plains"),
        ("communes_with_club_pct", "at_least", 30, None, None, "remote"),
        ("clubs_with_both_funds_pct", "at_least", 100, None, None, ""),
        ("clubs_all_8_activities_pct", "at_least", 70, None, None, ""),
        ("members_borrowing_pct", "at_least", 50, None, None, ""),
    },
    "5133/QĐ-UBND": {
        ("clubs_new_in_period", "at_least", 400, None, None, ""),
        ("members_new_in_period", "at_least", 20000, None, None, ""),
        ("members_older_new_in_period", "at_least", 14000, None, None, ""),
        ("communes_with_club_pct", "at_least", 90, None, None, ""),
        ("clubs_rated_good_pct", "at_least", 90, None, None, ""),
        ("clubs_rated_weak", "at_most", 0, None, None, ""),
        *COMPOSITION,
        ("members_borrowing_pct", "at_least", 50, None, None, ""),
    },
}


def loaded_targets(plan: Plan) -> set[tuple]:
    return {
        (
            t.indicator,
            t.comparison,
            int(t.value),
            None if t.value_max is None else int(t.value_max),
            t.year,
            t.area_class,
        )
        for t in plan.targets.all()
    }


def test_the_real_plans_carry_every_target_figure_of_their_decisions(db):
    call_command("load_plans", stdout=io.StringIO())
    plans = {
        "1336/QĐ-TTg": Plan.objects.get(decision_number="1336/QĐ-TTg", province=None),
        "1648/QĐ-TTg": Plan.objects.get(decision_number="1648/QĐ-TTg", province=None),
        "Quảng Ngãi": Plan.objects.get(province__code=51),
        "5133/QĐ-UBND": Plan.objects.get(decision_number="5133/QĐ-UBND", province__code=38),
    }
    for name, expected in EXPECTED.items():
        assert loaded_targets(plans[name]) == expected, name
    assert (plans["1336/QĐ-TTg"].start.year, plans["1336/QĐ-TTg"].end.year) == (2020, 2025)
    assert (plans["1648/QĐ-TTg"].start.isoformat(), plans["1648/QĐ-TTg"].end.year) == ("2025-08-01", 2035)
    assert plans["Quảng Ngãi"].end.year == plans["5133/QĐ-UBND"].end.year == 2025


def test_loading_the_plans_twice_changes_nothing(db):
    def snapshot():
        return (
            sorted(Plan.objects.values_list("id", "name", "decision_number", "start", "end", "notes")),
            sorted(Target.objects.values_list("id", "plan_id", "indicator", "comparison", "value", "year")),
        )

    out = io.StringIO()
    call_command("load_plans", stdout=out)
    first = snapshot()
    call_command("load_plans", stdout=out)
    assert snapshot() == first
    assert out.getvalue().splitlines()[-1] == "Plans created: 0"
