"""Place names as people write them, resolved to the official units.

One set of rules for every place looked up by name (the club import, the commune filter):

- A name written exactly — diacritics kept; case, NFC/NFD, spacing, punctuation around hyphens and
  apostrophes, leading zeros of numbers and the old/new place of the tone mark (Hòa/Hoà) do not
  matter — resolves to the unit that carries it, with its type word or without.
- Only when no unit carries the exact form is the name compared without diacritics. When that (or a
  name without type word) fits several units, the answer lists them all (`Found.candidates`) and the
  caller asks which one is meant.
- A type word (Tỉnh, Thành phố/TP., Xã/X., Phường/P., Thị trấn/TT., Đặc khu, Huyện/H., Quận/Q., Thị
  xã/TX.) is recognised only as the leading whole word(s) followed by a name, written with its own
  diacritics or with none at all: `Tịnh Ấn Tây` keeps its `Tịnh` (≠ `Tỉnh`), `Phường Thành Công`
  is a ward named `Thành Công`, and `Xa Dung` (a commune's real name) stays a name.
- Legacy communes are matched together with their legacy district (and province): names repeat
  across districts.

`PlaceNames` reads the units once per use (an import, a request) and answers from memory.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from places.models import Commune, LegacyCommune, LegacyDistrict, LegacyProvince, Province

EXACT, TYPE_WITHOUT_DIACRITICS, WITHOUT_DIACRITICS = (
    "exact",
    "type word without diacritics",
    "without diacritics",
)

# Tone marks (sắc, huyền, hỏi, ngã, nặng) as NFD combining characters. The vowel marks (â, ă, ơ…)
# are not tones: they stay where they are, so Ba Tơ and Ba Tô remain two names.
_TONES = frozenset("\u0301\u0300\u0309\u0303\u0323")
_MARKS = re.compile("[\u0300-\u036f]")
_APOSTROPHE = re.compile(r"\s*['’‘`´ʼ]\s*")
_SEPARATORS = re.compile(r"[.,;:()\-–—/_]+")


@lru_cache(maxsize=50_000)
def exact_key(text: str) -> str:
    """The written form compared exactly: 'Xã  HOÀ  Bình' and 'xã Hòa Bình' give the same key."""
    decomposed = unicodedata.normalize("NFD", (text or "").casefold())
    decomposed = _SEPARATORS.sub(" ", _APOSTROPHE.sub("'", decomposed))
    words = []
    for word in decomposed.split():
        tones = "".join(ch for ch in word if ch in _TONES)
        if tones:  # the tone mark moves to the end of its syllable: Hòa = Hoà
            word = "".join(ch for ch in word if ch not in _TONES) + tones
        elif word.isdigit():
            word = word.lstrip("0") or "0"  # Phường 01 = Phường 1
        words.append(word)
    return " ".join(words)


@lru_cache(maxsize=50_000)
def plain_key(text: str) -> str:
    """The same key without diacritics: 'Xã Ba Tơ' → 'xa ba to'."""
    return _MARKS.sub("", exact_key(text)).replace("đ", "d").replace("'", "")


# The type words, by their exact key and their key without diacritics, and the abbreviations.
_TYPES = ("tỉnh", "thành phố", "xã", "phường", "thị trấn", "đặc khu", "huyện", "quận", "thị xã")
_ABBREVIATIONS = {"tp": "thành phố", "tx": "thị xã", "tt": "thị trấn", "x": "xã", "p": "phường",
                  "h": "huyện", "q": "quận"}  # fmt: skip
_OFFICIAL_TYPES = {exact_key(t): t for t in _TYPES}
_EXACT_TYPES = _OFFICIAL_TYPES | _ABBREVIATIONS
_PLAIN_TYPES = {plain_key(t): t for t in _TYPES}


@dataclass(frozen=True)
class Reading:
    """One way to read a written name: with a type word in front of the name, or all name."""

    type: str | None
    exact: str  # exact key of the name without its type word
    plain: str
    type_exact: bool = True  # the type word written with its diacritics (or as an abbreviation)


@lru_cache(maxsize=50_000)
def readings(written: str) -> tuple[Reading, ...]:
    """The whole text as a name, and, when it begins with a type word followed by a name, that type
    with the rest. 'Tịnh Ấn Tây' has one reading; 'Tinh An Tay' two (the province type 'Tỉnh' +
    'An Tay', or the name 'Tinh An Tay'); which fits is for the units to say."""
    key = exact_key(written)
    found = [Reading(None, key, plain_key(key))]
    words = key.split(" ")
    for size in (2, 1):
        if len(words) <= size:
            continue
        head, rest = " ".join(words[:size]), " ".join(words[size:])
        if head in _EXACT_TYPES:
            found.append(Reading(_EXACT_TYPES[head], rest, plain_key(rest)))
        elif head.isascii() and head in _PLAIN_TYPES:
            found.append(Reading(_PLAIN_TYPES[head], rest, plain_key(rest), type_exact=False))
    return tuple(found)


def split_type(name: str) -> tuple[str | None, str]:
    """An official name's type word and the name after it: 'Thị xã Sơn Tây' → ('thị xã', 'Sơn Tây')."""
    words = name.split()
    for size in (2, 1):
        head = exact_key(" ".join(words[:size]))
        if len(words) > size and head in _OFFICIAL_TYPES:
            return _OFFICIAL_TYPES[head], " ".join(words[size:])
    return None, name


@dataclass(frozen=True)
class Found[U]:
    """What a written name resolved to: one unit, several (ambiguous) or none."""

    written: str
    candidates: tuple[U, ...] = ()
    level: str | None = None  # EXACT, TYPE_WITHOUT_DIACRITICS or WITHOUT_DIACRITICS

    @property
    def unit(self) -> U | None:
        return self.candidates[0] if len(self.candidates) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    def listing(self) -> str:
        """The candidates as the caller prints them, each with its district and province."""
        return "; ".join(sorted(label(unit) for unit in self.candidates))


def label(unit) -> str:
    """A unit named so that it cannot be taken for another: its type, and where it lies."""
    if isinstance(unit, Commune):
        return f"{unit.name} ({unit.province.short_name})"
    if isinstance(unit, LegacyCommune):
        return f"{unit.name}, {unit.district.name}, {unit.district.province.name}"
    if isinstance(unit, LegacyDistrict):
        return f"{unit.name}, {unit.province.name}"
    return unit.name


class _Names[U]:
    """Units of one kind by the exact and the diacritic-free key of their name without type word."""

    def __init__(self, units: Iterable[U], *, same_type: Callable[[str | None, str], bool] | None = None):
        self._exact: dict[str, list[tuple[str | None, U]]] = defaultdict(list)
        self._plain: dict[str, list[tuple[str | None, U]]] = defaultdict(list)
        for unit in units:
            unit_type, bare = split_type(unit.name)
            self._exact[exact_key(bare)].append((unit_type, unit))
            self._plain[plain_key(bare)].append((unit_type, unit))
        self._same_type = same_type or (lambda unit_type, written_type: unit_type == written_type)

    def find(self, written: str, accept: Callable[[U], bool] | None = None) -> Found[U]:
        ways = readings(written)
        for level in (EXACT, TYPE_WITHOUT_DIACRITICS, WITHOUT_DIACRITICS):
            found: dict[int, U] = {}
            for reading in ways:
                if level == EXACT and reading.type is not None and not reading.type_exact:
                    continue
                if level == TYPE_WITHOUT_DIACRITICS and reading.type_exact:
                    continue
                named = (
                    self._plain.get(reading.plain)
                    if level == WITHOUT_DIACRITICS
                    else self._exact.get(reading.exact)
                )
                for unit_type, unit in named or ():
                    if reading.type is not None and not self._same_type(unit_type, reading.type):
                        continue
                    if accept is None or accept(unit):
                        found.setdefault(id(unit), unit)
            if found:
                return Found(written, tuple(found.values()), level)
        return Found(written)


def _province_type(unit_type: str | None, written_type: str) -> bool:
    # Provinces and centrally-run cities are one level: "Tỉnh Cần Thơ" still means Thành phố Cần Thơ.
    return written_type in ("tỉnh", "thành phố")


class PlaceNames:
    """The official units by name, read from the database once, on first use of each kind."""

    def __init__(self) -> None:
        self._tables: dict[str, _Names] = {}
        self._provinces_by_code: dict[str, Province] | None = None
        self._communes_by_id: dict[int, Commune] = {}
        self._went_into: dict[int, list[int]] | None = None
        self._districts_written: dict[tuple, set[int]] = {}

    def _table(self, kind: str) -> _Names:
        if kind not in self._tables:
            if kind == "province":
                provinces = list(Province.objects.all())
                self._provinces_by_code = {str(p.code): p for p in provinces}
                self._tables[kind] = _Names(provinces, same_type=_province_type)
            elif kind == "legacy_province":
                self._tables[kind] = _Names(LegacyProvince.objects.all(), same_type=_province_type)
            elif kind == "commune":
                communes = list(Commune.objects.select_related("province"))
                self._communes_by_id = {c.pk: c for c in communes}
                self._tables[kind] = _Names(communes)
            elif kind == "legacy_district":
                self._tables[kind] = _Names(LegacyDistrict.objects.select_related("province"))
            elif kind == "legacy_commune":
                self._tables[kind] = _Names(LegacyCommune.objects.select_related("district__province"))
        return self._tables[kind]

    def province(self, written: str) -> Found[Province]:
        """A current province (34) by name or official code."""
        table = self._table("province")
        code = written.strip()
        if code.isdigit() and code.lstrip("0") in self._provinces_by_code:
            return Found(written, (self._provinces_by_code[code.lstrip("0")],), EXACT)
        return table.find(written)

    def legacy_province(self, written: str) -> Found[LegacyProvince]:
        """A province before July 2025 (63)."""
        return self._table("legacy_province").find(written)

    def commune(self, written: str, *, province: Province | None = None) -> Found[Commune]:
        """A current commune (xã, phường, đặc khu), in `province` when given."""
        if province is None:
            return self._table("commune").find(written)
        return self._table("commune").find(written, lambda c: c.province_id == province.pk)

    def legacy_district(
        self,
        written: str,
        *,
        province: Province | None = None,
        legacy_province: LegacyProvince | None = None,
    ) -> Found[LegacyDistrict]:
        """A district before July 2025, within the legacy province or the current one it went into."""
        return self._table("legacy_district").find(written, _in_province(province, legacy_province))

    def legacy_commune(
        self,
        written: str,
        *,
        district: str = "",
        province: Province | None = None,
        legacy_province: LegacyProvince | None = None,
    ) -> Found[LegacyCommune]:
        """A commune before July 2025 with its district as written (names repeat across districts)."""
        in_province = _in_province(province, legacy_province)
        if not district.strip():
            found = self._table("legacy_commune").find(
                written, lambda c: in_province is None or in_province(c.district)
            )
        else:
            # A club list names the same district on many rows: look it up once.
            key = (district, getattr(province, "pk", None), getattr(legacy_province, "pk", None))
            if key not in self._districts_written:
                districts = self.legacy_district(district, province=province, legacy_province=legacy_province)
                self._districts_written[key] = {d.pk for d in districts.candidates}
            district_ids = self._districts_written[key]
            if not district_ids:
                return Found(written)
            found = self._table("legacy_commune").find(written, lambda c: c.district_id in district_ids)
        return self._without_ghost_twins(found)

    def _without_ghost_twins(self, found: Found[LegacyCommune]) -> Found[LegacyCommune]:
        """The official list holds a few pairs that nothing written can tell apart (two "Xã Đông Khê"
        in Thành phố Thanh Hóa, one of which went into no current commune): keep the one that did."""
        if not found.ambiguous:
            return found
        by_label: dict[str, list[LegacyCommune]] = defaultdict(list)
        for unit in found.candidates:
            by_label[label(unit)].append(unit)
        kept = []
        for twins in by_label.values():
            with_successor = [unit for unit in twins if self.current_communes_of(unit)]
            kept += with_successor if len(twins) > 1 and with_successor else twins
        return Found(found.written, tuple(kept), found.level)

    def current_communes_of(self, legacy: LegacyCommune) -> list[Commune]:
        """The current communes a legacy commune went into (several when it was split)."""
        if self._went_into is None:
            self._table("commune")
            self._went_into = defaultdict(list)
            link = LegacyCommune.current_communes.through
            for legacy_id, commune_id in link.objects.values_list("legacycommune_id", "commune_id"):
                self._went_into[legacy_id].append(commune_id)
        return sorted(
            (self._communes_by_id[pk] for pk in self._went_into.get(legacy.pk, ())), key=lambda c: c.name
        )


def _in_province(province: Province | None, legacy_province: LegacyProvince | None):
    if legacy_province is not None:
        return lambda district: district.province_id == legacy_province.pk
    if province is not None:
        return lambda district: district.province.current_province_id == province.pk
    return None


def communes_matching(written: str, communes: Iterable[tuple[int, str]]) -> list[int]:
    """The ids among (id, name) rows that the commune filter's search box shows for `written`.

    Text written with diacritics: the communes it names (the rules above, so 'TT. Tân Uyên' and
    'Phường 01' work) and those whose name contains it as written ('Ba Tơ' is not 'Ba Tô'). Text
    without diacritics, or with nothing found as written: the same compared without diacritics."""
    rows = list(communes)
    found = _Names(_Row(pk, name) for pk, name in rows).find(written)
    named = [unit.pk for unit in found.candidates]
    if not written.isascii():
        as_written = _folded(written)
        hits = [pk for pk, name in rows if as_written in _folded(name)]
        if found.level != WITHOUT_DIACRITICS:
            hits = named + hits
        if hits:
            return list(dict.fromkeys(hits))
    plain = plain_key(written)
    return list(dict.fromkeys(named + [pk for pk, name in rows if plain in plain_key(name)]))


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@dataclass(frozen=True)
class _Row:
    pk: int
    name: str
