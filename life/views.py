"""Pages of club life: activity timeline, meeting day, health checks and referrals, home care, ratings.

Reading is open to everyone whose area covers the club; recording to commune staff of the club's
commune (and admins); ratings to province officers of the club's province (and admins).
"""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clubs.access import area_of, can_edit, get_for_user, require_edit, require_province_manager, scope
from clubs.forms import date_from_text, show_refusal
from clubs.models import ActivityArea, Club, active_q
from clubs.printing import pdf_response
from funds.forms import CollectionForm
from funds.models import Loan, Repayment
from funds.selectors import collection_sheet_loans
from funds.services import collection_sheet_save
from life.charts import blood_pressure_chart
from life.forms import (
    ActivityFilterForm,
    ActivityForm,
    CareAssignmentEndForm,
    CareAssignmentForm,
    CareVisitForm,
    ClubRatingForm,
    HealthCheckForm,
    MeetingDateForm,
    MeetingForm,
    MeetingRowFormSet,
)
from life.models import (
    Activity,
    ActivityType,
    AttendanceStatus,
    CareAssignment,
    CareVisit,
    ClubRating,
    HealthCheck,
    MeetingSync,
    Rating,
)
from life.selectors import (
    ALL_AREAS,
    area_coverage,
    club_rating_checklist,
    last_twelve_months,
    latest_ratings,
    meeting_preparation,
    meetings_held,
    months_in_period,
    needs_referral,
    referral_list,
    running_care_q,
    visits_overdue,
)
from life.services import (
    HEALTH_FIELDS,
    activity_create,
    activity_update,
    care_assignment_add,
    care_assignment_end,
    care_visit_add,
    club_rating_save,
    health_check_add,
    meeting_day_save,
    members_on,
)
from members.forms import clubs_editable_by
from members.models import Member

PAGE_SIZE = 50
# A phone prepares at most this many clubs' meetings in one tap (a commune has a handful).
PREPARE_CLUBS = 30


def _club_for_user(request: HttpRequest, club_id: int) -> Club:
    return get_for_user(Club.objects.select_related("province", "commune"), request.user, pk=club_id)


def _page(request: HttpRequest, queryset: Any, size: int = PAGE_SIZE) -> Any:
    return Paginator(queryset, size).get_page(request.GET.get("page"))


# ---------------------------------------------------------------------------
# Overview of the clubs in the user's area.
# ---------------------------------------------------------------------------


@login_required
def club_overview(request: HttpRequest) -> HttpResponse:
    """Every club of the user's area with its last 12 months: areas covered, meetings, latest rating."""
    today = timezone.localdate()
    start, end = last_twelve_months(today)
    clubs = scope(Club.objects.select_related("commune"), request.user).order_by("code")
    page = _page(request, clubs)
    page_clubs = Club.objects.filter(pk__in=[c.pk for c in page])
    coverage = area_coverage(page_clubs, start, end)
    meetings = meetings_held(page_clubs, start, end)
    ratings = latest_ratings(page_clubs, today)
    rows = [
        {
            "club": c,
            "areas": sorted(coverage.get(c.pk, ())),
            "all_areas": ALL_AREAS <= coverage.get(c.pk, set()),
            "meetings": meetings.get(c.pk, 0),
            "rating": ratings.get(c.pk),
            "rating_label": Rating(ratings[c.pk][1]).label if c.pk in ratings else "",
        }
        for c in page
    ]
    return render(
        request,
        "life/club_overview.html",
        {"page": page, "rows": rows, "start": start, "end": end, "months": months_in_period(start, end)},
    )


# ---------------------------------------------------------------------------
# Activities.
# ---------------------------------------------------------------------------


@login_required
def activity_list(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club_for_user(request, club_id)
    form = ActivityFilterForm(request.GET or None)
    start, end = form.period()
    activities = scope(Activity.objects.filter(club=club), request.user).filter(
        held_on__gte=start, held_on__lte=end
    )
    if form.is_bound and form.is_valid():
        if form.cleaned_data["area"]:
            activities = activities.filter(area=form.cleaned_data["area"])
        if form.cleaned_data["kind"]:
            activities = activities.filter(kind=form.cleaned_data["kind"])
    activities = activities.select_related("fund_entry__fund").annotate(
        present=Count("attendance", filter=~Q(attendance__status=AttendanceStatus.ABSENT))
    )
    one_club = Club.objects.filter(pk=club.pk)
    covered = area_coverage(one_club, start, end)[club.pk]
    return render(
        request,
        "life/activity_list.html",
        {
            "club": club,
            "form": form,
            "page": _page(request, activities.order_by("-held_on", "-id")),
            "start": start,
            "end": end,
            "areas": [(area, area in covered) for area in ActivityArea],
            "all_areas": ALL_AREAS <= covered,
            "meetings": meetings_held(one_club, start, end)[club.pk],
            "months": months_in_period(start, end),
            "can_edit": can_edit(request.user, club),
        },
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_for_user(
        Activity.objects.select_related("club", "fund_entry__fund", "recorded_by"), request.user, pk=pk
    )
    attendance = activity.attendance.select_related("member").order_by("member__search_key", "member_id")
    checks = activity.health_checks.select_related("member").order_by("member__search_key", "member_id")
    return render(
        request,
        "life/activity_detail.html",
        {
            "activity": activity,
            "club": activity.club,
            "participants": activity.participants.order_by("search_key", "pk"),
            "attendance": attendance,
            "attendance_counts": {
                row["status"]: row["n"]
                for row in activity.attendance.values("status").annotate(n=Count("id"))
            },
            "checks": checks,
            "can_edit": can_edit(request.user, activity.club),
        },
    )


@login_required
def activity_add(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club_for_user(request, club_id)
    require_edit(request.user, club)
    initial = {"held_on": timezone.localdate()}
    if request.GET.get("area", "").isdigit():
        initial["area"] = int(request.GET["area"])
    form = ActivityForm(request.POST or None, club=club, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_create(club=club, recorded_by=request.user, **form.service_kwargs())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã ghi hoạt động “%(title)s”.") % {"title": activity.title})
            return redirect("life:activity-list", club_id=club.pk)
    return render(request, "life/activity_form.html", {"club": club, "form": form})


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_for_user(Activity.objects.select_related("club", "fund_entry__fund"), request.user, pk=pk)
    require_edit(request.user, activity)
    club = activity.club
    form = ActivityForm(request.POST or None, club=club, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            activity_update(activity=activity, recorded_by=request.user, **form.service_kwargs())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("life:activity-detail", pk=activity.pk)
    return render(request, "life/activity_form.html", {"club": club, "form": form, "activity": activity})


# ---------------------------------------------------------------------------
# The monthly meeting day.
# ---------------------------------------------------------------------------


@login_required
def meeting_day(request: HttpRequest, club_id: int) -> HttpResponse:
    """One sheet for a meeting: every member's attendance, the readings taken that day and the
    repayments collected. The loans and what is due on each come from the funds' own collection
    sheet (`funds.selectors.collection_sheet_loans`), so both sheets agree on what is due."""
    club = _club_for_user(request, club_id)
    require_edit(request.user, club)
    date_form = MeetingDateForm(request.GET if "date" in request.GET else {"date": timezone.localdate()})
    if not date_form.is_valid():
        return render(request, "life/meeting_day.html", {"club": club, "date_form": date_form})
    day = date_form.cleaned_data["date"]
    members = list(members_on(club, day))
    by_id = {m.pk: m for m in members}
    meeting = Activity.objects.filter(club=club, held_on=day, kind=ActivityType.MONTHLY_MEETING).first()
    loans = collection_sheet_loans(club, day)

    if request.method == "POST":
        meeting_form = MeetingForm(request.POST)
        formset = MeetingRowFormSet(request.POST, prefix="m")
        formset.member_ids = list(by_id)
        repayments_form = CollectionForm(request.POST, loans=loans, prefix="r")
        if meeting_form.is_valid() and formset.is_valid() and repayments_form.is_valid():
            rows = [f.cleaned_data for f in formset.forms]
            try:
                saved = meeting_day_save(
                    club=club,
                    held_on=day,
                    attendance={row["member"]: row["status"] for row in rows},
                    health_checks={row["member"]: {f: row.get(f) for f in HEALTH_FIELDS} for row in rows},
                    repayments=repayments_form.lines(),
                    area=meeting_form.cleaned_data["area"],
                    title=meeting_form.cleaned_data["title"],
                    description=meeting_form.cleaned_data["description"],
                    recorded_by=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    meeting_form.add_error(None, message)
            else:
                paid = sum(1 for line in repayments_form.lines() if line.principal or line.interest)
                messages.success(
                    request,
                    _("Đã lưu buổi sinh hoạt ngày %(date)s: %(n)d người tham dự, %(paid)d lần trả nợ.")
                    % {"date": f"{day:%d/%m/%Y}", "n": saved.participants_count, "paid": paid},
                )
                return redirect("life:meeting-summary", club_id=club.pk, day=day)
    else:
        meeting_form = MeetingForm(
            initial={"area": meeting.area, "title": meeting.title, "description": meeting.description}
            if meeting
            else {}
        )
        status = dict(meeting.attendance.values_list("member_id", "status")) if meeting else {}
        readings = {
            c.member_id: c for c in HealthCheck.objects.filter(club=club, checked_on=day).order_by("id")
        }
        initial = []
        for m in members:
            row = {"member": m.pk, "status": status.get(m.pk)}
            if m.pk in readings:
                row |= {f: getattr(readings[m.pk], f) for f in HEALTH_FIELDS}
            initial.append(row)
        formset = MeetingRowFormSet(initial=initial, prefix="m")
        repayments_form = CollectionForm(loans=loans, prefix="r")
    rows = []
    for form in formset.forms:
        value = form["member"].value()
        member = by_id.get(int(value)) if str(value).isdigit() else None
        rows.append((member, form))
    error_count = (
        (
            len(meeting_form.non_field_errors())
            + len(formset.non_form_errors())
            + sum(1 for form in formset.forms if form.errors)
            + len(repayments_form.errors)
        )
        if request.method == "POST"
        else 0
    )
    return render(
        request,
        "life/meeting_day.html",
        {
            "club": club,
            "date_form": date_form,
            "day": day,
            "meeting": meeting,
            "meeting_form": meeting_form,
            "formset": formset,
            "rows": rows,
            "repayments_form": repayments_form,
            "statuses": AttendanceStatus.choices,
            "error_count": error_count,
        },
    )


@login_required
def meeting_start(request: HttpRequest) -> HttpResponse:
    """ "Ghi ngày sinh hoạt" from the menu: the clubs the user records for, each one tap from its sheet
    (straight to the sheet when there is only one), with this month's meeting recorded or not."""
    today = timezone.localdate()
    clubs = clubs_editable_by(request.user).filter(active_q(today))
    if not area_of(request.user).is_admin and len(clubs) == 1:
        return redirect("life:meeting-day", club_id=clubs[0].pk)
    page = _page(request, clubs)
    held = set(
        Activity.objects.filter(
            club__in=[c.pk for c in page],
            kind=ActivityType.MONTHLY_MEETING,
            held_on__gte=today.replace(day=1),
            held_on__lte=today,
        ).values_list("club_id", flat=True)
    )
    rows = [(club, club.pk in held) for club in page]
    return render(request, "life/meeting_start.html", {"page": page, "rows": rows, "today": today})


@login_required
def meeting_summary(request: HttpRequest, club_id: int, day: datetime.date) -> HttpResponse:
    """Everything recorded for a meeting day: attendance, readings (and who must see a doctor), the
    repayments collected. Shown after saving the sheet, so staff see what went in."""
    club = _club_for_user(request, club_id)
    meeting = (
        Activity.objects.filter(club=club, held_on=day, kind=ActivityType.MONTHLY_MEETING)
        .select_related("recorded_by")
        .first()
    )
    attendance = (
        list(meeting.attendance.select_related("member").order_by("member__search_key", "member_id"))
        if meeting
        else []
    )
    counts = {status: 0 for status in AttendanceStatus.values}
    for row in attendance:
        counts[row.status] += 1
    checks = list(
        HealthCheck.objects.filter(club=club, checked_on=day)
        .select_related("member")
        .order_by("member__search_key", "member_id")
    )
    for check in checks:
        check.needs_referral = needs_referral(check)
    repayments = list(
        Repayment.objects.filter(loan__fund__club=club, paid_on=day)
        .select_related("loan__member")
        .order_by("loan__member__search_key", "id")
    )
    return render(
        request,
        "life/meeting_summary.html",
        {
            "club": club,
            "day": day,
            "meeting": meeting,
            "counts": counts,
            "absent": [row.member for row in attendance if row.status == AttendanceStatus.ABSENT],
            "checks": checks,
            "referrals": [check for check in checks if check.needs_referral],
            "repayments": repayments,
            "repaid_principal": sum(r.principal for r in repayments),
            "repaid_interest": sum(r.interest for r in repayments),
            "can_edit": can_edit(request.user, club),
        },
    )


# ---------------------------------------------------------------------------
# The collection sheet of a meeting day: the repayments alone, for a treasurer with the loan book.
# ---------------------------------------------------------------------------


def _meeting_days(club: Club, limit: int = 6) -> list[datetime.date]:
    """The club's latest monthly meetings (recorded in its activity log), newest first."""
    return list(
        club.activities.filter(kind=ActivityType.MONTHLY_MEETING, held_on__lte=timezone.localdate())
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .distinct()[:limit]
    )


@login_required
def collection_start(request: HttpRequest, club_id: int) -> HttpResponse:
    """Open the sheet of the date asked for, else of the club's latest meeting, else of today."""
    club = _club_for_user(request, club_id)
    day = date_from_text(request.GET.get("date"))
    if day is None:
        meetings = _meeting_days(club, limit=1)
        day = meetings[0] if meetings else timezone.localdate()
    return redirect("life:collection-sheet", club_id=club.pk, day=day)


@login_required
def collection_sheet(request: HttpRequest, club_id: int, day: datetime.date) -> HttpResponse:
    club = _club_for_user(request, club_id)
    editable = can_edit(request.user, club)
    if request.method == "POST":
        require_edit(request.user, club)
    loans = collection_sheet_loans(club, day)
    sheet = CollectionForm(request.POST or None, loans=loans)
    line_errors: dict[int, list[str]] = {}
    if request.method == "POST" and sheet.is_valid():
        lines = sheet.lines()
        try:
            saved = collection_sheet_save(club=club, paid_on=day, lines=lines, recorded_by=request.user)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # the whole sheet refused, e.g. a day of an approved period
                for message in error.messages:
                    messages.error(request, message)
            else:
                for index, messages_ in error.message_dict.items():
                    line_errors[lines[index].loan.pk] = messages_
                messages.error(
                    request, _("Chưa lưu gì: có dòng bị từ chối, hãy sửa các dòng báo lỗi rồi lưu lại.")
                )
        else:
            messages.success(request, _("Đã lưu %(n)s lần trả nợ.") % {"n": len(saved)})
            return redirect("life:collection-sheet", club_id=club.pk, day=day)
    rows = [(loan, p, i, line_errors.get(loan.pk, [])) for loan, p, i in sheet.rows()]
    totals = {
        "outstanding": sum(loan.outstanding for loan in loans),
        "principal_due": sum(loan.principal_due_now for loan in loans),
        "interest_due": sum(loan.interest_due_now for loan in loans),
        "principal_paid": sum(loan.principal_paid_today for loan in loans),
        "interest_paid": sum(loan.interest_paid_today for loan in loans),
    }
    return render(
        request,
        "life/collection_sheet.html",
        {
            "club": club,
            "day": day,
            "rows": rows,
            "form": sheet,
            "totals": totals,
            "can_edit": editable,
            "meetings": _meeting_days(club),
        },
    )


# ---------------------------------------------------------------------------
# Health checks and referrals.
# ---------------------------------------------------------------------------


@login_required
def health_list(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club_for_user(request, club_id)
    checks = (
        scope(HealthCheck.objects.filter(club=club), request.user)
        .select_related("member")
        .order_by("-checked_on", "member__search_key", "-id")
    )
    page = _page(request, checks)
    for check in page:
        check.needs_referral = needs_referral(check)
    return render(
        request,
        "life/health_list.html",
        {"club": club, "page": page, "can_edit": can_edit(request.user, club)},
    )


@login_required
def health_check_new(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club_for_user(request, club_id)
    require_edit(request.user, club)
    initial: dict[str, Any] = {"checked_on": timezone.localdate()}
    if request.GET.get("member", "").isdigit():
        initial["member"] = int(request.GET["member"])
    form = HealthCheckForm(request.POST or None, club=club, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            check = health_check_add(recorded_by=request.user, **data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã ghi kết quả đo của %(name)s.") % {"name": check.member.full_name})
            if "another" in request.POST:
                return redirect("life:health-check-add", club_id=club.pk)
            return redirect("life:health-list", club_id=club.pk)
    return render(request, "life/health_check_form.html", {"club": club, "form": form})


@login_required
def member_health(request: HttpRequest, member_id: int) -> HttpResponse:
    """A member's readings over time: the chart and every check, newest first."""
    member = get_for_user(Member.objects.select_related("club"), request.user, pk=member_id)
    checks = scope(HealthCheck.objects.filter(member=member), request.user).order_by("-checked_on", "-id")
    page = _page(request, checks)
    for check in page:
        check.needs_referral = needs_referral(check)
    return render(
        request,
        "life/member_health.html",
        {
            "member": member,
            "club": member.club,
            "page": page,
            "chart": blood_pressure_chart(checks[:60]),
            "can_edit": can_edit(request.user, member),
        },
    )


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    """Members whose latest blood pressure is at or above 140/90, in the user's area."""
    today = timezone.localdate()
    clubs = scope(Club.objects.all(), request.user)
    club = None
    if request.GET.get("club", "").isdigit():
        club = get_for_user(Club.objects.all(), request.user, pk=int(request.GET["club"]))
        clubs = clubs.filter(pk=club.pk)
    page = _page(request, referral_list(clubs, today))
    return render(request, "life/referral_list.html", {"page": page, "club": club, "on": today})


# ---------------------------------------------------------------------------
# Home care.
# ---------------------------------------------------------------------------


@login_required
def care_board(request: HttpRequest, club_id: int) -> HttpResponse:
    """Who looks after whom, the recent visits and who is overdue a visit."""
    club = _club_for_user(request, club_id)
    today = timezone.localdate()
    one_club = Club.objects.filter(pk=club.pk)
    assignments = (
        scope(CareAssignment.objects.filter(club=club), request.user)
        .filter(running_care_q(today))
        .select_related("volunteer", "beneficiary")
        .order_by("beneficiary__search_key", "volunteer__search_key")
    )
    visits = (
        scope(CareVisit.objects.filter(club=club), request.user)
        .select_related("volunteer", "beneficiary")
        .order_by("-visited_on", "-id")
    )
    editable = can_edit(request.user, club)
    return render(
        request,
        "life/care_board.html",
        {
            "club": club,
            "assignments": assignments,
            "overdue": visits_overdue(one_club, today),
            "page": _page(request, visits),
            "can_edit": editable,
            "assignment_form": CareAssignmentForm(club=club, initial={"from_date": today})
            if editable
            else None,
            "visit_form": CareVisitForm(club=club, initial={"visited_on": today}) if editable else None,
            "end_form": CareAssignmentEndForm(initial={"to_date": today}) if editable else None,
            "weeks": _overdue_weeks(),
        },
    )


def _overdue_weeks() -> int:
    return settings.CARE_VISIT_OVERDUE_WEEKS


@login_required
def care_assignment_new(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club_for_user(request, club_id)
    require_edit(request.user, club)
    form = CareAssignmentForm(request.POST or None, club=club, initial={"from_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            care_assignment_add(club=club, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã phân công chăm sóc."))
            return redirect("life:care-board", club_id=club.pk)
    return render(
        request,
        "life/care_form.html",
        {"club": club, "form": form, "title": _("Phân công tình nguyện viên chăm sóc")},
    )


@login_required
@require_POST
def care_assignment_close(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_for_user(CareAssignment.objects.select_related("club"), request.user, pk=pk)
    require_edit(request.user, assignment)
    form = CareAssignmentEndForm(request.POST, lock_club=assignment.club)
    if form.is_valid():
        try:
            care_assignment_end(assignment=assignment, to_date=form.cleaned_data["to_date"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã kết thúc phân công."))
    else:
        messages.error(request, _("Hãy nhập ngày kết thúc."))
    return redirect("life:care-board", club_id=assignment.club_id)


@login_required
def care_visit_new(request: HttpRequest, club_id: int) -> HttpResponse:
    club = _club_for_user(request, club_id)
    require_edit(request.user, club)
    initial: dict[str, Any] = {"visited_on": timezone.localdate()}
    for name in ("volunteer", "beneficiary"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    form = CareVisitForm(request.POST or None, club=club, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            care_visit_add(club=club, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã ghi lần thăm."))
            return redirect("life:care-board", club_id=club.pk)
    return render(
        request, "life/care_form.html", {"club": club, "form": form, "title": _("Ghi lần thăm tại nhà")}
    )


@login_required
def overdue_visits(request: HttpRequest) -> HttpResponse:
    """Beneficiaries of the user's area not visited in N weeks."""
    today = timezone.localdate()
    page = _page(request, visits_overdue(scope(Club.objects.all(), request.user), today))
    return render(request, "life/overdue_visits.html", {"page": page, "on": today, "weeks": _overdue_weeks()})


# ---------------------------------------------------------------------------
# Ratings.
# ---------------------------------------------------------------------------


def _default_rating_year(today: datetime.date) -> int:
    """Ratings are decided at the year-end review: in the last quarter the running year, else the last."""
    return today.year if today.month >= 10 else today.year - 1


@login_required
def club_ratings(request: HttpRequest, club_id: int) -> HttpResponse:
    """The club's ratings by year; beside the form, the checklist computed from the data."""
    club = _club_for_user(request, club_id)
    may_rate = area_of(request.user).can_manage_province(club.province_id)
    if request.method == "POST":
        require_province_manager(request.user, club.province_id)
    today = timezone.localdate()
    form = ClubRatingForm(request.POST or None, club=club)
    years = [year for year, _label in form.fields["year"].choices]
    year = _default_rating_year(today)
    asked = request.POST.get("year") or request.GET.get("year") or ""
    if asked.isdigit() and int(asked) in years:
        year = int(asked)
    elif year not in years:
        year = years[0]
    existing = ClubRating.objects.filter(club=club, year=year).first()
    if request.method == "POST" and form.is_valid():
        try:
            club_rating_save(club=club, rated_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, _("Đã lưu xếp loại năm %(year)d.") % {"year": form.cleaned_data["year"]}
            )
            return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    elif request.method != "POST":
        form = ClubRatingForm(
            club=club,
            initial={
                "year": year,
                "rating": existing.rating if existing else None,
                "rated_on": existing.rated_on if existing else today,
                "note": existing.note if existing else "",
            },
        )
    ratings = (
        scope(ClubRating.objects.filter(club=club), request.user).select_related("rated_by").order_by("-year")
    )
    return render(
        request,
        "life/ratings.html",
        {
            "club": club,
            "form": form if may_rate else None,
            "year": year,
            "years": years,
            "existing": existing,
            "checklist": club_rating_checklist(club, year, today),
            "ratings": ratings,
        },
    )


@login_required
def meeting_sheet_pdf(request: HttpRequest, club_id: int) -> HttpResponse:
    """The blank papers for next month's meeting (A4): the attendance and health sheet with every
    member, and the collection sheet with what each borrower will owe by the end of that month."""
    club = _club_for_user(request, club_id)
    today = timezone.localdate()
    month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    if request.GET.get("month") == "this":
        month = today.replace(day=1)
    due_by = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    loans = [loan for loan in collection_sheet_loans(club, due_by) if loan.outstanding > 0]
    return pdf_response(
        "papers/meeting_sheet.html",
        {
            "club": club,
            "issuer_upper": _("Hội Người cao tuổi %(commune)s") % {"commune": club.commune.name},
            "month": month,
            "due_by": due_by,
            "members": list(members_on(club, today)),
            "loans": loans,
            "totals": {
                "outstanding": sum(loan.outstanding for loan in loans),
                "principal": sum(loan.principal_due_now for loan in loans),
                "interest": sum(loan.interest_due_now for loan in loans),
            },
        },
        filename=f"so-sinh-hoat-{club.code}-{month:%Y-%m}",
        request=request,
    )


# ---------------------------------------------------------------------------
# The meeting day without signal (README "Without signal"): the phone fetches what the coming meetings
# need, records meetings in its own storage, and sends each one here when the signal is back.
# Both answer JSON, also when the session has ended, so the page can ask to log in again and keep
# what it stored.
# ---------------------------------------------------------------------------


def _login_again() -> JsonResponse:
    return JsonResponse(
        {
            "status": "login",
            "message": _(
                "Phiên đăng nhập đã hết. Hãy đăng nhập lại rồi đồng bộ; các buổi đã ghi vẫn còn trên máy."
            ),
        },
        status=401,
    )


@require_GET
def meeting_prepare(request: HttpRequest) -> HttpResponse:
    """The user's clubs' coming meeting, for the phone to keep: members, repayments due, last readings."""
    if not request.user.is_authenticated:
        return _login_again()
    today = timezone.localdate()
    clubs = list(clubs_editable_by(request.user).filter(active_q(today))[:PREPARE_CLUBS])
    response = JsonResponse(
        {
            "fetched_at": timezone.localtime().isoformat(),
            "day": today.isoformat(),
            "clubs": meeting_preparation(clubs, today),
            "pages": [
                url
                for club in clubs
                for url in (
                    reverse("life:meeting-day", args=[club.pk]),
                    reverse("life:collection-sheet", args=[club.pk, today]),
                )
            ],
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def _sync_refused(errors: list[dict[str, str]]) -> JsonResponse:
    return JsonResponse({"status": "refused", "errors": errors}, status=422)


def _form_lines(data: QueryDict, club: Club, day: datetime.date) -> tuple[Any, list[dict[str, str]]]:
    """The meeting sheet as the phone filled it, checked by the online form's own forms. Gives the
    arguments for `meeting_day_save`, or the refused lines (each naming its member or borrower)."""
    members = {m.pk: m for m in members_on(club, day)}
    loans = collection_sheet_loans(club, day)
    meeting_form = MeetingForm(data)
    formset = MeetingRowFormSet(data, prefix="m")
    repayments_form = CollectionForm(data, loans=loans, prefix="r")
    errors: list[dict[str, str]] = []
    ok = [meeting_form.is_valid(), formset.is_valid(), repayments_form.is_valid()]
    for field, messages_ in meeting_form.errors.items():
        label = meeting_form.fields[field].label if field in meeting_form.fields else _("Buổi sinh hoạt")
        errors += [{"line": str(label), "message": m} for m in messages_]
    errors += [{"line": _("Buổi sinh hoạt"), "message": m} for m in formset.non_form_errors()]
    for form in formset.forms:
        value = form["member"].value()
        member = members.get(int(value)) if str(value).isdigit() else None
        name = member.full_name if member else _("Thành viên")
        for field, messages_ in form.errors.items():
            prefix = "" if field == "__all__" else f"{form.fields[field].label}: "
            errors += [{"line": name, "message": prefix + m} for m in messages_]
    by_field = {f"p{loan.pk}": loan for loan in loans} | {f"i{loan.pk}": loan for loan in loans}
    for field, messages_ in repayments_form.errors.items():
        loan = by_field.get(field)
        line = _("Trả nợ: %(name)s") % {"name": loan.member.full_name} if loan else _("Trả nợ")
        errors += [
            {"line": line, "message": f"{repayments_form.fields[field].label}: {m}"} for m in messages_
        ]
    # A repayment typed for a loan that is no longer on the day's sheet (closed meanwhile) is refused,
    # not dropped: the money collected must be seen.
    listed = {loan.pk for loan in loans}
    gone = set()
    for key, value in data.items():
        if (
            key[:3] in ("r-p", "r-i")
            and key[3:].isdigit()
            and int(key[3:]) not in listed
            and value.strip("0. ")
        ):
            gone.add(int(key[3:]))
    for loan in Loan.objects.filter(pk__in=gone, fund__club=club).select_related("member"):
        errors.append(
            {
                "line": _("Trả nợ: %(name)s") % {"name": loan.member.full_name},
                "message": _(
                    "Khoản vay này đã trả hết hoặc đã đóng trong lúc chờ đồng bộ; hãy xoá số tiền này."
                ),
            }
        )
    # A member no longer in the club on that day (left meanwhile) is named, not just counted.
    if all(ok):
        rows = [f.cleaned_data for f in formset.forms]
        left = [row["member"] for row in rows if row["member"] not in members]
        for member in Member.objects.filter(pk__in=left, memberships__club=club).distinct():
            errors.append(
                {
                    "line": member.full_name,
                    "message": _("Không còn là thành viên của CLB vào ngày sinh hoạt."),
                }
            )
        if len(left) and not errors:
            errors.append(
                {"line": _("Buổi sinh hoạt"), "message": _("Có người không phải thành viên của CLB.")}
            )
    if errors or not all(ok):
        return None, errors or [{"line": _("Buổi sinh hoạt"), "message": _("Dữ liệu không hợp lệ.")}]
    return {
        "attendance": {row["member"]: row["status"] for row in rows},
        "health_checks": {row["member"]: {f: row.get(f) for f in HEALTH_FIELDS} for row in rows},
        "repayments": repayments_form.lines(),
        "area": meeting_form.cleaned_data["area"],
        "title": meeting_form.cleaned_data["title"],
        "description": meeting_form.cleaned_data["description"],
    }, []


@require_POST
def meeting_sync(request: HttpRequest) -> HttpResponse:
    """One meeting recorded offline: {"id": uuid made by the phone, "club": id, "date": "yyyy-mm-dd",
    "fields": the meeting sheet's fields as the form posts them}. Saved through the online form's
    forms and `meeting_day_save`, all or nothing; a replay of the same id answers the stored result."""
    if not request.user.is_authenticated:
        return _login_again()
    try:
        payload = json.loads(request.body)
        client_id = uuid.UUID(str(payload["id"]))
        club_id = int(payload["club"])
        day = datetime.date.fromisoformat(str(payload["date"]))
        fields = payload["fields"]
        if not isinstance(fields, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError, AttributeError):
        return JsonResponse(
            {"status": "invalid", "message": _("Dữ liệu gửi lên không đọc được.")}, status=400
        )
    done = MeetingSync.objects.filter(user=request.user, client_id=client_id).first()
    if done:
        return JsonResponse(done.result | {"replayed": True})
    try:
        club = _club_for_user(request, club_id)
        require_edit(request.user, club)
    except (Http404, PermissionDenied):
        return JsonResponse(
            {"status": "forbidden", "message": _("Bạn không có quyền ghi sổ cho CLB này.")}, status=403
        )
    if day > timezone.localdate():
        return _sync_refused([{"line": _("Ngày sinh hoạt"), "message": _("Ngày không được sau hôm nay.")}])
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        data.setlist(str(key), [str(v) for v in value] if isinstance(value, list) else [str(value)])
    arguments, errors = _form_lines(data, club, day)
    if errors:
        return _sync_refused(errors)
    try:
        with transaction.atomic():
            # Written first: a second copy of this sync arriving at the same time waits on the unique
            # key and then finds this one's result, so nothing is recorded twice.
            sync = MeetingSync.objects.create(user=request.user, client_id=client_id, club=club, held_on=day)
            saved = meeting_day_save(club=club, held_on=day, recorded_by=request.user, **arguments)
            paid = sum(1 for line in arguments["repayments"] if line.principal or line.interest)
            sync.activity = saved
            sync.result = {
                "status": "saved",
                "id": str(client_id),
                "participants": saved.participants_count,
                "repayments": paid,
                "summary_url": reverse("life:meeting-summary", args=[club.pk, day]),
                "message": _("Đã lưu buổi sinh hoạt ngày %(date)s: %(n)d người tham dự, %(paid)d lần trả nợ.")
                % {"date": f"{day:%d/%m/%Y}", "n": saved.participants_count, "paid": paid},
            }
            sync.save(update_fields=["activity", "result"])
    except IntegrityError:
        done = MeetingSync.objects.filter(user=request.user, client_id=client_id).first()
        if done is None:
            raise
        return JsonResponse(done.result | {"replayed": True})
    except ValidationError as error:
        return _sync_refused([{"line": _("Buổi sinh hoạt"), "message": m} for m in error.messages])
    return JsonResponse(sync.result | {"replayed": False})
