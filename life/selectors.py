"""Reads about club life that reports and pages share: 8-area coverage, meetings, ratings,
referrals, overdue home-care visits, the assessor's checklist.

Every function takes a queryset of clubs (already scoped by the caller) and runs a fixed
number of queries whatever the number of clubs or rows: the counting is done by the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from clubs.models import ActivityArea, Club
from funds.money import format_vnd
from funds.selectors import collection_sheet_loans, fund_figures
from life.models import Activity, ActivityType, CareAssignment, CareVisit, ClubRating, HealthCheck
from life.services import members_on
from members.composition import composition
from members.models import Member, active_on_q

ALL_AREAS = frozenset(ActivityArea.values)

# Blood pressure at or above either figure on the latest check: refer the member to a doctor.
REFERRAL_SYSTOLIC = 140
REFERRAL_DIASTOLIC = 90


def _club_ids(clubs_qs: QuerySet[Club]) -> list[int]:
    return list(clubs_qs.order_by().values_list("pk", flat=True))


def area_coverage(clubs_qs: QuerySet[Club], start: datetime.date, end: datetime.date) -> dict[int, set[int]]:
    """For each club, the activity areas (1–8) with at least one activity in [start, end].

    Every club of `clubs_qs` is a key, with an empty set when it recorded nothing. Two queries.
    """
    coverage: dict[int, set[int]] = {pk: set() for pk in _club_ids(clubs_qs)}
    rows = (
        Activity.objects.filter(club__in=clubs_qs, held_on__gte=start, held_on__lte=end)
        .order_by()
        .values_list("club_id", "area")
        .distinct()
    )
    for club_id, area in rows:
        coverage.setdefault(club_id, set()).add(area)
    return coverage


def covers_all_areas(areas: set[int]) -> bool:
    """Whether a club "carries out all 8 activities" (thực hiện đủ 8 hoạt động)."""
    return ALL_AREAS <= areas


def meetings_held(clubs_qs: QuerySet[Club], start: datetime.date, end: datetime.date) -> dict[int, int]:
    """For each club, the number of distinct months in [start, end] with a monthly meeting. Two queries."""
    held = dict.fromkeys(_club_ids(clubs_qs), 0)
    rows = (
        Activity.objects.filter(
            club__in=clubs_qs, kind=ActivityType.MONTHLY_MEETING, held_on__gte=start, held_on__lte=end
        )
        .order_by()
        .values("club_id")
        .annotate(months=Count(TruncMonth("held_on"), distinct=True))
        .values_list("club_id", "months")
    )
    held.update(rows)
    return held


def months_in_period(start: datetime.date, end: datetime.date) -> int:
    """Calendar months touched by [start, end]: 1 Jan–31 Dec is 12, 15 Jan–3 Feb is 2."""
    if end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def last_twelve_months(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The 12 calendar months up to `today`: from the 1st of the month eleven months back."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1), today


def latest_ratings(clubs_qs: QuerySet[Club], on: datetime.date) -> dict[int, tuple[int, str]]:
    """For each rated club, (year, rating) of its latest rated year among ratings made on or before `on`.

    Clubs without such a rating are absent. One query.
    """
    latest = (
        ClubRating.objects.filter(club_id=OuterRef("club_id"), rated_on__lte=on)
        .order_by("-year")
        .values("pk")[:1]
    )
    rows = (
        ClubRating.objects.filter(club__in=clubs_qs, rated_on__lte=on, pk=Subquery(latest))
        .order_by()
        .values_list("club_id", "year", "rating")
    )
    return {club_id: (year, rating) for club_id, year, rating in rows}


def club_life_figures(
    club: Club, start: datetime.date, end: datetime.date, on: datetime.date
) -> dict[str, Any]:
    """One club's areas covered and meeting months in [start, end] and its latest rating by `on`, in one
    query (the club page shows them beside others' panels, so it keeps to one round trip).

    Same rules as `area_coverage`, `meetings_held` and `latest_ratings`: {"areas": set, "meetings": int,
    "rating": (year, rating) or None}.
    """
    in_period = Activity.objects.filter(
        club_id=OuterRef("pk"), held_on__gte=start, held_on__lte=end
    ).order_by()
    months = (
        in_period.filter(kind=ActivityType.MONTHLY_MEETING)
        .values("club_id")
        .annotate(n=Count(TruncMonth("held_on"), distinct=True))
        .values("n")
    )
    latest = ClubRating.objects.filter(club_id=OuterRef("pk"), rated_on__lte=on).order_by("-year")
    row = (
        Club.objects.filter(pk=club.pk)
        .annotate(
            **{f"area_{area}": Exists(in_period.filter(area=area)) for area in ActivityArea.values},
            meeting_months=Subquery(months),
            rating_year=Subquery(latest.values("year")[:1]),
            rating_value=Subquery(latest.values("rating")[:1]),
        )
        .values(
            *[f"area_{area}" for area in ActivityArea.values], "meeting_months", "rating_year", "rating_value"
        )
        .get()
    )
    return {
        "areas": {area for area in ActivityArea.values if row[f"area_{area}"]},
        "meetings": row["meeting_months"] or 0,
        "rating": (row["rating_year"], row["rating_value"]) if row["rating_year"] else None,
    }


def latest_blood_pressure_checks(clubs_qs: QuerySet[Club], on: datetime.date) -> QuerySet[HealthCheck]:
    """The latest check on or before `on` that measured blood pressure, of each member of the clubs
    active on `on`.

    Members first, then one indexed look-up (member, checked_on) each: with 24,000 members and
    288,000 checks on PostgreSQL, counting a province's referrals takes 170 ms this way and 700 ms
    when every check is tested for being its member's latest.
    """
    latest = (
        HealthCheck.objects.filter(
            member_id=OuterRef("pk"),
            checked_on__lte=on,
            systolic__isnull=False,
            diastolic__isnull=False,
        )
        .order_by("-checked_on", "-id")
        .values("pk")[:1]
    )
    check_ids = (
        Member.objects.filter(club__in=clubs_qs).filter(active_on_q(on)).values(check_id=Subquery(latest))
    )
    return HealthCheck.objects.filter(pk__in=check_ids)


def referral_list(clubs_qs: QuerySet[Club], on: datetime.date) -> QuerySet[HealthCheck]:
    """Latest checks (on or before `on`) at or above 140 systolic or 90 diastolic, of members of the
    clubs who are active on `on`. A later normal reading takes a member off the list.

    A queryset of `HealthCheck` (with member and club), so pages can paginate and reports count it.
    """
    return (
        latest_blood_pressure_checks(clubs_qs, on)
        .filter(Q(systolic__gte=REFERRAL_SYSTOLIC) | Q(diastolic__gte=REFERRAL_DIASTOLIC))
        .select_related("member", "member__club")
        .order_by("member__club__code", "member__search_key", "member_id")
    )


def needs_referral(check: HealthCheck) -> bool:
    """The same rule as `referral_list`, for one reading (to highlight it on a page)."""
    return bool(
        (check.systolic and check.systolic >= REFERRAL_SYSTOLIC)
        or (check.diastolic and check.diastolic >= REFERRAL_DIASTOLIC)
    )


def running_care_q(on: datetime.date, prefix: str = "") -> Q:
    """Care assignments running on `on`."""
    return Q(**{f"{prefix}from_date__lte": on}) & (
        Q(**{f"{prefix}to_date__isnull": True}) | Q(**{f"{prefix}to_date__gte": on})
    )


def visit_cutoff(on: datetime.date, weeks: int | None = None) -> datetime.date:
    """A visit on this day or later counts as recent: exactly N weeks ago is still in time."""
    if weeks is None:
        weeks = settings.CARE_VISIT_OVERDUE_WEEKS
    return on - datetime.timedelta(weeks=weeks)


def visits_overdue(clubs_qs: QuerySet[Club], on: datetime.date, weeks: int | None = None) -> QuerySet[Member]:
    """Beneficiaries with a care assignment running on `on` who were not visited in the last N weeks
    (N = settings.CARE_VISIT_OVERDUE_WEEKS by default).

    The clock starts at the assignment: someone assigned less than N weeks ago is not overdue yet.
    Each member carries `last_visit` (date or None), `care_since` and `running_care` (the running
    assignments with their volunteers). Two queries when evaluated.
    """
    cutoff = visit_cutoff(on, weeks)
    running = CareAssignment.objects.filter(running_care_q(on), beneficiary_id=OuterRef("pk"))
    last_visit = (
        CareVisit.objects.filter(beneficiary_id=OuterRef("pk"), visited_on__lte=on)
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )
    return (
        Member.objects.filter(club__in=clubs_qs)
        .filter(active_on_q(on))
        .filter(Exists(running))
        .annotate(
            last_visit=Subquery(last_visit),
            care_since=Subquery(running.order_by("from_date").values("from_date")[:1]),
        )
        .filter(care_since__lt=cutoff)
        .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=cutoff))
        .select_related("club")
        .prefetch_related(
            Prefetch(
                "care_received",
                queryset=CareAssignment.objects.filter(running_care_q(on)).select_related("volunteer"),
                to_attr="running_care",
            )
        )
        .order_by("club__code", "last_visit", "search_key", "pk")
    )


# ---------------------------------------------------------------------------
# The assessor's checklist beside the rating form.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    value: str
    # True met, False not met, None: no rule to judge by (or the figure is not available yet).
    met: bool | None = None


def year_period(year: int, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """1 January to 31 December, or to today for the running year."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return start, min(end, today) if today >= start else end


def _composition_item(club: Club, on: datetime.date) -> ChecklistItem:
    label = _("Cơ cấu thành viên đạt chuẩn")
    result = composition(club, on)
    value = _("Đạt") if result.met else _("Chưa đạt")
    unmet = [str(c.label) for c in result.criteria if not c.met]
    if unmet:
        value += ": " + "; ".join(unmet)
    return ChecklistItem(label, value, result.met)


# A portfolio at risk (30 days) above 5% is the usual warning line for small loan funds (CGAP).
PAR30_WARNING_PCT = 5


def _fund_items(club: Club, start: datetime.date, end: datetime.date) -> list[ChecklistItem]:
    growth_label = _("Quỹ tăng thu nhập được bảo toàn và tăng trưởng")
    par_label = _("Dư nợ quá hạn trên 30 ngày (PAR30) không quá %(pct)d%%") % {"pct": PAR30_WARNING_PCT}
    clubs = Club.objects.filter(pk=club.pk)
    before = fund_figures(clubs, start - datetime.timedelta(days=1))["capital_income_fund"]
    figures = fund_figures(clubs, end)
    after = figures["capital_income_fund"]
    growth = after - before
    sign = "+" if growth >= 0 else "−"
    items = [
        ChecklistItem(
            growth_label,
            f"{format_vnd(before)} → {format_vnd(after)} ({sign}{format_vnd(abs(growth))})",
            growth > 0,
        )
    ]
    par30 = figures["par30_pct"]
    if par30 is None:
        items.append(ChecklistItem(par_label, _("Không có dư nợ"), None))
    else:
        text = f"{par30:.1f}".replace(".", ",") + "%"
        items.append(ChecklistItem(par_label, text, par30 <= PAR30_WARNING_PCT))
    return items


def club_rating_checklist(club: Club, year: int, today: datetime.date | None = None) -> list[ChecklistItem]:
    """Figures from the data that help the assessor rate a club for a year; the rating is theirs."""
    today = today or datetime.date.today()
    start, end = year_period(year, today)
    clubs = Club.objects.filter(pk=club.pk)
    months = months_in_period(start, end)
    held = meetings_held(clubs, start, end)[club.pk]
    areas = area_coverage(clubs, start, end)[club.pk]
    missing = [ActivityArea(a).label for a in sorted(ALL_AREAS - areas)]
    areas_value = _("%(n)d/8 mảng") % {"n": len(areas)}
    if missing:
        areas_value += " — " + _("thiếu: %(areas)s") % {"areas": "; ".join(str(m) for m in missing)}
    return [
        ChecklistItem(
            _("Sinh hoạt định kỳ hằng tháng"),
            _("%(held)d/%(months)d tháng") % {"held": held, "months": months},
            held >= months,
        ),
        ChecklistItem(_("Thực hiện đủ 8 mảng hoạt động"), areas_value, covers_all_areas(areas)),
        _composition_item(club, end),
        *_fund_items(club, start, end),
    ]


def meeting_preparation(clubs: Iterable[Club], day: datetime.date) -> list[dict[str, Any]]:
    """What a phone keeps for the coming meetings of these clubs (README "Without signal"): the
    members (id, name, birth year only), the repayments due and each member's last reading. Kept to
    the minimum the meeting needs, since it stays on the device until logout."""
    prepared = []
    for club in clubs:
        members = list(members_on(club, day).only("pk", "full_name", "birth_year"))
        last: dict[int, HealthCheck] = {}
        for check in HealthCheck.objects.filter(club=club, member__in=[m.pk for m in members]).order_by(
            "member_id", "-checked_on", "-pk"
        ):
            last.setdefault(check.member_id, check)
        prepared.append(
            {
                "club": club.pk,
                "code": club.code,
                "name": club.name,
                "members": [
                    {
                        "id": m.pk,
                        "name": m.full_name,
                        "birth_year": m.birth_year,
                        "last_reading": {
                            "on": last[m.pk].checked_on.isoformat(),
                            "systolic": last[m.pk].systolic,
                            "diastolic": last[m.pk].diastolic,
                            "weight_kg": str(last[m.pk].weight_kg)
                            if last[m.pk].weight_kg is not None
                            else None,
                        }
                        if m.pk in last
                        else None,
                    }
                    for m in members
                ],
                "repayments_due": [
                    {
                        "loan": loan.pk,
                        "member": loan.member_id,
                        "outstanding": loan.outstanding,
                        "principal_due": loan.principal_due_now,
                        "interest_due": loan.interest_due_now,
                    }
                    for loan in collection_sheet_loans(club, day)
                ],
            }
        )
    return prepared
