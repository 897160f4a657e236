from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clubs.lock_admin import LockedPeriodAdminMixin
from life.models import Activity, CareAssignment, CareVisit, ClubRating, HealthCheck

# Club life: for admins to look up and correct; staff record it on the club pages. None of it may be
# added, changed or deleted on a date inside an approved period (clubs.lock_admin).


@admin.register(Activity)
class ActivityAdmin(LockedPeriodAdminMixin, SimpleHistoryAdmin):
    lock_dates = ("held_on",)
    list_display = ["held_on", "club", "area", "kind", "title", "participants_count"]
    list_filter = ["area", "kind", "club__province"]
    search_fields = ["title", "club__code"]
    date_hierarchy = "held_on"
    list_select_related = ["club"]
    raw_id_fields = ["fund_entry"]
    autocomplete_fields = ["club"]
    filter_horizontal = ["participants"]


@admin.register(HealthCheck)
class HealthCheckAdmin(LockedPeriodAdminMixin, SimpleHistoryAdmin):
    lock_dates = ("checked_on",)
    list_display = ["checked_on", "member", "club", "weight_kg", "systolic", "diastolic", "pulse"]
    list_filter = ["club__province"]
    search_fields = ["member__search_key", "club__code"]
    date_hierarchy = "checked_on"
    list_select_related = ["member", "club"]
    raw_id_fields = ["member", "activity"]
    autocomplete_fields = ["club"]


@admin.register(CareAssignment)
class CareAssignmentAdmin(LockedPeriodAdminMixin, admin.ModelAdmin):
    lock_dates = ("from_date", "to_date")
    list_display = ["club", "volunteer", "beneficiary", "from_date", "to_date"]
    search_fields = ["club__code", "volunteer__search_key", "beneficiary__search_key"]
    list_select_related = ["club", "volunteer", "beneficiary"]
    raw_id_fields = ["volunteer", "beneficiary"]
    autocomplete_fields = ["club"]


@admin.register(CareVisit)
class CareVisitAdmin(LockedPeriodAdminMixin, admin.ModelAdmin):
    lock_dates = ("visited_on",)
    list_display = ["visited_on", "club", "volunteer", "beneficiary"]
    search_fields = ["club__code", "beneficiary__search_key"]
    date_hierarchy = "visited_on"
    list_select_related = ["club", "volunteer", "beneficiary"]
    raw_id_fields = ["volunteer", "beneficiary"]
    autocomplete_fields = ["club"]


@admin.register(ClubRating)
class ClubRatingAdmin(LockedPeriodAdminMixin, SimpleHistoryAdmin):
    lock_dates = ("rated_on",)
    list_display = ["club", "year", "rating", "rated_on", "rated_by"]
    list_filter = ["year", "rating", "club__province"]
    search_fields = ["club__code", "club__name"]
    list_select_related = ["club", "rated_by"]
    autocomplete_fields = ["club"]
