"""The progress report: figures of a province (or the country) as of a date, measured against a plan.

`build_report()` gathers everything the four formats show — indicators, targets with status and
projection, breakdowns, the national roll-up, the time series and the narrative — so that HTML, PDF,
xlsx and JSON are renderings of one object and cannot disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext as _

from clubs.models import Club, existing_q
from members.models import Membership, active_on_q
from places.models import Commune, Province
from reports import charts, club_figures
from reports.catalogue import BY_CODE, CATALOGUE, Indicator, Number, Unit
from reports.formatting import figure, long_date, millions, number_vi
from reports.indicators import PERIOD_CODES, Request, as_number, compute_groups_many, flag
from reports.models import Comparison, Plan, Target
from reports.scope import Period, Scope


class Status:
    MET = "met"
    EXCEEDED = "exceeded"
    NOT_MET = "not_met"
    NO_DATA = "no_data"

    labels = {MET: "đạt", EXCEEDED: "vượt", NOT_MET: "chưa đạt", NO_DATA: "chưa có số liệu"}


def target_status(comparison: str, value: Number, value_max: Number, actual: Number) -> str:
    """đạt / vượt / chưa đạt. Exceeding is only meaningful for 'at least'; a range is met or not."""
    if actual is None:
        return Status.NO_DATA
    if comparison == Comparison.AT_LEAST:
        if actual > value:
            return Status.EXCEEDED
        return Status.MET if actual == value else Status.NOT_MET
    if comparison == Comparison.AT_MOST:
        return Status.MET if actual <= value else Status.NOT_MET
    return Status.MET if value <= actual <= value_max else Status.NOT_MET


@dataclass
class TargetRow:
    target: Target
    indicator: Indicator
    deadline: datetime.date
    actual: Number
    status: str
    pct_of_target: float | None
    projection: Number
    projected_status: str
    at_risk: bool

    @property
    def value(self) -> Number:
        return as_number(self.target.value)

    @property
    def value_max(self) -> Number:
        return as_number(self.target.value_max)

    @property
    def status_label(self) -> str:
        return Status.labels[self.status]

    @property
    def projected_status_label(self) -> str:
        return Status.labels[self.projected_status]

    @property
    def target_parts(self) -> list[str]:
        """The target as printed, in pieces a line may break between (never inside a figure):
        ["≥ 2.000.000.000 đ"], ["60% –", "70%"]."""
        unit = self.indicator.unit
        if self.target.comparison == Comparison.BETWEEN:
            return [f"{figure(self.value, unit)} –", figure(self.value_max, unit)]
        sign = "≥" if self.target.comparison == Comparison.AT_LEAST else "≤"
        return [f"{sign} {figure(self.value, unit)}"]

    @property
    def target_text(self) -> str:
        return " ".join(self.target_parts)

    @property
    def label(self) -> str:
        text = self.indicator.name
        if self.target.area_class:
            text += f" ({self.target.get_area_class_display().lower()})"
        if self.target.year:
            text += " – " + _("mốc năm %(year)s") % {"year": self.target.year}
        return text

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator.code,
            "comparison": self.target.comparison,
            "target": self.value,
            "target_max": self.value_max,
            "actual": self.actual,
            "status": self.status,
            "pct_of_target": self.pct_of_target,
            "deadline": self.deadline.isoformat(),
            "year": self.target.year,
            "area_class": self.target.area_class or None,
            "projection": self.projection,
            "projected_status": self.projected_status,
        }


def _project(indicator: Indicator, base: Number, actual: Number, start, on, deadline) -> Number:
    """The value at the deadline if the pace since the plan began goes on (linear)."""
    if actual is None:
        return None
    if on >= deadline:
        return actual
    elapsed, total = (on - start).days, (deadline - start).days
    if elapsed <= 0:
        return None
    if indicator.over_period:
        base = 0
    elif base is None:
        if indicator.unit in (Unit.PERCENT, Unit.RATIO):
            return actual  # no figure when the plan began (no members yet): no pace to follow
        base = 0
    value = base + (actual - base) * total / elapsed
    if indicator.unit == Unit.PERCENT:
        return round(min(max(value, 0.0), 100.0), 1)
    if indicator.unit == Unit.RATIO:
        return round(value, 1)
    return round(value)


STOCK = "stock"  # cache key for figures read as of a date, whatever the period


def _plan_targets(plan: Plan) -> list[Target]:
    return sorted(plan.targets.select_related("plan"), key=lambda t: (t.deadline, t.pk))


def _cache_key(plan: Plan, area: str | None, day: datetime.date, over_period: bool) -> tuple:
    # Stocks do not depend on the period; events are counted from the plan's start.
    return (area, day, Period(plan.start, max(day, plan.start)) if over_period else STOCK)


@dataclass(frozen=True)
class _Need:
    """One computation the targets need: the cache keys it fills, for a scope's area group, a date, the
    period of its events (None: stocks only) and the codes."""

    keys: tuple[tuple, ...]
    area: str | None
    day: datetime.date
    period: Period | None
    codes: frozenset[str]


def _target_needs(plan: Plan, targets: list[Target], on: datetime.date, known: set[tuple]) -> list[_Need]:
    """The computations the targets need beyond the `known` cache keys: one per distinct (area, date),
    limited to the codes they use — the stocks of a date ride on the computation of its events
    (stocks do not depend on the period), unless one of them does (PERIOD_CODES)."""
    used = [BY_CODE[t.indicator] for t in targets if t.indicator in BY_CODE]
    codes = {
        True: frozenset(indicator.code for indicator in used if indicator.over_period),
        False: frozenset(indicator.code for indicator in used if not indicator.over_period),
    }
    # What the targets need, (area, date, events?), in the order they are met.
    wanted: dict[tuple, bool] = {}
    for target in targets:
        indicator = BY_CODE.get(target.indicator)
        if indicator is None:
            continue
        day = min(on, target.deadline)
        if day >= plan.start:
            wanted[(target.area_class or None, day, indicator.over_period)] = True
        if not indicator.over_period and day > plan.start and on < target.deadline:
            wanted[(target.area_class or None, plan.start, False)] = True
    done = set(known)
    needs = []
    for area, day, over_period in wanted:
        if _cache_key(plan, area, day, over_period) in done:
            continue
        span = Period(plan.start, max(day, plan.start))
        other = _cache_key(plan, area, day, not over_period)
        both = (area, day, not over_period) in wanted and other not in done
        if both and not codes[False] & PERIOD_CODES:
            # One computation for the stocks and the events of that date.
            keys = (_cache_key(plan, area, day, True), _cache_key(plan, area, day, False))
            needs.append(_Need(keys, area, day, span, codes[True] | codes[False]))
        else:
            keys = (_cache_key(plan, area, day, over_period),)
            needs.append(_Need(keys, area, day, span if over_period else None, codes[over_period]))
        done.update(keys)
    return needs


def _compute_needs(scope: Scope, needs: list[_Need], extra: Request | None = None) -> tuple[dict, Any]:
    """The needs' figures by cache key, one compute_groups_many per area group; `extra` (the report's own
    request, of the scope itself) is computed with those of the scope and its result returned too."""
    cache: dict[tuple, dict[str, Number]] = {}
    extra_result = None
    for area in dict.fromkeys(need.area for need in needs) | ({None: True} if extra else {}):
        some = [need for need in needs if need.area == area]
        requests = [(need.day, need.period, ("total",), set(need.codes)) for need in some]
        if extra is not None and area is None:
            requests = [extra, *requests]
        results = compute_groups_many(scope.with_area_group(area), requests)
        if extra is not None and area is None:
            extra_result, results = results[0], results[1:]
        for need, result in zip(some, results, strict=True):
            for key in need.keys:
                cache[key] = result["total"][None]
    return cache, extra_result


def evaluate_targets(
    plan: Plan,
    scope: Scope,
    on: datetime.date,
    *,
    known: dict[tuple, dict[str, Number]] | None = None,
    targets: list[Target] | None = None,
) -> list[TargetRow]:
    """Each target of the plan as of `on`: actual, status, % of target, projection to its deadline.

    A target is measured at min(`on`, its deadline); event indicators (new clubs…) count from the
    plan's start. One computation per distinct (area, date) the targets need, limited to the codes they
    use — bounded by the number of targets, not by the data (_target_needs), the dates of an area group
    computed together (compute_groups_many). `known`: figures the caller already has, keyed (area, date,
    period or STOCK); `targets`: the plan's, when the caller has read them (_plan_targets).
    """
    targets = _plan_targets(plan) if targets is None else targets
    cache: dict[tuple, dict[str, Number]] = dict(known or {})
    cache.update(_compute_needs(scope, _target_needs(plan, targets, on, set(cache)))[0])

    def figures(area: str | None, day: datetime.date, over_period: bool) -> dict[str, Number]:
        return cache[_cache_key(plan, area, day, over_period)]

    rows = []
    for target in targets:
        indicator = BY_CODE.get(target.indicator)
        if indicator is None:
            continue
        deadline = target.deadline
        day = min(on, deadline)
        area = target.area_class or None
        actual = figures(area, day, indicator.over_period)[indicator.code] if day >= plan.start else None
        value, value_max = as_number(target.value), as_number(target.value_max)
        status = target_status(target.comparison, value, value_max, actual)
        pct = None
        if actual is not None and target.comparison != Comparison.AT_MOST and value:
            pct = round(100 * actual / value, 1)
        base = None
        if not indicator.over_period and day > plan.start and on < deadline:
            base = figures(area, plan.start, False)[indicator.code]
        projection = _project(indicator, base, actual, plan.start, day, deadline)
        projected = target_status(target.comparison, value, value_max, projection)
        rows.append(
            TargetRow(
                target=target,
                indicator=indicator,
                deadline=deadline,
                actual=actual,
                status=status,
                pct_of_target=pct,
                projection=projection,
                projected_status=projected,
                at_risk=on < deadline and projected == Status.NOT_MET,
            )
        )
    return rows


def default_plan(scope: Scope, on: datetime.date) -> Plan | None:
    """The plan a report is measured against unless one is chosen: the scope's own plan running on the
    date (a real one before a demo one), else its latest plan that began by then."""
    plans = Plan.objects.filter(province=scope.province, start__lte=on).order_by("is_demo", "-end")
    return next((p for p in plans if p.runs_on(on)), None) or plans.order_by("-end", "is_demo").first()


def series_dates(on: datetime.date, since: datetime.date | None, points: int = 6) -> list[datetime.date]:
    """Year ends before `on` (at most `points` - 1 of them, not before `since`) and `on` itself."""
    first_year = max(on.year - points + 1, since.year if since else on.year - points + 1)
    return [datetime.date(year, 12, 31) for year in range(first_year, on.year)] + [on]


def history_series(
    scope: Scope, dates: list[datetime.date], known: dict[datetime.date, tuple[int, int]] | None = None
) -> list[tuple[datetime.date, int, int]]:
    """(date, clubs, members) at each date, as clubs_total and members_total count them.

    `known` gives the figures the caller already has for some dates (a report's own date). The others
    are counted per club in two queries whatever the number of dates, and kept between reports
    (reports.club_figures): past year ends do not move unless a club's data does.
    """
    known = known or {}
    wanted = [day for day in dates if day not in known]
    rows = (
        club_figures.club_rows(
            "series|" + ",".join(day.isoformat() for day in wanted),
            scope,
            lambda some: _series_rows(some, wanted),
        )
        if wanted
        else {}
    )
    # Each date's column summed at once (a province's 1,200 rows by five dates).
    clubs = list(map(sum, zip(*(row["clubs"] for row in rows.values()), strict=True))) or [0] * len(wanted)
    members = list(map(sum, zip(*(row["members"] for row in rows.values()), strict=True))) or [0] * len(wanted)
    counted = {day: (clubs[i], members[i]) for i, day in enumerate(wanted)}
    return [(day, *(known.get(day) or counted[day])) for day in dates]


def _series_rows(scope: Scope, dates: list[datetime.date]) -> dict[int, dict[str, list[int]]]:
    """Per club: whether it exists at each date, and its members active then."""
    rows = {
        row.pop("id"): {"clubs": [row[f"d{i}"] for i in range(len(dates))], "members": [0] * len(dates)}
        for row in Club.objects.filter(scope.club_q())
        .order_by()
        .values("id")
        .annotate(**{f"d{i}": flag(existing_q(day)) for i, day in enumerate(dates)})
    }
    for row in (
        Membership.objects.filter(scope.club_q("club__"))
        .order_by()
        .values("club_id")
        .annotate(
            **{
                f"d{i}": Count("id", filter=Q(active_on_q(day)) & existing_q(day, "club__"))
                for i, day in enumerate(dates)
            }
        )
    ):
        if row["club_id"] in rows:
            rows[row["club_id"]]["members"] = [row[f"d{i}"] for i in range(len(dates))]
    return rows


# One section per club in a commune's report: members and composition, meetings, the 8 areas, funds
# and loans, PAR30, home care.
CLUB_SECTION_CODES = [
    "members_total",
    "members_women_pct",
    "members_older_pct",
    "members_younger_pct",
    "members_poor_near_poor_pct",
    "members_ethnic_minority_pct",
    "members_health_insured",
    "members_new_in_period",
    "board_members_total",
    "meetings_held_pct",
    "clubs_all_8_activities_pct",
    "fund_capital_vnd",
    "loans_outstanding_vnd",
    "borrowers_total",
    "borrowers_poor_near_poor",
    "members_borrowing_pct",
    "members_borrowed_in_period",
    "loans_disbursed_in_period_vnd",
    "par30_pct",
    "volunteers_total",
]


@dataclass
class ProgressReport:
    scope: Scope
    on: datetime.date
    period: Period
    plan: Plan | None
    indicators: dict[str, Number]
    targets: list[TargetRow]
    communes: list[tuple[Commune, dict[str, Number]]]
    provinces: list[tuple[Province, dict[str, Number]]] | None
    clubs: list[tuple[Club, dict[str, Number]]] | None
    series: list[tuple[datetime.date, int, int]]
    document_date: datetime.date
    narrative: list[str] = field(default_factory=list)
    # Printed under the signature; empty: the line is left blank to be written by hand.
    signer_name: str = ""

    catalogue = CATALOGUE

    # The letterhead (templates/print/_letterhead.html) and the close (_signature.html) read these.
    document_symbol = "BC-HNCT"

    @property
    def commune(self) -> Commune | None:
        return self.scope.commune

    @property
    def issuer_parent(self) -> str:
        """A commune association writes under its province's ("HỘI NCT TỈNH LAI CHÂU")."""
        if self.commune is not None and self.scope.province is not None:
            return f"HỘI NCT {self.scope.province.name.upper()}"
        return ""

    @property
    def issuer_parts(self) -> list[str]:
        """The issuing body in the pieces the letterhead may break between, never inside one: the
        association, then the place ("HỘI NGƯỜI CAO TUỔI" / "TỈNH LAI CHÂU")."""
        if self.commune is not None:
            return ["HỘI NGƯỜI CAO TUỔI", self.commune.name.upper()]
        if self.scope.province is None:
            return ["TRUNG ƯƠNG HỘI", "NGƯỜI CAO TUỔI VIỆT NAM"]
        return ["HỘI NGƯỜI CAO TUỔI", self.scope.province.name.upper()]

    @property
    def issuer(self) -> str:
        return " ".join(self.issuer_parts)

    @property
    def place(self) -> str:
        if self.commune is not None:
            return self.commune.name.removeprefix("Xã ").removeprefix("Phường ").removeprefix("Đặc khu ")
        return self.scope.province.short_name if self.scope.province else "Hà Nội"

    @property
    def place_and_date(self) -> str:
        return f"{self.place}, {long_date(self.document_date)}"

    @property
    def named_period(self):
        return self.period.named

    @property
    def title(self) -> str:
        """ "BÁO CÁO", or what the report is when it is for a named period ("BÁO CÁO SƠ KẾT 6 THÁNG…")."""
        if self.named_period is not None:
            return self.named_period.title.upper()
        return "BÁO CÁO"

    @property
    def subtitle(self) -> str:
        plan = f" {self.plan.name}" if self.plan else " nhân rộng mô hình CLB Liên thế hệ tự giúp nhau"
        if self.named_period is not None:
            return (
                f"Kết quả thực hiện{plan} (từ {self.period.start:%d/%m/%Y} đến {self.period.end:%d/%m/%Y})"
            )
        return f"Kết quả thực hiện{plan} (số liệu đến {self.on:%d/%m/%Y})"

    @property
    def recipients(self) -> list[str]:
        if self.commune is not None:
            return [
                f"Hội NCT {self.scope.province.name} (để b/c)",
                f"Đảng ủy, UBND {self.commune.name} (để b/c)",
                "Các CLB LTHTGN",
                "Lưu: VT.",
            ]
        if self.scope.province is None:
            return ["Thủ tướng Chính phủ (để b/c)", "Bộ Y tế (để p/h)", "Các tỉnh, thành Hội NCT", "Lưu: VT."]
        return [
            "Trung ương Hội NCT Việt Nam (để b/c)",
            f"UBND {self.scope.province.name} (để b/c)",
            "Hội NCT các xã, phường",
            "Lưu: VT.",
        ]

    @property
    def signer_title(self) -> str:
        return "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH"

    @property
    def indicator_rows(self) -> list[tuple[Indicator, Number]]:
        return [(indicator, self.indicators.get(indicator.code)) for indicator in CATALOGUE]

    @property
    def indicator_pairs(self) -> list[list[tuple[Indicator, Number]]]:
        """The indicators two by two: the printed table takes half the pages."""
        rows = self.indicator_rows
        return [rows[i : i + 2] for i in range(0, len(rows), 2)]

    @property
    def club_sections(self) -> list[tuple[Club, list[tuple[Indicator, Number]]]]:
        """A commune's report: one section per club, (club, [(indicator, value)…])."""
        if self.scope.kind != "commune" or self.clubs is None:
            return []
        indicators = [BY_CODE[code] for code in CLUB_SECTION_CODES]
        return [(club, [(i, values.get(i.code)) for i in indicators]) for club, values in self.clubs]

    @property
    def at_risk(self) -> list[TargetRow]:
        return [row for row in self.targets if row.at_risk]

    @property
    def chart_targets(self) -> str:
        return charts.target_bars(
            [
                (row.label, row.pct_of_target, row.status)
                for row in self.targets
                if row.pct_of_target is not None
            ]
        )

    @property
    def chart_clubs(self) -> str:
        return charts.columns(
            [(self._series_label(day), clubs) for day, clubs, _members in self.series], _("Số CLB")
        )

    @property
    def chart_members(self) -> str:
        return charts.columns(
            [(self._series_label(day), members) for day, _clubs, members in self.series], _("Số thành viên")
        )

    def _series_label(self, day: datetime.date) -> str:
        return str(day.year) if (day.month, day.day) == (12, 31) else f"{day:%d/%m/%Y}"

    def as_dict(self) -> dict:
        """The JSON shape: scope, as_of, period, indicators, targets."""
        scope = self.scope.as_dict()
        if self.plan is not None:
            scope["plan"] = {
                "id": self.plan.pk,
                "name": self.plan.name,
                "decision_number": self.plan.decision_number,
                "decision_date": self.plan.decision_date.isoformat() if self.plan.decision_date else None,
                "start": self.plan.start.isoformat(),
                "end": self.plan.end.isoformat(),
            }
        data = {
            "scope": scope,
            "as_of": self.on.isoformat(),
            "period": self.period.as_dict(),
            "indicators": {
                indicator.code: {
                    "value": value,
                    "unit": indicator.unit,
                    "name": indicator.name_vi,
                    "name_en": indicator.name_en,
                }
                for indicator, value in self.indicator_rows
            },
            "targets": [row.as_dict() for row in self.targets],
        }
        if self.scope.kind == "commune" and self.clubs is not None:
            # A commune's report is made of its clubs' sections: each club's figures, same codes.
            data["clubs"] = [
                {"code": club.code, "name": club.name, "indicators": {code: values.get(code) for code in CLUB_SECTION_CODES}}
                for club, values in self.clubs
            ]
        return data


def build_report(
    scope: Scope,
    on: datetime.date,
    period: Period | None = None,
    plan: Plan | None = None,
    *,
    with_breakdowns: bool = True,
    with_clubs: bool = False,
    document_date: datetime.date | None = None,
) -> ProgressReport:
    period = period or Period.year_to_date(on)
    # The total and every breakdown from one pass over the data.
    groupings = ["total"]
    if with_breakdowns and scope.kind == "province":
        groupings.append("commune")
    if with_breakdowns and scope.kind == "national":
        groupings.append("province")
    if with_clubs:
        groupings.append("club")
    # The report's own figures, and those of the targets' other dates with them: the members of every
    # date in one scan (compute_groups_many).
    own = {(None, on, STOCK), (None, on, period)}
    plan_targets = _plan_targets(plan) if plan else []
    needs = _target_needs(plan, plan_targets, on, own) if plan else []
    known, figures = _compute_needs(scope, needs, (on, period, tuple(groupings), None))
    indicators = figures["total"][None]
    known.update(dict.fromkeys(own, indicators))
    targets = evaluate_targets(plan, scope, on, known=known, targets=plan_targets) if plan else []
    communes, provinces, clubs = [], None, None
    if "commune" in figures:
        by_commune = figures["commune"]
        communes = [
            (commune, by_commune[commune.pk])
            for commune in Commune.objects.filter(pk__in=by_commune).order_by("name")
        ]
    if "province" in figures:
        by_province = figures["province"]
        provinces = [(p, by_province[p.pk]) for p in Province.objects.order_by("code")]
    if "club" in figures:
        by_club = figures["club"]
        clubs = [
            (club, by_club[club.pk])
            for club in Club.objects.filter(pk__in=by_club)
            .select_related("commune")
            .order_by("commune__name", "code")
        ]
    since = plan.start if plan else None
    report = ProgressReport(
        scope=scope,
        on=on,
        period=period,
        plan=plan,
        indicators=indicators,
        targets=targets,
        communes=communes,
        provinces=provinces,
        clubs=clubs,
        series=(
            history_series(
                scope,
                series_dates(on, since),
                known={on: (indicators["clubs_total"], indicators["members_total"])},
            )
            if with_breakdowns
            else []
        ),
        document_date=document_date or datetime.date.today(),
    )
    report.narrative = narrative(report)
    return report


# ---------------------------------------------------------------------------
# The narrative, written from the figures as the provincial reports write them.
# ---------------------------------------------------------------------------


def _lower_first(name: str) -> str:
    """'Tỷ lệ CLB …' → 'tỷ lệ CLB …'; a first word of two capitals is an abbreviation and stays: 'CLB …'."""
    if name[:2].isupper():
        return name
    return name[:1].lower() + name[1:]


def _target_phrase(row: TargetRow, years: list[int]) -> str:
    """A target named within a sentence, as its table label names it: 'tỷ lệ xã, phường có CLB (xã miền
    núi, biên giới, hải đảo)'. Vietnamese whatever the page's language, like the rest of the narrative."""
    details = []
    if row.target.area_class:
        with translation.override("vi"):
            details.append(str(row.target.get_area_class_display()).lower())
    if years:
        details.append("mốc năm " + ", ".join(str(year) for year in years))
    name = _lower_first(row.indicator.name_vi)
    return f"{name} ({'; '.join(details)})" if details else name


def _named_once(rows: list[TargetRow]) -> list[str]:
    """Each indicator (and area class) once: its yearly milestones and its final target are one aim.
    The milestone years are said only when the final target is not among the rows."""
    groups: dict[tuple[str, str], list[TargetRow]] = {}
    for row in rows:
        groups.setdefault((row.indicator.code, row.target.area_class), []).append(row)
    names = []
    for group in groups.values():
        final = any(row.target.year is None for row in group)
        names.append(_target_phrase(group[0], [] if final else sorted({row.target.year for row in group})))
    return names


def _n(value: Number) -> str:
    return number_vi(value)


def _p(value: Number) -> str:
    return figure(value, Unit.PERCENT)


def narrative(report: ProgressReport) -> list[str]:
    v = report.indicators
    where = (
        "toàn quốc"
        if report.scope.kind == "national"
        else {"province": "toàn tỉnh", "commune": "toàn xã"}.get(report.scope.kind, report.scope.label)
    )
    paragraphs = []

    clubs = (
        f"Tính đến ngày {report.on:%d/%m/%Y}, {where} có {_n(v['clubs_total'])} CLB Liên thế hệ tự giúp nhau"
    )
    if v["clubs_not_launched"]:
        clubs += (
            f" ({_n(v['clubs_active'])} CLB đã ra mắt đi vào hoạt động, "
            f"{_n(v['clubs_not_launched'])} CLB có quyết định thành lập nhưng chưa ra mắt)"
        )
    if v.get("communes_with_club") is not None and report.scope.kind in ("national", "province"):
        clubs += f" tại {_n(v['communes_with_club'])}/{_n(v['communes_total'])} xã, phường ({_p(v['communes_with_club_pct'])})"
    clubs += f" với {_n(v['members_total'])} thành viên"
    if v["members_per_club_avg"] is not None:
        clubs += f", bình quân mỗi CLB có {number_vi(v['members_per_club_avg'], 0)} thành viên"
    clubs += "."
    if v["members_total"]:
        clubs += (
            f" Trong đó nữ {_n(v['members_women'])} người ({_p(v['members_women_pct'])}); "
            f"người cao tuổi {_n(v['members_older'])} người ({_p(v['members_older_pct'])}), "
            f"người trẻ tuổi chiếm {_p(v['members_younger_pct'])}; "
            f"người dân tộc thiểu số chiếm {_p(v['members_ethnic_minority_pct'])}; "
            f"{_n(v['members_poor'])} người thuộc hộ nghèo, {_n(v['members_near_poor'])} người cận nghèo"
            f" ({_p(v['members_poor_near_poor_pct'])}), {_n(v['members_hardship'])} người có hoàn cảnh khó khăn."
        )
        if v["members_older_poor"] is not None:
            clubs += (
                f" Người cao tuổi thuộc hộ nghèo {_n(v['members_older_poor'])} người, hộ cận nghèo "
                f"{_n(v['members_older_near_poor'])} người; {_n(v['members_health_insured'])} thành viên có thẻ "
                f"bảo hiểm y tế còn hạn ({_p(v['members_health_insured_pct'])})."
            )
        clubs += (
            f" Ban Chủ nhiệm có {_n(v['board_members_total'])} thành viên; "
            f"{_n(v['volunteers_total'])} tình nguyện viên chăm sóc tại nhà"
        )
        if v["clubs_with_5_volunteers_pct"] is not None:
            clubs += f", {_p(v['clubs_with_5_volunteers_pct'])} CLB có từ 5 tình nguyện viên trở lên"
        clubs += "."
        if v["clubs_composition_1336_pct"] is not None:
            clubs += (
                f" {_p(v['clubs_composition_1336_pct'])} CLB đạt cơ cấu thành viên theo Quyết định 1336/QĐ-TTg"
                " (50–70 thành viên, 60–70% nữ, 60–70% người cao tuổi)."
            )
    paragraphs.append(clubs)

    period = (
        f"Trong kỳ báo cáo (từ {report.period.start:%d/%m/%Y} đến {report.period.end:%d/%m/%Y}), "
        f"thành lập mới {_n(v['clubs_new_in_period'])} CLB, thu hút {_n(v['members_new_in_period'])} thành viên mới"
    )
    if v["loans_disbursed_in_period_vnd"] is not None:
        period += f"; các CLB cho vay {millions(v['loans_disbursed_in_period_vnd'])}"
    paragraphs.append(period + ".")

    if v["fund_capital_vnd"] is not None:
        sources = [
            (
                indicator.name_vi.removeprefix("Vốn quỹ ").removeprefix("từ ").removeprefix("do "),
                v[indicator.code],
            )
            for indicator in CATALOGUE
            if indicator.code.startswith("fund_capital_") and indicator.code != "fund_capital_vnd"
        ]
        funds = f"Tổng vốn quỹ của các CLB đạt {millions(v['fund_capital_vnd'])}"
        if v["clubs_total"]:
            funds += f", bình quân {millions(v['fund_capital_vnd'] / v['clubs_total'])}/CLB"
        named = [f"{name} {millions(amount)}" for name, amount in sources if amount]
        if named:
            funds += "; trong đó " + ", ".join(named)
        funds += "."
        if v["loans_outstanding_vnd"] is not None:
            funds += (
                f" Dư nợ cho vay {millions(v['loans_outstanding_vnd'])} với {_n(v['borrowers_total'])} thành viên "
                f"đang vay ({_p(v['members_borrowing_pct'])} thành viên); {_n(v['members_ever_borrowed'])} "
                f"thành viên đã được vay vốn phát triển sản xuất, tăng thu nhập."
            )
        if v["members_borrowed_in_period"] is not None:
            funds += (
                f" Trong kỳ có {_n(v['members_borrowed_in_period'])} thành viên được vay vốn; "
                f"{_n(v['borrowers_poor_near_poor'])} thành viên hộ nghèo, cận nghèo đang vay vốn."
            )
        if v["par30_pct"] is not None:
            funds += f" Tỷ lệ dư nợ quá hạn trên 30 ngày là {_p(v['par30_pct'])}."
        paragraphs.append(funds)

    life = []
    if v["clubs_all_8_activities_pct"] is not None:
        life.append(
            f"{_p(v['clubs_all_8_activities_pct'])} CLB thực hiện đủ 8 hoạt động chính trong 12 tháng qua"
        )
    if v["clubs_all_8_and_borrowing_50_pct"] is not None:
        life.append(
            f"{_p(v['clubs_all_8_and_borrowing_50_pct'])} CLB vừa thực hiện đủ 8 hoạt động vừa có từ 50% "
            "thành viên đang vay vốn"
        )
    if v["meetings_held_pct"] is not None:
        life.append(f"duy trì sinh hoạt định kỳ hằng tháng đạt {_p(v['meetings_held_pct'])}")
    if v["clubs_rated_good_pct"] is not None:
        life.append(f"{_p(v['clubs_rated_good_pct'])} CLB được xếp loại khá, vững mạnh")
    if life:
        text = "; ".join(life)
        paragraphs.append(text[0].upper() + text[1:] + ".")

    if report.plan and report.targets:
        met = [row for row in report.targets if row.status in (Status.MET, Status.EXCEEDED)]
        missing = [row for row in report.targets if row.status == Status.NOT_MET]
        text = (
            f"So với chỉ tiêu của {report.plan.name}"
            + (f" (Quyết định số {report.plan.decision_number})" if report.plan.decision_number else "")
            + f", đã đạt và vượt {len(met)}/{len(report.targets)} chỉ tiêu"
        )
        exceeded = [row for row in met if row.status == Status.EXCEEDED and row.pct_of_target]
        if exceeded:
            best = max(exceeded, key=lambda row: row.pct_of_target)
            years = [best.target.year] if best.target.year else []
            text += (
                f"; {_target_phrase(best, years)} đạt {figure(best.actual, best.indicator.unit)}, "
                f"vượt {number_vi(best.pct_of_target - 100, 0)}% so với chỉ tiêu"
            )
        if missing:
            names = _named_once(missing)
            text += ". Chưa đạt: " + ", ".join(names[:4])
            if len(names) > 4:
                text += f" và {len(names) - 4} chỉ tiêu khác"
        text += "."
        if report.at_risk:
            text += (
                f" Theo tốc độ từ khi bắt đầu đề án, {len(report.at_risk)} chỉ tiêu có nguy cơ không đạt "
                "khi kết thúc, cần tập trung chỉ đạo."
            )
        paragraphs.append(text)
    return paragraphs
