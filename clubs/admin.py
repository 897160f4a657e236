from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from simple_history.admin import SimpleHistoryAdmin

from clubs.locks import CLUB_DATES, PeriodLocked, check_club_dates
from clubs.models import Assignment, BoardMembership, Club, CompositionStandard, Team


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 1
    autocomplete_fields = ["province", "commune"]


admin.site.unregister(User)


@admin.register(User)
class UserWithAssignmentsAdmin(UserAdmin):
    inlines = [AssignmentInline]


# ---------------------------------------------------------------------------
# The club register.
# ---------------------------------------------------------------------------


class BoardMembershipInline(admin.TabularInline):
    model = BoardMembership
    extra = 0
    autocomplete_fields = ["member"]


class ClubAdminForm(forms.ModelForm):
    """A club's dates, as they were and as they are given, may not touch an approved period (issue 16),
    as on the club's own page (clubs.services.club_update)."""

    def clean(self):
        cleaned = super().clean()
        if not set(self.changed_data) & {*CLUB_DATES, "commune"}:
            return cleaned
        before = Club.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        commune = cleaned.get("commune")
        given = Club(
            commune_id=commune.pk if commune else self.instance.commune_id,
            **{name: cleaned.get(name, getattr(self.instance, name)) for name in CLUB_DATES},
        )
        try:
            check_club_dates(club=given, before=before)
        except PeriodLocked as refused:
            self.add_error(refused.field if refused.field in self.fields else None, refused.messages)
        return cleaned


# Registered by sheets.admin, which adds the spreadsheet import and export to it.
class ClubAdmin(SimpleHistoryAdmin):
    form = ClubAdminForm
    list_display = ["code", "name", "commune", "province", "decision_date", "launched_on", "dissolved_on"]
    list_filter = ["province"]
    search_fields = ["code", "name", "commune__name"]
    list_select_related = ["province", "commune"]
    autocomplete_fields = ["commune", "legacy_commune"]
    readonly_fields = ["province", "created_at", "updated_at"]
    inlines = [BoardMembershipInline]

    def save_model(self, request, obj, form, change):
        obj.province_id = obj.commune.province_id  # the province follows the commune, as in the pages
        super().save_model(request, obj, form, change)


@admin.register(CompositionStandard)
class CompositionStandardAdmin(admin.ModelAdmin):
    """The one place where the composition thresholds are set: nationally, or for one province."""

    list_display = [
        "__str__",
        "members_min",
        "members_max",
        "women_pct_min",
        "women_pct_max",
        "older_pct_min",
        "older_pct_max",
        "younger_pct_min",
        "younger_pct_max",
        "poor_pct_min",
        "poor_pct_max",
        "volunteers_min",
    ]
    autocomplete_fields = ["province"]


@admin.register(BoardMembership)
class BoardMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["club", "role", "member", "from_date", "to_date"]
    list_filter = ["role", "club__province"]
    search_fields = ["club__code", "member__search_key"]
    list_select_related = ["club", "member"]
    autocomplete_fields = ["club", "member"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "club", "kind", "area", "leader"]
    list_filter = ["kind", "area"]
    search_fields = ["name", "club__code"]
    list_select_related = ["club", "leader"]
    autocomplete_fields = ["club", "leader", "members"]
