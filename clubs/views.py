"""Pages of the register: communes and their area classes, a club's register data, its board and teams.

The club list and the club page show the members' composition, and founding a club opens its two
funds, so those three pages live higher up (members.views and funds.views); config/urls.py puts
them in this app's name space (`clubs:club-list`, `clubs:club-detail`, `clubs:club-create`).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from clubs import services
from clubs.access import area_of, get_for_user, require_edit, scope
from clubs.forms import (
    AreaClassCsvForm,
    BoardSeatEndForm,
    BoardSeatForm,
    ClubForm,
    CommuneAreaForm,
    CommuneFilterForm,
    TeamForm,
    show_refusal,
)
from clubs.models import Club
from places.models import Commune
from places.services import area_classes_set_from_csv

PAGE_SIZE = 50


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



@login_required
def club_edit(request: HttpRequest, pk: int) -> HttpResponse:
    club = _club_for_user(request, pk)
    require_edit(request.user, club)
    form = ClubForm(request.POST or None, instance=club, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.club_update(club=club, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
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
            show_refusal(form, error)
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
            show_refusal(form, error)
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
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã lưu %(team)s.") % {"team": data["name"]})
            return redirect("clubs:club-detail", pk=club.pk)
    return render(request, "clubs/team_form.html", {"form": form, "club": club, "team": team})
