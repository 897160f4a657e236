"""`{% change_history obj %}`: the "Lịch sử thay đổi" panel of an object page (django-simple-history)."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()

HISTORY_LIMIT = 20
_ACTIONS = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}


def _label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:
        return field_name


def _who(user) -> str:
    if user is None:
        return _("hệ thống")
    return user.get_full_name() or user.username


@register.inclusion_tag("includes/_change_history.html")
def change_history(obj, limit: int = HISTORY_LIMIT) -> dict:
    """Who changed what and when, newest first, with the fields each change touched."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    rows = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            changes = [(_label(type(obj), change.field), change.old, change.new) for change in delta.changes]
        rows.append(
            {
                "when": record.history_date,
                "who": _who(record.history_user),
                "action": _ACTIONS.get(record.history_type, record.history_type),
                "changes": changes,
                "reason": record.history_change_reason or "",
            }
        )
    return {"rows": rows, "truncated": len(records) > limit}
