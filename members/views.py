import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clubs.access import area_of, can_edit, get_for_user, require_edit, scope
from clubs.forms import DateInput, show_refusal
from clubs.models import BoardRole, Club, TeamKind
from clubs.printing import pdf_response
from members import services
from members.composition import composition, composition_by_club
from members.forms import (
    ClubListFilterForm,
    HouseholdStatusForm,
    LeaveForm,
    MemberFilterForm,
    MemberForm,
    MoveForm,
    RejoinForm,
)
from members.models import Household, Member
from members.selectors import member_page, with_list_figures
from places.text import search_key

PAGE_SIZE = 50
MEMBERS_ON_CLUB_PAGE = 100
# The club list's sort orders: at most ~20,000 clubs in the country, sorted by the database per page.
CLUB_SORTS = {"code": ["code"], "name": ["name", "code"], "commune": ["commune__name", "code"]}


def _member_for_user(request: HttpRequest, pk: int) -> Member:
    return get_for_user(Member.objects.select_related("club__commune", "club__province"), request.user, pk=pk)



@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    today = datetime.date.today()
    form = MemberFilterForm(request.GET or None)
    members = scope(Member.objects.all(), request.user)
    club = None
    club_id = request.GET.get("club")
    if club_id:
        club = (
            get_for_user(Club.objects.select_related("commune"), request.user, pk=club_id)
            if club_id.isdigit()
            else None
        )
        if club is None:
            members = members.none()
        else:
            members = members.filter(club=club)
    members = with_list_figures(members, today)
    if form.is_valid():
        members = form.apply(members, today)
    else:
        members = members.filter(left_on__isnull=True)
    # A name search without the household / board filters (a look-up per row) may fetch more matches to
    # sort: see members.selectors.member_page.
    searching = (
        form.is_valid()
        and any(not w.isdigit() for w in search_key(form.cleaned_data["q"]).split())
        and not (form.cleaned_data["household"] or form.cleaned_data["board"])
    )
    asked = request.GET.get("sort") or "name"
    page, page_members, sort = member_page(
        members,
        number=request.GET.get("page"),
        on=today,
        per_page=PAGE_SIZE,
        searching=searching,
        sort=asked,
    )
    rows = [(m, Household(m.household_today).label, m.age_on(today)) for m in page_members]
    area = area_of(request.user)
    can_add = can_edit(request.user, club) if club else (area.is_admin or area.is_commune_staff)
    return render(
        request,
        "members/member_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "club": club,
            "today": today,
            "can_add": can_add,
            "sort": sort,
            "sort_refused": sort.lstrip("-") != asked.lstrip("-"),
            "filters_used": form.is_valid() and any(
                form.cleaned_data[name] for name in ("sex", "older", "household", "state", "volunteer", "board")
            ),
        },
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_for_user(request, pk)
    today = datetime.date.today()
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "today": today,
            "age": member.age_on(today),
            "is_older": member.is_older_person(today),
            "household_today": Household(services.household_on(member, today)).label,
            "stays": member.memberships.select_related("club").order_by("-joined_on"),
            "household_periods": member.household_statuses.order_by("-valid_from"),
            "seats": member.board_seats.select_related("club").order_by("-from_date"),
            "teams": member.teams.select_related("club").order_by("kind", "name"),
            "can_edit": can_edit(request.user, member),
        },
    )


@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    area = area_of(request.user)
    if not (area.is_admin or area.is_commune_staff):
        raise PermissionDenied(_("Bạn chỉ có quyền xem dữ liệu này, không có quyền sửa."))
    initial = {"joined_on": datetime.date.today()}
    club_id = request.GET.get("club")
    if club_id and club_id.isdigit():
        club = get_for_user(Club.objects.all(), request.user, pk=club_id)
        require_edit(request.user, club)
        initial["club"] = club.pk
    form = MemberForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("confirm_duplicate")
        try:
            member = services.member_create(**data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã thêm thành viên %(name)s.") % {"name": member.full_name})
            return redirect("members:member-detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form, "member": None})


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_for_user(request, pk)
    require_edit(request.user, member)
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("confirm_duplicate")
        try:
            services.member_update(member=member, **data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin %(name)s.") % {"name": member.full_name})
            return redirect("members:member-detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form, "member": member})


def _member_action(
    request: HttpRequest, member: Member, form, action, title: str, confirm: str = ""
) -> HttpResponse:
    """A one-form page that changes a member through a service: leave, move, rejoin, household status."""
    require_edit(request.user, member)
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã lưu thay đổi cho %(name)s.") % {"name": member.full_name})
            return redirect("members:member-detail", pk=member.pk)
    return render(
        request,
        "members/member_action.html",
        {"form": form, "member": member, "title": title, "confirm": confirm},
    )


@login_required
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_for_user(request, pk)
    form = LeaveForm(request.POST or None, member=member)
    return _member_action(
        request,
        member,
        form,
        lambda d: services.member_leave(member=member, left_on=d["left_on"], reason=d["leave_reason"]),
        _("Ghi nhận rời CLB"),
        confirm=_("Ghi nhận %(name)s rời CLB?") % {"name": member.full_name},
    )


@login_required
def member_move(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_for_user(request, pk)
    form = MoveForm(request.POST or None, member=member, user=request.user)
    return _member_action(
        request,
        member,
        form,
        lambda d: services.member_move(member=member, to_club=d["to_club"], moved_on=d["moved_on"]),
        _("Chuyển sang CLB khác"),
    )


@login_required
def member_rejoin(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_for_user(request, pk)
    form = RejoinForm(request.POST or None, member=member, user=request.user)
    return _member_action(
        request,
        member,
        form,
        lambda d: services.member_rejoin(member=member, club=d["club"], joined_on=d["joined_on"]),
        _("Tham gia lại"),
    )


@login_required
def member_household(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_for_user(request, pk)
    form = HouseholdStatusForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        require_edit(request.user, member)
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_past"}
        try:
            row = services.household_status_set(member=member, **data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            row.refresh_from_db()
            changed = {
                "name": member.full_name,
                "status": row.get_status_display(),
                "start": f"{row.valid_from:%d/%m/%Y}",
                "end": f"{row.valid_to:%d/%m/%Y}" if row.valid_to else "",
                "now": Household(services.household_on(member, datetime.date.today())).label,
            }
            if row.valid_to:
                message = _(
                    "Đã ghi hoàn cảnh trước đây của %(name)s: “%(status)s” từ %(start)s đến %(end)s. "
                    "Hoàn cảnh hiện nay: “%(now)s”."
                )
            else:
                message = _("Đã ghi hoàn cảnh của %(name)s: “%(status)s” từ %(start)s. Hoàn cảnh hiện nay: “%(now)s”.")
            messages.success(request, message % changed)
            return redirect("members:member-detail", pk=member.pk)
    return _member_action(request, member, form, None, _("Thay đổi hoàn cảnh gia đình"))


# ---------------------------------------------------------------------------
# The club list and the club page: a club as its members make it (composition against the standard,
# board, teams, the people). Their URLs are in the clubs name space (config/urls.py).
# ---------------------------------------------------------------------------


def _club_for_user(request: HttpRequest, pk: int) -> Club:
    return get_for_user(
        Club.objects.select_related("province", "commune", "legacy_commune__district"), request.user, pk=pk
    )


class CompositionDateForm(forms.Form):
    on = forms.DateField(required=False, widget=DateInput(attrs={"class": "form-control form-control-sm"}))


@login_required
def club_list(request: HttpRequest) -> HttpResponse:
    today = datetime.date.today()
    clubs = scope(Club.objects.select_related("province", "commune"), request.user)
    form = ClubListFilterForm(request.GET or None, user=request.user)
    if form.is_valid():
        clubs = form.apply(clubs, today)
    sort = request.GET.get("sort") or "code"
    if sort.lstrip("-") not in CLUB_SORTS:
        sort = "code"
    order = CLUB_SORTS[sort.lstrip("-")]
    if sort.startswith("-"):
        order = [f"-{field}" for field in order]
    page = Paginator(clubs.order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
    compositions = composition_by_club(Club.objects.filter(id__in=[c.pk for c in page]), today)
    rows = [(club, compositions[club.pk]) for club in page]
    can_create = area_of(request.user).is_admin or area_of(request.user).is_commune_staff
    return render(
        request,
        "clubs/club_list.html",
        {"form": form, "page": page, "rows": rows, "today": today, "can_create": can_create, "sort": sort},
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
def club_members_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The club's member list as an official A4 paper (Nghị định 30/2020 header), today's members."""
    club = _club_for_user(request, pk)
    today = datetime.date.today()
    members = with_list_figures(club.members.active_on(today), today).order_by("search_key", "pk")
    chair = (
        Member.objects.filter(
            board_seats__club=club, board_seats__role=BoardRole.CHAIR, board_seats__from_date__lte=today
        )
        .filter(Q(board_seats__to_date__isnull=True) | Q(board_seats__to_date__gte=today))
        .first()
    )
    return pdf_response(
        "papers/club_members.html",
        {
            "club": club,
            "issuer_upper": _("Hội Người cao tuổi %(commune)s") % {"commune": club.commune.name},
            "today": today,
            "rows": [(m, Household(m.household_today).label) for m in members],
            "composition": composition(club, today),
            "chair": chair,
        },
        filename=f"danh-sach-thanh-vien-{club.code}",
        request=request,
    )
