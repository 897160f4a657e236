import datetime

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from clubs.access import area_of, scope
from clubs.accounts import grantable_roles
from clubs.locks import PeriodLocked, check_club_open
from clubs.models import BoardMembership, Club, ClubStatus, Role, Team
from places.models import AreaClass, Commune, LegacyCommune, Province
from places.names import communes_matching
from places.text import control_error, nfc, search_key

MAX_CSV_BYTES = 2 * 1024 * 1024


class CommuneFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("Tên xã/phường")}),
    )
    area_class = forms.ChoiceField(
        label=_("Phân loại vùng"),
        required=False,
        choices=[("", _("Mọi vùng")), *AreaClass.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def apply(self, communes: QuerySet[Commune]) -> QuerySet[Commune]:
        if search_key(self.cleaned_data["q"]):
            rows = communes.order_by().values_list("id", "name")
            communes = communes.filter(id__in=communes_matching(self.cleaned_data["q"], rows))
        if self.cleaned_data["area_class"]:
            communes = communes.filter(area_class=self.cleaned_data["area_class"])
        return communes


class CommuneAreaForm(forms.ModelForm):
    class Meta:
        model = Commune
        fields = ["area_class", "ethnic_minority_area"]


class AreaClassCsvForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV"),
        help_text=_(
            "Các cột: Mã xã, Phân loại vùng (Đồng bằng / Miền núi / Biên giới / Hải đảo), Vùng DTTS (có / không)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 2 MB)."))
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1258"):
            try:
                self.cleaned_data["text"] = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise forms.ValidationError(_("Không đọc được tệp: hãy lưu dưới dạng CSV UTF-8."))
        return upload


# ---------------------------------------------------------------------------
# The club register.
# ---------------------------------------------------------------------------


def show_refusal(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names when the form has it, else on top.

    Every app's pages use this one, so a refusal reads the same wherever it is made."""
    if isinstance(error, PeriodLocked) and error.field in form.fields:
        form.add_error(error.field, error.messages)
    elif hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class PeriodLockFormMixin:
    """A date inside an approved period of the club's commune is refused beside its field (issue 16).

    The services refuse it too (every path meets there); this puts the message on the right field of
    the right form. The club is `lock_club` (given by the view, or set by a form that knows its club),
    or the form's own `club` field when it has one."""

    lock_date_fields: tuple[str, ...] = ()
    lock_changed_only = False  # a correction form: only a date being changed is checked

    def __init__(self, *args, lock_club: Club | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lock_club = lock_club

    def clean(self):
        cleaned = super().clean()
        club = cleaned.get("club") if isinstance(cleaned.get("club"), Club) else self.lock_club
        if club is not None:
            for name in self.lock_date_fields:
                if name in cleaned and (not self.lock_changed_only or name in self.changed_data):
                    try:
                        check_club_open(club, cleaned[name])
                    except PeriodLocked as locked:
                        self.add_error(name, locked)
                        break  # one message is enough: it names the period
        return cleaned


DATE_TEXT_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


class DateInput(forms.DateInput):
    """A date typed and shown as dd/mm/yyyy whatever the browser's language.

    `<input type="date">` shows the browser's locale (mm/dd/yyyy on an English phone) beside our
    dd/mm/yyyy text. This is a text box with a numeric keyboard; static/js/app.js adds the slashes
    as digits are typed and a calendar button that opens the browser's own picker. ISO dates
    (links, tests) are accepted too (`DATE_INPUT_FORMATS`).
    """

    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {
            "inputmode": "numeric",
            "placeholder": _("dd/mm/yyyy"),
            "autocomplete": "off",
            "maxlength": "10",
            "data-date-input": "",
            **(attrs or {}),
        }
        super().__init__(attrs, format="%d/%m/%Y")


def date_from_text(text: str | None) -> datetime.date | None:
    """A date from a query string, written dd/mm/yyyy or yyyy-mm-dd (None when it is neither)."""
    for fmt in DATE_TEXT_FORMATS:
        try:
            return datetime.datetime.strptime((text or "").strip(), fmt).date()
        except ValueError:
            continue
    return None


class LongSelect(forms.Select):
    """A list of thousands of options (an admin picks among the 3,321 communes): Django renders each option
    through its own template, 1.5 s for this list; written as one string here, 0.1 s. No option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), mark_safe(" selected") if str(key) in selected else "", label)
                for key, label in self.choices
            ),
        )
        attributes = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return format_html("<select{}>{}</select>", attributes, options)


class CommuneChoiceField(forms.ModelChoiceField):
    # A search box filters the list (static/js/select_search.js); the queryset keeps it to the user's area.
    widget = forms.Select(attrs={"data-search": ""})

    def label_from_instance(self, obj: Commune) -> str:
        return f"{obj.name} ({obj.province.short_name})"


class LegacyCommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: LegacyCommune) -> str:
        return f"{obj.name}, {obj.district.name}"


def communes_editable_by(user) -> QuerySet[Commune]:
    """The communes where the user may keep the register: theirs, or all for an admin."""
    area = area_of(user)
    communes = Commune.objects.select_related("province").order_by("province__code", "name")
    return communes if area.is_admin else communes.filter(id__in=area.commune_ids)


class ClubForm(forms.ModelForm):
    commune = CommuneChoiceField(label=_("Xã/phường"), queryset=Commune.objects.none())
    legacy_commune = LegacyCommuneChoiceField(
        label=_("Xã cũ (theo quyết định thành lập)"),
        queryset=LegacyCommune.objects.none(),
        required=False,
        help_text=_("Xã, thị trấn trước 7/2025 nay thuộc xã/phường đã chọn."),
    )

    class Meta:
        model = Club
        fields = [
            "code",
            "name",
            "commune",
            "villages",
            "legacy_commune",
            "legacy_address",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "launched_on",
            "suspended_on",
            "resumed_on",
            "dissolved_on",
            "notes",
        ]
        widgets = {
            "decision_date": DateInput(),
            "launched_on": DateInput(),
            "suspended_on": DateInput(),
            "resumed_on": DateInput(),
            "dissolved_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes = communes_editable_by(user)
        if area_of(user).is_admin and self.instance.pk:
            # An admin editing a club picks among its province's communes, not all 3,321;
            # moving a club to another province is rare enough for the Django admin.
            communes = communes.filter(province_id=self.instance.province_id)
        self.fields["commune"].queryset = communes
        # The legacy units that went into the commune(s) in play: the user's own communes, or
        # for an admin (all 10,000 legacy communes would not fit a list) those of the chosen commune.
        if area_of(user).is_admin:
            commune_id = self.data.get(self.add_prefix("commune")) or self.instance.commune_id
            communes = Commune.objects.filter(pk=commune_id) if str(commune_id or "").isdigit() else None
            if communes is None:
                self.fields["legacy_commune"].help_text = _(
                    "Chọn xã/phường và lưu, sau đó sửa CLB để chọn xã cũ."
                )
        self.fields["legacy_commune"].queryset = (
            LegacyCommune.objects.filter(current_communes__in=communes)
            .select_related("district")
            .distinct()
            .order_by("district__name", "name")
            if communes is not None
            else LegacyCommune.objects.none()
        )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_name(self) -> str:
        """The same checks as a member's name: no control characters; zero-width and bidi characters
        removed. A formula start is refused by the model field (places.text.NoFormulaStart)."""
        if error := control_error(self.cleaned_data["name"], _("Tên CLB")):
            raise forms.ValidationError(error)
        return nfc(self.cleaned_data["name"])

    def clean(self):
        data = super().clean()
        commune, legacy = data.get("commune"), data.get("legacy_commune")
        if commune is not None:
            self.instance.province_id = commune.province_id  # the province follows the commune
            if legacy is not None and not legacy.current_communes.filter(pk=commune.pk).exists():
                self.add_error(
                    "legacy_commune",
                    _("%(legacy)s không thuộc địa bàn %(commune)s hiện nay.")
                    % {"legacy": legacy.name, "commune": commune.name},
                )
        return data


class ClubFilterForm(forms.Form):
    """The register's filters of the club list (members.forms.ClubListFilterForm adds the composition)."""

    q = forms.CharField(
        label=_("Tìm"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Mã hoặc tên CLB")}),
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh"), queryset=Province.objects.none(), required=False, empty_label=_("Mọi tỉnh")
    )
    commune = CommuneChoiceField(
        label=_("Xã/phường"), queryset=Commune.objects.none(), required=False, empty_label=_("Mọi xã/phường")
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"), required=False, choices=[("", _("Mọi tình trạng")), *ClubStatus.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = scope(Province.objects.all(), user)
        communes = scope(Commune.objects.select_related("province"), user).order_by("province__code", "name")
        province = self.data.get("province")
        if province and str(province).isdigit():
            communes = communes.filter(province_id=province)
        elif area_of(user).is_admin:
            communes = communes.none()  # 3,321 communes: choose a province first
        self.fields["commune"].queryset = communes
        # Only the filters that can narrow the user's area: no "every province" for someone who works
        # in one, no commune picker for staff of a single commune.
        area = area_of(user)
        if not area.is_admin and len(area.province_ids | area.commune_province_ids) <= 1:
            del self.fields["province"]
        if not area.is_admin and not area.province_ids and len(area.commune_ids) <= 1:
            del self.fields["commune"]
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )
            field.widget.attrs.setdefault("aria-label", field.label)

    def apply(self, clubs: QuerySet[Club], on: datetime.date) -> QuerySet[Club]:
        data = self.cleaned_data
        if data.get("province"):
            clubs = clubs.filter(province=data["province"])
        if data.get("commune"):
            clubs = clubs.filter(commune=data["commune"])
        if data["status"]:
            clubs = clubs.with_status(data["status"], on)
        if data["q"]:
            clubs = clubs.filter(id__in=club_ids_matching(clubs, data["q"]))
        return clubs


def club_ids_matching(clubs: QuerySet[Club], text: str) -> list[int]:
    """Clubs whose code or name contains every word of `text`, diacritics ignored.

    Compared in Python over the (already scoped and filtered) clubs: a province holds a few
    hundred clubs and the whole country about 20,000, which reads in well under a second,
    and it works the same on SQLite and PostgreSQL without a stored key to keep up to date.
    """
    words = search_key(text).split()
    return [
        pk
        for pk, code, name in clubs.order_by().values_list("id", "code", "name")
        if all(word in f"{code.lower()} {search_key(name)}" for word in words)
    ]


class BoardSeatForm(forms.ModelForm):
    class Meta:
        model = BoardMembership
        fields = ["member", "role", "from_date"]
        widgets = {"from_date": DateInput()}

    def __init__(self, *args, club: Club, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = club.members.filter(left_on__isnull=True).order_by("search_key")


class BoardSeatEndForm(forms.Form):
    to_date = forms.DateField(label=_("Đến ngày"), widget=DateInput())


class TeamForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Thành viên"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Team
        fields = ["kind", "name", "area", "leader", "members"]

    def __init__(self, *args, club: Club, **kwargs):
        super().__init__(*args, **kwargs)
        current = club.members.filter(left_on__isnull=True).order_by("search_key")
        if self.instance.pk:  # keep showing people already in the team even if they left since
            current = (
                club.members.filter(Q(left_on__isnull=True) | Q(teams=self.instance))
                .distinct()
                .order_by("search_key")
            )
        self.fields["members"].queryset = current
        self.fields["leader"].queryset = current


# ---------------------------------------------------------------------------
# People in the hierarchy (clubs/accounts.py). The choices hold only what the manager may give; the
# services check again, so a forged choice is refused there too.
# ---------------------------------------------------------------------------


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm theo tên hoặc tên đăng nhập"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Tên hoặc tên đăng nhập")}),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Mọi trạng thái")), ("active", _("Đang hoạt động")), ("inactive", _("Đã khóa"))],
    )

    def apply(self, people):
        # Without diacritics, as everywhere ("nguyen thi" finds "Nguyễn Thị"): the accounts one person
        # manages are a few hundred at most, matched here rather than in the database.
        words = search_key(self.cleaned_data.get("q", "")).split()
        if words:
            rows = people.order_by().values_list("pk", "username", "first_name", "last_name")
            keys = {pk: search_key(" ".join(parts)) for pk, *parts in rows}
            people = people.filter(pk__in=[pk for pk, key in keys.items() if all(w in key for w in words)])
        status = self.cleaned_data.get("status")
        if status:
            people = people.filter(is_active=status == "active")
        return people


class PersonRoleForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    role = forms.ChoiceField(label=_("Vai trò"))
    province = forms.ModelChoiceField(
        label=_("Tỉnh (với cán bộ tỉnh)"),
        queryset=Province.objects.none(),
        required=False,
        widget=forms.Select(attrs={"data-search": ""}),
    )
    commune = CommuneChoiceField(
        label=_("Xã/phường (với cán bộ xã)"),
        queryset=Commune.objects.none(),
        required=False,
        widget=LongSelect(attrs={"data-search": ""}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        area = area_of(actor)
        roles = grantable_roles(area)
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]
        # Each place shows only while its role is chosen (static/js/app.js, data-only-for).
        for name, role in (("province", Role.PROVINCE_OFFICER), ("commune", Role.COMMUNE_STAFF)):
            self.fields[name].widget.attrs |= {"data-only-for-field": "role", "data-only-for": role}
        if Role.PROVINCE_OFFICER in roles:
            self.fields["province"].queryset = Province.objects.order_by("name")
        else:
            del self.fields["province"]
        if Role.COMMUNE_STAFF in roles:
            communes = Commune.objects.select_related("province").order_by("province__name", "name")
            if not area.is_admin:
                communes = communes.filter(province_id__in=area.province_ids)
            self.fields["commune"].queryset = communes
        else:
            del self.fields["commune"]

    def clean(self):
        data = super().clean()
        role = data.get("role")
        # Only the place the role needs is kept: a commune given with a province officer is ignored.
        data["province"] = data.get("province") if role == Role.PROVINCE_OFFICER else None
        data["commune"] = data.get("commune") if role == Role.COMMUNE_STAFF else None
        if role == Role.PROVINCE_OFFICER and data["province"] is None and "province" not in self.errors:
            self.add_error("province", _("Hãy chọn tỉnh của cán bộ tỉnh."))
        if role == Role.COMMUNE_STAFF and data["commune"] is None and "commune" not in self.errors:
            self.add_error("commune", _("Hãy chọn xã/phường của cán bộ xã."))
        return data


class PasswordPairForm(forms.Form):
    password1 = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Ít nhất 10 ký tự, không chỉ gồm chữ số. Người dùng sẽ phải đổi mật khẩu khi đăng nhập."),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        return data


class PersonCreateForm(PersonRoleForm, PasswordPairForm):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Chữ, số và các ký tự @ . + - _ ; ví dụ: xa.tanuyen"),
    )
    field_order = ["username", "full_name", "role", "province", "commune", "password1", "password2"]


class OwnPasswordChangeForm(PasswordChangeForm):
    """Changing one's own password: the new one must differ from the current one (a password someone else
    set stays known to them if it is kept)."""

    def clean(self):
        data = super().clean()
        password = data.get("new_password2")
        if password and "new_password2" not in self.errors and self.user.check_password(password):
            self.add_error("new_password2", _("Mật khẩu mới phải khác mật khẩu hiện tại."))
        return data
