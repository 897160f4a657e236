"""Member lists: one row per person.

A row is matched to a member by citizen ID, else by club + name without diacritics + birth year
(`Member.search_key`). New members get what `members.services.member_create` writes for one
person — the member, the open Membership, a HouseholdStatus row when poor / near-poor / hardship —
and, when the row names a board role, a BoardMembership seat; all in bulk.

An empty cell never erases what the register holds; an 'x' column (volunteer, health insurance)
that is present is read as a whole: empty there means "no".
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from clubs.models import BoardMembership, BoardRole
from members.ethnicity import KINH
from members.models import Household, HouseholdStatus, Member, Membership, Sex
from places.text import search_key
from sheets import bulk
from sheets.columns import MEMBER_COLUMNS
from sheets.lookups import resolve_club
from sheets.period_locks import refuse_locked_rows, rows_checked
from sheets.report import Change, Context, ImportReport, RowIssues, unchanged_label
from sheets.values import (
    ETHNICITY_NAMES,
    CellError,
    is_blank,
    parse_board_role,
    parse_citizen_id,
    parse_date,
    parse_ethnicity,
    parse_household,
    parse_mark,
    parse_phone,
    parse_remembered,
    parse_sex,
    parse_year,
    text,
)

COLUMNS = MEMBER_COLUMNS
REQUIRED_ANY = (
    ("full_name",),
    (
        "birth_year",
        "birth_date",
        "birth_year_male",
        "birth_year_female",
        "birth_date_male",
        "birth_date_female",
    ),
)
NAME_KEY = "full_name"
# Free-text columns checked for a leading formula sign (sheets.engine), each → whether it is prose.
FREE_TEXT = {"full_name": False, "village": False}
BATCH = 10_000  # rows per COPY / bulk statement
IDS_PER_QUERY = 5_000  # citizen ids looked up per query on SQLite (PostgreSQL takes them all as one array)
CHANGE_REASON = "Nhập từ bảng tính"

# The fields a row can set, in the order the diff shows them.
FIELDS = (
    "full_name", "birth_year", "birth_date", "sex", "ethnicity", "household", "village", "citizen_id",
    "phone", "joined_on", "is_volunteer", "has_health_insurance",
)  # fmt: skip


def field_label(name: str) -> str:
    if name == "board_role":
        return _("Chức vụ")
    return str(Member._meta.get_field(name).verbose_name).capitalize()


def _sex_and_birth(values: dict[str, Any], issues: RowIssues, record: dict, memo: dict) -> None:
    sex = None
    if not is_blank(values.get("sex")):
        try:
            sex = parse_remembered(memo, parse_sex, values["sex"])
        except CellError as error:
            issues.add("sex", str(error))
    year = birth_date = None
    # "Năm sinh" split into "Nam" / "Nữ": the year is written under the person's sex.
    written_under = []
    for key, column_sex in (
        ("birth_year_male", Sex.MALE),
        ("birth_year_female", Sex.FEMALE),
        ("birth_date_male", Sex.MALE),
        ("birth_date_female", Sex.FEMALE),
    ):
        if not is_blank(values.get(key)):
            try:
                year, birth_date = parse_remembered(memo, parse_year, values[key])
                written_under.append((key, column_sex))
            except CellError as error:
                issues.add(key, str(error))
    if len({s for _k, s in written_under}) > 1:
        issues.add(written_under[-1][0], _("Năm sinh ghi ở cả cột Nam và cột Nữ: chỉ ghi ở một cột."))
    elif written_under and sex is None:
        sex = written_under[0][1]
    # An 'x' under "Nữ" (and perhaps under "Nam").
    if sex is None and ("mark_female" in values or "mark_male" in values):
        try:
            female = parse_remembered(memo, parse_mark, values.get("mark_female", ""))
            male = (
                parse_remembered(memo, parse_mark, values.get("mark_male", ""))
                if "mark_male" in values
                else not female
            )
        except CellError as error:
            issues.add("mark_female", str(error))
        else:
            if female and male:
                issues.add("mark_female", _("Đánh dấu cả Nam và Nữ: chỉ đánh dấu một cột."))
            elif female or male:
                sex = Sex.FEMALE if female else Sex.MALE
    for key in ("birth_year", "birth_date"):
        if not is_blank(values.get(key)):
            try:
                found_year, found_date = parse_remembered(memo, parse_year, values[key])
            except CellError as error:
                issues.add(key, str(error))
                continue
            if year is not None and found_year != year:
                issues.add(key, _("Năm sinh %(a)s và %(b)s không khớp nhau.") % {"a": year, "b": found_year})
            year = year or found_year
            birth_date = birth_date or found_date
    if year is None and not any(key for key, _m in issues.items if "birth" in key):
        issues.add(_first_present(values, REQUIRED_ANY[1]) or "birth_year", _("Thiếu năm sinh."))
    if sex is None and not any(key in ("sex", "mark_female") for key, _m in issues.items):
        issues.add("sex" if "sex" in values else _first_present(values, ("mark_female", "mark_male", "birth_year_male", "birth_year_female")) or "sex", _("Thiếu giới tính (Nam/Nữ)."))  # fmt: skip
    record["sex"], record["birth_year"] = sex, year
    if birth_date is not None:
        record["birth_date"] = birth_date


# What _sex_and_birth reads. A list holds a few hundred combinations of them (two sexes, a few dozen
# birth years, an 'x' or nothing) over 50,000 rows: each combination is worked out once per import.
_SEX_AND_BIRTH_KEYS = (
    "sex", "birth_year_male", "birth_year_female", "birth_date_male", "birth_date_female", "mark_female",
    "mark_male", "birth_year", "birth_date",
)  # fmt: skip


def _sex_and_birth_remembered(values: dict[str, Any], issues: RowIssues, record: dict, memo: dict) -> None:
    """_sex_and_birth(values, …), remembered per combination of the cells it reads (and their classes:
    1, 1.0 and True are equal keys). Which columns the sheet has is the same for every row of an import."""
    cells = tuple(map(values.get, _SEX_AND_BIRTH_KEYS))
    key = ("sex_and_birth", cells, tuple(map(type, cells)))
    try:
        found = memo.get(key)
    except TypeError:  # an unhashable cell (no reader gives one): not remembered
        _sex_and_birth(values, issues, record, memo)
        return
    if found is None:
        own, fields = RowIssues(), {}
        _sex_and_birth(values, own, fields, memo)
        found = memo[key] = (fields, own.items)
    fields, items = found
    record.update(fields)
    for column, message in items:
        issues.add(column, message)


def _first_present(values: dict, keys: tuple[str, ...]) -> str | None:
    return next((k for k in keys if k in values), None)


# (column, parser, whether its answers are remembered per distinct cell: not for IDs and phone
# numbers, which are different on every row).
_PARSERS = (
    ("ethnicity", parse_ethnicity, True),
    ("household", parse_household, True),
    ("citizen_id", parse_citizen_id, False),
    ("phone", parse_phone, False),
    ("board_role", parse_board_role, True),
)


def clean_row(values: dict[str, Any], issues: RowIssues, context: Context) -> dict | None:
    record: dict[str, Any] = {}
    name = text(values.get("full_name"))
    if not name:
        issues.add("full_name", _("Thiếu họ và tên."))
    elif len(name) > 120:
        issues.add("full_name", _("Họ và tên dài quá 120 ký tự."))
    record["full_name"], record["search_key"] = name, search_key(name)
    memo = context.cache.setdefault("parsed", {})
    _sex_and_birth_remembered(values, issues, record, memo)
    for key, parse, remembered in _PARSERS:
        if key in values and not is_blank(values[key]):
            try:
                record[key] = parse_remembered(memo, parse, values[key]) if remembered else parse(values[key])
            except CellError as error:
                issues.add(key, str(error))
    if "board_role" in record and record["board_role"] is None:
        del record["board_role"]
    for key in ("is_volunteer", "has_health_insurance"):
        if key in values:
            try:
                record[key] = parse_remembered(memo, parse_mark, values[key])
            except CellError as error:
                issues.add(key, str(error))
    village = text(values.get("village"))
    if village:
        if len(village) > 120:
            issues.add("village", _("Tên thôn dài quá 120 ký tự."))
        record["village"] = village
    if not is_blank(values.get("joined_on")):
        try:
            record["joined_on"], _year_only = parse_remembered(memo, parse_date, values["joined_on"])
        except CellError as error:
            issues.add("joined_on", str(error))
        else:
            if record["joined_on"] > context.today:
                issues.add("joined_on", _("Ngày tham gia ở tương lai."))
    club = resolve_club(values, issues, context)
    if club is not None:
        record["club_id"] = club["id"]
        record["_club_code"] = club["code"]
        record["_club_start"] = club["launched_on"] or club["decision_date"] or context.today
    return record


def preview_row(record: dict) -> dict[str, str]:
    """A row as the import read it: the preview shows these before anything is written."""
    birth_date = record.get("birth_date")
    household = record.get("household")
    return {
        "full_name": record.get("full_name") or "—",
        "birth": f"{birth_date:%d/%m/%Y}" if birth_date else str(record.get("birth_year") or "—"),
        "sex": str(Sex(record["sex"]).label) if record.get("sex") else "—",
        "household": str(Household(household).label) if household else "—",
        "club": record.get("_club_code", ""),
    }


def duplicate_keys():
    """Two rows are one person: same citizen ID; or same club, name and birth year, unless every
    row of that name carries its own citizen ID (then they are namesakes)."""

    def by_citizen_id(record):
        return record.get("citizen_id")

    def by_name(record):
        if record.get("club_id") is None or not record.get("search_key"):
            return None
        return (record["club_id"], record["search_key"], record.get("birth_year"))

    def namesakes_with_ids(group):
        ids = [r.get("citizen_id") for r in group]
        return all(ids) and len(set(ids)) == len(ids)

    def describe_id(record, others):
        return _("Số CCCD %(id)s trùng với dòng %(rows)s của tệp.") % {
            "id": record["citizen_id"],
            "rows": others,
        }

    def describe_name(record, others):
        return _("“%(name)s” (%(year)s) trùng với dòng %(rows)s của tệp (cùng CLB, họ tên và năm sinh).") % {
            "name": record["full_name"],
            "year": record.get("birth_year"),
            "rows": others,
        }

    return [(by_citizen_id, describe_id, None), (by_name, describe_name, namesakes_with_ids)]


_VALUES = ("id", "club_id", "search_key", *FIELDS)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def plan(records: list[dict], report: ImportReport, context: Context) -> dict:
    ids = [r["citizen_id"] for r in records if r.get("citizen_id")]
    by_id: dict[str, dict] = {}
    if connection.vendor == "postgresql":
        # One array parameter instead of tens of thousands of literals for the server to parse.
        chunks = [RawSQL("SELECT unnest(%s::varchar[])", [bulk.array_text(ids)])] if ids else []
    else:
        chunks = list(_chunks(ids, IDS_PER_QUERY))
    for chunk in chunks:
        for row in Member.objects.filter(citizen_id__in=chunk).values(*_VALUES):
            by_id[row["citizen_id"]] = row
    club_ids = {r["club_id"] for r in records if r.get("club_id")}
    by_name: dict[tuple, list[dict]] = defaultdict(list)
    for row in Member.objects.filter(club_id__in=club_ids).values(*_VALUES).iterator(chunk_size=5000):
        by_name[(row["club_id"], row["search_key"], row["birth_year"])].append(row)
    seats = dict(
        BoardMembership.objects.filter(club_id__in=club_ids, to_date__isnull=True).values_list(
            "member_id", "role"
        )
    )
    new, updates = [], []
    label = context.layout.label
    dated = []  # (row, column, club, day) of every write the file would make with a date
    for record in records:
        existing = by_id.get(record.get("citizen_id") or "")
        if existing is not None and existing["club_id"] != record["club_id"]:
            if context.club_ids is None or existing["club_id"] in context.club_ids:
                message = _(
                    "Số CCCD %(id)s đã là của thành viên %(name)s ở CLB khác; muốn chuyển CLB hãy dùng chức năng chuyển CLB."
                ) % {"id": record["citizen_id"], "name": existing["full_name"]}
            else:  # a member outside the importer's area: not named to them
                message = _("Số CCCD %(id)s đã là của một thành viên ở CLB ngoài địa bàn của bạn.") % {
                    "id": record["citizen_id"]
                }
            report.add_error(record["_row"], context.layout.label("citizen_id"), message)
            continue
        if existing is None:
            candidates = [
                row
                for row in by_name.get((record["club_id"], record["search_key"], record["birth_year"]), [])
                if not (
                    record.get("citizen_id")
                    and row["citizen_id"]
                    and row["citizen_id"] != record["citizen_id"]
                )
            ]
            if len(candidates) > 1:
                report.add_error(
                    record["_row"],
                    "",
                    _(
                        "CLB đã có %(n)s thành viên tên “%(name)s” sinh năm %(year)s: ghi số CCCD để biết là ai."
                    )
                    % {"n": len(candidates), "name": record["full_name"], "year": record["birth_year"]},
                )
                continue
            existing = candidates[0] if candidates else None
        if existing is None:
            new.append(record)
            report.new += 1
            continue
        diff = {name: record[name] for name in FIELDS if name in record and record[name] != existing[name]}
        if "board_role" in record and seats.get(existing["id"]) != record["board_role"]:
            diff["board_role"] = record["board_role"]
        if not diff:
            report.unchanged += 1
            continue
        report.updated += 1
        updates.append((existing["id"], diff))
        if "joined_on" in diff:  # neither the old join date nor the new one may lie in an approved period
            dated += [(record["_row"], label("joined_on"), record["club_id"], day) for day in (existing["joined_on"], diff["joined_on"])]  # fmt: skip
        if "household" in diff:  # a new household status starts today
            dated.append((record["_row"], label("household"), record["club_id"], context.today))
        report.add_change(
            Change(
                record["_row"],
                f"{existing['full_name']} ({existing['birth_year']})",
                [
                    (
                        field_label(name),
                        _show(name, existing.get(name, seats.get(existing["id"]))),
                        _show(name, value),
                    )
                    for name, value in diff.items()
                ],
            )
        )
    dated += [
        (r["_row"], label("joined_on"), r["club_id"], r.get("joined_on") or r["_club_start"]) for r in new
    ]
    refuse_locked_rows(report, dated)
    return {"new": new, "updates": updates, "dated": dated}


def _show(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if name == "sex":
        return str(Sex(value).label)
    if name == "household":
        return str(Household(value).label)
    if name == "ethnicity":
        return ETHNICITY_NAMES.get(value, str(value))
    if name == "board_role":
        return str(BoardRole(value).label)
    return unchanged_label(value)


def write(plan: dict, context: Context) -> None:
    with rows_checked(plan["dated"]):  # asked again in the transaction: one query
        _write(plan, context)


def _write(plan: dict, context: Context) -> None:
    user = context.user if getattr(context.user, "pk", None) else None
    for chunk in _chunks(plan["new"], BATCH):
        _create(chunk, context, user)
    for chunk in _chunks(plan["updates"], BATCH):
        _update(chunk, context, user)


def _create(records: list[dict], context: Context, user) -> None:
    now = timezone.now()
    rows = [
        {
            "club_id": r["club_id"],
            "full_name": r["full_name"],
            "search_key": r["search_key"],
            "birth_year": r["birth_year"],
            "birth_date": r.get("birth_date"),
            "sex": r["sex"],
            "ethnicity": r.get("ethnicity") or KINH,
            "household": r.get("household") or Household.NONE,
            "citizen_id": r.get("citizen_id"),
            "phone": r.get("phone", ""),
            "village": r.get("village", ""),
            "joined_on": r.get("joined_on") or r["_club_start"],
            "left_on": None,
            "leave_reason": "",
            "is_volunteer": r.get("is_volunteer", False),
            "has_health_insurance": r.get("has_health_insurance", False),
            "health_insurance_expires_on": None,
            "notes": "",
            "created_at": now,
            "updated_at": now,
        }
        for r in records
    ]
    history = {"user_id": getattr(user, "pk", None), "reason": CHANGE_REASON, "when": now}
    bulk.insert(Member, rows, ids=True)
    bulk.insert_history_as_stored(Member, rows, **history)
    if connection.vendor == "postgresql":
        # The open membership and the household status repeat the member row: made by the server from it.
        # (Ids in the rows' order, as insert() numbers them.)
        member_ids = bulk.array_text([m["id"] for m in rows])
        stays = [
            {"id": pk}
            for pk in bulk.insert_derived(
                Membership, Member, member_ids, {"member_id": "id", "club_id": "club_id", "joined_on": "joined_on"}
            )
        ]
        statuses = [
            {"id": pk}
            for pk in bulk.insert_derived(
                HouseholdStatus, Member, member_ids, {"member_id": "id", "status": "household", "valid_from": "joined_on"},
                where="household <> %s", params=(Household.NONE,),
            )
        ]  # fmt: skip
    else:
        stays = [{"member_id": m["id"], "club_id": m["club_id"], "joined_on": m["joined_on"]} for m in rows]
        bulk.insert(Membership, stays, ids=True)
        statuses = [
            {"member_id": m["id"], "status": m["household"], "valid_from": m["joined_on"]}
            for m in rows
            if m["household"] != Household.NONE
        ]
        bulk.insert(HouseholdStatus, statuses, ids=True)
    bulk.insert_history_as_stored(Membership, stays, **history)
    bulk.insert_history_as_stored(HouseholdStatus, statuses, **history)
    seats = [
        {"club_id": m["club_id"], "member_id": m["id"], "role": r["board_role"], "from_date": m["joined_on"]}
        for m, r in zip(rows, records, strict=True)
        if r.get("board_role")
    ]
    bulk.insert(BoardMembership, seats, ids=True)
    bulk.insert_history_as_stored(BoardMembership, seats, **history)


def _update(updates: list[tuple[int, dict]], context: Context, user) -> None:
    today = context.today
    members = Member.objects.in_bulk([member_id for member_id, _diff in updates])
    changed_fields: set[str] = set()
    household_changes, join_changes, role_changes = {}, {}, {}
    now = timezone.now()
    for member_id, diff in updates:
        member = members[member_id]
        for name, value in diff.items():
            if name == "board_role":
                role_changes[member_id] = value
                continue
            setattr(member, name, value)
            changed_fields.add(name)
        if "full_name" in diff:
            member.search_key = search_key(member.full_name)
            changed_fields.add("search_key")
        if "household" in diff:
            household_changes[member_id] = diff["household"]
        if "joined_on" in diff:
            join_changes[member_id] = diff["joined_on"]
        member.updated_at = now
    if changed_fields:
        bulk_update_with_history(
            list(members.values()),
            Member,
            sorted(changed_fields | {"updated_at"}),
            batch_size=BATCH,
            default_user=user,
            default_change_reason=CHANGE_REASON,
        )
    if household_changes:
        _change_households(household_changes, today, user)
    if join_changes:
        open_stays = list(Membership.objects.filter(member_id__in=join_changes, left_on__isnull=True))
        for stay in open_stays:
            stay.joined_on = join_changes[stay.member_id]
        bulk_update_with_history(
            open_stays,
            Membership,
            ["joined_on"],
            batch_size=BATCH,
            default_user=user,
            default_change_reason=CHANGE_REASON,
        )
    if role_changes:
        _change_board_roles(role_changes, members, today, user)


def _change_households(changes: dict[int, str], today: datetime.date, user) -> None:
    """As `household_status_set` from today: the running period ends yesterday, a new one starts."""
    yesterday = today - datetime.timedelta(days=1)
    starting_today = {
        row.member_id: row for row in HouseholdStatus.objects.filter(member_id__in=changes, valid_from=today)
    }
    for row in starting_today.values():
        row.status = changes[row.member_id]
    running = list(
        HouseholdStatus.objects.filter(member_id__in=changes, valid_from__lt=today, valid_to__isnull=True)
    )
    for row in running:
        row.valid_to = yesterday
    # With their history records, as every other write of the import (the audit trail).
    for rows, fields in ((list(starting_today.values()), ["status"]), (running, ["valid_to"])):
        if rows:
            bulk_update_with_history(
                rows, HouseholdStatus, fields, batch_size=BATCH, default_user=user,
                default_change_reason=CHANGE_REASON,
            )  # fmt: skip
    fresh = [
        HouseholdStatus(member_id=member_id, status=status, valid_from=today)
        for member_id, status in changes.items()
        if member_id not in starting_today
    ]
    bulk_create_with_history(
        fresh, HouseholdStatus, batch_size=BATCH, default_user=user, default_change_reason=CHANGE_REASON
    )


def _change_board_roles(
    changes: dict[int, str], members: dict[int, Member], today: datetime.date, user
) -> None:
    """The member's current seat closes (yesterday, or the day it began) and the new role starts today."""
    open_seats = list(BoardMembership.objects.filter(member_id__in=changes, to_date__isnull=True))
    for seat in open_seats:
        seat.to_date = max(seat.from_date, today - datetime.timedelta(days=1))
    if open_seats:
        bulk_update_with_history(
            open_seats, BoardMembership, ["to_date"], batch_size=BATCH, default_user=user,
            default_change_reason=CHANGE_REASON,
        )  # fmt: skip
    seats = [
        BoardMembership(
            club_id=members[member_id].club_id,
            member_id=member_id,
            role=role,
            from_date=max(today, members[member_id].joined_on),
        )
        for member_id, role in changes.items()
    ]
    bulk_create_with_history(
        seats, BoardMembership, batch_size=BATCH, default_user=user, default_change_reason=CHANGE_REASON
    )
