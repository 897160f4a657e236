from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clubs.forms import DateInput
from places.models import Province
from places.text import NoFormulaStart
from reports.catalogue import indicator_choices
from reports.models import Plan, Target
from reports.periods import PeriodNameError, parse_period

DATE_INPUT = DateInput(attrs={"class": "form-control"})


class PlanChoices(forms.models.ModelChoiceIterator):
    """A report's few plans read by one ordinary query. Django's iterator reads them through
    QuerySet.iterator(), which on PostgreSQL is a server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE):
    three round trips on every report page for a handful of rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for plan in self.queryset:
            yield self.choice(plan)


class PlanChoiceField(forms.ModelChoiceField):
    iterator = PlanChoices


class ReportParamsForm(forms.Form):
    """What a report is about: as of which date, over which period, against which plan; and who signs it."""

    period = forms.CharField(
        label=_("Kỳ báo cáo"),
        required=False,
        max_length=10,
        help_text=_("2026-H1, 2026 hoặc 2026-Q3"),
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "2026-H1"}),
    )
    as_of = forms.DateField(label=_("Số liệu đến ngày"), required=False, widget=DATE_INPUT)
    date_from = forms.DateField(label=_("Kỳ báo cáo từ ngày"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("đến ngày"), required=False, widget=DATE_INPUT)
    plan = PlanChoiceField(
        label=_("Đề án"),
        queryset=Plan.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    signer = forms.CharField(
        label=_("Họ tên người ký"),
        max_length=100,
        required=False,
        validators=[NoFormulaStart(_("Họ tên người ký"))],  # printed on the report, not a stored field
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, plans: QuerySet[Plan], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans

    def clean_period(self):
        text = self.cleaned_data.get("period") or ""
        if not text.strip():
            return None
        try:
            return parse_period(text)
        except PeriodNameError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        if data.get("period") and (data.get("as_of") or data.get("date_from") or data.get("date_to")):
            raise forms.ValidationError(
                _("Đã chọn kỳ báo cáo thì không ghi thêm ngày số liệu hay ngày bắt đầu, kết thúc.")
            )
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(_("Ngày kết thúc kỳ báo cáo không được trước ngày bắt đầu."))
        return data


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "province", "name", "decision_number", "decision_date", "decision_issuer", "start", "end",
            "is_demo", "notes",
        ]  # fmt: skip
        widgets = {"decision_date": DATE_INPUT, "start": DATE_INPUT, "end": DATE_INPUT}

    def __init__(self, *args, provinces: QuerySet[Province], allow_national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["province"]
        field.queryset = provinces
        field.required = not allow_national
        if not allow_national:
            field.empty_label = None


class TargetForm(forms.ModelForm):
    indicator = forms.ChoiceField(label=_("Chỉ tiêu"), choices=indicator_choices)

    class Meta:
        model = Target
        fields = ["indicator", "comparison", "value", "value_max", "year", "area_class", "note"]


class SubmitForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)
