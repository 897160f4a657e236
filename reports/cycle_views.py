"""The reporting cycle's pages: a commune's reports, the province's board, the national board, one
submitted report beside the live figures, and the transitions (POST only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clubs.access import area_of
from places.models import Commune, Province
from reports import cycle
from reports.models import CycleLevel, CycleReport
from reports.periods import NamedPeriod, PeriodNameError, due_period, parse_period


def _period(request: HttpRequest) -> NamedPeriod:
    text = request.GET.get("period") or request.POST.get("period") or ""
    if text:
        try:
            return parse_period(text)
        except PeriodNameError as error:
            messages.error(request, str(error))
    return due_period("half", timezone.localdate())


def _communes(user):
    area = area_of(user)
    if area.reads_everything:
        return Commune.objects.all()
    return Commune.objects.filter(Q(pk__in=area.commune_ids) | Q(province_id__in=area.province_ids))


def _provinces(user):
    area = area_of(user)
    return Province.objects.all() if area.reads_everything else Province.objects.filter(pk__in=area.province_ids)


def _rows(user):
    """Reports the user may open: their communes' and provinces' (everything for admins and national)."""
    area = area_of(user)
    rows = CycleReport.objects.select_related("province", "commune", "submitted_by", "reviewed_by")
    if area.reads_everything:
        return rows
    return rows.filter(
        Q(commune_id__in=area.commune_ids) | Q(province_id__in=area.province_ids)
    )


def _done(request: HttpRequest, action, success: str):
    try:
        row = action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    messages.success(request, success)
    return row


@login_required
def commune_cycle(request: HttpRequest, code: int) -> HttpResponse:
    commune = get_object_or_404(_communes(request.user).select_related("province"), code=code)
    period = _period(request)
    row = CycleReport.objects.filter(level=CycleLevel.COMMUNE, commune=commune, period=period.label).first()
    today = timezone.localdate()
    return render(
        request,
        "reports/cycle_commune.html",
        {
            "commune": commune,
            "period": period,
            "row": row,
            "deadline": period.deadline(),
            "opens_on": period.opens_on(),
            "may_submit": area_of(request.user).can_edit_commune(commune.pk)
            and today >= period.opens_on()
            and (row is None or row.status == "returned"),
        },
    )


@login_required
@require_POST
def commune_cycle_submit(request: HttpRequest, code: int) -> HttpResponse:
    commune = get_object_or_404(_communes(request.user).select_related("province"), code=code)
    period = _period(request)
    _done(
        request,
        lambda: cycle.commune_submit(commune=commune, period=period, user=request.user),
        _("Đã nộp báo cáo %(period)s.") % {"period": period.title},
    )
    return redirect(f"{request.path.rsplit('submit/', 1)[0]}?period={period.label}")


@login_required
def province_cycle(request: HttpRequest, code: int) -> HttpResponse:
    province = get_object_or_404(_provinces(request.user), code=code)
    period = _period(request)
    today = timezone.localdate()
    own = CycleReport.objects.filter(level=CycleLevel.PROVINCE, province=province, period=period.label).first()
    area = area_of(request.user)
    return render(
        request,
        "reports/cycle_board.html",
        {
            "province": province,
            "period": period,
            "rows": cycle.commune_board(province, period, today),
            "own": own,
            "deadline": period.deadline(),
            "may_submit": area.can_manage_province(province.pk)
            and today >= period.opens_on()
            and (own is None or own.status == "returned"),
        },
    )


@login_required
@require_POST
def province_cycle_submit(request: HttpRequest, code: int) -> HttpResponse:
    province = get_object_or_404(_provinces(request.user), code=code)
    period = _period(request)
    _done(
        request,
        lambda: cycle.province_submit(province=province, period=period, user=request.user),
        _("Đã gửi báo cáo tổng hợp %(period)s lên Trung ương Hội.") % {"period": period.title},
    )
    return redirect(f"{request.path.rsplit('submit/', 1)[0]}?period={period.label}")


@login_required
def national_cycle(request: HttpRequest) -> HttpResponse:
    if not area_of(request.user).reads_everything:
        raise Http404
    period = _period(request)
    return render(
        request,
        "reports/cycle_board.html",
        {
            "province": None,
            "period": period,
            "rows": cycle.province_board(period, timezone.localdate()),
            "deadline": period.deadline("province"),
        },
    )


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(_rows(request.user), pk=pk)
    period = parse_period(row.period)
    if row.level == CycleLevel.COMMUNE:
        live = cycle.commune_report(row.commune, period)
    else:
        live, _missing = cycle.province_report(row.province, period)
    return render(
        request,
        "reports/cycle_detail.html",
        {
            "row": row,
            "period": period,
            "differences": cycle.differences(row, live),
            "may_review": cycle.may_review(request.user, row),
        },
    )


@login_required
def cycle_pdf(request: HttpRequest, pk: int) -> FileResponse:
    row = get_object_or_404(_rows(request.user), pk=pk)
    return FileResponse(row.pdf.open("rb"), content_type="application/pdf", filename=f"bao-cao-{row.period}.pdf")


def _review(request: HttpRequest, pk: int, action, success: str) -> HttpResponse:
    row = get_object_or_404(_rows(request.user), pk=pk)
    if not cycle.may_review(request.user, row):
        raise PermissionDenied(_("Bạn không có quyền duyệt báo cáo này."))
    _done(request, lambda: action(row), success)
    return redirect("reports:cycle-detail", pk=row.pk)


@login_required
@require_POST
def cycle_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, lambda row: cycle.cycle_approve(row=row, user=request.user), _("Đã duyệt báo cáo."))


@login_required
@require_POST
def cycle_return(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _review(
        request, pk, lambda row: cycle.cycle_return(row=row, user=request.user, reason=reason), _("Đã trả lại báo cáo.")
    )


@login_required
@require_POST
def cycle_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _review(
        request, pk, lambda row: cycle.cycle_reopen(row=row, user=request.user, reason=reason), _("Đã mở lại kỳ báo cáo.")
    )
