from django import forms
from django.utils.translation import gettext_lazy as _

from clubs.access import area_of, scope
from clubs.models import Club
from sheets.models import ImportKind
from sheets.reading import SheetRefused, refuse_if_too_big

ACCEPT = ".xlsx,.xls,.ods,.csv"
# What commune staff and province officers may import (into the clubs of their area); the other
# kinds write funds and the club register itself, and stay with the admins.
KINDS_FOR_THE_AREA = (ImportKind.MEMBERS,)


class ClubChoiceField(forms.ModelChoiceField):
    widget = forms.Select(attrs={"data-search": ""})  # static/js/select_search.js

    def label_from_instance(self, club: Club) -> str:
        return f"{club.name} ({club.code})"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("Tệp bảng tính"),
        help_text=_("Tệp .xlsx, .xls, .ods hoặc .csv, tối đa 20 MB, 200.000 dòng."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    club = ClubChoiceField(
        label=_("CLB cho cả tệp"),
        queryset=Club.objects.none(),
        required=False,
        empty_label=_("— Tệp có cột “Mã CLB” —"),
        help_text=_("Khi tệp không có cột “Mã CLB” (ví dụ danh sách thành viên của một CLB)."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not area_of(user).is_admin:
            self.fields["kind"].choices = [(k.value, k.label) for k in KINDS_FOR_THE_AREA]
        # Exactly the clubs the import will accept (sheets.jobs.importable_club_ids).
        self.fields["club"].queryset = scope(Club.objects.all(), user).order_by("name", "code")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            refuse_if_too_big(upload.size)
        except SheetRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return upload
