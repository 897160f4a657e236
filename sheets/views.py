"""Pages: the spreadsheet hub, upload → preview → confirm → commit, templates, exports (scoped).

Admins import every kind, anywhere. Commune staff and province officers import member lists into
the clubs of their area (sheets.forms.KINDS_FOR_THE_AREA), and see only the jobs they started.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clubs.access import area_of, get_for_user
from clubs.models import Club
from sheets import workbooks
from sheets.exports import EXPORT_KINDS, EXPORTERS
from sheets.forms import KINDS_FOR_THE_AREA, UploadForm
from sheets.jobs import job_confirm, job_dispatch, job_report, job_run_if_stalled
from sheets.limits import files_kept_days, upload_refusal
from sheets.models import ImportJob, ImportKind, JobStatus

ERRORS_SHOWN = 500


def _require_importer(request: HttpRequest) -> None:
    area = area_of(request.user)
    if area.is_empty:
        raise PermissionDenied(_("Bạn chưa được phân công địa bàn nào."))
    if area.national_only:
        raise PermissionDenied(_("Cán bộ Trung ương Hội chỉ xem số liệu, không nhập dữ liệu."))


def _jobs_for_user(request: HttpRequest):
    jobs = ImportJob.objects.select_related("club", "created_by")
    if area_of(request.user).is_admin:
        return jobs
    return jobs.filter(created_by=request.user, kind__in=KINDS_FOR_THE_AREA)


def _job_for_user(request: HttpRequest, pk) -> ImportJob:
    """Admins see every job; everyone else only the jobs they started (404 for the others)."""
    _require_importer(request)
    return get_object_or_404(_jobs_for_user(request), pk=pk)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def index(request: HttpRequest) -> HttpResponse:
    area = area_of(request.user)
    jobs = [] if area.is_empty else _jobs_for_user(request)[:10]
    kinds = ImportKind.choices if area.is_admin else [(k.value, k.label) for k in KINDS_FOR_THE_AREA]
    return render(
        request,
        "sheets/index.html",
        {"kinds": [] if area.is_empty else kinds, "export_kinds": _export_choices(), "jobs": jobs},
    )


def _export_choices() -> list[tuple[str, str]]:
    labels = {
        "clubs": _("Danh sách CLB"),
        "members": _("Danh sách thành viên"),
        "loans": _("Dư nợ cho vay"),
        "ledger": _("Sổ quỹ"),
    }
    return [(kind, labels[kind]) for kind in EXPORT_KINDS]


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": request.GET.get("kind")},
        user=request.user,
    )
    refusal = upload_refusal(request.user) if request.method == "POST" else None
    if refusal:
        form.is_valid()
        form.add_error(None, refusal)
        return render(request, "sheets/upload.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        job = ImportJob(
            kind=form.cleaned_data["kind"],
            file_name=upload_file.name[:255],
            club=form.cleaned_data["club"],
            created_by=request.user,
        )
        job.file.save(_safe_name(upload_file.name), upload_file, save=False)
        job.save()
        job_dispatch(job)
        return redirect("sheets:job", pk=job.pk)
    return render(request, "sheets/upload.html", {"form": form})


def _safe_name(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return f"{slugify(stem) or 'bang-tinh'}.{extension.lower()}" if dot else slugify(name) or "bang-tinh"


@login_required
def job_detail(request: HttpRequest, pk) -> HttpResponse:
    job = _job_for_user(request, pk)
    job_run_if_stalled(job)
    report = job_report(job)
    return render(
        request,
        "sheets/job.html",
        {
            "job": job,
            "report": report,
            "errors": report.errors[:ERRORS_SHOWN] if report else [],
            "more_errors": max(0, len(report.errors) - ERRORS_SHOWN) if report else 0,
        },
    )


@login_required
def job_status(request: HttpRequest, pk) -> JsonResponse:
    job = _job_for_user(request, pk)
    job_run_if_stalled(job)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "stage": job.stage,
            "running": job.is_running,
        }
    )


@login_required
@require_POST
def job_commit(request: HttpRequest, pk) -> HttpResponse:
    job = _job_for_user(request, pk)
    if not job_confirm(job):
        messages.error(request, _("Lần nhập này không còn chờ xác nhận."))
    else:
        job.refresh_from_db()
        if job.status == JobStatus.DONE:
            messages.success(request, _("Đã ghi dữ liệu vào hệ thống."))
    return redirect("sheets:job", pk=job.pk)


@login_required
def job_errors(request: HttpRequest, pk) -> HttpResponse:
    job = _job_for_user(request, pk)
    report = job_report(job)
    if report is None or not (report.errors or report.refused):
        raise Http404
    if not job.file or not job.file.storage.exists(job.file.name):  # deleted by clean_imports
        messages.error(
            request,
            _("Tệp đã tải lên không còn được giữ (xóa sau %(days)s ngày): hãy tải tệp lên lại để xem lỗi.")
            % {"days": files_kept_days()},
        )
        return redirect("sheets:job", pk=job.pk)
    content = workbooks.error_workbook_bytes(job.kind, job.file.path, report.errors)
    stem = job.file_name.rpartition(".")[0] or job.file_name
    return _download(content, f"{slugify(stem) or 'bang-tinh'}-loi.xlsx", workbooks.XLSX_TYPE)


@login_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ImportKind.values:
        raise Http404
    return _download(workbooks.template_bytes(kind), f"mau-nhap-{kind}.xlsx", workbooks.XLSX_TYPE)


@login_required
def export(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in EXPORTERS:
        raise Http404
    area = area_of(request.user)
    if area.is_empty:
        raise PermissionDenied(_("Bạn chưa được phân công địa bàn nào."))
    if area.national_only:
        # Whole-country lists of people and loans are not the national level's: it reads the
        # provinces through their reports (and a club's own pages).
        raise PermissionDenied(_("Cán bộ Trung ương Hội xem số liệu qua báo cáo, không tải danh sách chi tiết."))
    clubs = None
    if request.GET.get("club"):
        try:
            club_pk = int(request.GET["club"])
        except ValueError:
            raise Http404 from None
        clubs = Club.objects.filter(pk=get_for_user(Club.objects.all(), request.user, pk=club_pk).pk)
    headers, rows = EXPORTERS[kind](request.user, clubs)
    stamp = f"{timezone.localdate():%Y%m%d}"
    if request.GET.get("format") == "csv":
        return _download(workbooks.csv_bytes(headers, rows), f"{kind}-{stamp}.csv", "text/csv; charset=utf-8")
    title = dict(_export_choices())[kind]
    return _download(workbooks.xlsx_bytes(title, headers, rows), f"{kind}-{stamp}.xlsx", workbooks.XLSX_TYPE)
