from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clubs.access import area_of, get_for_user, scope
from clubs.forms import AreaClassCsvForm, CommuneAreaForm, CommuneFilterForm
from clubs.models import Commune
from clubs.places import area_classes_set_from_csv
from reports.dashboard import dashboard_context

PAGE_SIZE = 50


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the app and its database answer; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/dashboard.html",
        {
            "assignments": request.user.assignments.select_related("province", "commune"),
            **dashboard_context(request.user),
        },
    )


@login_required
def commune_list(request: HttpRequest) -> HttpResponse:
    form = CommuneFilterForm(request.GET or None)
    communes = scope(Commune.objects.select_related("province"), request.user)
    if form.is_valid():
        communes = form.apply(communes)
    page = Paginator(communes.order_by("province__code", "name"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "clubs/commune_list.html", {"form": form, "page": page})


@login_required
def commune_detail(request: HttpRequest, code: int) -> HttpResponse:
    commune = get_for_user(Commune.objects.select_related("province"), request.user, code=code)
    legacy = commune.legacy_sources.select_related("district__province").order_by("district__name", "name")
    return render(request, "clubs/commune_detail.html", {"commune": commune, "legacy_sources": legacy})


@login_required
def commune_area_edit(request: HttpRequest, code: int) -> HttpResponse:
    commune = get_for_user(Commune.objects.select_related("province"), request.user, code=code)
    if not area_of(request.user).is_admin:
        raise PermissionDenied(_("Chỉ quản trị viên mới được đổi phân loại vùng."))
    form = CommuneAreaForm(request.POST or None, instance=commune)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu phân loại vùng của %(name)s.") % {"name": commune.name})
        return redirect("clubs:commune-detail", code=commune.code)
    return render(request, "clubs/commune_area_form.html", {"commune": commune, "form": form})


@login_required
def area_classes_upload(request: HttpRequest) -> HttpResponse:
    if not area_of(request.user).is_admin:
        raise PermissionDenied(_("Chỉ quản trị viên mới được đổi phân loại vùng."))
    form = AreaClassCsvForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = area_classes_set_from_csv(form.cleaned_data["text"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request, _("Đã cập nhật phân loại vùng cho %(count)d xã/phường.") % {"count": changed}
            )
            return redirect("clubs:commune-list")
    return render(request, "clubs/area_classes_upload.html", {"form": form})
