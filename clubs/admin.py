from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from simple_history.admin import SimpleHistoryAdmin

from clubs import accounts
from clubs.locks import CLUB_DATES, PeriodLocked, check_club_dates
from clubs.models import (
    AccountAction,
    AccountEvent,
    Assignment,
    BoardMembership,
    Club,
    CompositionStandard,
    Team,
)


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 1
    autocomplete_fields = ["province", "commune"]


admin.site.unregister(User)


@admin.register(User)
class UserWithAssignmentsAdmin(UserAdmin):
    """Users and their roles. What an admin changes here is recorded as on the people pages
    (clubs/accounts.py): creating, roles, deactivating, reactivating, setting a password."""

    inlines = [AssignmentInline]

    def save_model(self, request, obj, form, change):
        request.account_roles_before = accounts.roles_text(obj) if change else ""
        super().save_model(request, obj, form, change)
        if not change:
            return
        if "is_active" in form.changed_data:
            action = AccountAction.REACTIVATED if obj.is_active else AccountAction.DEACTIVATED
            accounts.admin_change_record(
                actor=request.user, person=obj, action=action, previous=request.account_roles_before
            )
        if {"is_superuser", "is_staff"} & set(form.changed_data):
            accounts.admin_change_record(
                actor=request.user, person=obj, action=AccountAction.ROLE_CHANGED, previous=request.account_roles_before
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        person = form.instance
        if not change:
            accounts.admin_change_record(actor=request.user, person=person, action=AccountAction.CREATED)
        elif any(formset.has_changed() for formset in formsets):
            accounts.admin_change_record(
                actor=request.user,
                person=person,
                action=AccountAction.ROLE_CHANGED,
                previous=getattr(request, "account_roles_before", ""),
            )

    def user_change_password(self, request, id, form_url=""):
        before = User.objects.filter(pk=id).values_list("password", flat=True).first()
        response = super().user_change_password(request, id, form_url)
        person = User.objects.filter(pk=id).first()
        if request.method == "POST" and person is not None and person.password != before:
            own = person.pk == request.user.pk
            action = AccountAction.PASSWORD_CHANGED if own else AccountAction.PASSWORD_RESET
            accounts.admin_change_record(actor=request.user, person=person, action=action)
        return response


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


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """The account log, read only: who did what to whose account, when."""

    list_display = ["at", "action", "person", "role", "province", "commune", "actor"]
    list_filter = ["action", "role"]
    search_fields = ["person__username", "actor__username"]
    list_select_related = ["person", "actor", "province", "commune"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
