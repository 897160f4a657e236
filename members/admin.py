from simple_history.admin import SimpleHistoryAdmin

from clubs.lock_admin import LockedInline, LockedPeriodAdminMixin
from members.models import HouseholdStatus, Membership
from places.text import nfc, search_key


class MembershipInline(LockedInline):
    model = Membership
    lock_dates = ("joined_on", "left_on")
    extra = 0
    autocomplete_fields = ["club"]


class HouseholdStatusInline(LockedInline):
    model = HouseholdStatus
    lock_dates = ("valid_from", "valid_to")
    extra = 0


# Registered by sheets.admin, which adds the spreadsheet import and export to it.
class MemberAdmin(LockedPeriodAdminMixin, SimpleHistoryAdmin):
    """For admins putting records right. Staff use the pages, whose services keep the history tables in step."""

    list_display = ["full_name", "birth_year", "sex", "club", "household", "joined_on", "left_on"]
    list_filter = ["sex", "household", "is_volunteer", "club__province"]
    search_fields = ["search_key", "=citizen_id", "club__code"]
    list_select_related = ["club"]
    autocomplete_fields = ["club"]
    readonly_fields = ["created_at", "updated_at"]
    # Neither may be moved into, out of or within an approved period (issue 16); names and the like may.
    lock_dates, lock_whole_record = ("joined_on", "left_on"), False
    inlines = [MembershipInline, HouseholdStatusInline]

    def get_search_results(self, request, queryset, search_term):
        # Names are searched without diacritics, as in the pages.
        return super().get_search_results(request, queryset, search_key(search_term))

    def save_model(self, request, obj, form, change):
        obj.full_name = nfc(obj.full_name)
        obj.search_key = search_key(obj.full_name)
        if obj.citizen_id == "":
            obj.citizen_id = None
        super().save_model(request, obj, form, change)
