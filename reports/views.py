"""The home page (each role's dashboard), plans and targets, progress reports in four formats,
submitted reports."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clubs.access import area_of, require_province_manager, scope
from clubs.models import Club
from places.models import Commune, Province
from reports.dashboard import dashboard_context
from reports.exports import (
    ANNEX_CLUBS_MAX,
    BREAKDOWN_CODES,
    CLUB_CODES,
    SECTION_INDICATORS,
    lists_clubs,
    report_json,
    report_pdf,
    report_xlsx,
)
from reports.forms import PlanForm, ReportParamsForm, SubmitForm, TargetForm
from reports.indicators import indicators_by_club
from reports.models import Plan, SubmittedReport, Target
from reports.progress import ProgressReport, build_report, default_plan
from reports.scope import Period, Scope
from reports.services import compare_with_submitted, report_submit
from reports.todo import todo_for

CLUB_PAGE_SIZE = 50
FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's dashboard: what the user's area holds and how its targets stand. Commune staff
    first see what is waiting for them ("Việc cần làm")."""
    area = area_of(request.user)
    todo = todo_for(request.user, timezone.localdate()) if area.is_commune_staff and not area.is_admin else None
    return render(
        request,
        "reports/dashboard.html",
        {
            "assignments": request.user.assignments.select_related("province", "commune"),
            "todo": todo,
            **dashboard_context(request.user),
        },
    )


# ---------------------------------------------------------------------------
# Who may see what.
# ---------------------------------------------------------------------------


def report_provinces(user) -> QuerySet[Province]:
    """Provinces whose reports the user may read: all for admins, their own for province officers.

    Commune staff see their province in lists but not its report, which shows every commune's figures.
    """
    area = area_of(user)
    if area.reads_everything:
        return Province.objects.all()
    return Province.objects.filter(pk__in=area.province_ids)


def visible_plans(user) -> QuerySet[Plan]:
    """National plans for everyone with an area; a province's plans for those working in it."""
    if area_of(user).is_empty:
        return Plan.objects.none()
    return Plan.objects.filter(Q(province__isnull=True) | Q(pk__in=scope(Plan.objects.all(), user)))


# Plans and submitted reports are fetched from these scoped querysets rather than with get_for_user():
# national plans have no province, and scope() alone would hide them from province officers.


def _province_or_404(request: HttpRequest, code: int) -> Province:
    return get_object_or_404(report_provinces(request.user), code=code)


def report_communes(user) -> QuerySet[Commune]:
    """Communes whose report the user may read: their own for commune staff, every commune of their
    province for province officers, all for admins."""
    area = area_of(user)
    if area.reads_everything:
        return Commune.objects.all()
    return Commune.objects.filter(Q(pk__in=area.commune_ids) | Q(province_id__in=area.province_ids))


def _commune_or_404(request: HttpRequest, code: int) -> Commune:
    return get_object_or_404(report_communes(request.user).select_related("province"), code=code)


def _national_or_404(request: HttpRequest) -> None:
    if not area_of(request.user).reads_everything:
        raise Http404


# ---------------------------------------------------------------------------
# Progress reports.
# ---------------------------------------------------------------------------


def _report_from_request(request: HttpRequest, report_scope: Scope, *, fmt: str = "html"):
    plans = visible_plans(request.user).filter(province=report_scope.province)
    form = ReportParamsForm(request.GET or None, plans=plans)
    on, period, plan, signer = datetime.date.today(), None, None, ""
    if form.is_valid():
        data = form.cleaned_data
        on = data["as_of"] or on
        if data["period"] is not None:
            on, period = data["period"].end, Period.of(data["period"])
        elif data["date_from"] or data["date_to"]:
            period = Period(data["date_from"] or on.replace(month=1, day=1), data["date_to"] or on)
        plan = data["plan"]
        signer = data["signer"]
    if report_scope.kind == "commune":
        plan = None  # a province's targets are not a commune's: its report gives figures only
    else:
        plan = plan or default_plan(report_scope, on)
    if plan is not None and plan.province_id != (report_scope.province.pk if report_scope.province else None):
        plan = None
    # JSON has no tables: it needs neither the breakdowns nor the series.
    report = build_report(
        report_scope,
        on,
        period,
        plan,
        with_breakdowns=fmt != "json",
        with_clubs=lists_clubs(fmt, report_scope, on),
    )
    report.signer_name = signer
    return form, report


def _file_response(report: ProgressReport, fmt: str) -> HttpResponse:
    place = report.scope.province.codename if report.scope.province else "toan-quoc"
    if report.scope.commune is not None:
        place = report.scope.commune.codename
    when = report.period.named.label if report.period.named else f"{report.on:%Y-%m-%d}"
    name = f"bao-cao-{place}-{when}.{fmt}"
    if fmt == "pdf":
        content: bytes | str = report_pdf(report)
    elif fmt == "xlsx":
        content = report_xlsx(report)
    else:
        content = report_json(report)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    disposition = "inline" if fmt in ("pdf", "json") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


def _report_page(request: HttpRequest, report_scope: Scope, fmt: str) -> HttpResponse:
    if fmt not in ("html", *FORMATS):
        raise Http404
    form, report = _report_from_request(request, report_scope, fmt=fmt)
    if fmt != "html":
        return _file_response(report, fmt)
    province_id = report_scope.province.pk if report_scope.province else None
    submitted = scope(SubmittedReport.objects.filter(province_id=province_id), request.user)
    if report_scope.kind == "commune":
        submitted = SubmittedReport.objects.none()  # a commune submits through the reporting cycle
    elif province_id is None:
        submitted = SubmittedReport.objects.filter(province__isnull=True)
    comparison, compared = None, None
    if request.GET.get("compare"):
        compared = (
            submitted.filter(pk=request.GET["compare"]).first() if request.GET["compare"].isdigit() else None
        )
        if compared is not None:
            comparison = compare_with_submitted(report, compared)
    return render(
        request,
        "reports/progress.html",
        {
            "form": form,
            "report": report,
            "breakdown_codes": BREAKDOWN_CODES,
            "section_indicators": SECTION_INDICATORS,
            "annex_clubs_max": ANNEX_CLUBS_MAX,
            "query": request.GET.urlencode(),
            "can_submit": report_scope.kind != "commune" and area_of(request.user).can_manage_province(province_id),
            # A commune's page lists none: an empty list, not an empty queryset the template compiles to SQL.
            "submitted": [] if report_scope.kind == "commune" else submitted.select_related("submitted_by")[:10],
            "comparison": comparison,
            "compared": compared,
            "submit_form": SubmitForm(),
        },
    )


@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    provinces = report_provinces(request.user)
    if not area_of(request.user).is_admin and provinces.count() == 1:
        return redirect("reports:province", code=provinces.get().code)
    return render(request, "reports/index.html", {"provinces": provinces})


@login_required
def province_report(request: HttpRequest, code: int, fmt: str = "html") -> HttpResponse:
    province = _province_or_404(request, code)
    return _report_page(request, Scope(province=province), fmt)


@login_required
def commune_report(request: HttpRequest, code: int, fmt: str = "html") -> HttpResponse:
    """A commune association's report: the catalogue over its clubs, one section per club."""
    commune = _commune_or_404(request, code)
    return _report_page(request, Scope(province=commune.province, commune=commune), fmt)


@login_required
def national_report(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    _national_or_404(request)
    return _report_page(request, Scope(), fmt)


@login_required
def province_clubs(request: HttpRequest, code: int) -> HttpResponse:
    """The club breakdown, a page at a time (the full table is in the xlsx)."""
    province = _province_or_404(request, code)
    form = ReportParamsForm(request.GET or None, plans=Plan.objects.none())
    on = (form.cleaned_data.get("as_of") if form.is_valid() else None) or datetime.date.today()
    clubs = Club.objects.filter(province=province).select_related("commune").order_by("commune__name", "code")
    page = Paginator(clubs, CLUB_PAGE_SIZE).get_page(request.GET.get("page"))
    by_club = indicators_by_club(Scope(province=province, club_ids=frozenset(c.pk for c in page)), on)
    rows = [(club, by_club.get(club.pk)) for club in page]
    return render(
        request,
        "reports/province_clubs.html",
        {"province": province, "page": page, "rows": rows, "codes": CLUB_CODES, "on": on, "form": form},
    )


@login_required
@require_POST
def report_submit_view(request: HttpRequest, code: int | None = None) -> HttpResponse:
    if code is None:
        _national_or_404(request)
        report_scope, province_id = Scope(), None
    else:
        province = _province_or_404(request, code)
        report_scope, province_id = Scope(province=province), province.pk
    require_province_manager(request.user, province_id)
    form, report = _report_from_request(request, report_scope, fmt="pdf")  # what is frozen is the PDF
    submit_form = SubmitForm(request.POST)
    note = submit_form.cleaned_data["note"] if submit_form.is_valid() else ""
    submitted = report_submit(report=report, user=request.user, note=note)
    messages.success(
        request, _("Đã gửi báo cáo số liệu đến ngày %(date)s.") % {"date": f"{report.on:%d/%m/%Y}"}
    )
    return redirect("reports:submitted-detail", pk=submitted.pk)


def _visible_submitted(user) -> QuerySet[SubmittedReport]:
    reports = SubmittedReport.objects.filter(province__in=report_provinces(user))
    if area_of(user).reads_everything:
        reports = SubmittedReport.objects.all()
    return reports.select_related("province", "plan", "submitted_by")


@login_required
def submitted_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(_visible_submitted(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "reports/submitted_list.html", {"page": page})


@login_required
def submitted_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submitted = get_object_or_404(_visible_submitted(request.user), pk=pk)
    return render(request, "reports/submitted_detail.html", {"submitted": submitted})


@login_required
def submitted_pdf(request: HttpRequest, pk: int) -> FileResponse:
    submitted = get_object_or_404(_visible_submitted(request.user), pk=pk)
    return FileResponse(
        submitted.pdf.open("rb"),
        content_type="application/pdf",
        filename=submitted.pdf.name.rsplit("/", 1)[-1],
    )


# ---------------------------------------------------------------------------
# Plans and targets.
# ---------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = visible_plans(request.user).select_related("province").order_by("province__code", "-end")
    area = area_of(request.user)
    return render(
        request,
        "reports/plan_list.html",
        {"plans": plans, "can_create": area.is_admin or area.is_province_officer},
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_plans(request.user).select_related("province"), pk=pk)
    return render(
        request,
        "reports/plan_detail.html",
        {
            "plan": plan,
            "targets": plan.targets.order_by("year", "id"),
            "can_manage": area_of(request.user).can_manage_province(plan.province_id),
        },
    )


def _plan_form(request: HttpRequest, instance: Plan | None) -> PlanForm:
    area = area_of(request.user)
    return PlanForm(
        request.POST or None,
        instance=instance,
        provinces=report_provinces(request.user),
        allow_national=area.is_admin,
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    area = area_of(request.user)
    if not (area.is_admin or area.is_province_officer):
        require_province_manager(request.user, None)
    form = _plan_form(request, None)
    if request.method == "POST" and form.is_valid():
        province = form.cleaned_data["province"]
        require_province_manager(request.user, province.pk if province else None)
        plan = form.save()
        messages.success(request, _("Đã tạo đề án."))
        return redirect("reports:plan-detail", pk=plan.pk)
    return render(request, "reports/plan_form.html", {"form": form, "plan": None})


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_plans(request.user), pk=pk)
    require_province_manager(request.user, plan.province_id)
    form = _plan_form(request, plan)
    if request.method == "POST" and form.is_valid():
        province = form.cleaned_data["province"]
        require_province_manager(request.user, province.pk if province else None)
        form.save()
        messages.success(request, _("Đã lưu đề án."))
        return redirect("reports:plan-detail", pk=plan.pk)
    return render(request, "reports/plan_form.html", {"form": form, "plan": plan})


@login_required
def target_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_plans(request.user), pk=plan_pk)
    require_province_manager(request.user, plan.province_id)
    form = TargetForm(request.POST or None, instance=Target(plan=plan))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã thêm chỉ tiêu."))
        return redirect("reports:plan-detail", pk=plan.pk)
    return render(request, "reports/target_form.html", {"form": form, "plan": plan, "target": None})


def _target_for_manager(request: HttpRequest, pk: int) -> Target:
    target = get_object_or_404(
        Target.objects.filter(plan__in=visible_plans(request.user)).select_related("plan"), pk=pk
    )
    require_province_manager(request.user, target.plan.province_id)
    return target


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target_for_manager(request, pk)
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu chỉ tiêu."))
        return redirect("reports:plan-detail", pk=target.plan_id)
    return render(request, "reports/target_form.html", {"form": form, "plan": target.plan, "target": target})


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target_for_manager(request, pk)
    plan_id = target.plan_id
    target.delete()
    messages.success(request, _("Đã xóa chỉ tiêu."))
    return redirect("reports:plan-detail", pk=plan_id)
