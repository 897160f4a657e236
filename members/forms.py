import datetime

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from clubs.access import area_of, scope
from clubs.forms import ClubFilterForm, DateInput, PeriodLockFormMixin
from clubs.models import Club
from members.composition import club_ids_by_composition
from members.models import Household, LeaveReason, Member, Sex, normalise_phone, older_person_q
from members.selectors import household_is
from members.services import duplicate_by_citizen_id, possible_duplicates
from places.text import control_error, nfc, search_key

EARLIEST_BIRTH_YEAR = 1900


def clubs_editable_by(user) -> QuerySet[Club]:
    """Clubs whose members the user may change: those of their communes, or all for an admin."""
    area = area_of(user)
    clubs = Club.objects.select_related("commune").order_by("code")
    return clubs if area.is_admin else clubs.filter(commune_id__in=area.commune_ids)


class ClubChoiceField(forms.ModelChoiceField):
    # A search box filters the list (static/js/select_search.js); the queryset keeps it to the user's area.
    widget = forms.Select(attrs={"data-search": ""})

    def label_from_instance(self, obj: Club) -> str:
        return f"{obj.code} – {obj.name} ({obj.commune.name})"


class MemberForm(PeriodLockFormMixin, forms.ModelForm):
    """Create or correct a member. The household status and club moves have their own dated forms."""

    club = ClubChoiceField(label=_("CLB"), queryset=Club.objects.none())
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False)
    household = forms.ChoiceField(
        label=_("Hoàn cảnh gia đình"), choices=Household.choices, initial=Household.NONE
    )
    household_since = forms.DateField(
        label=_("Hoàn cảnh này tính từ ngày"),
        required=False,
        widget=DateInput(),
        help_text=_("Để trống: từ ngày tham gia."),
    )
    standard_period = forms.CharField(
        label=_("Giai đoạn chuẩn nghèo"), required=False, max_length=20, help_text=_("Ví dụ: 2022–2025")
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Tôi đã kiểm tra: đây là một người khác, vẫn lưu."),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Member
        fields = [
            "club",
            "full_name",
            "birth_year",
            "birth_date",
            "sex",
            "ethnicity",
            "household",
            "household_since",
            "standard_period",
            "citizen_id",
            "phone",
            "village",
            "joined_on",
            "is_volunteer",
            "has_health_insurance",
            "health_insurance_expires_on",
            "notes",
        ]
        widgets = {
            "birth_date": DateInput(),
            "joined_on": DateInput(),
            "health_insurance_expires_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
            "citizen_id": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    lock_date_fields = ("joined_on", "household_since")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.lock_club, self.lock_changed_only = self.instance.club, True
            # The club changes by a move, the household by a dated status: not here.
            for name in ("club", "household", "household_since", "standard_period"):
                del self.fields[name]
        else:
            self.fields["club"].queryset = clubs_editable_by(user)
        self.fields["citizen_id"].help_text = _("12 chữ số, không bắt buộc.")

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone"))

    def clean_full_name(self) -> str:
        if error := control_error(self.cleaned_data["full_name"], _("Họ và tên")):
            raise forms.ValidationError(error)
        name = nfc(self.cleaned_data["full_name"])  # zero-width and bidi characters removed
        if not search_key(name):
            raise forms.ValidationError(_("Hãy nhập họ và tên."))
        return name

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        if year is None:
            return None
        if year > datetime.date.today().year:
            raise forms.ValidationError(_("Năm sinh không được ở tương lai."))
        if year < EARLIEST_BIRTH_YEAR:
            raise forms.ValidationError(_("Năm sinh không được trước năm 1900."))
        return year

    def clean_citizen_id(self) -> str | None:
        value = "".join((self.cleaned_data.get("citizen_id") or "").split())
        return value or None

    def clean(self):
        data = super().clean()
        birth_date, birth_year = data.get("birth_date"), data.get("birth_year")
        if birth_date:
            if birth_date > datetime.date.today():
                self.add_error("birth_date", _("Ngày sinh không được ở tương lai."))
            elif birth_date.year < EARLIEST_BIRTH_YEAR:
                self.add_error("birth_date", _("Năm sinh không được trước năm 1900."))
            elif birth_year and birth_year != birth_date.year:
                self.add_error("birth_year", _("Năm sinh không khớp với ngày sinh."))
            else:
                data["birth_year"] = self.instance.birth_year = birth_date.year
        elif not birth_year and "birth_year" not in self.errors:
            self.add_error("birth_year", _("Hãy nhập năm sinh (hoặc ngày sinh)."))
        joined_on = data.get("joined_on")
        if joined_on and self.instance.left_on and self.instance.left_on < joined_on:
            self.add_error("joined_on", _("Ngày tham gia không được sau ngày rời CLB."))
        if data.get("has_health_insurance") is False and data.get("health_insurance_expires_on"):
            data["health_insurance_expires_on"] = None
        self._check_duplicates(data)
        return data

    def _check_duplicates(self, data: dict) -> None:
        """Same citizen ID anywhere: refused. Same name and birth year in the commune: confirm first."""
        exclude_pk = self.instance.pk
        same_id = duplicate_by_citizen_id(data.get("citizen_id"), exclude_pk=exclude_pk)
        if same_id is not None:
            if scope(Member.objects.filter(pk=same_id.pk), self.user).exists():
                message = format_html(
                    _('Số CCCD này đã có trong hệ thống: <a href="{url}">{name}</a> ({club}).'),
                    url=reverse("members:member-detail", args=[same_id.pk]),
                    name=same_id.full_name,
                    club=same_id.club.code,
                )
            else:
                # The person lies outside the user's area: say so, but show nothing about them.
                message = _(
                    "Số CCCD này đã có trong hệ thống, ở một địa bàn khác. "
                    "Hãy liên hệ cán bộ Hội NCT tỉnh để chuyển thành viên sang CLB của bạn."
                )
            self.add_error("citizen_id", message)
        club = data.get("club") or (self.instance.club if self.instance.club_id else None)
        name, year = data.get("full_name"), data.get("birth_year")
        if not (club and name and year) or data.get("confirm_duplicate"):
            return
        similar = possible_duplicates(
            full_name=name, birth_year=year, commune_id=club.commune_id, exclude_pk=exclude_pk
        )
        if similar:
            self.fields["confirm_duplicate"].widget = forms.CheckboxInput()
            people = format_html_join(
                ", ",
                '<a href="{}">{}</a> ({}, {})',
                (
                    (reverse("members:member-detail", args=[m.pk]), m.full_name, m.birth_year, m.club.code)
                    for m in similar
                ),
            )
            self.add_error(
                "confirm_duplicate",
                format_html(
                    _(
                        "Trong xã đã có người cùng họ tên và năm sinh: {people}. Nếu đúng là người khác, hãy đánh dấu ô này rồi lưu lại."
                    ),
                    people=people,
                ),
            )


class LeaveForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("left_on",)
    left_on = forms.DateField(label=_("Ngày rời CLB"), widget=DateInput())
    leave_reason = forms.ChoiceField(
        label=_("Lý do"),
        choices=[(value, label) for value, label in LeaveReason.choices if value != LeaveReason.TRANSFERRED],
    )

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.lock_club = self.lock_club or member.club

    def clean_left_on(self) -> datetime.date:
        left_on = self.cleaned_data["left_on"]
        if left_on < self.member.joined_on:
            raise forms.ValidationError(_("Ngày rời CLB không được trước ngày tham gia."))
        return left_on


class MoveForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("moved_on",)
    to_club = ClubChoiceField(label=_("Chuyển sang CLB"), queryset=Club.objects.none())
    moved_on = forms.DateField(label=_("Ngày chuyển"), widget=DateInput())

    def __init__(self, *args, member: Member, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.lock_club = self.lock_club or member.club
        self.fields["to_club"].queryset = clubs_editable_by(user).exclude(pk=member.club_id)

    def clean_moved_on(self) -> datetime.date:
        moved_on = self.cleaned_data["moved_on"]
        if moved_on < self.member.joined_on:
            raise forms.ValidationError(_("Ngày chuyển không được trước ngày tham gia."))
        return moved_on


class RejoinForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("joined_on",)
    club = ClubChoiceField(label=_("CLB"), queryset=Club.objects.none())
    joined_on = forms.DateField(label=_("Ngày tham gia lại"), widget=DateInput())

    def __init__(self, *args, member: Member, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.lock_club = self.lock_club or member.club
        self.fields["club"].queryset = clubs_editable_by(user)

    def clean_joined_on(self) -> datetime.date:
        joined_on = self.cleaned_data["joined_on"]
        if self.member.left_on and joined_on < self.member.left_on:
            raise forms.ValidationError(_("Ngày tham gia lại không được trước ngày rời CLB."))
        return joined_on


class HouseholdStatusForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("valid_from",)
    status = forms.ChoiceField(label=_("Hoàn cảnh gia đình"), choices=Household.choices)
    valid_from = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    standard_period = forms.CharField(
        label=_("Giai đoạn chuẩn nghèo"), required=False, max_length=20, help_text=_("Ví dụ: 2022–2025")
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=200)
    confirm_past = forms.BooleanField(
        label=_("Đúng, đây là hoàn cảnh trước đây"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.lock_club = self.lock_club or member.club
        self.later = None

    def clean(self):
        data = super().clean()
        valid_from = data.get("valid_from")
        if valid_from is None:
            return data
        self.later = (
            self.member.household_statuses.filter(valid_from__gt=valid_from).order_by("valid_from").first()
        )
        if self.later is not None and not data.get("confirm_past"):
            # A date before the current status would quietly become a past period: ask first.
            self.fields["confirm_past"].widget = forms.CheckboxInput()
            self.add_error(
                "confirm_past",
                _(
                    "Đây là hoàn cảnh trước đây? Từ ngày %(later)s thành viên đã có hoàn cảnh “%(status)s”: "
                    "hoàn cảnh bạn nhập sẽ chỉ áp dụng từ %(start)s đến %(end)s. Đánh dấu ô này để ghi như vậy."
                )
                % {
                    "later": f"{self.later.valid_from:%d/%m/%Y}",
                    "status": self.later.get_status_display(),
                    "start": f"{valid_from:%d/%m/%Y}",
                    "end": f"{self.later.valid_from - datetime.timedelta(days=1):%d/%m/%Y}",
                },
            )
        return data


YES_NO = [("", _("Tất cả")), ("yes", _("Có")), ("no", _("Không"))]


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Họ tên, không cần dấu")}),
    )
    club = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sex = forms.ChoiceField(
        label=_("Giới tính"), required=False, choices=[("", _("Nam và nữ")), *Sex.choices]
    )
    older = forms.ChoiceField(
        label=_("Người cao tuổi"),
        required=False,
        choices=[("", _("Mọi độ tuổi")), ("yes", _("Người cao tuổi")), ("no", _("Người trẻ tuổi"))],
    )
    household = forms.ChoiceField(
        label=_("Hoàn cảnh"), required=False, choices=[("", _("Mọi hoàn cảnh")), *Household.choices]
    )
    state = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[("", _("Đang sinh hoạt")), ("left", _("Đã rời CLB")), ("all", _("Tất cả"))],
    )
    volunteer = forms.ChoiceField(
        label=_("Tình nguyện viên"),
        required=False,
        choices=[("", _("TNV: tất cả")), ("yes", _("Là TNV")), ("no", _("Không là TNV"))],
    )
    board = forms.ChoiceField(
        label=_("Ban Chủ nhiệm"),
        required=False,
        choices=[("", _("BCN: tất cả")), ("yes", _("Trong BCN")), ("no", _("Không trong BCN"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            elif not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["class"] = "form-control"
            field.widget.attrs.setdefault("aria-label", field.label)

    def apply(self, members: QuerySet[Member], on: datetime.date) -> QuerySet[Member]:
        """Filter members annotated by `members.selectors.with_list_figures`."""
        data = self.cleaned_data
        for word in search_key(data["q"]).split():
            if word.isdigit():  # a citizen ID or phone number being typed
                members = members.filter(Q(citizen_id__startswith=word) | Q(phone__contains=word))
            else:
                members = members.filter(search_key__contains=word)
        if data["sex"]:
            members = members.filter(sex=data["sex"])
        if data["older"] == "yes":
            members = members.filter(older_person_q(on))
        elif data["older"] == "no":
            members = members.exclude(older_person_q(on))
        if data["household"]:
            members = members.filter(household_is(on, data["household"]))
        if data["state"] == "":
            members = members.filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        elif data["state"] == "left":
            members = members.filter(left_on__lte=on)
        if data["volunteer"]:
            members = members.filter(is_volunteer=data["volunteer"] == "yes")
        if data["board"]:
            members = members.filter(on_board=data["board"] == "yes")
        return members


class ClubListFilterForm(ClubFilterForm):
    """The club list's filters: the register's, and whether the club's members meet the standard."""

    composition = forms.ChoiceField(
        label=_("Cơ cấu"),
        required=False,
        choices=[("", _("Mọi cơ cấu")), ("met", _("Đạt chuẩn")), ("not_met", _("Chưa đạt chuẩn"))],
        widget=forms.Select(attrs={"class": "form-select", "aria-label": _("Cơ cấu")}),
    )

    def apply(self, clubs: QuerySet[Club], on: datetime.date) -> QuerySet[Club]:
        clubs = super().apply(clubs, on)
        if self.cleaned_data["composition"]:
            met = self.cleaned_data["composition"] == "met"
            clubs = clubs.filter(id__in=club_ids_by_composition(clubs, on, met=met))
        return clubs
