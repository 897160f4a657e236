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
# Judged club by club (issue 16): every club in the plan's bounds, 70 % of clubs with all 8 activities and
# at least half their members borrowing.
EACH_CLUB_COMPOSITION = ("clubs_composition_1336_pct", "at_least", 100, None, None, "")
ALL_8_AND_BORROWING = ("clubs_all_8_and_borrowing_50_pct", "at_least", 70, None, None, "")
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
        EACH_CLUB_COMPOSITION,
        ("clubs_all_8_activities_pct", "at_least", 70, None, None, ""),
        ("members_borrowing_pct", "at_least", 50, None, None, ""),
        ALL_8_AND_BORROWING,
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
        ALL_8_AND_BORROWING,  # "ít nhất 70% CLB thực hiện đủ 08 hoạt động chính và … ít nhất 50% thành viên được vay vốn"
    },
    "5133/QĐ-UBND": {
        ("clubs_new_in_period", "at_least", 400, None, None, ""),
        ("members_new_in_period", "at_least", 20000, None, None, ""),
        ("members_older_new_in_period", "at_least", 14000, None, None, ""),
        ("communes_with_club_pct", "at_least", 90, None, None, ""),
        ("clubs_rated_good_pct", "at_least", 90, None, None, ""),
        ("clubs_rated_weak", "at_most", 0, None, None, ""),
        *COMPOSITION,
        EACH_CLUB_COMPOSITION,
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


def test_a_database_whose_plans_were_loaded_before_gets_the_new_targets_once(db):
    """Plans loaded before issue 16 lack its targets; load_plans leaves existing plans alone, so the
    reports migration 0005 adds them, once, and leaves an officer's own version of one as it is."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("reports.migrations.0005_plan_targets_for_the_plans_indicators")
    call_command("load_plans", stdout=io.StringIO())
    new = [EACH_CLUB_COMPOSITION[0], ALL_8_AND_BORROWING[0]]
    Target.objects.filter(indicator__in=new).delete()  # as a database loaded before
    thanh_hoa = Plan.objects.get(decision_number="5133/QĐ-UBND")
    Target.objects.create(plan=thanh_hoa, indicator=EACH_CLUB_COMPOSITION[0], value=90)  # an officer's own
    call_command("load_plans", stdout=io.StringIO())
    assert Target.objects.filter(indicator__in=new).count() == 1  # load_plans leaves existing plans alone

    migration.add_targets(apps, None)
    migration.add_targets(apps, None)
    plans = {
        "1336/QĐ-TTg": Plan.objects.get(decision_number="1336/QĐ-TTg", province=None),
        "Quảng Ngãi": Plan.objects.get(province__code=51),
    }
    for name, plan in plans.items():
        assert loaded_targets(plan) == EXPECTED[name], name
    assert thanh_hoa.targets.get(indicator=EACH_CLUB_COMPOSITION[0]).value == 90
    assert Target.objects.filter(indicator__in=new).count() == 4

    migration.remove_targets(apps, None)
    assert not Target.objects.filter(indicator__in=new).exists()
