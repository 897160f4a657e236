"""Admin integration: spreadsheet export on the Club, Member, Loan and FundEntry admins, and the
import jobs.

The Club / Member / funds admins belong to other parts of the project. Rather than editing them,
`add_sheet_export` extends whichever admin class is registered for the model when this module
loads (members.sheets comes after clubs, members and funds in INSTALLED_APPS), or registers a
plain one when there is none yet.
"""

from django.contrib import admin
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from clubs.models import Club
from funds.models import FundEntry, Loan
from members.models import Member
from members.sheets.models import ImportJob
from members.sheets.resources import ClubResource, FundEntryResource, LoanResource, MemberResource


class SheetExportMixin(ExportMixin):
    formats = [XLSX, CSV]
    skip_export_form = False

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}


def add_sheet_export(model, resource_class) -> None:
    base = admin.ModelAdmin
    if admin.site.is_registered(model):
        base = type(admin.site.get_model_admin(model))
        admin.site.unregister(model)
    admin_class = type(
        f"{base.__name__}WithSheets",
        (SheetExportMixin, base),
        {"resource_classes": [resource_class], "__module__": __name__},
    )
    admin.site.register(model, admin_class)


for _model, _resource in (
    (Club, ClubResource),
    (Member, MemberResource),
    (Loan, LoanResource),
    (FundEntry, FundEntryResource),
):
    add_sheet_export(_model, _resource)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "file_name", "status", "created_by"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]
