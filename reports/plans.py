"""The real plans (Đề án) and their targets, loaded as data. Idempotent.

Figures come from the decisions as the seed articles and domain.md report them. A plan that is
already there (same decision number and scope) is left as it is, so that officers' edits survive;
missing plans are created with their targets. A target added below later reaches a database that
already has the plan through a data migration, once (reports migration
0005_plan_targets_for_the_plans_indicators for the indicators of issue 16), so that an officer who
removes it afterwards is not overruled at the next load. The Lai Châu 2021–2030 plan is a demo extension of
the real 2017–2020 plan (307/QĐ-UBND) and is marked as such.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from places.models import Province
from reports.models import Comparison, Plan, Target

D = datetime.date
AT_LEAST, AT_MOST, BETWEEN = Comparison.AT_LEAST, Comparison.AT_MOST, Comparison.BETWEEN
COMPOSITION = [
    # indicator, comparison, value, value_max
    ("members_per_club_avg", BETWEEN, 50, 70),
    ("members_women_pct", BETWEEN, 60, 70),
    ("members_older_pct", BETWEEN, 60, 70),
    ("members_younger_pct", BETWEEN, 30, 40),
]
# The same rule judged club by club: "mỗi CLB từ 50-70 thành viên…", so every club.
EACH_CLUB_COMPOSITION = ("clubs_composition_1336_pct", AT_LEAST, 100, None)
# "≥ 70 % of clubs carry out all 8 activities and are managed so that ≥ 50 % of members borrow".
ALL_8_AND_BORROWING = ("clubs_all_8_and_borrowing_50_pct", AT_LEAST, 70, None)

PLANS = [
    {
        "province": None,
        "name": "Đề án nhân rộng mô hình CLB Liên thế hệ tự giúp nhau giai đoạn đến năm 2025",
        "decision_number": "1336/QĐ-TTg",
        "decision_date": D(2020, 8, 31),
        "decision_issuer": "Thủ tướng Chính phủ",
        "start": D(2020, 8, 31),
        "end": D(2025, 12, 31),
        "notes": "Chỉ tiêu 'trên 100.000 thành viên là người cao tuổi' được theo dõi bằng số thành viên là "
        "người cao tuổi đang sinh hoạt (chưa có chỉ số người cao tuổi mới tham gia trong kỳ).",
        "targets": [
            ("provinces_with_club_pct", AT_LEAST, 95, None),
            ("clubs_new_in_period", AT_LEAST, 3000, None),
            ("members_new_in_period", AT_LEAST, 150000, None),
            ("members_older_new_in_period", AT_LEAST, 100000, None),
            *COMPOSITION,
            EACH_CLUB_COMPOSITION,
            ("clubs_all_8_activities_pct", AT_LEAST, 70, None),
            ("members_borrowing_pct", AT_LEAST, 50, None),
            ALL_8_AND_BORROWING,
            ("clubs_with_both_funds_pct", AT_LEAST, 100, None),
        ],
    },
    {
        "province": None,
        "name": "Đề án nhân rộng mô hình CLB Liên thế hệ tự giúp nhau giai đoạn đến năm 2035",
        "decision_number": "1648/QĐ-TTg",
        "decision_date": D(2025, 8, 1),
        "decision_issuer": "Thủ tướng Chính phủ",
        "start": D(2025, 8, 1),
        "end": D(2035, 12, 31),
        "notes": "",
        "targets": [
            ("clubs_new_in_period", AT_LEAST, 6000, None, {"year": 2030}),
            ("clubs_new_in_period", AT_LEAST, 12000, None),
            ("communes_with_club_pct", AT_LEAST, 100, None, {"area_class": "plains"}),
            ("communes_with_club_pct", AT_LEAST, 70, None, {"area_class": "remote"}),
        ],
    },
    {
        "province": 51,  # Quảng Ngãi
        "name": "Kế hoạch nhân rộng mô hình CLB Liên thế hệ tự giúp nhau tỉnh Quảng Ngãi đến năm 2025",
        "decision_number": "",
        "decision_date": None,
        "decision_issuer": "Hội Người cao tuổi tỉnh Quảng Ngãi",
        "start": D(2022, 1, 1),
        "end": D(2025, 12, 31),
        "notes": "Thành lập mới ít nhất 76 CLB (bình quân mỗi năm khoảng 19 CLB), thu hút 3.800 thành viên.",
        "targets": [
            ("clubs_new_in_period", AT_LEAST, 19, None, {"year": 2022}),
            ("clubs_new_in_period", AT_LEAST, 38, None, {"year": 2023}),
            ("clubs_new_in_period", AT_LEAST, 57, None, {"year": 2024}),
            ("clubs_new_in_period", AT_LEAST, 76, None),
            ("members_new_in_period", AT_LEAST, 3800, None),
            ("communes_with_club_pct", AT_LEAST, 50, None, {"area_class": "plains"}),
            ("communes_with_club_pct", AT_LEAST, 30, None, {"area_class": "remote"}),
            ("clubs_with_both_funds_pct", AT_LEAST, 100, None),
            ("clubs_all_8_activities_pct", AT_LEAST, 70, None),
            ("members_borrowing_pct", AT_LEAST, 50, None),
            ALL_8_AND_BORROWING,
        ],
    },
    {
        "province": 38,  # Thanh Hóa
        "name": "Đề án nhân rộng mô hình CLB Liên thế hệ tự giúp nhau trên địa bàn tỉnh Thanh Hóa "
        "giai đoạn đến năm 2025",
        "decision_number": "5133/QĐ-UBND",
        "decision_date": None,
        "decision_issuer": "UBND tỉnh Thanh Hóa",
        "start": D(2021, 1, 1),
        "end": D(2025, 12, 31),
        "notes": "Mỗi CLB thành lập mới có vốn tăng thu nhập ban đầu từ 50 triệu đồng; 25% khu dân cư có CLB "
        "(chưa có chỉ số tương ứng). Chỉ tiêu 14.000 thành viên là người cao tuổi được theo dõi bằng số thành "
        "viên là người cao tuổi đang sinh hoạt.",
        "targets": [
            ("clubs_new_in_period", AT_LEAST, 400, None),
            ("members_new_in_period", AT_LEAST, 20000, None),
            ("members_older_new_in_period", AT_LEAST, 14000, None),
            ("communes_with_club_pct", AT_LEAST, 90, None),
            ("clubs_rated_good_pct", AT_LEAST, 90, None),
            ("clubs_rated_weak", AT_MOST, 0, None),
            *COMPOSITION,
            EACH_CLUB_COMPOSITION,
            ("members_borrowing_pct", AT_LEAST, 50, None),
        ],
    },
    {
        "province": 12,  # Lai Châu
        "name": "Đề án xây dựng và nhân rộng mô hình CLB Liên thế hệ tự giúp nhau tỉnh Lai Châu "
        "giai đoạn 2017 - 2020",
        "decision_number": "307/QĐ-UBND",
        "decision_date": D(2017, 4, 5),
        "decision_issuer": "UBND tỉnh Lai Châu",
        "start": D(2017, 4, 5),
        "end": D(2020, 12, 31),
        "notes": "Xây dựng điểm 4 CLB (2017), 7 CLB ra mắt theo kế hoạch năm 2018.",
        "targets": [
            ("clubs_active", AT_LEAST, 4, None, {"year": 2017}),
            ("clubs_active", AT_LEAST, 11, None, {"year": 2018}),
        ],
    },
    {
        "province": 12,
        "name": "Kế hoạch nhân rộng mô hình CLB Liên thế hệ tự giúp nhau tỉnh Lai Châu giai đoạn 2021 - 2030 "
        "(minh họa)",
        "decision_number": "",
        "decision_date": None,
        "decision_issuer": "Hội Người cao tuổi tỉnh Lai Châu",
        "start": D(2021, 1, 1),
        "end": D(2030, 12, 31),
        "is_demo": True,
        "notes": "Kế hoạch dựng để chạy thử, tiếp nối Quyết định 307/QĐ-UBND; không phải văn bản thật.",
        "targets": [
            ("clubs_new_in_period", AT_LEAST, 20, None, {"year": 2025}),
            ("clubs_new_in_period", AT_LEAST, 50, None),
            ("members_total", AT_LEAST, 3000, None),
            ("communes_with_club_pct", AT_LEAST, 50, None),
            ("communes_with_club_pct", AT_LEAST, 40, None, {"area_class": "remote"}),
            *COMPOSITION,
            ("members_poor_near_poor_pct", AT_LEAST, 30, None),
            ("clubs_with_5_volunteers_pct", AT_LEAST, 100, None),
            ("fund_capital_vnd", AT_LEAST, 2_000_000_000, None),
            ("members_borrowing_pct", AT_LEAST, 50, None),
            ("par30_pct", AT_MOST, 5, None),
            ("clubs_all_8_activities_pct", AT_LEAST, 70, None),
            ("meetings_held_pct", AT_LEAST, 90, None),
            ("clubs_rated_good_pct", AT_LEAST, 80, None),
        ],
    },
]


@transaction.atomic
def plans_load() -> int:
    """Create the plans above that are missing; return how many were created."""
    provinces = {
        p.code: p for p in Province.objects.filter(code__in=[p["province"] for p in PLANS if p["province"]])
    }
    created = 0
    for data in PLANS:
        data = dict(data)
        targets = data.pop("targets")
        province = provinces.get(data.pop("province"))
        plan, is_new = Plan.objects.get_or_create(
            province=province, decision_number=data["decision_number"], name=data["name"], defaults=data
        )
        if not is_new:
            continue
        created += 1
        for indicator, comparison, value, value_max, *extra in targets:
            target = Target(
                plan=plan,
                indicator=indicator,
                comparison=comparison,
                value=Decimal(value),
                value_max=None if value_max is None else Decimal(value_max),
                **(extra[0] if extra else {}),
            )
            target.full_clean()
            target.save()
    return created
