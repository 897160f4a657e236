from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import Plan, SubmittedReport, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "province", "decision_number", "start", "end", "is_demo"]
    list_filter = ["province", "is_demo"]
    search_fields = ["name", "decision_number"]
    inlines = [TargetInline]


@admin.register(SubmittedReport)
class SubmittedReportAdmin(admin.ModelAdmin):
    list_display = ["province", "as_of", "plan", "submitted_by", "submitted_at"]
    list_filter = ["province"]
    # A submitted report is a record of what was sent: it is never edited.
    readonly_fields = [f.name for f in SubmittedReport._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
