"""Forms of the club-life pages. They validate input only; the writes are in life.services."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clubs.forms import DateInput, PeriodLockFormMixin
from clubs.models import ActivityArea, Club
from funds.models import FundKind, Source
from funds.money import MoneyField
from life.models import Activity, ActivityType, AttendanceStatus, CareTask, Rating
from life.selectors import last_twelve_months
from life.services import HEALTH_FIELDS, health_check_errors
from members.models import Member

DATE_WIDGET = DateInput()
NUMBER_ATTRS = {"inputmode": "numeric", "autocomplete": "off", "class": "form-control form-control-sm"}


class DecimalCommaField(forms.DecimalField):
    """A decimal typed either way: 52,5 or 52.5 (phones in Vietnamese show a comma)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 5})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        text = str(value).strip().replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(_("Hãy nhập một số, ví dụ 52,5."), code="invalid") from None
        if not number.is_finite():
            raise forms.ValidationError(_("Hãy nhập một số, ví dụ 52,5."), code="invalid")
        # Plausibility (20–200 kg) is judged by `health_check_errors`, with a clearer message.
        return number.quantize(Decimal("0.1")) if abs(number) < 1000 else number


def _reading_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": _("Hãy nhập một số nguyên.")},
    )


def _members_select(queryset: QuerySet[Member]) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=queryset, widget=forms.Select(attrs={"class": "form-select"}))


# ---------------------------------------------------------------------------
# Activities.
# ---------------------------------------------------------------------------


class ActivityFilterForm(forms.Form):
    area = forms.TypedChoiceField(
        label=_("Mảng hoạt động"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Mọi mảng")), *ActivityArea.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=_("Loại hoạt động"),
        required=False,
        choices=[("", _("Mọi loại")), *ActivityType.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    start = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The chosen period; by default the last 12 months up to today."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or last_twelve_months(end)[0]
        return start, end


class ActivityForm(PeriodLockFormMixin, forms.ModelForm):
    lock_date_fields = ("held_on",)
    money_raised = MoneyField(label=_("Số tiền vận động được (đồng)"), required=False)
    book_to_fund = forms.ChoiceField(
        label=_("Ghi số tiền vào quỹ"),
        required=False,
        choices=[("", _("Không ghi vào quỹ")), *FundKind.choices],
        help_text=_("Ghi thành một khoản đóng góp trong sổ quỹ của CLB, cùng lúc với hoạt động."),
    )
    source = forms.ChoiceField(label=_("Nguồn tiền"), required=False, choices=[("", "—"), *Source.choices])

    class Meta:
        model = Activity
        fields = [
            "held_on",
            "area",
            "kind",
            "title",
            "description",
            "participants_count",
            "volunteers_count",
            "participants",
            "money_raised",
        ]
        widgets = {
            "held_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
            "participants": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.club = self.lock_club = club
        members = Member.objects.filter(club=club).order_by("search_key", "pk")
        if self.instance.pk:
            self.initial.setdefault(
                "book_to_fund", self.instance.fund_entry.fund.kind if self.instance.fund_entry else ""
            )
            if self.instance.fund_entry:
                self.initial.setdefault("source", self.instance.fund_entry.source)
        else:
            members = members.filter(left_on__isnull=True)
        self.fields["participants"].queryset = members
        self.fields["participants"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("book_to_fund") and not data.get("money_raised"):
            self.add_error("money_raised", _("Hãy nhập số tiền vận động được để ghi vào quỹ."))
        if data.get("book_to_fund") and not data.get("source"):
            self.add_error("source", _("Hãy chọn nguồn đóng góp."))
        if data.get("held_on") and data["held_on"] > timezone.localdate():
            self.add_error("held_on", _("Ngày không được sau hôm nay."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["participants"] = list(data.get("participants") or [])
        data["book_to_fund"] = data.get("book_to_fund") or None
        return data


# ---------------------------------------------------------------------------
# Meeting day.
# ---------------------------------------------------------------------------


class MeetingDateForm(forms.Form):
    """Which meeting to record: chosen first, so the rows are the members of the club on that day."""

    date = forms.DateField(label=_("Ngày sinh hoạt"), widget=DATE_WIDGET)

    def clean_date(self) -> datetime.date:
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày không được sau hôm nay."))
        return day


class MeetingForm(forms.Form):
    area = forms.TypedChoiceField(
        label=_("Mảng hoạt động chính của buổi sinh hoạt"),
        coerce=int,
        choices=ActivityArea.choices,
        initial=ActivityArea.SELF_HELP,
    )
    title = forms.CharField(label=_("Tên buổi sinh hoạt"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeetingRowForm(forms.Form):
    """One member's line on the meeting sheet: attendance and the day's readings."""

    member = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Điểm danh"),
        choices=AttendanceStatus.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={"required": _("Hãy chọn có mặt, vắng hoặc có người dự thay.")},
    )
    weight_kg = DecimalCommaField(label=_("Cân nặng (kg)"), required=False)
    systolic = _reading_field(_("Tâm thu"))
    diastolic = _reading_field(_("Tâm trương"))
    pulse = _reading_field(_("Mạch"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in HEALTH_FIELDS:  # narrow boxes: the sheet must fit a phone held sideways
            self.fields[name].widget.attrs.update(
                {"class": "form-control form-control-sm", "style": "width: 4.5rem"}
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if any(data.get(field) is not None for field in HEALTH_FIELDS):
            for field, message in health_check_errors(data).items():
                self.add_error(None if field == "__all__" else field, message)
        return data


class BaseMeetingRowFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        expected = getattr(self, "member_ids", None)
        seen = [form.cleaned_data.get("member") for form in self.forms]
        if expected is not None and sorted(seen) != sorted(expected):
            raise forms.ValidationError(
                _("Danh sách thành viên đã thay đổi từ lúc mở trang. Hãy tải lại trang và nhập lại.")
            )


MeetingRowFormSet = forms.formset_factory(MeetingRowForm, formset=BaseMeetingRowFormSet, extra=0)


# ---------------------------------------------------------------------------
# Health checks.
# ---------------------------------------------------------------------------


class HealthCheckForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("checked_on",)
    member = forms.ModelChoiceField(label=_("Thành viên"), queryset=Member.objects.none())
    checked_on = forms.DateField(label=_("Ngày đo"), widget=DATE_WIDGET)
    weight_kg = DecimalCommaField(label=_("Cân nặng (kg)"), required=False)
    systolic = _reading_field(_("Huyết áp tâm thu (số trên, mmHg)"))
    diastolic = _reading_field(_("Huyết áp tâm trương (số dưới, mmHg)"))
    pulse = _reading_field(_("Mạch (lần/phút)"))
    note = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lock_club = club
        self.fields["member"].queryset = Member.objects.filter(club=club, left_on__isnull=True).order_by(
            "search_key", "pk"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for field, message in health_check_errors(data).items():
            if field == "__all__" or field in self.fields:
                self.add_error(None if field == "__all__" else field, message)
        if data.get("checked_on") and data["checked_on"] > timezone.localdate():
            self.add_error("checked_on", _("Ngày không được sau hôm nay."))
        return data


# ---------------------------------------------------------------------------
# Home care.
# ---------------------------------------------------------------------------


def _active_members(club: Club) -> QuerySet[Member]:
    return Member.objects.filter(club=club, left_on__isnull=True).order_by("search_key", "pk")


class CareAssignmentForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("from_date",)
    volunteer = forms.ModelChoiceField(label=_("Tình nguyện viên"), queryset=Member.objects.none())
    beneficiary = forms.ModelChoiceField(label=_("Người được chăm sóc"), queryset=Member.objects.none())
    from_date = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    to_date = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lock_club = club
        self.fields["volunteer"].queryset = _active_members(club).filter(is_volunteer=True)
        self.fields["beneficiary"].queryset = _active_members(club)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("volunteer") and data.get("volunteer") == data.get("beneficiary"):
            self.add_error("beneficiary", _("Tình nguyện viên không thể tự chăm sóc chính mình."))
        if data.get("to_date") and data.get("from_date") and data["to_date"] < data["from_date"]:
            self.add_error("to_date", _("Ngày kết thúc phân công không được trước ngày bắt đầu."))
        return data


class CareAssignmentEndForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("to_date",)
    to_date = forms.DateField(label=_("Kết thúc ngày"), widget=DATE_WIDGET)


class CareVisitForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("visited_on",)
    visited_on = forms.DateField(label=_("Ngày thăm"), widget=DATE_WIDGET)
    volunteer = forms.ModelChoiceField(label=_("Tình nguyện viên"), queryset=Member.objects.none())
    beneficiary = forms.ModelChoiceField(label=_("Người được thăm"), queryset=Member.objects.none())
    tasks = forms.MultipleChoiceField(
        label=_("Việc đã làm"), choices=CareTask.choices, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lock_club = club
        self.fields["volunteer"].queryset = _active_members(club).filter(is_volunteer=True)
        self.fields["beneficiary"].queryset = _active_members(club)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("volunteer") and data.get("volunteer") == data.get("beneficiary"):
            self.add_error("beneficiary", _("Người được thăm phải khác tình nguyện viên."))
        if data.get("visited_on") and data["visited_on"] > timezone.localdate():
            self.add_error("visited_on", _("Ngày không được sau hôm nay."))
        return data


# ---------------------------------------------------------------------------
# Ratings.
# ---------------------------------------------------------------------------


class ClubRatingForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("rated_on",)
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int)
    rating = forms.ChoiceField(label=_("Xếp loại"), choices=Rating.choices, widget=forms.RadioSelect)
    rated_on = forms.DateField(label=_("Ngày xếp loại"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lock_club = club
        this_year = timezone.localdate().year
        founded = club.decision_date or club.launched_on
        first = founded.year if founded else this_year
        self.fields["year"].choices = [(y, y) for y in range(this_year, first - 1, -1)]
