from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clubs.models import AreaClass, Commune
from clubs.text import search_key

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
        q = search_key(self.cleaned_data["q"])
        if q:
            communes = communes.filter(codename__icontains=q.replace(" ", "_"))
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
