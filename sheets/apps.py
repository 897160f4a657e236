from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheetsConfig(AppConfig):
    """Every import and export of clubs, members, loans and funds, with the import jobs table."""

    name = "sheets"
    label = "sheets"
    verbose_name = _("Nhập, xuất bảng tính")
