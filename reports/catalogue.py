"""The indicator catalogue: every figure a report can give, with its code, names, unit and definition,
and the groups of communes a target may be limited to. Codes are a contract (plans, targets, the JSON
report, the xlsx): never rename one.

How each indicator is computed is in reports.indicators.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from places.models import REMOTE_AREA_CLASSES, AreaClass

# An indicator's value: a count, a percentage, an amount of đồng, a ratio, or nothing to show.
Number = int | float | None


class Unit:
    COUNT = "count"
    PERCENT = "percent"
    VND = "vnd"
    RATIO = "ratio"

    labels = {COUNT: _("số lượng"), PERCENT: "%", VND: _("đồng"), RATIO: _("tỷ lệ")}


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    unit: str
    definition: str
    # Counted over a period (new clubs, loans disbursed…): their value at a plan's start is zero.
    over_period: bool = False

    @property
    def name(self) -> str:
        """The name in the language of the request."""
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    @property
    def unit_label(self) -> str:
        return str(Unit.labels[self.unit])


# Fund capital by source: one indicator per funds.models.Source value.
FUND_SOURCES: list[tuple[str, str, str]] = [
    ("state", "Vốn quỹ từ ngân sách nhà nước, tỉnh hỗ trợ", "Fund capital from the state budget"),
    ("members", "Vốn quỹ do thành viên đóng góp", "Fund capital contributed by members"),
    ("donor_org", "Vốn quỹ do tổ chức hảo tâm ủng hộ", "Fund capital from donor organisations"),
    ("donor_person", "Vốn quỹ do cá nhân hảo tâm ủng hộ", "Fund capital from individual donors"),
    (
        "care_fund",
        "Vốn quỹ từ Quỹ chăm sóc và phát huy vai trò NCT",
        "Fund capital from the Elderly Care Fund",
    ),
    ("project", "Vốn quỹ từ dự án", "Fund capital from projects"),
    ("other", "Vốn quỹ từ nguồn khác", "Fund capital from other sources"),
]

C, P, V, R = Unit.COUNT, Unit.PERCENT, Unit.VND, Unit.RATIO

CATALOGUE: list[Indicator] = [
    Indicator("clubs_total", "Tổng số CLB", "Clubs", C,
              "CLB đã có quyết định thành lập hoặc đã ra mắt đến ngày báo cáo, chưa giải thể."),
    Indicator("clubs_active", "CLB đang hoạt động", "Active clubs", C,
              "CLB đã ra mắt, không tạm ngừng và chưa giải thể vào ngày báo cáo."),
    Indicator("clubs_not_launched", "CLB có quyết định, chưa ra mắt", "Clubs decided, not yet launched", C,
              "CLB đã có quyết định thành lập nhưng đến ngày báo cáo chưa ra mắt."),
    Indicator("clubs_new_in_period", "CLB thành lập mới trong kỳ", "New clubs in the period", C,
              "CLB có ngày quyết định thành lập (hoặc ngày ra mắt nếu không có quyết định) trong kỳ.",
              over_period=True),
    Indicator("members_total", "Tổng số thành viên", "Members", C,
              "Người đang sinh hoạt ở một CLB (trong phạm vi, chưa giải thể) vào ngày báo cáo."),
    Indicator("members_new_in_period", "Thành viên mới trong kỳ", "New members in the period", C,
              "Người lần đầu tham gia một CLB trong kỳ (chuyển CLB không tính là mới).", over_period=True),
    Indicator("members_older_new_in_period", "Thành viên mới là người cao tuổi trong kỳ",
              "New older members in the period", C,
              "Thành viên mới trong kỳ đủ 60 tuổi trở lên vào ngày báo cáo.", over_period=True),
    Indicator("members_women", "Thành viên nữ", "Women members", C, "Thành viên là nữ."),
    Indicator("members_women_pct", "Tỷ lệ thành viên nữ", "Women, % of members", P,
              "Thành viên nữ ÷ tổng số thành viên × 100."),
    Indicator("members_older", "Thành viên là người cao tuổi", "Older members", C,
              "Thành viên đủ 60 tuổi trở lên vào ngày báo cáo (chỉ biết năm sinh: tính từ 1/1 năm đủ 60)."),
    Indicator("members_older_pct", "Tỷ lệ thành viên là người cao tuổi", "Older people, % of members", P,
              "Thành viên từ 60 tuổi ÷ tổng số thành viên × 100."),
    Indicator("members_younger_pct", "Tỷ lệ thành viên trẻ tuổi", "Younger people, % of members", P,
              "Thành viên dưới 60 tuổi ÷ tổng số thành viên × 100."),
    Indicator("members_poor", "Thành viên hộ nghèo", "Members from poor households", C,
              "Thành viên có hoàn cảnh gia đình 'hộ nghèo' hiệu lực vào ngày báo cáo."),
    Indicator("members_near_poor", "Thành viên hộ cận nghèo", "Members from near-poor households", C,
              "Thành viên có hoàn cảnh gia đình 'hộ cận nghèo' hiệu lực vào ngày báo cáo."),
    Indicator("members_hardship", "Thành viên hoàn cảnh khó khăn", "Members in hardship", C,
              "Thành viên có hoàn cảnh 'khó khăn' (không phải chuẩn nghèo) hiệu lực vào ngày báo cáo."),
    Indicator("members_poor_near_poor_pct", "Tỷ lệ thành viên hộ nghèo, cận nghèo",
              "Poor and near-poor, % of members", P,
              "(Thành viên hộ nghèo + hộ cận nghèo) ÷ tổng số thành viên × 100."),
    Indicator("members_older_poor", "Thành viên là người cao tuổi hộ nghèo", "Older members from poor households",
              C, "Thành viên đủ 60 tuổi trở lên vào ngày báo cáo có hoàn cảnh 'hộ nghèo' hiệu lực vào ngày đó."),
    Indicator("members_older_near_poor", "Thành viên là người cao tuổi hộ cận nghèo",
              "Older members from near-poor households", C,
              "Thành viên đủ 60 tuổi trở lên vào ngày báo cáo có hoàn cảnh 'hộ cận nghèo' hiệu lực vào ngày đó."),
    Indicator("members_ethnic_minority_pct", "Tỷ lệ thành viên dân tộc thiểu số",
              "Ethnic minority, % of members", P,
              "Thành viên không phải dân tộc Kinh ÷ tổng số thành viên × 100."),
    Indicator("members_health_insured", "Thành viên có thẻ BHYT", "Members with a health insurance card", C,
              "Thành viên đang sinh hoạt có thẻ bảo hiểm y tế còn hạn vào ngày báo cáo (không ghi hạn: tính là còn hạn)."),
    Indicator("members_health_insured_pct", "Tỷ lệ thành viên có thẻ BHYT", "Members with a health insurance card, %",
              P, "Thành viên có thẻ BHYT còn hạn ÷ tổng số thành viên × 100."),
    Indicator("members_per_club_avg", "Số thành viên bình quân mỗi CLB", "Members per active club", R,
              "Tổng số thành viên ÷ số CLB đang hoạt động."),
    Indicator("board_members_total", "Thành viên Ban Chủ nhiệm", "Board members", C,
              "Người giữ ít nhất một chức vụ trong Ban Chủ nhiệm vào ngày báo cáo."),
    Indicator("volunteers_total", "Tình nguyện viên", "Volunteers", C,
              "Thành viên đang sinh hoạt được ghi là tình nguyện viên chăm sóc tại nhà."),
    Indicator("clubs_with_5_volunteers_pct", "Tỷ lệ CLB có từ 5 tình nguyện viên",
              "Clubs with at least 5 volunteers, %", P,
              "CLB đang hoạt động có ít nhất 5 tình nguyện viên ÷ CLB đang hoạt động × 100."),
    Indicator("clubs_composition_ok_pct", "Tỷ lệ CLB đạt cơ cấu thành viên",
              "Clubs meeting the composition standard, %", P,
              "CLB đang hoạt động đạt mọi tiêu chí cơ cấu (số thành viên, nữ, NCT, trẻ tuổi, nghèo) "
              "÷ CLB đang hoạt động × 100."),
    Indicator("clubs_composition_1336_pct", "Tỷ lệ CLB đạt cơ cấu theo Quyết định 1336/QĐ-TTg",
              "Clubs meeting the composition of Decision 1336/QĐ-TTg, %", P,
              "CLB đang hoạt động có 50–70 thành viên, trong đó 60–70% là nữ, 60–70% là người cao tuổi và "
              "30–40% là người trẻ tuổi (quy định của Quyết định 1336/QĐ-TTg; Quyết định 5133/QĐ-UBND tỉnh "
              "Thanh Hóa nêu đúng như vậy), xét từng CLB ÷ CLB đang hoạt động × 100."),
    Indicator("fund_capital_vnd", "Tổng vốn quỹ", "Fund capital", V,
              "Vốn của quỹ tăng thu nhập và quỹ hoạt động vào ngày báo cáo (tiền mặt + dư nợ cho vay)."),
    *[
        Indicator(f"fund_capital_{source}_vnd", name_vi, name_en, V,
                  f"Phần vốn quỹ có nguồn '{source}' vào ngày báo cáo.")
        for source, name_vi, name_en in FUND_SOURCES
    ],
    Indicator("loans_outstanding_vnd", "Dư nợ cho vay", "Loans outstanding", V,
              "Tổng dư nợ gốc của các khoản vay vào ngày báo cáo."),
    Indicator("borrowers_total", "Thành viên đang vay vốn", "Borrowers", C,
              "Thành viên có khoản vay còn dư nợ vào ngày báo cáo."),
    Indicator("members_borrowing_pct", "Tỷ lệ thành viên đang vay vốn", "Members borrowing, %", P,
              "Thành viên (đang sinh hoạt ở CLB cho vay) có khoản vay còn dư nợ ÷ tổng số thành viên × 100."),
    Indicator("members_ever_borrowed", "Thành viên đã từng vay vốn", "Members who ever borrowed", C,
              "Thành viên đã được vay ít nhất một lần đến ngày báo cáo."),
    Indicator("members_borrowed_in_period", "Thành viên được vay vốn trong kỳ", "Members who borrowed in the period",
              C, "Thành viên được giải ngân ít nhất một khoản vay trong kỳ (mỗi người tính một lần ở mỗi CLB).",
              over_period=True),
    Indicator("borrowers_poor_near_poor", "Thành viên hộ nghèo, cận nghèo đang vay vốn",
              "Borrowers from poor or near-poor households", C,
              "Thành viên đang vay (còn dư nợ vào ngày báo cáo) có hoàn cảnh 'hộ nghèo' hoặc 'hộ cận nghèo' "
              "hiệu lực vào ngày đó."),
    # Names without a figure in them ("một nửa", not "50%"): a name cell may wrap anywhere.
    Indicator("clubs_borrowing_50_pct", "Tỷ lệ CLB có từ một nửa số thành viên trở lên đang vay vốn",
              "Clubs with at least half their members borrowing, %", P,
              "CLB đang hoạt động có số thành viên đang vay ≥ 50% số thành viên của CLB (xét từng CLB) "
              "÷ CLB đang hoạt động × 100."),
    Indicator("loans_disbursed_in_period_vnd", "Số tiền cho vay trong kỳ", "Loans disbursed in the period", V,
              "Tổng số tiền giải ngân trong kỳ.", over_period=True),
    Indicator("par30_pct", "Tỷ lệ dư nợ quá hạn trên 30 ngày (PAR30)", "Portfolio at risk > 30 days, %", P,
              "Toàn bộ dư nợ của các khoản vay có kỳ trả chậm quá 30 ngày ÷ tổng dư nợ × 100 (CGAP)."),
    Indicator("clubs_with_both_funds_pct", "Tỷ lệ CLB có đủ quỹ tăng thu nhập và quỹ hoạt động",
              "Clubs with both funds, %", P,
              "CLB đang hoạt động có cả quỹ tăng thu nhập và quỹ hoạt động còn vốn ÷ CLB đang hoạt động × 100."),
    Indicator("clubs_all_8_activities_pct", "Tỷ lệ CLB thực hiện đủ 8 hoạt động",
              "Clubs active in all 8 areas, %", P,
              "CLB đang hoạt động có hoạt động ở cả 8 mảng trong 12 tháng dương lịch tính đến ngày báo cáo "
              "÷ CLB đang hoạt động × 100."),
    Indicator("clubs_all_8_and_borrowing_50_pct",
              "Tỷ lệ CLB thực hiện đủ 8 hoạt động và có từ một nửa số thành viên trở lên đang vay vốn",
              "Clubs active in all 8 areas with at least half their members borrowing, %", P,
              "CLB đang hoạt động vừa có hoạt động ở cả 8 mảng trong 12 tháng tính đến ngày báo cáo, vừa có "
              "số thành viên đang vay ≥ 50% số thành viên (xét từng CLB; chỉ tiêu của Quyết định 1336/QĐ-TTg) "
              "÷ CLB đang hoạt động × 100."),
    Indicator("communes_total", "Số xã, phường trong phạm vi", "Communes in scope", C,
              "Số xã, phường, đặc khu trong phạm vi báo cáo."),
    Indicator("communes_with_club", "Số xã, phường có CLB", "Communes with a club", C,
              "Xã, phường, đặc khu có ít nhất 1 CLB (chưa giải thể) vào ngày báo cáo."),
    Indicator("communes_with_club_pct", "Tỷ lệ xã, phường có CLB", "Communes with a club, %", P,
              "Xã, phường có ít nhất 1 CLB ÷ số xã, phường trong phạm vi × 100."),
    Indicator("communes_with_club_pct_plains", "Tỷ lệ xã đồng bằng có CLB", "Plains communes with a club, %", P,
              "Như trên, chỉ tính các xã, phường vùng đồng bằng."),
    Indicator("communes_with_club_pct_remote", "Tỷ lệ xã miền núi, biên giới, hải đảo có CLB",
              "Mountain, border and island communes with a club, %", P,
              "Như trên, chỉ tính các xã vùng miền núi, biên giới, hải đảo."),
    Indicator("provinces_with_club_pct", "Tỷ lệ tỉnh, thành phố có CLB", "Provinces with a club, %", P,
              "Tỉnh, thành phố có ít nhất 1 CLB ÷ tổng số tỉnh, thành phố × 100 (chỉ tính cho toàn quốc)."),
    Indicator("clubs_rated_good_pct", "Tỷ lệ CLB xếp loại khá, vững mạnh", "Clubs rated good or strong, %", P,
              "CLB xếp loại khá hoặc vững mạnh ÷ CLB được xếp loại, trong năm xếp loại gần nhất × 100."),
    Indicator("clubs_rated_weak", "Số CLB xếp loại yếu", "Clubs rated weak", C,
              "CLB xếp loại yếu trong năm xếp loại gần nhất."),
    Indicator("meetings_held_pct", "Tỷ lệ sinh hoạt định kỳ hằng tháng", "Monthly meetings held, %", P,
              "Số tháng CLB có sinh hoạt định kỳ ÷ số tháng CLB đã ra mắt trong kỳ × 100 "
              "(CLB đang hoạt động cuối kỳ)."),
]  # fmt: skip

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in CATALOGUE}

# Figures that come from funds.selectors (the funds' own definitions, see its module docstring).
FUND_CODES = frozenset(
    {
        "fund_capital_vnd",
        *(f"fund_capital_{source}_vnd" for source, _vi, _en in FUND_SOURCES),
        "loans_outstanding_vnd",
        "borrowers_total",
        "members_borrowing_pct",
        "members_ever_borrowed",
        "members_borrowed_in_period",
        "clubs_borrowing_50_pct",
        "loans_disbursed_in_period_vnd",
        "par30_pct",
        "clubs_with_both_funds_pct",
    }
)


def indicator_choices() -> list[tuple[str, str]]:
    return [(indicator.code, f"{indicator.name_vi} ({indicator.code})") for indicator in CATALOGUE]



# Groups of communes a target or a report may be limited to, by area class.
AREA_GROUPS: dict[str, tuple[str, ...]] = {
    "plains": (AreaClass.PLAINS,),
    "remote": tuple(REMOTE_AREA_CLASSES),
    "mountain": (AreaClass.MOUNTAIN,),
    "border": (AreaClass.BORDER,),
    "island": (AreaClass.ISLAND,),
}
AREA_GROUP_LABELS = {
    "plains": _("xã, phường vùng đồng bằng"),
    "remote": _("xã vùng miền núi, biên giới, hải đảo"),
    "mountain": _("xã miền núi"),
    "border": _("xã biên giới"),
    "island": _("xã, đặc khu hải đảo"),
}
