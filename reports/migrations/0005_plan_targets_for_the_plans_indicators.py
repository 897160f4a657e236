"""The targets of the indicators issue 16 added (judged club by club), for databases whose plans were
loaded before: `load_plans` leaves a plan that exists as it is (officers' edits survive), so these
reach them here, once. A plan not there yet gets them from `load_plans` itself. Re-running adds nothing
(a plan that already has a target of the indicator is left alone); going back removes only these.

The figures are those of reports/plans.py, frozen here as a migration must be.
"""

from decimal import Decimal

from django.db import migrations

# (province code or None, decision number, plan name): [(indicator, value)], each "at least".
ADDED = [
    (
        None,
        "1336/QĐ-TTg",
        "Đề án nhân rộng mô hình CLB Liên thế hệ tự giúp nhau giai đoạn đến năm 2025",
        [("clubs_composition_1336_pct", 100), ("clubs_all_8_and_borrowing_50_pct", 70)],
    ),
    (
        51,
        "",
        "Kế hoạch nhân rộng mô hình CLB Liên thế hệ tự giúp nhau tỉnh Quảng Ngãi đến năm 2025",
        [("clubs_all_8_and_borrowing_50_pct", 70)],
    ),
    (
        38,
        "5133/QĐ-UBND",
        "Đề án nhân rộng mô hình CLB Liên thế hệ tự giúp nhau trên địa bàn tỉnh Thanh Hóa giai đoạn đến năm 2025",
        [("clubs_composition_1336_pct", 100)],
    ),
]


def _plans(apps):
    Plan = apps.get_model("reports", "Plan")
    for province_code, number, name, targets in ADDED:
        province = {"province__code": province_code} if province_code else {"province__isnull": True}
        plan = Plan.objects.filter(decision_number=number, name=name, **province).first()
        if plan is not None:
            yield plan, targets


def add_targets(apps, schema_editor):
    Target = apps.get_model("reports", "Target")
    for plan, targets in _plans(apps):
        for indicator, value in targets:
            if not Target.objects.filter(plan=plan, indicator=indicator).exists():
                Target.objects.create(
                    plan=plan, indicator=indicator, comparison="at_least", value=Decimal(value)
                )


def remove_targets(apps, schema_editor):
    Target = apps.get_model("reports", "Target")
    for plan, targets in _plans(apps):
        Target.objects.filter(plan=plan, indicator__in=[indicator for indicator, _value in targets]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_reporting_cycle")]

    operations = [migrations.RunPython(add_targets, remove_targets)]
