"""`{% change_history obj %}`: the "Lịch sử thay đổi" panel of an object page (django-simple-history).

Related records can be shown in the same panel, named by their reverse relation from `obj`:
`{% change_history loan "repayments" %}`, `{% change_history member "household_statuses" %}`, or
through two relations, `{% change_history club "funds__entries" own=False %}` (the ledger of the
club's funds without the club's own changes). Related history is selected by the foreign key kept
in each history record, so rows deleted since (a target removed from a plan) still show.
One query per source, whatever the number of records.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()

HISTORY_LIMIT = 20


def _actions() -> dict[str, str]:
    return {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}


def _label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:
        return field_name


def _shown(model, field_name: str, value: Any) -> Any:
    """A value as the pages show it: the label of a choice ("Chuyển sang CLB khác", not "transferred"),
    and an empty text as nothing (shown "—")."""
    if value == "":
        return None
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return value
    if field.choices and value is not None:
        return dict(field.flatchoices).get(value, value)
    return value


def _who(user) -> str:
    if user is None:
        return _("hệ thống")
    return user.get_full_name() or user.username


def related_history(obj: Model, path: str) -> QuerySet:
    """The history records of the rows reached from `obj` by reverse relations (`"funds__entries"`)."""
    model = type(obj)
    lookups: list[str] = []
    for name in path.split("__"):
        relation = model._meta.get_field(name)  # a reverse foreign key: ManyToOneRel
        lookups.insert(0, relation.field.name)
        model = relation.related_model
    return model.history.filter(**{"__".join(lookups): obj.pk})


def _newest(history: QuerySet, limit: int) -> list:
    return list(history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])


def _what(record, *, own: bool) -> str:
    """Which object a row is about, for a panel mixing several kinds of records."""
    model = record.instance_type
    label = capfirst(str(model._meta.verbose_name))
    if own:
        return label
    # The history record's own copy of the row: its __str__ reads only the row's fields.
    return f"{label} {record.instance}"


@register.inclusion_tag("includes/_change_history.html")
def change_history(obj: Model, *related: str, limit: int = HISTORY_LIMIT, own: bool = True) -> dict[str, Any]:
    """Who changed what and when, newest first, with the fields each change touched."""
    sources = ([(obj.history.all(), True)] if own else []) + [
        (related_history(obj, path), False) for path in related
    ]
    fetched = [(record, is_own) for history, is_own in sources for record in _newest(history, limit)]
    # The record before each one, for the same row (records of one row come newest first).
    previous: dict[int, Any] = {}
    seen: dict[tuple[type, Any], Any] = {}
    for record, _is_own in sorted(fetched, key=lambda pair: (pair[0].history_date, pair[0].history_id)):
        key = (record.instance_type, getattr(record, record.instance_type._meta.pk.attname))
        if key in seen:
            previous[id(record)] = seen[key]
        seen[key] = record
    newest_first = sorted(fetched, key=lambda pair: (pair[0].history_date, pair[0].history_id), reverse=True)
    actions = _actions()
    rows = []
    for record, is_own in newest_first[:limit]:
        changes = []
        before = previous.get(id(record))
        if before is not None and record.history_type == "~":
            delta = record.diff_against(before)
            model = record.instance_type
            changes = [
                (
                    _label(model, change.field),
                    _shown(model, change.field, change.old),
                    _shown(model, change.field, change.new),
                )
                for change in delta.changes
            ]
        rows.append(
            {
                "when": record.history_date,
                "who": _who(record.history_user),
                "what": _what(record, own=is_own) if related else "",
                "action": actions.get(record.history_type, record.history_type),
                "changes": changes,
                "reason": record.history_change_reason or "",
            }
        )
    return {"rows": rows, "truncated": len(fetched) > limit, "mixed": bool(related)}
