from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.models import HouseholdStatus, Membership
from places.text import nfc, search_key


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["club"]


class HouseholdStatusInline(admin.TabularInline):
    model = HouseholdStatus
    extra = 0


# Registered by sheets.admin, which adds the spreadsheet import and export to it.
class MemberAdmin(SimpleHistoryAdmin):
    """For admins putting records right. Staff use the pages, whose services keep the history tables in step."""

    list_display = ["full_name", "birth_year", "sex", "club", "household", "joined_on", "left_on"]
    list_filter = ["sex", "household", "is_volunteer", "club__province"]
    search_fields = ["search_key", "=citizen_id", "club__code"]
    list_select_related = ["club"]
    autocomplete_fields = ["club"]
    readonly_fields = ["created_at", "updated_at"]
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
