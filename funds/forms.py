"""Forms of the funds pages. They only read and check input; the services do the writing."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clubs.forms import DateInput, PeriodLockFormMixin
from funds.models import (
    EntryKind,
    ExpenseCategory,
    Fund,
    FundKind,
    Purpose,
    RatePeriod,
    RepaymentPlan,
    Source,
)
from funds.money import MoneyField, parse_vnd
from funds.selectors import LoanState, loans_filter_state, loans_late_more_than
from funds.services import CollectionLine
from members.models import Member
from places.text import search_key


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


class RateField(forms.DecimalField):
    """A percentage typed with a comma or a point: 0,5 or 0.5."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("%", "").replace(",", ".")
        return super().to_python(value)


class EntryForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("entry_date",)
    fund = forms.ModelChoiceField(label=_("Quỹ"), queryset=Fund.objects.none(), empty_label=None)
    kind = forms.ChoiceField(
        label=_("Loại"),
        choices=[
            (EntryKind.CONTRIBUTION, EntryKind.CONTRIBUTION.label),
            (EntryKind.EXPENSE, EntryKind.EXPENSE.label),
            (EntryKind.INTEREST, _("Thu lãi khác (ví dụ lãi tiền gửi)")),
        ],
    )
    entry_date = date_field(_("Ngày"))
    amount = MoneyField(label=_("Số tiền"), help_text=_("Ví dụ: 1.500.000 hoặc 1,5 triệu"))
    source = forms.ChoiceField(
        label=_("Nguồn (khoản đóng góp)"), choices=[("", "—"), *Source.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("Khoản chi (chi hoạt động)"), choices=[("", "—"), *ExpenseCategory.choices], required=False
    )
    member = forms.ModelChoiceField(
        label=_("Thành viên đóng góp"), queryset=Member.objects.none(), required=False
    )
    document_number = forms.CharField(label=_("Số chứng từ"), max_length=50, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock_club = club
        # The income fund first; the club is the page's, so only the kind is shown.
        self.fields["fund"].queryset = club.funds.order_by("-kind")
        self.fields["fund"].label_from_instance = lambda fund: fund.get_kind_display()
        self.fields["member"].queryset = (
            Member.objects.filter(memberships__club=club).distinct().order_by("search_key", "pk")
        )
        self.fields["entry_date"].initial = timezone.localdate()


class ReverseForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("entry_date",)
    entry_date = date_field(_("Ngày đảo"))
    note = forms.CharField(label=_("Lý do"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry_date"].initial = timezone.localdate()


class TransferForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("entry_date",)
    direction = forms.ChoiceField(
        label=_("Chuyển"),
        choices=[
            (FundKind.INCOME, _("Từ quỹ tăng thu nhập sang quỹ hoạt động")),
            (FundKind.ACTIVITY, _("Từ quỹ hoạt động sang quỹ tăng thu nhập")),
        ],
        widget=forms.RadioSelect,
        initial=FundKind.INCOME,
    )
    amount = MoneyField(label=_("Số tiền"))
    entry_date = date_field(_("Ngày"))
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry_date"].initial = timezone.localdate()


_SCHEDULE_LINE = re.compile(
    r"^\s*(?P<date>[\d/.\-]+)\s*[;,\t ]\s*(?P<principal>[^;\t]+?)\s*(?:[;\t]\s*(?P<interest>.+?))?\s*$"
)


def parse_custom_schedule(text: str) -> list[dict]:
    """One instalment a line: `date; principal[; interest]`, e.g. `15/06/2025; 1.000.000; 50.000`."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _SCHEDULE_LINE.match(line)
        due_on = None
        if match:
            for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
                try:
                    due_on = datetime.datetime.strptime(match["date"], pattern).date()
                    break
                except ValueError:
                    continue
        if due_on is None:
            raise forms.ValidationError(
                _("Dòng %(n)s: cần dạng 'ngày; tiền gốc; tiền lãi', ví dụ 15/06/2025; 1.000.000; 50.000.")
                % {"n": number}
            )
        try:
            principal = parse_vnd(match["principal"])
            interest = parse_vnd(match["interest"]) if match["interest"] else None
        except (ValueError, InvalidOperation):
            raise forms.ValidationError(_("Dòng %(n)s: số tiền không hợp lệ.") % {"n": number}) from None
        rows.append({"due_on": due_on, "principal": principal, "interest": interest})
    return rows


class LoanForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("disbursed_on",)
    member = forms.ModelChoiceField(label=_("Người vay"), queryset=Member.objects.none())
    disbursed_on = date_field(_("Ngày giải ngân"))
    principal = MoneyField(label=_("Số tiền vay"), help_text=_("Ví dụ: 5.000.000 hoặc 5 triệu"))
    purpose = forms.ChoiceField(label=_("Mục đích"), choices=Purpose.choices)
    purpose_text = forms.CharField(label=_("Mục đích cụ thể"), max_length=200, required=False)
    term_months = forms.IntegerField(label=_("Thời hạn (tháng)"), min_value=1, max_value=120, initial=12)
    interest_rate = RateField(
        label=_("Lãi suất (%)"), min_value=Decimal(0), max_digits=6, decimal_places=3, initial=Decimal(0)
    )
    rate_period = forms.ChoiceField(label=_("Lãi suất tính theo"), choices=RatePeriod.choices)
    plan = forms.ChoiceField(label=_("Cách trả gốc"), choices=RepaymentPlan.choices)
    custom_schedule = forms.CharField(
        label=_("Lịch trả riêng"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "15/06/2025; 1.000.000\n15/12/2025; 2.000.000; 30.000"}
        ),
        help_text=_(
            "Chỉ dùng khi chọn 'Lịch trả riêng': mỗi dòng một kỳ 'ngày; tiền gốc; tiền lãi (có thể bỏ trống)'."
        ),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock_club = club
        self.fields["member"].queryset = Member.objects.filter(club=club, left_on__isnull=True).order_by(
            "search_key", "pk"
        )
        self.fields["disbursed_on"].initial = timezone.localdate()

    def clean_custom_schedule(self):
        return parse_custom_schedule(self.cleaned_data.get("custom_schedule", ""))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("plan") == RepaymentPlan.CUSTOM and not cleaned.get("custom_schedule"):
            self.add_error("custom_schedule", _("Hãy nhập lịch trả riêng."))
        return cleaned


class RepaymentForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("paid_on",)
    paid_on = date_field(_("Ngày trả"))
    principal = MoneyField(label=_("Tiền gốc"), required=False, min_value=0)
    interest = MoneyField(label=_("Tiền lãi"), required=False, min_value=0)
    note = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("principal") or cleaned.get("interest")):
            raise forms.ValidationError(_("Hãy nhập tiền gốc hoặc tiền lãi."))
        return cleaned


class RepaymentReverseForm(forms.Form):
    note = forms.CharField(label=_("Lý do hủy"), max_length=200)


class WriteOffForm(PeriodLockFormMixin, forms.Form):
    lock_date_fields = ("written_off_on",)
    written_off_on = date_field(_("Ngày xóa nợ"))
    reason = forms.CharField(label=_("Lý do"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    approved_by = forms.CharField(
        label=_("Người / cấp phê duyệt"),
        max_length=120,
        help_text=_("Ví dụ: Ban Chủ nhiệm CLB, họp ngày 05/03/2026"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["written_off_on"].initial = timezone.localdate()


class LedgerFilterForm(forms.Form):
    fund = forms.ChoiceField(
        label=_("Quỹ"), required=False, choices=[("", _("Cả hai quỹ")), *FundKind.choices]
    )
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Mọi loại")), *EntryKind.choices]
    )
    source = forms.ChoiceField(
        label=_("Nguồn"), required=False, choices=[("", _("Mọi nguồn")), *Source.choices]
    )
    date_from = date_field(_("Từ ngày"), required=False)
    date_to = date_field(_("Đến ngày"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def apply(self, entries: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data.get("fund"):
            entries = entries.filter(fund__kind=data["fund"])
        if data.get("kind"):
            entries = entries.filter(kind=data["kind"])
        if data.get("source"):
            entries = entries.filter(source=data["source"])
        if data.get("date_from"):
            entries = entries.filter(entry_date__gte=data["date_from"])
        if data.get("date_to"):
            entries = entries.filter(entry_date__lte=data["date_to"])
        return entries


class LoanFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm người vay"), required=False)
    status = forms.ChoiceField(
        label=_("Tình trạng"), required=False, choices=[("", _("Mọi tình trạng")), *LoanState.choices]
    )
    late = forms.ChoiceField(
        label=_("Quá hạn"),
        required=False,
        choices=[
            ("", "—"),
            ("0", _("Quá hạn (bất kỳ)")),
            ("30", _("Quá hạn trên 30 ngày")),
            ("90", _("Quá hạn trên 90 ngày")),
        ],
    )
    purpose = forms.ChoiceField(
        label=_("Mục đích"), required=False, choices=[("", _("Mọi mục đích")), *Purpose.choices]
    )
    on = date_field(_("Tính đến ngày"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def on_date(self) -> datetime.date:
        return (self.is_valid() and self.cleaned_data.get("on")) or timezone.localdate()

    def apply(self, loans: QuerySet, on: datetime.date) -> QuerySet:
        data = self.cleaned_data
        if data.get("q"):
            loans = loans.filter(member__search_key__contains=search_key(data["q"]))
        if data.get("status"):
            loans = loans_filter_state(loans, data["status"], on)
        if data.get("late"):
            loans = loans_late_more_than(loans, int(data["late"]), on)
        if data.get("purpose"):
            loans = loans.filter(purpose=data["purpose"])
        return loans


class CollectionForm(forms.Form):
    """The collection sheet of a meeting day: principal and interest paid on each open loan, in fields
    named p<loan id> and i<loan id>. The sheet's own page and the meeting day both use it (the meeting
    day with the prefix "r")."""

    def __init__(self, *args, loans, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.loans = list(loans)
        for loan in self.loans:
            self.fields[f"p{loan.pk}"] = MoneyField(label=_("Nộp gốc"), required=False, min_value=0)
            self.fields[f"i{loan.pk}"] = MoneyField(label=_("Nộp lãi"), required=False, min_value=0)

    def rows(self):
        """(loan, principal field, interest field) for each loan, in the sheet's order."""
        for loan in self.loans:
            yield loan, self[f"p{loan.pk}"], self[f"i{loan.pk}"]

    def lines(self) -> list[CollectionLine]:
        data = self.cleaned_data
        return [
            CollectionLine(loan=loan, principal=data[f"p{loan.pk}"] or 0, interest=data[f"i{loan.pk}"] or 0)
            for loan in self.loans
        ]
