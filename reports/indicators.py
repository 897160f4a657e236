"""The indicator catalogue, and how every indicator is computed for a scope, a date and a period.

A scope is the whole country, a province, a set of communes (optionally only those of some area
classes) or one club. Stocks (members, clubs, statuses, balances) are read **as of** a date; events
(new clubs, new members, loans disbursed, meetings held) are counted over a period, by default the
year to date.

Everything is aggregated in the database with a fixed number of queries whatever the data size.
Indicators that judge each club against a threshold (≥ 5 volunteers, all 8 activity areas…) are
aggregated per club in the database and then counted per group in Python: that loop is over clubs
(at most tens of thousands of small rows), never over members.

`compute_indicators()` gives one dict for a scope; `indicators_by_province()` (the national roll-up,
one pass grouped by province), `indicators_by_commune()` and `indicators_by_club()` give one dict per
group, with the same codes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clubs.models import (
    REMOTE_AREA_CLASSES,
    ActivityArea,
    ActivityType,
    AreaClass,
    BoardMembership,
    Club,
    ClubRating,
    Commune,
    Province,
    Rating,
)
from clubs.models import Activity as ClubActivity
from members.ethnicity import KINH
from members.models import Household, HouseholdStatus, Membership, Sex, active_on_q, older_person_q

Number = int | float | None

# ---------------------------------------------------------------------------
# The catalogue.
# ---------------------------------------------------------------------------


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
    Indicator("members_ethnic_minority_pct", "Tỷ lệ thành viên dân tộc thiểu số",
              "Ethnic minority, % of members", P,
              "Thành viên không phải dân tộc Kinh ÷ tổng số thành viên × 100."),
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
    Indicator("fund_capital_vnd", "Tổng vốn quỹ", "Fund capital", V,
              "Vốn của các quỹ CLB vào ngày báo cáo (tiền mặt + dư nợ cho vay)."),
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
              "Thành viên có khoản vay còn dư nợ ÷ tổng số thành viên × 100."),
    Indicator("members_ever_borrowed", "Thành viên đã từng vay vốn", "Members who ever borrowed", C,
              "Thành viên đã được vay ít nhất một lần đến ngày báo cáo."),
    Indicator("loans_disbursed_in_period_vnd", "Số tiền cho vay trong kỳ", "Loans disbursed in the period", V,
              "Tổng số tiền giải ngân trong kỳ.", over_period=True),
    Indicator("par30_pct", "Tỷ lệ dư nợ quá hạn trên 30 ngày (PAR30)", "Portfolio at risk > 30 days, %", P,
              "Dư nợ của các khoản vay có kỳ trả chậm quá 30 ngày ÷ tổng dư nợ × 100."),
    Indicator("clubs_with_both_funds_pct", "Tỷ lệ CLB có đủ quỹ tăng thu nhập và quỹ hoạt động",
              "Clubs with both funds, %", P,
              "CLB đang hoạt động có cả quỹ tăng thu nhập và quỹ hoạt động ÷ CLB đang hoạt động × 100."),
    Indicator("clubs_all_8_activities_pct", "Tỷ lệ CLB thực hiện đủ 8 hoạt động",
              "Clubs active in all 8 areas, %", P,
              "CLB đang hoạt động có hoạt động ở cả 8 mảng trong 12 tháng tính đến ngày báo cáo "
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

# Figures the funds selectors provide; until funds.selectors is available they stay None (shown "—").
FUND_CODES = frozenset(
    {
        "fund_capital_vnd",
        *(f"fund_capital_{source}_vnd" for source, _vi, _en in FUND_SOURCES),
        "loans_outstanding_vnd",
        "borrowers_total",
        "members_borrowing_pct",
        "members_ever_borrowed",
        "loans_disbursed_in_period_vnd",
        "par30_pct",
        "clubs_with_both_funds_pct",
    }
)
# Judged club by club by the register's composition rules; None until clubs.selectors is available.
COMPOSITION_CODES = frozenset({"clubs_composition_ok_pct"})


def indicator_choices() -> list[tuple[str, str]]:
    return [(indicator.code, f"{indicator.name_vi} ({indicator.code})") for indicator in CATALOGUE]


# ---------------------------------------------------------------------------
# Scope and period.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def year_to_date(cls, on: datetime.date) -> Period:
        return cls(on.replace(month=1, day=1), on)

    def as_dict(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


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


@dataclass(frozen=True)
class Scope:
    """Where the figures are taken: all fields empty means the whole country."""

    province: Province | None = None
    commune_ids: frozenset[int] | None = None
    area_group: str | None = None  # a key of AREA_GROUPS
    club: Club | None = None
    club_ids: frozenset[int] | None = None  # a page of clubs, for breakdowns shown a page at a time
    name: str = field(default="", compare=False)

    @property
    def kind(self) -> str:
        if self.club is not None:
            return "club"
        if self.club_ids is not None:
            return "clubs"
        if self.commune_ids is not None:
            return "communes"
        if self.province is not None:
            return "province"
        return "national"

    def with_area_group(self, area_group: str | None) -> Scope:
        return replace(self, area_group=area_group)

    def club_q(self, prefix: str = "") -> Q:
        """A filter on Club rows (or on rows reaching a club through `prefix`, e.g. 'club__')."""
        q = Q()
        if self.province is not None:
            q &= Q(**{f"{prefix}province_id": self.province.pk})
        if self.commune_ids is not None:
            q &= Q(**{f"{prefix}commune_id__in": sorted(self.commune_ids)})
        if self.club is not None:
            q &= Q(**{f"{prefix}id": self.club.pk})
        if self.club_ids is not None:
            q &= Q(**{f"{prefix}id__in": sorted(self.club_ids)})
        if self.area_group:
            q &= Q(**{f"{prefix}commune__area_class__in": list(AREA_GROUPS[self.area_group])})
        return q

    def communes(self) -> QuerySet[Commune]:
        communes = Commune.objects.all()
        if self.province is not None:
            communes = communes.filter(province_id=self.province.pk)
        if self.commune_ids is not None:
            communes = communes.filter(id__in=sorted(self.commune_ids))
        if self.area_group:
            communes = communes.filter(area_class__in=list(AREA_GROUPS[self.area_group]))
        return communes

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "name": str(self.label)}
        if self.province is not None:
            data["province_code"] = self.province.code
        if self.commune_ids is not None:
            data["commune_ids"] = sorted(self.commune_ids)
        if self.club is not None:
            data["club_code"] = self.club.code
        if self.area_group:
            data["area_group"] = self.area_group
        return data

    @property
    def label(self) -> str:
        if self.name:
            base = self.name
        elif self.club is not None:
            base = self.club.name
        elif self.province is not None:
            base = self.province.name
        else:
            base = str(_("Toàn quốc"))
        if self.area_group:
            return f"{base} – {AREA_GROUP_LABELS[self.area_group]}"
        return base


# ---------------------------------------------------------------------------
# Club status at a date, as filters. They say the same as ClubQuerySet.existing_on / active_on /
# not_launched_on, written as Q objects so they can sit inside aggregates and behind a join.
# ---------------------------------------------------------------------------


def existing_q(on: datetime.date, prefix: str = "") -> Q:
    p = prefix
    return (Q(**{f"{p}decision_date__lte": on}) | Q(**{f"{p}launched_on__lte": on})) & (
        Q(**{f"{p}dissolved_on__isnull": True}) | Q(**{f"{p}dissolved_on__gt": on})
    )


def active_q(on: datetime.date, prefix: str = "") -> Q:
    p = prefix
    not_suspended = (
        Q(**{f"{p}suspended_on__isnull": True})
        | Q(**{f"{p}suspended_on__gt": on})
        | Q(**{f"{p}resumed_on__lte": on})
    )
    not_dissolved = Q(**{f"{p}dissolved_on__isnull": True}) | Q(**{f"{p}dissolved_on__gt": on})
    return Q(**{f"{p}launched_on__lte": on}) & not_dissolved & not_suspended


def not_launched_q(on: datetime.date, prefix: str = "") -> Q:
    p = prefix
    return existing_q(on, p) & (Q(**{f"{p}launched_on__isnull": True}) | Q(**{f"{p}launched_on__gt": on}))


def founded_in_q(period: Period, prefix: str = "") -> Q:
    """Founded (decision, or launch when there is no decision) within the period."""
    p, span = prefix, (period.start, period.end)
    return Q(**{f"{p}decision_date__range": span}) | Q(
        **{f"{p}decision_date__isnull": True, f"{p}launched_on__range": span}
    )


# ---------------------------------------------------------------------------
# Computation.
# ---------------------------------------------------------------------------

# How each grouping reaches its key from a Club row.
GROUP_PATHS = {None: None, "province": "province_id", "commune": "commune_id", "club": "id"}


def _key(prefix: str, by: str | None) -> str | None:
    path = GROUP_PATHS[by]
    return None if path is None else f"{prefix}{path}"


def _grouped(qs: QuerySet, key: str | None, **aggregates: Any) -> dict[Any, dict[str, Any]]:
    """Aggregates of `qs`, as {group key: {name: value}}; a single group None without a key."""
    if key is None:
        return {None: qs.aggregate(**aggregates)}
    return {row.pop(key): row for row in qs.order_by().values(key).annotate(**aggregates)}


def _per_club(qs: QuerySet, prefix: str, by: str | None, **aggregates: Any) -> list[dict[str, Any]]:
    """Aggregates of `qs` per club, each row also carrying the club's group key as 'key'."""
    key = _key(prefix, by)
    fields = [f"{prefix}id"] + ([key] if key and key != f"{prefix}id" else [])
    rows = []
    for row in qs.order_by().values(*fields).annotate(**aggregates):
        row["club"] = row.pop(f"{prefix}id")
        row["key"] = row["club"] if key == f"{prefix}id" else (row.pop(key) if key else None)
        rows.append(row)
    return rows


def _pct(part: Number, whole: Number) -> float | None:
    if part is None or not whole:
        return None
    return round(100 * part / whole, 1)


def _ratio(part: Number, whole: Number) -> float | None:
    if part is None or not whole:
        return None
    return round(part / whole, 1)


def _months(start: datetime.date, end: datetime.date) -> int:
    """Calendar months touched by [start, end]."""
    if end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _compute(scope: Scope, on: datetime.date, period: Period, by: str | None) -> dict[Any, dict[str, Number]]:
    """All indicators for each group of the scope: a fixed number of queries (about a dozen)."""
    clubs = Club.objects.filter(scope.club_q())

    # 1. Clubs by status.
    club_counts = _grouped(
        clubs,
        _key("", by),
        total=Count("id", filter=existing_q(on)),
        active=Count("id", filter=active_q(on)),
        not_launched=Count("id", filter=not_launched_q(on)),
        new=Count("id", filter=founded_in_q(period)),
    )

    # 2. Members active on the date, attributed to the club of their membership on that date.
    memberships = Membership.objects.filter(scope.club_q("club__"), existing_q(on, "club__"), active_on_q(on))
    member_counts = _grouped(
        memberships,
        _key("club__", by),
        total=Count("id"),
        women=Count("id", filter=Q(member__sex=Sex.FEMALE)),
        older=Count("id", filter=older_person_q(on, prefix="member__")),
        minority=Count("id", filter=~Q(member__ethnicity=KINH)),
        volunteers=Count("id", filter=Q(member__is_volunteer=True)),
    )

    # 3. New members: a first membership of any club began in the period, in a club of the scope.
    earlier = Membership.objects.filter(member_id=OuterRef("member_id"), joined_on__lt=OuterRef("joined_on"))
    new_members = _grouped(
        Membership.objects.filter(
            scope.club_q("club__"), joined_on__range=(period.start, period.end)
        ).exclude(Exists(earlier)),
        _key("club__", by),
        n=Count("member_id", distinct=True),
    )

    # 4. Household status valid on the date, of members active on the date (one join, one row each).
    household_rows = (
        HouseholdStatus.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
            valid_from__lte=on,
            status__in=[Household.POOR, Household.NEAR_POOR, Household.HARDSHIP],
        )
        .filter(
            scope.club_q("member__memberships__club__"),
            existing_q(on, "member__memberships__club__"),
            active_on_q(on, "member__memberships__"),
        )
        .order_by()
    )
    hh_key = _key("member__memberships__club__", by)
    households: dict[Any, dict[str, int]] = defaultdict(dict)
    for row in household_rows.values(*([hh_key] if hh_key else []), "status").annotate(
        n=Count("member_id", distinct=True)
    ):
        households[row.get(hh_key) if hh_key else None][row["status"]] = row["n"]

    # 5. Board members on the date.
    board = _grouped(
        BoardMembership.objects.filter(
            Q(to_date__isnull=True) | Q(to_date__gte=on),
            scope.club_q("club__"),
            existing_q(on, "club__"),
            from_date__lte=on,
        ),
        _key("club__", by),
        n=Count("member_id", distinct=True),
    )

    # 6. Volunteers per active club.
    volunteer_rows = _per_club(
        Membership.objects.filter(
            scope.club_q("club__"), active_q(on, "club__"), active_on_q(on), member__is_volunteer=True
        ),
        "club__",
        by,
        n=Count("id"),
    )

    # 7. Activity areas covered in the 12 months up to the date, per active club.
    year_ago = _year_before(on)
    area_rows = _per_club(
        ClubActivity.objects.filter(
            scope.club_q("club__"), active_q(on, "club__"), held_on__gt=year_ago, held_on__lte=on
        ),
        "club__",
        by,
        n=Count("area", distinct=True),
    )

    # 8. Monthly meetings in the period: months with a meeting ÷ months since launch, per club active
    # at the end of the period (clubs launched during the period are expected from their launch month).
    meeting_rows = _per_club(
        ClubActivity.objects.filter(
            scope.club_q("club__"),
            active_q(period.end, "club__"),
            kind=ActivityType.MONTHLY_MEETING,
            held_on__range=(period.start, period.end),
        ),
        "club__",
        by,
        n=Count(TruncMonth("held_on"), distinct=True),
    )
    launch_rows = (
        clubs.filter(active_q(period.end)).order_by().values(*{"id", "launched_on", GROUP_PATHS[by] or "id"})
    )

    # 9. Communes with a club, all and by area class.
    commune_key = {None: None, "province": "province_id", "commune": "id", "club": None}[by]
    communes: dict[Any, dict[str, int]] = {}
    if by != "club" and scope.kind not in ("club", "clubs"):
        with_club = Q(clubs__in=Club.objects.filter(existing_q(on)))
        plains = Q(area_class=AreaClass.PLAINS)
        remote = Q(area_class__in=list(REMOTE_AREA_CLASSES))
        communes = _grouped(
            scope.communes(),
            commune_key,
            total=Count("id", distinct=True),
            with_club=Count("id", distinct=True, filter=with_club),
            plains=Count("id", distinct=True, filter=plains),
            plains_with_club=Count("id", distinct=True, filter=plains & with_club),
            remote=Count("id", distinct=True, filter=remote),
            remote_with_club=Count("id", distinct=True, filter=remote & with_club),
        )

    # 10. Ratings of the latest year rated by the date, per group.
    rating_key = _key("club__", by)
    ratings: dict[Any, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    rating_rows = ClubRating.objects.filter(scope.club_q("club__"), rated_on__lte=on).order_by()
    for row in rating_rows.values(*([rating_key] if rating_key else []), "year", "rating").annotate(
        n=Count("id")
    ):
        ratings[row.get(rating_key) if rating_key else None][row["year"]][row["rating"]] = row["n"]

    # 11. Provinces with a club (national figures only).
    provinces_with_club_pct = None
    if by is None and scope.kind == "national" and not scope.area_group:
        with_clubs = Club.objects.filter(existing_q(on)).order_by().values("province_id").distinct().count()
        provinces_with_club_pct = _pct(with_clubs, Province.objects.count())

    # Per-club threshold counts, rolled up per group.
    clubs_with_5_volunteers: dict[Any, int] = defaultdict(int)
    for row in volunteer_rows:
        if row["n"] >= 5:
            clubs_with_5_volunteers[row["key"]] += 1
    clubs_all_8: dict[Any, int] = defaultdict(int)
    for row in area_rows:
        if row["n"] >= len(ActivityArea):
            clubs_all_8[row["key"]] += 1
    held_by_club = {row["club"]: row["n"] for row in meeting_rows}
    meetings_held: dict[Any, int] = defaultdict(int)
    meetings_due: dict[Any, int] = defaultdict(int)
    group_field = GROUP_PATHS[by] or "id"
    for row in launch_rows:
        key = row[group_field] if by else None
        due = _months(max(period.start, row["launched_on"]), period.end)
        meetings_due[key] += due
        meetings_held[key] += min(held_by_club.get(row["id"], 0), due)

    keys = set(club_counts) | set(member_counts) | set(communes)
    if by is None:
        keys = {None}
    results: dict[Any, dict[str, Number]] = {}
    for key in keys:
        c = club_counts.get(key) or {}
        m = member_counts.get(key) or {}
        h = households.get(key, {})
        total_members = m.get("total") or 0
        active_clubs = c.get("active") or 0
        poor, near_poor = h.get(Household.POOR, 0), h.get(Household.NEAR_POOR, 0)
        co = communes.get(key) or {}
        latest = _latest_rating(ratings.get(key))
        values: dict[str, Number] = {code: None for code in BY_CODE}
        values.update(
            clubs_total=c.get("total") or 0,
            clubs_active=active_clubs,
            clubs_not_launched=c.get("not_launched") or 0,
            clubs_new_in_period=c.get("new") or 0,
            members_total=total_members,
            members_new_in_period=(new_members.get(key) or {}).get("n") or 0,
            members_women=m.get("women") or 0,
            members_women_pct=_pct(m.get("women"), total_members),
            members_older=m.get("older") or 0,
            members_older_pct=_pct(m.get("older"), total_members),
            members_younger_pct=_pct(total_members - (m.get("older") or 0), total_members),
            members_poor=poor,
            members_near_poor=near_poor,
            members_hardship=h.get(Household.HARDSHIP, 0),
            members_poor_near_poor_pct=_pct(poor + near_poor, total_members),
            members_ethnic_minority_pct=_pct(m.get("minority"), total_members),
            members_per_club_avg=_ratio(total_members, active_clubs),
            board_members_total=(board.get(key) or {}).get("n") or 0,
            volunteers_total=m.get("volunteers") or 0,
            clubs_with_5_volunteers_pct=_pct(clubs_with_5_volunteers[key], active_clubs),
            clubs_all_8_activities_pct=_pct(clubs_all_8[key], active_clubs),
            meetings_held_pct=_pct(meetings_held[key], meetings_due[key]),
            clubs_rated_good_pct=latest[0],
            clubs_rated_weak=latest[1],
            provinces_with_club_pct=provinces_with_club_pct,
        )
        if communes:
            values.update(
                communes_total=co.get("total") or 0,
                communes_with_club=co.get("with_club") or 0,
                communes_with_club_pct=_pct(co.get("with_club"), co.get("total")),
                communes_with_club_pct_plains=_pct(co.get("plains_with_club"), co.get("plains")),
                communes_with_club_pct_remote=_pct(co.get("remote_with_club"), co.get("remote")),
            )
        results[key] = values
    return results


def _year_before(on: datetime.date) -> datetime.date:
    try:
        return on.replace(year=on.year - 1)
    except ValueError:  # 29 February
        return on.replace(year=on.year - 1, day=28)


def _latest_rating(by_year: dict[int, dict[str, int]] | None) -> tuple[float | None, int | None]:
    """(% rated khá or vững mạnh, number rated yếu) in the latest year with ratings."""
    if not by_year:
        return None, None
    counts = by_year[max(by_year)]
    rated = sum(counts.values())
    good = counts.get(Rating.GOOD, 0) + counts.get(Rating.STRONG, 0)
    return _pct(good, rated), counts.get(Rating.WEAK, 0)


def compute_indicators(scope: Scope, on: datetime.date, period: Period | None = None) -> dict[str, Number]:
    """Every indicator of the catalogue for the scope, as of `on`; events over `period` (default: year to date)."""
    return _compute(scope, on, period or Period.year_to_date(on), None)[None]


def indicators_by_province(on: datetime.date, period: Period | None = None) -> dict[int, dict[str, Number]]:
    """The national roll-up: one dict per province (every province, with zeros where there is no club)."""
    rows = _compute(Scope(), on, period or Period.year_to_date(on), "province")
    # Every province has communes, so every province has a row.
    return {pid: rows[pid] for pid in Province.objects.order_by("code").values_list("id", flat=True)}


def indicators_by_commune(
    scope: Scope, on: datetime.date, period: Period | None = None
) -> dict[int, dict[str, Number]]:
    """One dict per commune of the scope that has or had a club."""
    rows = _compute(scope, on, period or Period.year_to_date(on), "commune")
    with_clubs = set(Club.objects.filter(scope.club_q()).values_list("commune_id", flat=True).distinct())
    return {key: values for key, values in rows.items() if key in with_clubs}


def indicators_by_club(
    scope: Scope, on: datetime.date, period: Period | None = None
) -> dict[int, dict[str, Number]]:
    """One dict per club of the scope that exists on the date."""
    rows = _compute(scope, on, period or Period.year_to_date(on), "club")
    existing = set(Club.objects.filter(scope.club_q(), existing_q(on)).values_list("id", flat=True))
    return {key: values for key, values in rows.items() if key in existing}


def as_number(value: Decimal | int | float | None) -> Number:
    """Decimals from target values as plain ints or floats (JSON, xlsx)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
