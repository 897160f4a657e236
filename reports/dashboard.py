"""The home page's figures: the key indicators of the user's area, charts, and the targets at risk."""

import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from clubs.access import area_of
from places.models import Commune, Province
from reports import charts
from reports.catalogue import BY_CODE
from reports.indicators import compute_indicators
from reports.progress import default_plan, evaluate_targets, history_series, series_dates
from reports.scope import Scope

NATIONAL_CACHE_SECONDS = 600
KEY_CODES = [
    "clubs_total",
    "clubs_active",
    "clubs_not_launched",
    "members_total",
    "members_women_pct",
    "members_older_pct",
    "members_poor_near_poor_pct",
    "fund_capital_vnd",
    "members_borrowing_pct",
    "clubs_all_8_activities_pct",
]


def dashboard_scope(user) -> Scope | None:
    """Admins and the national level see the country, province officers their (first) province, commune
    staff their communes."""
    area = area_of(user)
    if area.reads_everything:
        return Scope()
    if area.province_ids:
        return Scope(province=Province.objects.filter(pk__in=area.province_ids).order_by("code").first())
    if area.commune_ids:
        names = (
            Commune.objects.filter(pk__in=area.commune_ids).order_by("name").values_list("name", flat=True)
        )
        return Scope(commune_ids=area.commune_ids, name=", ".join(names))
    return None


def dashboard_figures(scope: Scope, on: datetime.date) -> dict:
    """The figures of the home page for a scope (the national ones are also cached for a while)."""
    plan = default_plan(scope, on) if scope.kind in ("national", "province") else None
    # Only the queries these figures need (the full catalogue is for the reports).
    values = compute_indicators(scope, on, codes=set(KEY_CODES))
    return {
        "values": values,
        "series": history_series(
            scope, series_dates(on, None), known={on: (values["clubs_total"], values["members_total"])}
        ),
        "plan": plan,
        "at_risk": [row for row in evaluate_targets(plan, scope, on) if row.at_risk] if plan else [],
        "computed_at": timezone.localtime(),
    }


def dashboard_context(user, on: datetime.date | None = None) -> dict:
    scope = dashboard_scope(user)
    if scope is None:
        return {}
    on = on or datetime.date.today()
    # The country's figures read over a million members and half a million loans: admins' home page
    # reuses them for a few minutes (and says when they were computed). Other areas are always exact.
    key = f"reports:dashboard:national:{on.isoformat()}"
    figures = cache.get(key) if scope.kind == "national" else None
    if figures is None:
        figures = dashboard_figures(scope, on)
        if scope.kind == "national":
            cache.set(key, figures, NATIONAL_CACHE_SECONDS)
    series = figures["series"]
    labels = [str(day.year) if (day.month, day.day) == (12, 31) else f"{day:%d/%m}" for day, _c, _m in series]
    return {
        "dashboard_scope": scope,
        "dashboard_on": on,
        "key_figures": [(BY_CODE[code], figures["values"][code]) for code in KEY_CODES],
        "chart_clubs": charts.columns(
            list(zip(labels, [c for _d, c, _m in series], strict=True)), _("Số CLB")
        ),
        "chart_members": charts.columns(
            list(zip(labels, [m for _d, _c, m in series], strict=True)), _("Số thành viên")
        ),
        "dashboard_plan": figures["plan"],
        "targets_at_risk": figures["at_risk"],
        "dashboard_computed_at": figures["computed_at"],
    }
