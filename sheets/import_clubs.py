"""Club lists: one row per club, matched by its code.

The place is the current commune (`Tỉnh` + `Xã/Phường`) or, for clubs founded before July 2025,
the legacy address (`Xã/Phường cũ` + `Huyện cũ`) mapped through the official legacy table. A
legacy commune that was split into several current ones needs the current commune as well: the
error lists the candidates. New clubs get their two funds, as `funds.services.club_found` does.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from clubs.locks import club_dated
from clubs.models import Club
from funds.models import Fund, FundKind
from places.models import Commune, LegacyCommune, Province
from places.names import PlaceNames, label
from sheets.columns import CLUB_COLUMNS
from sheets.period_locks import recheck_commune_rows, refuse_locked_commune_rows
from sheets.report import Change, Context, ImportReport, RowIssues, unchanged_label
from sheets.values import CellError, is_blank, parse_date, text

COLUMNS = CLUB_COLUMNS
REQUIRED_ANY = (("club_code",), ("name",), ("commune", "legacy_commune"))
NAME_KEY = "name"
# Free-text columns checked for a leading formula sign (sheets.engine), each → whether it is prose.
FREE_TEXT = {"name": False, "villages": False, "decision_number": False}
CHANGE_REASON = "Nhập từ bảng tính"
FIELDS = (
    "name", "province_id", "commune_id", "villages", "legacy_commune_id", "legacy_address",
    "decision_number", "decision_date", "launched_on",
)  # fmt: skip
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._/\-]{0,29}$")


def _places(context: Context) -> PlaceNames:
    if "places" not in context.cache:
        context.cache["places"] = PlaceNames()
    return context.cache["places"]


def _resolve_province(value: object, issues: RowIssues, places: PlaceNames) -> tuple[Province | None, Any]:
    """(current province, legacy province) named by the 'Tỉnh' cell; either may be None."""
    if is_blank(value):
        return None, None
    written = text(value)
    current, legacy = places.province(written), places.legacy_province(written)
    if current.unit is None and legacy.unit is None:
        if current.ambiguous or legacy.ambiguous:
            listing = "; ".join(found.listing() for found in (current, legacy) if found.candidates)
            issues.add("province", _("Có nhiều tỉnh/thành phố tên “%(name)s”: %(list)s. Hãy ghi đúng tên, có dấu.") % {"name": written, "list": listing})  # fmt: skip
        else:
            issues.add("province", _("Không có tỉnh/thành phố “%(name)s”.") % {"name": written})
    return current.unit, legacy.unit


def _names(communes) -> str:
    return ", ".join(sorted({label(c) for c in communes}))


def clean_row(values: dict[str, Any], issues: RowIssues, context: Context) -> dict | None:
    places = _places(context)
    record: dict[str, Any] = {}
    code = text(values.get("club_code")).upper().replace(" ", "")
    if not code:
        issues.add("club_code", _("Thiếu mã CLB."))
    elif not _CODE.match(code):
        issues.add(
            "club_code",
            _("Mã CLB “%(code)s” chỉ gồm chữ không dấu, số và - . _ /, tối đa 30 ký tự.") % {"code": code},
        )
    record["code"] = code
    name = text(values.get("name"))
    if not name:
        issues.add("name", _("Thiếu tên CLB."))
    elif len(name) > 200:
        issues.add("name", _("Tên CLB dài quá 200 ký tự."))
    record["name"] = name
    province, legacy_province = _resolve_province(values.get("province"), issues, places)
    commune = None
    commune_text = text(values.get("commune"))
    if commune_text:
        if province is None and legacy_province is not None:
            province = legacy_province.current_province
        found = places.commune(commune_text, province=province)
        if found.unit is not None:
            commune, province = found.unit, found.unit.province
        elif province is None and found.ambiguous:
            issues.add("province", _("Có nhiều xã/phường tên “%(name)s”: %(list)s. Hãy ghi cột Tỉnh.") % {"name": commune_text, "list": found.listing()})  # fmt: skip
        elif found.ambiguous:
            issues.add("commune", _("Tỉnh %(province)s có nhiều đơn vị tên “%(name)s”: %(list)s. Hãy ghi đúng tên, có dấu, và rõ Xã hay Phường.") % {"province": province.short_name, "name": commune_text, "list": found.listing()})  # fmt: skip
        elif province is None:
            issues.add("commune", _("Không có xã/phường “%(name)s”.") % {"name": commune_text})
        else:
            issues.add("commune", _("%(province)s không có xã/phường “%(name)s” (tên sau sắp xếp từ 1/7/2025).") % {"province": province.name, "name": commune_text})  # fmt: skip
    legacy_text = text(values.get("legacy_commune"))
    district_text = text(values.get("legacy_district"))
    legacy = None
    if legacy_text:
        legacy = _resolve_legacy(legacy_text, district_text, province, legacy_province, issues, places)
        if legacy is not None:
            current = places.current_communes_of(legacy)
            where = _("%(commune)s, %(district)s (trước 7/2025)") % {
                "commune": legacy.name,
                "district": legacy.district.name,
            }
            if commune is None and not commune_text:
                if len(current) == 1:
                    commune = current[0]
                elif current:
                    issues.add("commune", _("%(where)s đã được chia vào nhiều xã/phường mới: %(list)s. Hãy ghi xã/phường hiện nay của CLB vào cột “Xã/Phường”.") % {"where": where, "list": _names(current)})  # fmt: skip
                else:
                    issues.add("legacy_commune", _("Chưa có xã/phường hiện nay tương ứng với %(where)s.") % {"where": where})  # fmt: skip
            elif commune is not None and current and commune not in current:
                issues.add("commune", _("%(commune)s không phải nơi %(where)s được sáp nhập vào (%(list)s).") % {"commune": commune.name, "where": where, "list": _names(current)})  # fmt: skip
            record["legacy_address"] = f"{legacy.name}, {legacy.district.name}"[:300]
    elif district_text:
        issues.add("legacy_commune", _("Có Huyện cũ nhưng thiếu Xã/Phường cũ."))
    if commune is None and not commune_text and not legacy_text:
        issues.add(
            "commune", _("Thiếu xã/phường: ghi “Xã/Phường” (hiện nay) hoặc “Xã/Phường cũ” và “Huyện cũ”.")
        )
    record["commune_id"] = commune.pk if commune else None
    record["province_id"] = commune.province_id if commune else None
    record["legacy_commune_id"] = legacy.pk if legacy else None
    record["villages"] = text(values.get("villages"))[:500]
    record["decision_number"] = text(values.get("decision_number"))[:50]
    for key in ("decision_date", "launched_on"):
        try:
            record[key], _year_only = parse_date(values.get(key))
        except CellError as error:
            issues.add(key, str(error))
            record[key] = None
    if not issues:
        club = Club(
            code=code, name=name, province_id=record["province_id"], commune_id=record["commune_id"],
            decision_date=record["decision_date"], launched_on=record["launched_on"],
        )  # fmt: skip
        club.commune = commune
        try:
            club.clean()
        except ValidationError as error:  # each message on its column
            for field, messages in error.message_dict.items():
                key = {"decision_date": "decision_date", "launched_on": "launched_on"}.get(field, "club_code")
                for message in messages:
                    issues.add(key, message)
    # Only the columns the sheet has are compared with the database.
    present = {
        key for key in ("villages", "decision_number", "decision_date", "launched_on") if key in values
    }
    if "legacy_commune" in values:
        present |= {"legacy_commune_id", "legacy_address"}
    record["_present"] = present | {"name", "province_id", "commune_id"}
    return record


def _resolve_legacy(name, district, province, legacy_province, issues, places: PlaceNames):
    # 'Tỉnh Quảng Ngãi' names the province before and after July 2025: the legacy one first, then the
    # current one, which also holds the provinces merged into it (Kon Tum).
    found = places.legacy_commune(name, district=district, province=province, legacy_province=legacy_province)
    if not found.candidates and legacy_province is not None and province is not None:
        found = places.legacy_commune(name, district=district, province=province)
    if found.unit is not None:
        return found.unit
    if not found.candidates:
        where = f"{name}, {district}" if district else name
        issues.add("legacy_commune", _("Không tìm thấy xã/phường cũ “%(where)s” trong danh mục trước 7/2025.") % {"where": where})  # fmt: skip
    else:
        issues.add("legacy_district", _("Có nhiều xã cũ tên “%(name)s” (%(list)s): hãy ghi Huyện cũ và Tỉnh.") % {"name": name, "list": found.listing()})  # fmt: skip
    return None


def duplicate_keys():
    def by_code(record):
        return record.get("code") or None

    def describe(record, others):
        return _("Mã CLB %(code)s trùng với dòng %(rows)s của tệp.") % {
            "code": record["code"],
            "rows": others,
        }

    return [(by_code, describe, None)]


def plan(records: list[dict], report: ImportReport, context: Context) -> dict:
    existing = {club.code: club for club in Club.objects.filter(code__in=[r["code"] for r in records])}
    new, updates = [], []
    dated = []  # (row, column, commune id, day): what the file writes into a period (issue 16)
    for record in records:
        club = existing.get(record["code"])
        if club is None:
            new.append(record)
            report.new += 1
            founded = Club(commune_id=record["commune_id"], decision_date=record["decision_date"],
                           launched_on=record["launched_on"])  # fmt: skip
            dated += [(record["_row"], name, commune_id, day) for day, commune_id, name in club_dated(founded)]
            continue
        diff = {
            name: record[name]
            for name in FIELDS
            if name in record["_present"] and name in record and record[name] != getattr(club, name)
            and not (name in ("villages", "decision_number", "legacy_address") and not record[name])
            and not (name in ("decision_date", "launched_on", "legacy_commune_id") and record[name] is None)
        }  # fmt: skip
        # The address as written in old papers is kept unless the legacy commune itself changes.
        if "legacy_commune_id" not in diff:
            diff.pop("legacy_address", None)
        if not diff:
            report.unchanged += 1
            continue
        # The founding order must still hold with what the database keeps.
        merged = Club(**{f: getattr(club, f) for f in ("decision_date", "launched_on", "suspended_on", "resumed_on", "dissolved_on")})  # fmt: skip
        for name, value in diff.items():
            setattr(merged, name, value)
        merged.province_id = diff.get("province_id", club.province_id)
        merged.commune = Commune.objects.get(pk=diff.get("commune_id", club.commune_id))
        try:
            merged.clean()
        except ValidationError as error:
            report.add_error(record["_row"], "", " ".join(error.messages))
            continue
        dated += [(record["_row"], name, commune_id, day) for day, commune_id, name in club_dated(merged, club)]
        report.updated += 1
        updates.append((club, diff))
        report.add_change(
            Change(
                record["_row"],
                str(club),
                [
                    (
                        _label(name),
                        unchanged_label(_value(name, getattr(club, name))),
                        unchanged_label(_value(name, value)),
                    )
                    for name, value in diff.items()
                ],  # fmt: skip
            )
        )
    # A founding or a change dated inside an approved period of the club's commune refuses the file.
    label = context.layout.label if context.layout is not None else (lambda key: "")
    dated = [(row, label(name), commune_id, day) for row, name, commune_id, day in dated]
    refuse_locked_commune_rows(report, dated)
    return {"new": new, "updates": updates, "dated": dated}


def _label(name: str) -> str:
    return str(Club._meta.get_field(name.removesuffix("_id")).verbose_name).capitalize()


def _value(name: str, value: Any) -> Any:
    if name == "commune_id" and value:
        return Commune.objects.get(pk=value).name
    if name == "province_id" and value:
        return Province.objects.get(pk=value).name
    if name == "legacy_commune_id" and value:
        return LegacyCommune.objects.get(pk=value).name
    return value


def write(plan: dict, context: Context) -> None:
    recheck_commune_rows(plan["dated"])  # in the transaction: a period approved since the preview
    user = context.user if getattr(context.user, "pk", None) else None
    now = timezone.now()
    clubs = [
        Club(
            code=r["code"],
            name=r["name"],
            province_id=r["province_id"],
            commune_id=r["commune_id"],
            villages=r["villages"],
            legacy_commune_id=r["legacy_commune_id"],
            legacy_address=r.get("legacy_address", ""),
            decision_number=r["decision_number"],
            decision_date=r["decision_date"],
            launched_on=r["launched_on"],
            created_at=now,
            updated_at=now,
        )  # fmt: skip
        for r in plan["new"]
    ]
    created = bulk_create_with_history(
        clubs, Club, batch_size=1000, default_user=user, default_change_reason=CHANGE_REASON
    )
    Fund.objects.bulk_create(
        [
            Fund(club_id=club.pk, kind=kind, opened_on=club.launched_on or club.decision_date)
            for club in created
            for kind in FundKind.values
        ],
        batch_size=2000,
    )
    changed = set()
    for club, diff in plan["updates"]:
        for name, value in diff.items():
            setattr(club, name, value)
            changed.add(name)
        club.updated_at = now
    if plan["updates"]:
        bulk_update_with_history(
            [club for club, _diff in plan["updates"]], Club, sorted(changed | {"updated_at"}),
            batch_size=1000, default_user=user, default_change_reason=CHANGE_REASON,
        )  # fmt: skip
