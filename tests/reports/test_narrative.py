"""The sentence of the narrative that measures the figures against the plan, on the hand-built dataset."""

import datetime

import pytest
from django.utils import translation

from reports.models import Comparison, Plan, Target
from reports.progress import _lower_first, build_report
from reports.scope import Scope
from tests.reports.conftest import ON

pytestmark = pytest.mark.django_db
D = datetime.date


def targets_sentence(lai_chau, targets) -> str:
    plan = Plan.objects.create(
        province=lai_chau,
        name="Đề án thử",
        decision_number="1/QĐ-UBND",
        start=D(2025, 1, 1),
        end=D(2026, 12, 31),
    )
    for indicator, comparison, value, extra in targets:
        Target.objects.create(plan=plan, indicator=indicator, comparison=comparison, value=value, **extra)
    report = build_report(Scope(province=lai_chau), ON, plan=plan, with_breakdowns=False)
    return report.narrative[-1]


def test_abbreviations_keep_their_capitals():
    assert _lower_first("Tỷ lệ CLB thực hiện đủ 8 hoạt động") == "tỷ lệ CLB thực hiện đủ 8 hoạt động"
    assert _lower_first("CLB thành lập mới trong kỳ") == "CLB thành lập mới trong kỳ"
    assert _lower_first("NCT được vay vốn") == "NCT được vay vốn"
    assert _lower_first("PAR30") == "PAR30"
    assert _lower_first("Số xã") == "số xã"


def test_each_target_is_named_once_with_its_area_class(dataset, lai_chau):
    text = targets_sentence(
        lai_chau,
        [
            # Since 01/01/2025: no club founded in 2025 (milestone missed), B and C in 2026 (2 of 5).
            ("clubs_new_in_period", Comparison.AT_LEAST, 1, {"year": 2025}),
            ("clubs_new_in_period", Comparison.AT_LEAST, 5, {}),
            ("communes_with_club_pct", Comparison.AT_LEAST, 5, {}),  # 5,3%: 106%
            ("communes_with_club_pct", Comparison.AT_LEAST, 50, {"area_class": "remote"}),  # 100%: 200%
            ("members_total", Comparison.AT_LEAST, 20, {}),  # 9
            ("par30_pct", Comparison.AT_MOST, 5, {}),  # 40%
        ],
    )
    assert text == (
        "So với chỉ tiêu của Đề án thử (Quyết định số 1/QĐ-UBND), đã đạt và vượt 2/6 chỉ tiêu; "
        "tỷ lệ xã, phường có CLB (xã miền núi, biên giới, hải đảo) đạt 100%, vượt 100% so với chỉ tiêu. "
        "Chưa đạt: CLB thành lập mới trong kỳ, tổng số thành viên, tỷ lệ dư nợ quá hạn trên 30 ngày (PAR30). "
        # At risk: the new clubs by the end, the members and PAR30 (the 2025 milestone is over).
        "Theo tốc độ từ khi bắt đầu đề án, 3 chỉ tiêu có nguy cơ không đạt khi kết thúc, cần tập trung chỉ đạo."
    )


def test_a_missed_milestone_is_named_with_its_year_when_the_final_target_is_met(dataset, lai_chau):
    text = targets_sentence(
        lai_chau,
        [
            ("clubs_new_in_period", Comparison.AT_LEAST, 1, {"year": 2025}),
            ("clubs_new_in_period", Comparison.AT_LEAST, 2, {}),  # met: B and C
            ("communes_with_club_pct", Comparison.AT_LEAST, 50, {"area_class": "plains"}),  # 2,7%
        ],
    )
    assert text.endswith(
        ". Chưa đạt: CLB thành lập mới trong kỳ (mốc năm 2025), "
        "tỷ lệ xã, phường có CLB (xã, phường vùng đồng bằng)."
        " Theo tốc độ từ khi bắt đầu đề án, 1 chỉ tiêu có nguy cơ không đạt khi kết thúc, cần tập trung chỉ đạo."
    )


def test_the_narrative_stays_in_vietnamese_on_an_english_page(dataset, lai_chau):
    with translation.override("en"):
        text = targets_sentence(
            lai_chau, [("communes_with_club_pct", Comparison.AT_LEAST, 50, {"area_class": "remote"})]
        )
    assert "tỷ lệ xã, phường có CLB (xã miền núi, biên giới, hải đảo) đạt 100%" in text


def test_a_long_list_of_missed_targets_says_how_many_are_left_out(dataset, lai_chau):
    codes = ["members_total", "members_women", "members_older", "board_members_total", "volunteers_total"]
    text = targets_sentence(lai_chau, [(code, Comparison.AT_LEAST, 1000, {}) for code in codes])
    assert (
        "Chưa đạt: tổng số thành viên, thành viên nữ, thành viên là người cao tuổi, "
        "thành viên Ban Chủ nhiệm và 1 chỉ tiêu khác." in text
    )
