"""Pages of the register: communes and their area classes, a club's register data, its board and teams.

The club list and the club page show the members' composition, and founding a club opens its two
funds, so those three pages live higher up (members.views and funds.views); config/urls.py puts
them in this app's name space (`clubs:club-list`, `clubs:club-detail`, `clubs:club-create`).
"""

import datetime

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clubs import accounts, services
from clubs.access import area_of, get_for_user, require_edit, scope
from clubs.forms import (
    AreaClassCsvForm,
    BoardSeatEndForm,
    BoardSeatForm,
    ClubForm,
    CommuneAreaForm,
    CommuneFilterForm,
    OwnPasswordChangeForm,
    PasswordPairForm,
    PersonCreateForm,
    PersonFilterForm,
    PersonRoleForm,
    TeamForm,
    show_refusal,
)
from clubs.models import Assignment, Club, PasswordChangeDue
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


# ---------------------------------------------------------------------------
# People in the hierarchy (clubs/accounts.py says who manages whom).
# ---------------------------------------------------------------------------


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    accounts.require_people_manager(request.user)
    form = PersonFilterForm(request.GET or None)
    people = accounts.people_managed_by(request.user)
    if form.is_valid():
        people = form.apply(people)
    people = (
        people.prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("province", "commune__province"))
        )
        .annotate(password_due=Exists(PasswordChangeDue.objects.filter(user=OuterRef("pk"))))
        .order_by("-is_active", "username")
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "clubs/people_list.html", {"form": form, "page": page})


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    accounts.require_people_manager(request.user)
    form = PersonCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = accounts.account_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                password=data["password1"],
                role=data["role"],
                province=data["province"],
                commune=data["commune"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("Đã tạo tài khoản %(username)s. Người dùng sẽ phải đổi mật khẩu khi đăng nhập lần đầu.")
                % {"username": person.username},
            )
            return redirect("clubs:person-detail", pk=person.pk)
    return render(request, "clubs/person_form.html", {"form": form, "person": None})


def _person(request: HttpRequest, pk: int) -> User:
    accounts.require_people_manager(request.user)
    return accounts.person_for(request.user, pk)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    assignments = person.assignments.select_related("province", "commune__province").order_by("role", "id")
    events = person.account_events.select_related("actor", "province", "commune")[:50]
    due = PasswordChangeDue.objects.filter(user=person).exists()
    return render(
        request,
        "clubs/person_detail.html",
        {"person": person, "assignments": assignments, "events": events, "password_change_due": due},
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    held = list(person.assignments.all()[:2])
    initial = {"full_name": person.get_full_name()}
    if len(held) == 1:
        initial |= {"role": held[0].role, "province": held[0].province_id, "commune": held[0].commune_id}
    form = PersonRoleForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                accounts.account_name_set(actor=request.user, person=person, full_name=data["full_name"])
                changed = accounts.account_role_set(
                    actor=request.user,
                    person=person,
                    role=data["role"],
                    province=data["province"],
                    commune=data["commune"],
                )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                (_("Đã đổi vai trò của %(username)s.") if changed else _("Đã lưu %(username)s."))
                % {"username": person.username},
            )
            return redirect("clubs:person-detail", pk=person.pk)
    return render(
        request, "clubs/person_form.html", {"form": form, "person": person, "several_roles": len(held) > 1}
    )


@login_required
@require_POST
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    try:
        accounts.account_deactivate(actor=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã khóa tài khoản %(username)s.") % {"username": person.username})
    return redirect("clubs:person-detail", pk=person.pk)


@login_required
@require_POST
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    try:
        accounts.account_reactivate(actor=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã mở lại tài khoản %(username)s.") % {"username": person.username})
    return redirect("clubs:person-detail", pk=person.pk)


@login_required
def person_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = PasswordPairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.account_password_reset(
                actor=request.user, person=person, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("Đã đặt lại mật khẩu của %(username)s. Người dùng sẽ phải đổi mật khẩu khi đăng nhập.")
                % {"username": person.username},
            )
            return redirect("clubs:person-detail", pk=person.pk)
    return render(request, "clubs/person_password.html", {"form": form, "person": person})


class OwnPasswordChangeView(auth_views.PasswordChangeView):
    """Everyone changes their own password here; one set by someone else must be changed first."""

    form_class = OwnPasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.own_password_changed(user=form.user, session=self.request.session)
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "password_change_due": bool(self.request.session.get(accounts.SESSION_KEY))
        }
