"""Contributions to a club's funds (state support, members, donors…): one row per receipt.

Each row becomes a contribution entry in the fund's ledger (money in). An entry is matched by
fund, date, amount, source and note, so re-importing the same file, or the ledger export,
creates nothing. Ledger rows of other kinds (interest, expenses…) are passed over.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from funds.models import EntryKind, Fund, FundEntry, FundKind, Source
from funds.services import fund_entry_add
from members.sheets.columns import CONTRIBUTION_COLUMNS
from members.sheets.engine import Context, ImportReport, RowIssues, RowWriteError
from members.sheets.import_members import resolve_club
from members.sheets.values import (
    CellError,
    code_key,
    is_blank,
    parse_date,
    parse_fund,
    parse_money,
    parse_source,
    text,
)

COLUMNS = CONTRIBUTION_COLUMNS
REQUIRED_ANY = (("amount",), ("entry_date",), ("fund",))
NAME_KEY = "amount"
# The ledger export writes kinds in Vietnamese (see exports.py).
_CONTRIBUTION_KEYS = {"dong gop ho tro", "dong gop", "contribution", "contribution support", "thu dong gop"}


def clean_row(values: dict[str, Any], issues: RowIssues, context: Context) -> dict | None:
    if not is_blank(values.get("entry_kind")) and code_key(values["entry_kind"]) not in _CONTRIBUTION_KEYS:
        return None  # a ledger row of another kind
    record: dict[str, Any] = {}
    try:
        record["fund_kind"] = parse_fund(values.get("fund"))
    except CellError as error:
        issues.add("fund", str(error))
    try:
        record["entry_date"], _year_only = parse_date(values.get("entry_date"))
        if record["entry_date"] is None:
            issues.add("entry_date", _("Thiếu ngày."))
        elif record["entry_date"] > context.today:
            issues.add("entry_date", _("Ngày ở tương lai."))
    except CellError as error:
        issues.add("entry_date", str(error))
    try:
        record["amount"] = parse_money(values.get("amount"), what=_("Số tiền"))
        if not record["amount"]:
            issues.add("amount", _("Thiếu số tiền."))
    except CellError as error:
        issues.add("amount", str(error))
    try:
        record["source"] = parse_source(values.get("source")) or Source.OTHER
    except CellError as error:
        issues.add("source", str(error))
    record["note"] = text(values.get("note"))[:300]
    club = resolve_club(values, issues, context)
    record["club_id"] = club["id"] if club else None
    return record


def _key(record: dict) -> tuple:
    return (record.get("club_id"), record.get("fund_kind"), record.get("entry_date"), record.get("amount"),
            record.get("source"), record.get("note"))  # fmt: skip


def duplicate_keys():
    def describe(record, others):
        return _("Khoản đóng góp này trùng với dòng %(rows)s của tệp (cùng quỹ, ngày, số tiền, nguồn và ghi chú): "
                 "nếu là hai khoản khác nhau, hãy ghi rõ ở cột Ghi chú.") % {"rows": others}  # fmt: skip

    return [(_key, describe, None)]


def plan(records: list[dict], report: ImportReport, context: Context) -> dict:
    club_ids = {r["club_id"] for r in records}
    funds = {(f.club_id, f.kind): f.pk for f in Fund.objects.filter(club_id__in=club_ids)}
    # Reversed entries count too: the ledger export lists them, and importing it back must change nothing.
    existing = Counter(
        (club_id, kind, entry_date, amount, source, note)
        for club_id, kind, entry_date, amount, source, note in FundEntry.objects.filter(
            fund__club_id__in=club_ids, kind=EntryKind.CONTRIBUTION
        ).values_list("fund__club_id", "fund__kind", "entry_date", "amount", "source", "note")
    )
    new = []
    for record in records:
        fund_id = funds.get((record["club_id"], record["fund_kind"]))
        if fund_id is None:
            report.add_error(record["_row"], context.layout.label("fund"), _("CLB chưa có %(fund)s.") % {"fund": FundKind(record["fund_kind"]).label})  # fmt: skip
            continue
        if existing[_key(record)] > 0:
            existing[_key(record)] -= 1
            report.unchanged += 1
            continue
        record["fund_id"] = fund_id
        new.append(record)
        report.new += 1
    return {"new": new}


def write(plan: dict, context: Context) -> None:
    """Each receipt through `fund_entry_add`, the funds' own checks included."""
    user = context.user if getattr(context.user, "pk", None) else None
    funds = Fund.objects.in_bulk({r["fund_id"] for r in plan["new"]})
    for r in plan["new"]:
        try:
            fund_entry_add(
                fund=funds[r["fund_id"]], kind=EntryKind.CONTRIBUTION, amount=r["amount"],
                entry_date=r["entry_date"], source=r["source"], note=r["note"], recorded_by=user,
            )  # fmt: skip
        except ValidationError as error:
            raise RowWriteError(r["_row"], "", " ".join(error.messages)) from error
