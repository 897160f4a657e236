from django import forms
from django.utils.translation import gettext_lazy as _

from clubs.models import Club
from sheets.models import ImportKind
from sheets.reading import SheetRefused, refuse_if_too_big

ACCEPT = ".xlsx,.xls,.ods,.csv"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("Tệp bảng tính"),
        help_text=_("Tệp .xlsx, .xls, .ods hoặc .csv, tối đa 20 MB, 200.000 dòng."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    club_code = forms.CharField(
        label=_("Mã CLB cho cả tệp"),
        required=False,
        max_length=30,
        help_text=_("Khi tệp không có cột “Mã CLB” (ví dụ danh sách thành viên của một CLB)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            refuse_if_too_big(upload.size)
        except SheetRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return upload

    def clean_club_code(self) -> Club | None:
        code = self.cleaned_data["club_code"].strip().upper()
        if not code:
            return None
        club = Club.objects.filter(code=code).first()
        if club is None:
            raise forms.ValidationError(_("Không có CLB mã “%(code)s”.") % {"code": code})
        return club
