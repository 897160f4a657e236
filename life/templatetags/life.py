"""Club-life pieces other pages include: the club summary, a member's health card, the SVG chart.

`{% load life %}` then `{% club_life_summary club %}`, `{% member_health member %}`,
`{% line_chart chart %}`; filters `area_label` (1 → "Tăng thu nhập, sinh kế") and `care_tasks`.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from clubs.access import can_edit
from clubs.models import ActivityArea, Club
from life.charts import LineChart, blood_pressure_chart
from life.models import CareTask, HealthCheck, Rating
from life.selectors import (
    ALL_AREAS,
    club_life_figures,
    last_twelve_months,
    months_in_period,
    needs_referral,
)

register = template.Library()

# Readings drawn on a member page: about five years of monthly checks.
CHART_READINGS = 60


@register.inclusion_tag("life/_club_summary_card.html", takes_context=True)
def club_life_summary(context: template.Context, club: Club) -> dict[str, Any]:
    """8-area coverage and meetings over the last 12 months, the latest rating, links. One query."""
    today = timezone.localdate()
    start, end = last_twelve_months(today)
    figures = club_life_figures(club, start, end, today)
    covered, rating = figures["areas"], figures["rating"]
    user = context.get("user")
    return {
        "club": club,
        "start": start,
        "end": end,
        "areas": [(area, area in covered) for area in ActivityArea],
        "covered": len(covered),
        "all_areas": ALL_AREAS <= covered,
        "meetings": figures["meetings"],
        "months": months_in_period(start, end),
        "rating": (rating[0], Rating(rating[1]).label) if rating else None,
        "can_edit": bool(user) and can_edit(user, club),
    }


@register.inclusion_tag("life/_member_health_card.html", takes_context=True)
def member_health(context: template.Context, member: Any) -> dict[str, Any]:
    """A member's blood pressure over time and their latest reading. One query."""
    checks = list(HealthCheck.objects.filter(member=member).order_by("-checked_on", "-id")[:CHART_READINGS])
    latest = checks[0] if checks else None
    user = context.get("user")
    return {
        "member": member,
        "latest": latest,
        "latest_needs_referral": bool(latest) and needs_referral(latest),
        "chart": blood_pressure_chart(checks),
        "count": len(checks),
        "can_edit": bool(user) and can_edit(user, member),
    }


@register.inclusion_tag("life/_line_chart.html")
def line_chart(chart: LineChart) -> dict[str, Any]:
    return {"chart": chart}


@register.filter
def area_label(value: Any) -> str:
    try:
        return str(ActivityArea(int(value)).label)
    except (TypeError, ValueError):
        return ""


@register.filter
def care_tasks(values: Any) -> str:
    """The tasks of a visit, in words."""
    labels = dict(CareTask.choices)
    return ", ".join(str(labels.get(v, v)) for v in values or ())


@register.inclusion_tag("life/_club_tabs.html", takes_context=True)
def club_life_tabs(context: template.Context, club: Club, active: str) -> dict[str, Any]:
    """The club's name and the club-life pages as tabs. No query: the user's area is cached."""
    user = context.get("user")
    return {"club": club, "active": active, "can_edit": bool(user) and can_edit(user, club)}
