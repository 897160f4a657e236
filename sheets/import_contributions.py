"""Contributions to a club's funds (state support, members, donors…): one row per receipt.

Each row becomes a contribution entry in the fund's ledger (money in). A row of the ledger export
carries its entry's number (`Số bút toán`) and is matched by it: two receipts alike in every other
column (two members paying 50.000 đ at one meeting) come back as the two entries they are. A row
without a number is matched by fund, date, amount, source and note, against the entries no numbered
row claimed; two such rows alike in the file are an error, since nothing tells them apart. So
re-importing the same file, or the ledger export, creates nothing. Ledger rows of other kinds
(interest, expenses…) are passed over. The ledger is never edited by an import: a numbered row that
differs from its entry is an error (corrections are reversal entries, made in the ledger).
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funds.models import ENTRY_DIRECTION, EntryKind, Fund, FundEntry, FundKind, Source
from funds.money import MAX_AMOUNT, format_vnd
from funds.services import fund_entry_add
from funds.totals import totals_recompute
from places.text import PROSE_FORMULA_SIGNS
from sheets import bulk
from sheets.columns import CONTRIBUTION_COLUMNS
from sheets.lookups import resolve_club
from sheets.period_locks import refuse_locked_rows, rows_checked
from sheets.report import Context, ImportReport, RowIssues, RowWriteError, unchanged_label
from sheets.values import (
    CellError,
    code_key,
    is_blank,
    parse_date,
    parse_fund,
    parse_int,
    parse_money,
    parse_remembered,
    parse_source,
    text,
)

COLUMNS = CONTRIBUTION_COLUMNS
REQUIRED_ANY = (("amount",), ("entry_date",), ("fund",))
NAME_KEY = "amount"
# Free-text columns checked for a leading formula sign (sheets.engine), each → whether it is prose.
FREE_TEXT = {"note": True}
# The ledger export writes kinds in Vietnamese (see exports.py).
_CONTRIBUTION_KEYS = {"dong gop ho tro", "dong gop", "contribution", "contribution support", "thu dong gop"}


# `what` is translated when a message needs it, not on every row.
_parse_amount = partial(parse_money, what=gettext_lazy("Số tiền"))
_parse_entry_id = partial(parse_int, what=gettext_lazy("Số bút toán"))


def clean_row(values: dict[str, Any], issues: RowIssues, context: Context) -> dict | None:
    if not is_blank(values.get("entry_kind")) and code_key(values["entry_kind"]) not in _CONTRIBUTION_KEYS:
        return None  # a ledger row of another kind
    record: dict[str, Any] = {}
    memo = context.cache.setdefault("parsed", {})  # cells repeat: funds, dates, amounts, sources
    try:
        record["fund_kind"] = parse_remembered(memo, parse_fund, values.get("fund"))
    except CellError as error:
        issues.add("fund", str(error))
    try:
        record["entry_date"], _year_only = parse_remembered(memo, parse_date, values.get("entry_date"))
        if record["entry_date"] is None:
            issues.add("entry_date", _("Thiếu ngày."))
        elif record["entry_date"] > context.today:
            issues.add("entry_date", _("Ngày ở tương lai."))
    except CellError as error:
        issues.add("entry_date", str(error))
    try:
        record["amount"] = parse_remembered(memo, _parse_amount, values.get("amount"))
        if not record["amount"]:
            issues.add("amount", _("Thiếu số tiền."))
    except CellError as error:
        issues.add("amount", str(error))
    try:
        record["source"] = parse_remembered(memo, parse_source, values.get("source")) or Source.OTHER
    except CellError as error:
        issues.add("source", str(error))
    record["note"] = text(values.get("note"))[:300]
    try:
        record["entry_id"] = _parse_entry_id(values.get("entry_id"))
    except CellError as error:
        issues.add("entry_id", str(error))
    club = resolve_club(values, issues, context)
    record["club_id"] = club["id"] if club else None
    return record


def _key(record: dict) -> tuple:
    return (record.get("club_id"), record.get("fund_kind"), record.get("entry_date"), record.get("amount"),
            record.get("source"), record.get("note"))  # fmt: skip


def duplicate_keys():
    def by_number(record):
        return record.get("entry_id")

    def by_content(record):
        return None if record.get("entry_id") else _key(record)

    def describe_number(record, others):
        return _("Số bút toán %(id)s trùng với dòng %(rows)s của tệp.") % {
            "id": record["entry_id"],
            "rows": others,
        }

    def describe(record, others):
        return _("Khoản đóng góp này trùng với dòng %(rows)s của tệp (cùng quỹ, ngày, số tiền, nguồn và ghi chú): "
                 "nếu là hai khoản khác nhau, hãy ghi rõ ở cột Ghi chú.") % {"rows": others}  # fmt: skip

    return [(by_number, describe_number, None), (by_content, describe, None)]


_COMPARED = (
    ("fund_kind", gettext_lazy("quỹ")),
    ("entry_date", gettext_lazy("ngày")),
    ("amount", gettext_lazy("số tiền")),
    ("source", gettext_lazy("nguồn")),
    ("note", gettext_lazy("ghi chú")),
)


def _shown(field: str, value: Any) -> str:
    if field == "fund_kind":
        return str(FundKind(value).label)
    if field == "source":
        return str(Source(value).label) if value else "—"
    if field == "amount":
        return format_vnd(value)
    return unchanged_label(value)


def plan(records: list[dict], report: ImportReport, context: Context) -> dict:
    layout = context.layout
    club_ids = {r["club_id"] for r in records}
    funds = {(f.club_id, f.kind): f.pk for f in Fund.objects.filter(club_id__in=club_ids)}
    # Reversed entries count too: the ledger export lists them, and importing it back must change nothing.
    entries = {
        entry_id: {"club_id": club_id, "fund_kind": kind, "entry_date": entry_date, "amount": amount,
                   "source": source, "note": note}
        for entry_id, club_id, kind, entry_date, amount, source, note in FundEntry.objects.filter(
            fund__club_id__in=club_ids, kind=EntryKind.CONTRIBUTION
        ).values_list("id", "fund__club_id", "fund__kind", "entry_date", "amount", "source", "note")
    }  # fmt: skip
    claimed = {r["entry_id"] for r in records if r.get("entry_id") in entries}
    unnumbered = Counter(_key(entry) for entry_id, entry in entries.items() if entry_id not in claimed)
    new = []
    for record in records:
        fund_id = funds.get((record["club_id"], record["fund_kind"]))
        if fund_id is None:
            report.add_error(record["_row"], layout.label("fund"), _("CLB chưa có %(fund)s.") % {"fund": FundKind(record["fund_kind"]).label})  # fmt: skip
            continue
        if record.get("entry_id"):
            _match_numbered(record, entries.get(record["entry_id"]), report, layout)
            continue
        if unnumbered[_key(record)] > 0:
            unnumbered[_key(record)] -= 1
            report.unchanged += 1
            continue
        record["fund_id"] = fund_id
        new.append(record)
        report.new += 1
    refuse_locked_rows(
        report, [(r["_row"], layout.label("entry_date"), r["club_id"], r["entry_date"]) for r in new]
    )
    return {"new": new}


def _match_numbered(record: dict, entry: dict | None, report: ImportReport, layout) -> None:
    """A row of the ledger export: its entry must be there, as the row describes it."""
    number = record["entry_id"]
    if entry is None or entry["club_id"] != record["club_id"]:
        report.add_error(record["_row"], layout.label("entry_id"), _(
            "Sổ quỹ của CLB không có khoản đóng góp số %(id)s. Nếu đây là một khoản mới, hãy để trống "
            "cột Số bút toán."
        ) % {"id": number})  # fmt: skip
        return
    differences = [
        f"{label}: {_shown(field, entry[field])} → {_shown(field, record[field])}"
        for field, label in _COMPARED
        if entry[field] != record[field]
    ]
    if differences:
        report.add_error(record["_row"], layout.label("entry_id"), _(
            "Khoản đóng góp số %(id)s đã có trong sổ quỹ với thông tin khác (%(diff)s). Nhập từ bảng tính không "
            "sửa sổ quỹ: hãy ghi bút toán đảo trong sổ quỹ, hoặc để trống cột Số bút toán nếu đây là một khoản mới."
        ) % {"id": number, "diff": "; ".join(differences)})  # fmt: skip
        return
    report.unchanged += 1


def write(plan: dict, context: Context) -> None:
    """Each receipt through `fund_entry_add`, the funds' own checks included."""
    user = context.user if getattr(context.user, "pk", None) else None
    funds = Fund.objects.in_bulk({r["fund_id"] for r in plan["new"]})
    with rows_checked([(r["_row"], "", r["club_id"], r["entry_date"]) for r in plan["new"]]):
        _write(plan, funds, user)


def _write(plan: dict, funds: dict, user) -> None:
    """What `fund_entry_add` writes for each receipt — the entry and its history record — in bulk: one
    COPY (PostgreSQL) for the file instead of a save, a full_clean and their queries per row (a
    contribution file went at 56 rows a second). A row the service might refuse (the checks below
    are what it checks for a contribution, the period locks already asked by `rows_checked`) goes
    through the service itself, so its error is the service's, at that row."""
    today, now = timezone.localdate(), timezone.now()
    rows = []
    for r in plan["new"]:
        note = r["note"].strip()
        if not _plainly_valid(r, note, today):
            try:
                fund_entry_add(
                    fund=funds[r["fund_id"]], kind=EntryKind.CONTRIBUTION, amount=r["amount"],
                    entry_date=r["entry_date"], source=r["source"], note=r["note"], recorded_by=user,
                )  # fmt: skip
            except ValidationError as error:
                raise RowWriteError(r["_row"], "", " ".join(error.messages)) from error
            continue
        rows.append({
            "fund_id": r["fund_id"], "entry_date": r["entry_date"], "kind": EntryKind.CONTRIBUTION,
            "amount": r["amount"], "direction": ENTRY_DIRECTION[EntryKind.CONTRIBUTION], "source": r["source"],
            "note": note, "recorded_by_id": getattr(user, "pk", None), "recorded_at": now,
        })  # fmt: skip
    bulk.insert(FundEntry, rows, ids=True)
    bulk.insert_history_as_stored(FundEntry, rows, user_id=bulk.history_user_id(), reason=None, when=now)
    # What fund_entry_add keeps after each entry: the funds' running totals by month (funds.totals).
    if rows:
        totals_recompute({row["fund_id"] for row in rows})


def _plainly_valid(r: dict, note: str, today) -> bool:
    """Whether `fund_entry_add` (its own checks and the entry's full_clean) would take the row as it is."""
    amount = r["amount"]
    return (
        amount.__class__ is int
        and 0 < amount <= MAX_AMOUNT
        and r["entry_date"] is not None
        and r["entry_date"] <= today
        and r["source"] in Source.values
        and len(note) <= FundEntry._meta.get_field("note").max_length
        and not note.lstrip().startswith(PROSE_FORMULA_SIGNS)  # the note's NoFormulaStart(prose=True)
    )
