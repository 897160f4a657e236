"""Django admin for the funds: read-mostly. Money moves only through the services (the pages), so
that the ledger is never edited in place and every check (cash, debt) runs."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clubs.lock_admin import LockedPeriodAdminMixin
from funds.models import Fund, Instalment, Repayment


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Fund)
class FundAdmin(LockedPeriodAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    # The opening date counts in the reports (clubs with both funds): it may not move into, or out of,
    # an approved period.
    lock_dates = ("opened_on",)
    list_display = ["club", "kind", "opened_on"]
    list_filter = ["kind", "club__province"]
    search_fields = ["club__code", "club__name"]
    list_select_related = ["club"]
    readonly_fields = ["club", "kind"]
    fields = ["club", "kind", "opened_on"]


# Registered by sheets.admin, which adds the spreadsheet import and export to it.
class FundEntryAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = [
        "entry_date",
        "fund",
        "kind",
        "signed_amount",
        "source",
        "category",
        "member",
        "document_number",
    ]
    list_filter = ["kind", "source", "fund__kind", "fund__club__province"]
    search_fields = ["fund__club__code", "document_number", "note", "member__search_key"]
    date_hierarchy = "entry_date"
    list_select_related = ["fund__club", "member"]
    raw_id_fields = ["fund", "member", "reverses", "repayment", "loan", "transfer_pair"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class InstalmentInline(ReadOnlyInline):
    model = Instalment
    fields = ["number", "due_on", "principal_due", "interest_due", "principal_due_cumulative", "paid_on"]
    readonly_fields = fields


class RepaymentInline(ReadOnlyInline):
    model = Repayment
    fk_name = "loan"
    fields = ["paid_on", "principal", "interest", "note", "reverses", "recorded_by", "recorded_at"]
    readonly_fields = fields


# Registered by sheets.admin, which adds the spreadsheet import and export to it.
class LoanAdmin(LockedPeriodAdminMixin, ReadOnlyMixin, SimpleHistoryAdmin):
    lock_dates, lock_club = ("disbursed_on",), "fund__club"  # its note stays as approved too
    list_display = [
        "member",
        "fund",
        "disbursed_on",
        "principal",
        "purpose",
        "term_months",
        "repaid_on",
        "written_off_on",
    ]
    list_filter = ["purpose", "plan", "rate_period", "fund__club__province"]
    search_fields = ["member__search_key", "fund__club__code"]
    date_hierarchy = "disbursed_on"
    list_select_related = ["member", "fund__club"]
    inlines = [InstalmentInline, RepaymentInline]
    # Only the free-text note may be changed here; the terms made the schedule and the ledger.
    readonly_fields = [
        "fund", "member", "disbursed_on", "principal", "purpose", "purpose_text", "term_months", "interest_rate",
        "rate_period", "plan", "opening_repaid", "repaid_on", "written_off_on", "written_off_amount",
        "write_off_reason", "write_off_approved_by", "recorded_by", "recorded_at",
    ]  # fmt: skip
    fields = [*readonly_fields[:10], "note", *readonly_fields[10:]]


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["paid_on", "loan", "principal", "interest", "reverses"]
    date_hierarchy = "paid_on"
    list_select_related = ["loan__member", "reverses"]
    search_fields = ["loan__member__search_key", "loan__fund__club__code"]
    raw_id_fields = ["loan", "reverses"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
