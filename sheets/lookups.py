"""Look-ups shared by the kinds of import: the club a row belongs to."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from clubs.models import Club
from sheets.report import Context, RowIssues
from sheets.values import text


def clubs_by_code(context: Context) -> dict[str, dict]:
    """Every club by its code (upper case), read once per import."""
    if "clubs" not in context.cache:
        context.cache["clubs"] = {
            row["code"].upper(): row
            for row in Club.objects.values("id", "code", "name", "launched_on", "decision_date", "commune_id")
        }
    return context.cache["clubs"]


def resolve_club(values: dict[str, Any], issues: RowIssues, context: Context) -> dict | None:
    """The club a row names (its 'Mã CLB', else the club given for the whole file), or None with the
    row's error added. A file names few clubs over many rows: each distinct cell is resolved once per
    import, and its messages are added again to every row that has it."""
    cell = values.get("club_code")
    memo = context.cache.setdefault("club_by_cell", {})
    key = (cell.__class__, cell)
    try:
        club, messages = memo[key]
    except KeyError:
        found = RowIssues()
        club, messages = _resolve_club(cell, found, context), found.items
        memo[key] = club, messages
    except TypeError:  # an unhashable cell (no reader gives one)
        return _resolve_club(cell, issues, context)
    for column, message in messages:
        issues.add(column, message)
    return club


def _resolve_club(cell: Any, issues: RowIssues, context: Context) -> dict | None:
    code = text(cell).upper()
    if not code:
        if context.club is None:
            issues.add(
                "club_code",
                _("Thiếu mã CLB: ghi cột “Mã CLB” cho từng dòng, hoặc chọn một CLB cho cả tệp."),
            )
            return None
        if context.club_ids is not None and context.club.pk not in context.club_ids:
            issues.add(
                "club_code", _("CLB “%(code)s” không thuộc địa bàn của bạn.") % {"code": context.club.code}
            )
            return None
        return {
            "id": context.club.pk,
            "code": context.club.code,
            "launched_on": context.club.launched_on,
            "decision_date": context.club.decision_date,
        }
    club = clubs_by_code(context).get(code)
    if club is None:
        issues.add("club_code", _("Không có CLB mã “%(code)s” trong hệ thống.") % {"code": code})
    elif context.club_ids is not None and club["id"] not in context.club_ids:
        issues.add("club_code", _("CLB “%(code)s” không thuộc địa bàn của bạn.") % {"code": code})
        return None
    return club
