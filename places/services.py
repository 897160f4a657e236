"""Loading the official administrative units from the `vietnam-provinces` package.

Idempotent: rows are matched by official code, only what differs is written, and the
area class of a commune (set by admins) is never touched.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from vietnam_provinces import Province as PkgProvince
from vietnam_provinces import Ward as PkgWard
from vietnam_provinces import legacy

from places.models import AreaClass, Commune, LegacyCommune, LegacyDistrict, LegacyProvince, Province
from places.text import search_key


@dataclass
class LoadResult:
    counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # name -> (total, created, updated)

    @property
    def changed(self) -> bool:
        return any(created or updated for _total, created, updated in self.counts.values())


def _sync(model: type[models.Model], rows: dict[int, dict[str, Any]]) -> tuple[int, int, int]:
    """Create or update `model` rows keyed by `code` so they equal `rows`; return (total, created, updated)."""
    fields = list(next(iter(rows.values())).keys())
    existing = {obj.code: obj for obj in model.objects.only("id", "code", *fields)}
    to_create, to_update = [], []
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(code=code, **values))
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=2000)
    model.objects.bulk_update(to_update, fields, batch_size=2000)
    return len(rows), len(to_create), len(to_update)


@transaction.atomic
def load_places() -> LoadResult:
    result = LoadResult()
    provinces = list(PkgProvince.iter_all())
    result.counts["provinces"] = _sync(
        Province,
        {
            int(p.code): {"name": p.name, "division_type": str(p.division_type), "codename": p.codename}
            for p in provinces
        },
    )
    province_ids = dict(Province.objects.values_list("code", "id"))

    wards = list(PkgWard.iter_all())
    result.counts["communes"] = _sync(
        Commune,
        {
            int(w.code): {
                "name": w.name,
                "division_type": str(w.division_type),
                "codename": w.codename,
                "province_id": province_ids[int(w.province_code)],
            }
            for w in wards
        },
    )

    current_of_legacy_province = {
        int(old.code): province_ids[int(p.code)] for p in provinces for old in p.get_legacy_sources()
    }
    result.counts["legacy provinces"] = _sync(
        LegacyProvince,
        {
            int(p.code): {
                "name": p.name,
                "division_type": str(p.division_type),
                "codename": p.codename,
                "current_province_id": current_of_legacy_province.get(int(p.code)),
            }
            for p in legacy.Province.iter_all()
        },
    )
    legacy_province_ids = dict(LegacyProvince.objects.values_list("code", "id"))
    result.counts["legacy districts"] = _sync(
        LegacyDistrict,
        {
            int(d.code): {
                "name": d.name,
                "division_type": str(d.division_type),
                "codename": d.codename,
                "province_id": legacy_province_ids[int(d.province_code)],
            }
            for d in legacy.District.iter_all()
        },
    )

    # Which current communes each legacy commune went into.
    commune_ids = dict(Commune.objects.values_list("code", "id"))
    went_into: dict[int, set[int]] = {}
    for w in wards:
        for old in w.get_legacy_sources():
            went_into.setdefault(int(old.code), set()).add(commune_ids[int(w.code)])

    legacy_district_ids = dict(LegacyDistrict.objects.values_list("code", "id"))
    result.counts["legacy communes"] = _sync(
        LegacyCommune,
        {
            int(w.code): {
                "name": w.name,
                "division_type": str(w.division_type),
                "codename": w.codename,
                "district_id": legacy_district_ids[int(w.district_code)],
                "was_split": len(went_into.get(int(w.code), ())) > 1,
            }
            for w in legacy.Ward.iter_all()
        },
    )

    legacy_ids = dict(LegacyCommune.objects.values_list("code", "id"))
    wanted = {(legacy_ids[code], commune_id) for code, targets in went_into.items() for commune_id in targets}
    link = LegacyCommune.current_communes.through
    have = set(link.objects.values_list("legacycommune_id", "commune_id"))
    new_links = wanted - have
    stale = have - wanted
    link.objects.bulk_create([link(legacycommune_id=a, commune_id=b) for a, b in new_links], batch_size=5000)
    for legacy_id, commune_id in stale:
        link.objects.filter(legacycommune_id=legacy_id, commune_id=commune_id).delete()
    result.counts["legacy → current links"] = (len(wanted), len(new_links), len(stale))
    return result


# ---------------------------------------------------------------------------
# Area classes from a CSV: "Mã xã,Phân loại vùng,Vùng DTTS" (codes or Vietnamese labels).
# ---------------------------------------------------------------------------

_AREA_CLASS_WORDS = {
    "plains": AreaClass.PLAINS, "dong bang": AreaClass.PLAINS,
    "mountain": AreaClass.MOUNTAIN, "mien nui": AreaClass.MOUNTAIN, "nui": AreaClass.MOUNTAIN,
    "border": AreaClass.BORDER, "bien gioi": AreaClass.BORDER,
    "island": AreaClass.ISLAND, "hai dao": AreaClass.ISLAND, "dao": AreaClass.ISLAND,
}  # fmt: skip
_YES = {"1", "x", "co", "yes", "true", "c"}
_NO = {"", "0", "khong", "no", "false", "k"}


@transaction.atomic
def area_classes_set_from_csv(text: str) -> int:
    """Set communes' area class from CSV text; all rows or none. Returns how many communes changed.

    Raises ValidationError listing every bad row (Vietnamese, with the file's row number).
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    errors: list[str] = []
    changes: dict[int, tuple[str, bool]] = {}
    for number, row in enumerate(reader, start=1):
        if not row or not any(cell.strip() for cell in row):
            continue
        code_text = row[0].strip()
        if number == 1 and not code_text.isdigit():
            continue  # the header line
        if not code_text.isdigit():
            errors.append(
                _("Dòng %(row)d: mã xã “%(code)s” không phải là số.") % {"row": number, "code": code_text}
            )
            continue
        area_class = _AREA_CLASS_WORDS.get(search_key(row[1]) if len(row) > 1 else "")
        if area_class is None:
            errors.append(
                _("Dòng %(row)d: phân loại vùng phải là Đồng bằng, Miền núi, Biên giới hoặc Hải đảo.")
                % {"row": number}
            )
            continue
        minority_word = search_key(row[2]) if len(row) > 2 else ""
        if minority_word not in _YES | _NO:
            errors.append(_("Dòng %(row)d: cột vùng DTTS phải là “có” hoặc “không”.") % {"row": number})
            continue
        changes[int(code_text)] = (area_class, minority_word in _YES)
    communes = {c.code: c for c in Commune.objects.filter(code__in=changes)}
    for code in changes.keys() - communes.keys():
        errors.append(_("Không có xã/phường nào mang mã %(code)d.") % {"code": code})
    if errors:
        raise ValidationError(errors)
    changed = []
    for code, (area_class, minority) in changes.items():
        commune = communes[code]
        if (commune.area_class, commune.ethnic_minority_area) != (area_class, minority):
            commune.area_class, commune.ethnic_minority_area = area_class, minority
            changed.append(commune)
    Commune.objects.bulk_update(changed, ["area_class", "ethnic_minority_area"])
    return len(changed)
