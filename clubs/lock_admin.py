"""The Django admin before approved periods (issue 16).

An admin putting records right goes past the services, so the admins of dated club data ask here:
a record may not be added, changed or deleted when its date — the one it had, or the one it is given —
lies in an approved period of its club's commune. The refusal is the period's own message, shown on
the form (or, for a deletion, above the record), never a server error."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect

from clubs.locks import PeriodLocked, active_locks_by_club


def first_locked(pairs: Iterable[tuple[int | None, datetime.date | None]]) -> PeriodLocked | None:
    """The refusal for the first (club id, day) inside an active lock of the club's commune; two queries."""
    pairs = [(club_id, day) for club_id, day in pairs if club_id is not None and day is not None]
    if not pairs:
        return None
    days = [day for _club, day in pairs]
    locks = active_locks_by_club({club_id for club_id, _day in pairs}, min(days), max(days))
    for club_id, day in sorted(pairs, key=lambda pair: pair[1]):
        for lock in locks.get(club_id, ()):
            if lock.starts_on <= day <= lock.ends_on:
                return PeriodLocked(lock, day)
    return None


def club_id_of(obj, path: str) -> int | None:
    """Follow `path` ("club", "member__club", "fund__club") by ids; None where a link is not set."""
    *links, last = path.split("__")
    for link in links:
        if getattr(obj, f"{link}_id", None) is None:
            return None
        obj = getattr(obj, link)
    return getattr(obj, f"{last}_id", None)


class _LockedForm(forms.ModelForm):
    """The admin's form, refusing a change to or into an approved period."""

    lock_dates: tuple[str, ...] = ()
    lock_club: str = "club"
    lock_whole_record = True

    def clean(self):
        cleaned = super().clean()
        if not self.has_changed():
            return cleaned
        if not self.lock_whole_record and not set(self.changed_data) & set(self.lock_dates):
            return cleaned  # register data (a name, a phone) is put right at any time, as member_update does
        if self.instance.pk is not None:  # the record as it was: moving it out of the period is a change too
            original = type(self.instance)._base_manager.filter(pk=self.instance.pk).first()
            if original is not None:
                refused = first_locked(
                    (club_id_of(original, self.lock_club), getattr(original, name))
                    for name in self.lock_dates
                )
                if refused is not None:
                    raise refused
        club_id = club_id_of(self.instance, self.lock_club)
        if self.lock_club == "club" and cleaned.get("club") is not None:
            club_id = cleaned["club"].pk
        given = {name: cleaned.get(name, getattr(self.instance, name, None)) for name in self.lock_dates}
        refused = first_locked((club_id, day) for day in given.values())
        if refused is not None:
            field = next(
                (name for name, day in given.items() if day == refused.day and name in self.fields), None
            )
            if field is None:
                raise refused
            self.add_error(field, refused)
        return cleaned


class LockedPeriodAdminMixin:
    """For a ModelAdmin of dated club data: `lock_dates`, the date fields; `lock_club`, the path to the club."""

    lock_dates: tuple[str, ...] = ()
    lock_club: str = "club"
    lock_whole_record = True  # False: only a change of the dates themselves (a member's register data)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs = {
            "lock_dates": self.lock_dates,
            "lock_club": self.lock_club,
            "lock_whole_record": self.lock_whole_record,
        }
        return type(form.__name__, (_LockedForm, form), attrs)

    def refusal_for(self, objects) -> PeriodLocked | None:
        return first_locked(
            (club_id_of(obj, self.lock_club), getattr(obj, name))
            for obj in objects
            for name in self.lock_dates
        )

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        refused = self.refusal_for([obj]) if obj is not None else None
        if refused is not None:
            self.message_user(request, refused.messages[0], messages.ERROR)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", obj.pk)
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (_delete_selected_open, name, description)
        return actions


def _delete_selected_open(modeladmin, request, queryset):
    """Django's bulk delete, unless a selected record lies in an approved period: then none is deleted."""
    refused = modeladmin.refusal_for(queryset.select_related(*_related(modeladmin.lock_club)))
    if refused is not None:
        modeladmin.message_user(request, refused.messages[0], messages.ERROR)
        return None
    return delete_selected(modeladmin, request, queryset)


def _related(path: str) -> list[str]:
    links = path.split("__")[:-1]
    return ["__".join(links)] if links else []


class LockedFormSet(BaseInlineFormSet):
    """An inline of dated rows (memberships, household statuses): kept, changed or deleted, none may touch
    an approved period. The club is the row's own when it has one, else its parent's."""

    lock_dates: tuple[str, ...] = ()

    def clean(self):
        super().clean()
        parent_club = getattr(self.instance, "club_id", None)
        for form in self.forms:
            if not form.has_changed() and not self._should_delete_form(form):
                continue
            pairs = []
            if form.instance.pk is not None:
                original = type(form.instance)._base_manager.filter(pk=form.instance.pk).first()
                if original is not None:
                    club_id = getattr(original, "club_id", None) or parent_club
                    pairs += [(club_id, getattr(original, name)) for name in self.lock_dates]
            if not self._should_delete_form(form) and hasattr(form, "cleaned_data"):
                club = form.cleaned_data.get("club")
                club_id = club.pk if club else parent_club
                pairs += [(club_id, form.cleaned_data.get(name)) for name in self.lock_dates]
            refused = first_locked(pairs)
            if refused is not None:
                if self._should_delete_form(form):
                    raise refused  # a deleted row's own errors are not looked at: the inline's
                form.add_error(None, refused)


class LockedInline(admin.TabularInline):
    lock_dates: tuple[str, ...] = ()

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (LockedFormSet, formset), {"lock_dates": self.lock_dates})
