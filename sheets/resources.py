"""django-import-export resources: the admin's export buttons write the same sheets as the
export pages (same Vietnamese headers the imports read, formula injection neutralised).

Imports do not go through these resources: the admin's import link (import-export's ImportMixin,
see sheets.admin) leads to the import page of `sheets`, whose strict bulk pipeline
(`sheets.engine`) finds the table in a real sheet, ties each error to the sheet's row and
column, writes all or nothing and runs at the speed the issue asks for (import-export's import
runs at about 1,000 rows/s here, 6,000 in bulk mode). `import_data` refuses, so that nothing can
write through a resource by mistake.
"""

from __future__ import annotations

import tablib
from import_export import resources

from clubs.models import Club
from funds.models import FundEntry, Loan
from members.models import Member
from sheets import exports
from sheets.formula_guard import csv_text, is_formula_like


class _SheetResource(resources.ModelResource):
    """Exports through `sheets.exports` instead of field by field."""

    exporter = staticmethod(exports.export_clubs)

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def import_data(self, *args, **kwargs):
        raise NotImplementedError("Spreadsheet imports go through sheets.engine.run_import.")

    def export(self, queryset=None, **kwargs) -> tablib.Dataset:
        headers, rows = self.exporter(self.user, base=queryset)
        dataset = tablib.Dataset(headers=headers)
        for row in rows:
            # A dataset has no cell types that every format keeps: text that starts like a formula gets
            # the csv guard's apostrophe in every format the admin offers.
            dataset.append([csv_text(value) if is_formula_like(value) else value for value in row])
        return dataset


class ClubResource(_SheetResource):
    exporter = staticmethod(exports.export_clubs)

    class Meta:
        model = Club
        fields = ("code",)


class MemberResource(_SheetResource):
    exporter = staticmethod(exports.export_members)

    class Meta:
        model = Member
        fields = ("full_name",)


class LoanResource(_SheetResource):
    exporter = staticmethod(exports.export_loans)

    class Meta:
        model = Loan
        fields = ("principal",)


class FundEntryResource(_SheetResource):
    exporter = staticmethod(exports.export_ledger)

    class Meta:
        model = FundEntry
        fields = ("amount",)
