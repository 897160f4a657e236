"""Two years of club life for the Lai Châu demo clubs (codes LCH-…).

For every demo club: monthly meetings with attendance and the blood pressure and weight taken
there, the other activities of the year across the 8 areas, volunteers' home-care assignments and
visits, and a rating for each finished year. Two clubs in three carry out all 8 activities; the
others leave out one or two areas (rights support, resource mobilisation or home care), so the
coverage figures have something to show. A few members have high blood pressure (the referral
list) and a few beneficiaries have not been visited lately (the overdue list).

Each club draws from its own seeded generator, so a run is deterministic for a given day; the
window is the 24 months up to today, so the lists stay current. A club that already has
activities is left alone, so a second run creates nothing. Rows go in with `bulk_create`.
"""

from __future__ import annotations

import datetime
import random
import zlib
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from clubs.models import ActivityArea, Club, ClubStatus
from devdata.demo_accounts import refresh_planner_statistics
from life.models import (
    Activity,
    ActivityType,
    Attendance,
    AttendanceStatus,
    CareAssignment,
    CareTask,
    CareVisit,
    ClubRating,
    HealthCheck,
    Rating,
)
from members.models import Member, Membership

DEMO_PREFIX = "LCH-"
MONTHS = 24
# Areas a "partial" club leaves out (one or two of them).
OPTIONAL_AREAS = (ActivityArea.RIGHTS, ActivityArea.RESOURCES, ActivityArea.HOME_CARE)

# The year's activities other than meetings: (area, kind, titles, how many a year).
YEARLY = [
    (
        ActivityArea.LIVELIHOOD,
        ActivityType.TRAINING,
        ["Tập huấn kỹ thuật chăn nuôi lợn, gà", "Tập huấn trồng và chăm sóc chè", "Hướng dẫn làm sổ vay vốn"],
        2,
    ),
    (
        ActivityArea.HOME_CARE,
        ActivityType.HOME_CARE,
        ["Tình nguyện viên thăm, chăm sóc người cao tuổi neo đơn"],
        4,
    ),
    (
        ActivityArea.SELF_HELP,
        ActivityType.COMMUNITY_WORK,
        ["Ngày công giúp gia đình khó khăn thu hoạch", "Tổng vệ sinh đường bản, nhà văn hóa"],
        2,
    ),
    (
        ActivityArea.RIGHTS,
        ActivityType.RIGHTS_SUPPORT,
        ["Hỗ trợ làm hồ sơ trợ cấp xã hội", "Hướng dẫn gia hạn thẻ bảo hiểm y tế"],
        1,
    ),
    (
        ActivityArea.LEARNING,
        ActivityType.TRAINING,
        [
            "Nói chuyện chuyên đề phòng, chống tăng huyết áp",
            "Tuyên truyền Luật Người cao tuổi",
            "Nói chuyện về dinh dưỡng cho người cao tuổi",
            "Phòng chống lừa đảo qua điện thoại",
        ],
        3,
    ),
    (
        ActivityArea.CULTURE,
        ActivityType.CULTURE_SPORT,
        [
            "Giao lưu văn nghệ mừng Ngày Quốc tế Người cao tuổi 1/10",
            "Chúc thọ người cao tuổi",
            "Thi kéo co, ném còn",
        ],
        3,
    ),
    (
        ActivityArea.RESOURCES,
        ActivityType.FUND_RAISING,
        ["Vận động nhà hảo tâm ủng hộ quỹ CLB", "Vận động thành viên góp quỹ"],
        1,
    ),
]


@dataclass
class _Person:
    member: Member
    systolic: int
    diastolic: int
    weight: float


def _first_of_month(day: datetime.date, months_back: int) -> datetime.date:
    month = day.month - months_back
    year = day.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


def _is_active(club: Club, day: datetime.date) -> bool:
    return club.status_on(day) == ClubStatus.ACTIVE


def _members_by_stay(club: Club) -> list[Member]:
    """Everyone who was ever in the club, each with `stays` [(joined, left)] from the history."""
    members: dict[int, Member] = {}
    for stay in (
        Membership.objects.filter(club=club).select_related("member").order_by("member_id", "joined_on")
    ):
        member = members.setdefault(stay.member_id, stay.member)
        member.stays = [*getattr(member, "stays", []), (stay.joined_on, stay.left_on)]
    return list(members.values())


def _in_club(member: Member, day: datetime.date) -> bool:
    """In the club on `day` by the membership history: someone who moved on still came to old meetings."""
    return any(joined <= day and (left is None or left > day) for joined, left in member.stays)


def _reading(rng: random.Random, person: _Person) -> tuple[int, int, Decimal, int]:
    systolic = max(95, min(200, round(rng.gauss(person.systolic, 7))))
    diastolic = max(55, min(systolic - 25, round(rng.gauss(person.diastolic, 5))))
    weight = Decimal(str(round(max(32.0, rng.gauss(person.weight, 0.8)), 1)))
    return systolic, diastolic, weight, rng.randint(62, 92)


@transaction.atomic
def demo_life_create() -> int:
    """Create the demo club life; returns the number of activities created (0 on a second run)."""
    clubs = list(Club.objects.filter(code__startswith=DEMO_PREFIX).order_by("code"))
    if not clubs:
        return 0
    done = set(Activity.objects.filter(club__in=clubs).values_list("club_id", flat=True).distinct())
    officer = get_user_model().objects.filter(username="tinh.laichau").first()
    today = timezone.localdate()
    rows: dict[str, list] = {
        "activities": [],
        "attendance": [],
        "checks": [],
        "care": [],
        "visits": [],
        "ratings": [],
    }
    for index, club in enumerate(clubs):
        if club.pk not in done:
            _club_life(club, index, today, officer, rows)

    activities = [activity for activity, _links in rows["activities"]]
    Activity.objects.bulk_create(activities, batch_size=1000)
    # Attendance and checks were planned against their activity; the ids exist only now.
    for activity, links in rows["activities"]:
        for row in links:
            row.activity_id = activity.pk
    Attendance.objects.bulk_create(rows["attendance"], batch_size=2000)
    HealthCheck.objects.bulk_create(rows["checks"], batch_size=2000)
    CareAssignment.objects.bulk_create(rows["care"], batch_size=1000)
    CareVisit.objects.bulk_create(rows["visits"], batch_size=2000)
    ClubRating.objects.bulk_create(rows["ratings"], batch_size=1000)
    refresh_planner_statistics(Activity, Attendance, HealthCheck, CareAssignment, CareVisit, ClubRating)
    return len(activities)


def _club_life(club: Club, index: int, today: datetime.date, officer, rows: dict[str, list]) -> None:
    rng = random.Random(zlib.crc32(club.code.encode()))
    partial = index % 3 == 2
    left_out = set(rng.sample(OPTIONAL_AREAS, rng.choice((1, 2)))) if partial else set()
    members = _members_by_stay(club)
    people = {
        m.pk: _Person(
            m,
            systolic=rng.choice((118, 124, 128, 132, 136, 150, 158))
            if m.birth_year < 1966
            else rng.randint(108, 124),
            diastolic=rng.randint(70, 84),
            weight=rng.gauss(52 if m.sex == "F" else 58, 6),
        )
        for m in members
    }
    for person in people.values():  # the high readers also have a high lower figure
        if person.systolic >= 150:
            person.diastolic = rng.randint(88, 98)
    start = _first_of_month(today, MONTHS - 1)
    for back in range(MONTHS - 1, -1, -1):
        first = _first_of_month(today, back)
        # Most months have a meeting; a partial club skips more often.
        if rng.random() < (0.2 if partial else 0.05):
            continue
        day = first + datetime.timedelta(days=rng.randint(4, 14))
        if day > today or not _is_active(club, day):
            continue
        _meeting(club, day, rng, members, people, rows)
    for year in range(start.year, today.year + 1):
        _yearly_activities(club, year, start, today, rng, left_out, members, rows)
    _cover_the_last_twelve_months(club, today, rng, left_out, rows)
    if ActivityArea.HOME_CARE not in left_out:
        _home_care(club, start, today, rng, members, rows)
    for year in range(start.year, today.year):
        rated_on = datetime.date(year, 12, rng.randint(15, 28))
        if rated_on <= today and _is_active(club, rated_on):
            rating = (
                rng.choice((Rating.AVERAGE, Rating.GOOD))
                if partial
                else rng.choice((Rating.GOOD, Rating.STRONG))
            )
            rows["ratings"].append(
                ClubRating(
                    club=club,
                    year=year,
                    rating=rating,
                    rated_on=rated_on,
                    note="Xếp loại theo kết quả tổng kết năm.",
                    rated_by=officer,
                )
            )


def _meeting(club, day, rng, members, people, rows) -> None:
    present_now = [m for m in members if _in_club(m, day)]
    if not present_now:
        return
    attendance = []
    for member in present_now:
        draw = rng.random()
        status = (
            AttendanceStatus.PRESENT
            if draw < 0.8
            else AttendanceStatus.REPRESENTED
            if draw < 0.87
            else AttendanceStatus.ABSENT
        )
        attendance.append(Attendance(member=member, status=status))
    came = sum(1 for a in attendance if a.status != AttendanceStatus.ABSENT)
    meeting = Activity(
        club=club,
        held_on=day,
        area=ActivityArea.SELF_HELP,
        kind=ActivityType.MONTHLY_MEETING,
        title=f"Sinh hoạt định kỳ tháng {day:%m/%Y}",
        description="Điểm danh, thu nợ, trao đổi kinh nghiệm sản xuất, phổ biến thông tin.",
        participants_count=came,
    )
    rows["activities"].append((meeting, attendance))
    rows["attendance"].extend(attendance)
    checks = []
    for row in attendance:
        if row.status == AttendanceStatus.PRESENT and rng.random() < 0.7:
            systolic, diastolic, weight, pulse = _reading(rng, people[row.member.pk])
            checks.append(
                HealthCheck(
                    member=row.member,
                    club=club,
                    checked_on=day,
                    weight_kg=weight,
                    systolic=systolic,
                    diastolic=diastolic,
                    pulse=pulse,
                )
            )
    if checks:
        health = Activity(
            club=club,
            held_on=day,
            area=ActivityArea.HEALTH,
            kind=ActivityType.HEALTH_CHECK,
            title=f"Đo cân nặng, huyết áp tại buổi sinh hoạt {day:%d/%m/%Y}",
            participants_count=len(checks),
        )
        rows["activities"].append((health, checks))
        rows["checks"].extend(checks)


def _yearly_activities(club, year, start, today, rng, left_out, members, rows) -> None:
    first, last = max(start, datetime.date(year, 1, 1)), min(today, datetime.date(year, 12, 31))
    if last < first:
        return
    share = ((last - first).days + 1) / 365
    for area, kind, titles, per_year in YEARLY:
        if area in left_out:
            continue
        count = max(1, round(per_year * share)) if share > 0.15 else 0
        for _ in range(count):
            day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
            if not _is_active(club, day):
                continue
            active = sum(1 for m in members if _in_club(m, day))
            raised = (
                rng.randrange(2_000_000, 15_000_001, 500_000) if kind == ActivityType.FUND_RAISING else None
            )
            rows["activities"].append(
                (
                    Activity(
                        club=club,
                        held_on=day,
                        area=area,
                        kind=kind,
                        title=rng.choice(titles),
                        participants_count=max(1, round(active * rng.uniform(0.3, 0.9))),
                        volunteers_count=rng.randint(2, 6) if area == ActivityArea.HOME_CARE else 0,
                        money_raised=raised,
                    ),
                    [],
                )
            )


def _cover_the_last_twelve_months(club, today, rng, left_out, rows) -> None:
    """A club that carries out all its areas shows them in the last 12 months too (the club page's window)."""
    since = _first_of_month(today, 11)
    planned = {a.area for a, _links in rows["activities"] if a.club is club and a.held_on >= since}
    for area, kind, titles, _per_year in YEARLY:
        if area in left_out or area in planned:
            continue
        day = today - datetime.timedelta(days=rng.randint(5, 150))
        if _is_active(club, day):
            raised = 5_000_000 if kind == ActivityType.FUND_RAISING else None
            activity = Activity(
                club=club,
                held_on=day,
                area=area,
                kind=kind,
                title=titles[0],
                participants_count=20,
                money_raised=raised,
            )
            rows["activities"].append((activity, []))


def _home_care(club, start, today, rng, members, rows) -> None:
    volunteers = [m for m in members if m.is_volunteer and _in_club(m, today)]
    cared = sorted(
        (m for m in members if not m.is_volunteer and _in_club(m, today)), key=lambda m: (m.birth_year, m.pk)
    )[: rng.randint(3, 6)]
    if not volunteers:
        return
    for number, beneficiary in enumerate(cared):
        volunteer = volunteers[number % len(volunteers)]
        since = max(start, beneficiary.joined_on, volunteer.joined_on) + datetime.timedelta(
            days=rng.randint(0, 60)
        )
        if since >= today:
            continue
        rows["care"].append(
            CareAssignment(club=club, volunteer=volunteer, beneficiary=beneficiary, from_date=since)
        )
        # One beneficiary in three has not been visited lately: they show on the overdue list.
        stop = today - datetime.timedelta(days=rng.randint(22, 40)) if number % 3 == 1 else today
        day = since + datetime.timedelta(days=rng.randint(2, 10))
        while day <= stop:
            tasks = rng.sample(CareTask.values, rng.randint(1, 3))
            rows["visits"].append(
                CareVisit(
                    club=club, visited_on=day, volunteer=volunteer, beneficiary=beneficiary, tasks=tasks
                )
            )
            day += datetime.timedelta(days=rng.randint(5, 13))
