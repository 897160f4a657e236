from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheetsConfig(AppConfig):
    """Spreadsheet import and export. An app of its own for its import jobs table."""

    name = "members.sheets"
    label = "sheets"
    verbose_name = _("Nhập, xuất bảng tính")
