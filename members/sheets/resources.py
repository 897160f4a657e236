"""django-import-export resources: the admin's export buttons write the same sheets as the
export pages (same Vietnamese headers the imports read, formula injection neutralised).

Imports do not go through these resources: import-export's import runs at about 1,000 rows/s
here (6,000 in bulk mode) and ties no error to a sheet row; the strict bulk pipeline in
`members.sheets.engine` does, at the speed the issue asks for. The admin links to it.
"""

from __future__ import annotations

import tablib
from import_export import resources

from clubs.models import Club
from funds.models import FundEntry, Loan
from members.models import Member
from members.sheets import exports
from members.sheets.workbooks import csv_safe, is_formula_like


class _SheetResource(resources.ModelResource):
    """Exports through `members.sheets.exports` instead of field by field."""

    exporter = staticmethod(exports.export_clubs)

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def export(self, queryset=None, **kwargs) -> tablib.Dataset:
        headers, rows = self.exporter(self.user, base=queryset)
        dataset = tablib.Dataset(headers=headers)
        for row in rows:
            dataset.append([csv_safe(value) if is_formula_like(value) else value for value in row])
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
