import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clubs import services
from clubs.access import area_of, can_edit, get_for_user, require_edit, scope
from clubs.forms import (
    AreaClassCsvForm,
    BoardSeatEndForm,
    BoardSeatForm,
    ClubFilterForm,
    ClubForm,
    CommuneAreaForm,
    CommuneFilterForm,
    DateInput,
    TeamForm,
)
from clubs.models import BoardRole, Club, TeamKind
from clubs.selectors import composition, composition_by_club
from members.models import Member
from places.models import Commune
from places.services import area_classes_set_from_csv
from reports.dashboard import dashboard_context

PAGE_SIZE = 50
MEMBERS_ON_CLUB_PAGE = 100


class CompositionDateForm(forms.Form):
    on = forms.DateField(required=False, widget=DateInput(attrs={"class": "form-control form-control-sm"}))


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


# ---------------------------------------------------------------------------
# The club register.
# ---------------------------------------------------------------------------


def _club_for_user(request: HttpRequest, pk: int) -> Club:
    return get_for_user(
        Club.objects.select_related("province", "commune", "legacy_commune__district"), request.user, pk=pk
    )


def _require_register_writer(user) -> None:
    """Creating a club needs a commune to put it in: admins and commune staff only."""
    area = area_of(user)
    if not (area.is_admin or area.is_commune_staff):
        raise PermissionDenied(_("Bạn chỉ có quyền xem dữ liệu này, không có quyền sửa."))


def _form_errors_from(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has it."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@login_required
def club_list(request: HttpRequest) -> HttpResponse:
    today = datetime.date.today()
    clubs = scope(Club.objects.select_related("province", "commune"), request.user)
    form = ClubFilterForm(request.GET or None, user=request.user)
    if form.is_valid():
        clubs = form.apply(clubs, today)
    page = Paginator(clubs.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    compositions = composition_by_club(Club.objects.filter(id__in=[c.pk for c in page]), today)
    rows = [(club, compositions[club.pk]) for club in page]
    can_create = area_of(request.user).is_admin or area_of(request.user).is_commune_staff
    return render(
        request,
        "clubs/club_list.html",
        {"form": form, "page": page, "rows": rows, "today": today, "can_create": can_create},
    )


@login_required
def club_detail(request: HttpRequest, pk: int) -> HttpResponse:
    club = _club_for_user(request, pk)
    today = datetime.date.today()
    on_form = CompositionDateForm(request.GET or None)
    on = on_form.cleaned_data["on"] if on_form.is_valid() and on_form.cleaned_data["on"] else today
    rank = {role: i for i, role in enumerate(BoardRole.values)}
    seats = list(club.board.select_related("member"))
    # The board as it sat on the date the composition is shown for; every other seat is its history.
    current_seats = sorted(
        (s for s in seats if s.is_current_on(on)), key=lambda s: (rank[s.role], s.from_date)
    )
    past_seats = sorted(
        (s for s in seats if not s.is_current_on(on)), key=lambda s: s.from_date, reverse=True
    )
    teams = list(
        club.teams.select_related("leader")
        .prefetch_related(Prefetch("members", queryset=Member.objects.order_by("search_key")))
        .order_by("id")
    )
    active = club.members.active_on(today).order_by("search_key")
    return render(
        request,
        "clubs/club_detail.html",
        {
            "club": club,
            "on": on,
            "today": today,
            "on_form": on_form,
            "composition": composition(club, on),
            "current_seats": current_seats,
            "past_seats": past_seats,
            "teams": [t for t in teams if t.kind == TeamKind.TEAM],
            "groups": [t for t in teams if t.kind == TeamKind.GROUP],
            "members": active[:MEMBERS_ON_CLUB_PAGE],
            "members_count": active.count(),
            "members_shown": MEMBERS_ON_CLUB_PAGE,
            "can_edit": can_edit(request.user, club),
        },
    )


@login_required
def club_create(request: HttpRequest) -> HttpResponse:
    _require_register_writer(request.user)
    form = ClubForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in {"code", "name", "commune"}}
        try:
            club = services.club_create(
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                commune=form.cleaned_data["commune"],
                **fields,
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Đã thêm CLB %(club)s.") % {"club": club})
            return redirect("clubs:club-detail", pk=club.pk)
    return render(request, "clubs/club_form.html", {"form": form, "club": None})


@login_required
def club_edit(request: HttpRequest, pk: int) -> HttpResponse:
    club = _club_for_user(request, pk)
    require_edit(request.user, club)
    form = ClubForm(request.POST or None, instance=club, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.club_update(club=club, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Đã lưu CLB %(club)s.") % {"club": club})
            return redirect("clubs:club-detail", pk=club.pk)
    return render(request, "clubs/club_form.html", {"form": form, "club": club})


@login_required
def board_seat_add(request: HttpRequest, pk: int) -> HttpResponse:
    club = _club_for_user(request, pk)
    require_edit(request.user, club)
    form = BoardSeatForm(request.POST or None, club=club, initial={"from_date": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.board_seat_add(club=club, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Đã thêm vào Ban Chủ nhiệm."))
            return redirect("clubs:club-detail", pk=club.pk)
    return render(request, "clubs/board_seat_form.html", {"form": form, "club": club, "seat": None})


@login_required
def board_seat_end(request: HttpRequest, pk: int, seat_pk: int) -> HttpResponse:
    club = _club_for_user(request, pk)
    require_edit(request.user, club)
    seat = get_object_or_404(club.board.select_related("member"), pk=seat_pk)
    form = BoardSeatEndForm(request.POST or None, initial={"to_date": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.board_seat_end(seat=seat, to_date=form.cleaned_data["to_date"])
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(
                request, _("Đã ghi nhận kết thúc nhiệm kỳ của %(name)s.") % {"name": seat.member}
            )
            return redirect("clubs:club-detail", pk=club.pk)
    return render(request, "clubs/board_seat_form.html", {"form": form, "club": club, "seat": seat})


@login_required
def team_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _team_form(request, pk, None)


@login_required
def team_edit(request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
    return _team_form(request, pk, team_pk)


def _team_form(request: HttpRequest, pk: int, team_pk: int | None) -> HttpResponse:
    club = _club_for_user(request, pk)
    require_edit(request.user, club)
    team = get_object_or_404(club.teams, pk=team_pk) if team_pk else None
    form = TeamForm(request.POST or None, instance=team, club=club)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.team_save(
                club=club,
                team=team,
                kind=data["kind"],
                name=data["name"],
                area=data["area"],
                leader=data["leader"],
                members=list(data["members"]),
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Đã lưu %(team)s.") % {"team": data["name"]})
            return redirect("clubs:club-detail", pk=club.pk)
    return render(request, "clubs/team_form.html", {"form": form, "club": club, "team": team})
