"""Every official unit, written the ways people write it, resolves to itself (places.names).

Not hand-picked cases: the complete lists loaded in the test database (34 + 63 provinces, 3,321
current communes, 696 legacy districts, 10,051 legacy communes). Each unit is written in several
forms; the forms fall in classes:

- exact: the official name with its type word, in lower or upper case, decomposed (NFD), with extra
  spaces, or with an abbreviated type (TP./TX./H./Q./P./TT.) — must resolve to the unit. The only
  exception is a scope holding two units with the very same name (two legacy districts named
  "Huyện Châu Thành" in one merged province): then the answer must list exactly those;
- without type word, type word without diacritics, without diacritics — must resolve to the unit or
  answer an ambiguity that lists it among the candidates.

What is expected is computed here from the names themselves (NFC, case folded), not from the
resolver's keys. The counts of forms tried and ambiguous ones (by reason) are printed (`-s`).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache

import pytest

from places.models import Commune, LegacyCommune, LegacyDistrict, LegacyProvince, Province
from places.names import PlaceNames, label
from tests.conftest import places_present

pytestmark = pytest.mark.django_db

EXACT_CLASSES = {"exact"}
TYPES = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Tỉnh", "Xã", "Phường", "Huyện", "Quận")
ABBREVIATED = {
    "Thành phố": "TP.",
    "Thị xã": "TX.",
    "Huyện": "H.",
    "Quận": "Q.",
    "Phường": "P.",
    "Thị trấn": "TT.",
}


# Official names place the tone mark both ways: "Xã Hòa An" (Cao Bằng) and "Xã Hoà An" (Tuyên Quang).
_TONE_PLACES = {
    old: new
    for vowels, tones in (("oa", "àáảãạ"), ("oe", "èéẻẽẹ"), ("uy", "ỳýỷỹỵ"))
    for old, new in (
        (
            unicodedata.normalize("NFC", vowels[0] + unicodedata.normalize("NFD", t)[1:] + vowels[1]),
            vowels[0] + t,
        )
        for t in tones
    )
}


_OLD_TONE_PLACE = re.compile("|".join(_TONE_PLACES))


@lru_cache(maxsize=100_000)
def fold(name: str) -> str:
    """A name as a person would read it: case, spacing and the place of the tone mark do not matter."""
    folded = " ".join(unicodedata.normalize("NFC", name).casefold().split())
    return _OLD_TONE_PLACE.sub(lambda match: _TONE_PLACES[match.group()], folded)


def strip_marks(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def split(name: str) -> tuple[str, str]:
    for word in TYPES:  # a few official names write their type in other case: "xã Bắc Sơn"
        if fold(name).startswith(fold(word) + " "):
            return word, name[len(word) + 1 :]
    raise AssertionError(f"official name without type word: {name}")


def forms(name: str) -> dict[str, list[str]]:
    """The forms of one official name, by class."""
    unit_type, bare = split(name)
    exact = [
        name,
        name.lower(),
        name.upper(),
        unicodedata.normalize("NFD", name),
        f"  {'   '.join(name.split())} ",
    ]
    if unit_type in ABBREVIATED:
        exact += [f"{ABBREVIATED[unit_type]} {bare}", f"{ABBREVIATED[unit_type].lower()}{bare}"]
    return {
        "exact": exact,
        "without type word": [bare, bare.lower(), unicodedata.normalize("NFD", bare.upper())],
        "type word without diacritics": [f"{strip_marks(unit_type).lower()} {bare}"],
        "without diacritics": [strip_marks(name), strip_marks(bare).lower(), strip_marks(name).upper()],
    }


def _reason(target, other, parts) -> str:
    """Why `other` answers a form of `target` too, judged from their official names."""
    reasons = []
    for what, part in parts:
        a, b = part(target), part(other)
        if fold(a) == fold(b):
            continue
        (_ta, ba), (_tb, bb) = split(a), split(b)
        if fold(ba) == fold(bb):
            reasons.append(f"{what}same name, other type")
        elif fold(strip_marks(ba)) == fold(strip_marks(bb)):
            reasons.append(f"{what}names differ only by diacritics")
        else:
            reasons.append(f"{what}other names")
    return " + ".join(reasons) or "the very same name"


def _is_named(unit, written: str) -> bool:
    """Whether `written` is the unit's own name, diacritics kept, with its type word (with or without
    diacritics) or without it."""
    unit_type, bare = split(unit.name)
    return fold(written) in (fold(unit.name), fold(bare), fold(f"{strip_marks(unit_type)} {bare}"))


class Tally:
    def __init__(self, what: str):
        self.what = what
        self.tried: Counter[str] = Counter()
        self.resolved: Counter[str] = Counter()
        self.ambiguous: Counter[tuple[str, str]] = Counter()
        self.failures: list[str] = []
        self.shadowed: Counter[str] = Counter()
        self.shadows: set[str] = set()

    def check(self, form_class, written, found, target, twins=(), parts=(("", lambda u: u.name),), name=None):
        """`twins`: the units of the scope with exactly the same name as the target (itself included).
        `name`: the commune's part of `written` when it holds the district too."""
        self.tried[form_class] += 1
        if found.unit == target and len(twins) <= 1:
            self.resolved[form_class] += 1
            return
        if (
            form_class not in EXACT_CLASSES
            and found.unit is not None
            and _is_named(found.unit, name or written)
        ):
            # "Thanh An" is how Xã Thạnh An is written without diacritics, and the exact name of Xã
            # Thanh An in the same city: written exactly, it is that one (ambiguous only if both are).
            self.shadowed[form_class] += 1
            self.shadows.add(f"{label(target)} → {label(found.unit)}")
            return
        if found.ambiguous and target in found.candidates:
            if form_class in EXACT_CLASSES and set(found.candidates) != set(twins):
                self.failures.append(f"{form_class}: {written!r} → {found.listing()}")
                return
            reasons = {_reason(target, other, parts) for other in found.candidates if other != target}
            self.ambiguous[(form_class, " | ".join(sorted(reasons)))] += 1
            return
        answer = found.listing() or "nothing"
        self.failures.append(f"{form_class}: {written!r} for {label(target)} → {answer}")

    def report(self) -> str:
        lines = [f"{self.what}: {sum(self.tried.values())} forms tried"]
        for form_class, count in self.tried.items():
            ambiguous = sum(n for (c, _r), n in self.ambiguous.items() if c == form_class)
            lines.append(
                f"  {form_class}: {count} tried, {self.resolved[form_class]} resolved, {ambiguous} ambiguous"
                + (
                    f", {self.shadowed[form_class]} another unit's exact name"
                    if self.shadowed[form_class]
                    else ""
                )
            )
            for (c, reason), n in sorted(self.ambiguous.items()):
                if c == form_class:
                    lines.append(f"    {n} ambiguous: {reason}")
        lines += [f"  exact name of another unit: {shadow}" for shadow in sorted(self.shadows)]
        lines += [f"  FAILED {failure}" for failure in self.failures[:30]]
        return "\n".join(lines)


@pytest.fixture(scope="module")
def places(django_db_setup, django_db_blocker):
    """The resolver, built once for the module, and the complete lists it is checked against."""
    with django_db_blocker.unblock():
        places_present()  # a transactional test before may have emptied them
        started, cpu = time.perf_counter(), time.process_time()
        names = PlaceNames()
        names.province("-"), names.legacy_province("-"), names.commune("-"), names.legacy_commune("-")
        names.legacy_district("-")
        built, built_cpu = time.perf_counter() - started, time.process_time() - cpu
        lists = {
            "provinces": list(Province.objects.all()),
            "legacy provinces": list(LegacyProvince.objects.select_related("current_province")),
            "communes": list(Commune.objects.select_related("province")),
            "legacy districts": list(LegacyDistrict.objects.select_related("province__current_province")),
            "legacy communes": list(
                LegacyCommune.objects.select_related("district__province__current_province")
            ),
            "with a successor": set(
                LegacyCommune.objects.filter(current_communes__isnull=False).values_list("id", flat=True)
            ),
        }
    print(f"\nresolver built in {built:.2f} s ({built_cpu:.2f} s CPU)")
    return names, lists


def test_the_complete_lists_are_loaded(places):
    _names, lists = places
    assert {what: len(units) for what, units in lists.items() if what != "with a successor"} == {
        "provinces": 34,
        "legacy provinces": 63,
        "communes": 3321,
        "legacy districts": 696,
        "legacy communes": 10051,
    }


def test_every_province_resolves_to_itself(places):
    names, lists = places
    tally = Tally("provinces")
    for what, lookup in (("provinces", names.province), ("legacy provinces", names.legacy_province)):
        for province in lists[what]:
            for form_class, written_forms in forms(province.name).items():
                for written in written_forms:
                    tally.check(form_class, written, lookup(written), province)
            # "Tỉnh Cần Thơ" for Thành phố Cần Thơ, "TP Lai Châu" for Tỉnh Lai Châu: one level.
            unit_type, bare = split(province.name)
            other = "Tỉnh" if unit_type == "Thành phố" else "Thành phố"
            tally.check("exact", f"{other} {bare}", lookup(f"{other} {bare}"), province)
    print("\n" + tally.report())
    assert not tally.failures, tally.report()
    assert tally.tried["exact"] >= 97 * 6
    assert not tally.ambiguous  # 97 names, none alike


def test_every_current_commune_resolves_to_itself_in_its_province(places):
    names, lists = places
    communes = lists["communes"]
    tally = Tally("current communes (in their province)")
    started = time.process_time()  # CPU time: other processes on the machine do not count
    for commune in communes:
        for form_class, written_forms in forms(commune.name).items():
            for written in written_forms:
                tally.check(form_class, written, names.commune(written, province=commune.province), commune)
    # Without a province the same exact name may belong to communes of several provinces.
    nationwide = Tally("current communes (no province given)")
    same_name = defaultdict(list)
    for commune in communes:
        same_name[fold(commune.name)].append(commune)
    for commune in communes:
        nationwide.check(
            "exact", commune.name, names.commune(commune.name), commune, same_name[fold(commune.name)]
        )
    elapsed = time.process_time() - started
    print(
        f"\n{tally.report()}\n{nationwide.report()}\n{sum(tally.tried.values()) + 3321} look-ups: {elapsed:.2f} s CPU"
    )
    assert not tally.failures, tally.report()
    assert not nationwide.failures, nationwide.report()
    assert tally.resolved["exact"] == tally.tried["exact"] >= 3321 * 5
    assert sum(tally.tried.values()) >= 3321 * 12
    assert elapsed < 5


def _district_forms(district: LegacyDistrict) -> dict[str, list[str]]:
    return forms(district.name)


def test_every_legacy_district_resolves_to_itself(places):
    names, lists = places
    tally = Tally("legacy districts")
    by_current, by_legacy = defaultdict(list), defaultdict(list)
    for district in lists["legacy districts"]:
        by_current[(district.province.current_province_id, fold(district.name))].append(district)
        by_legacy[(district.province_id, fold(district.name))].append(district)
    for district in lists["legacy districts"]:
        current = district.province.current_province
        twins = by_current[(current.pk, fold(district.name))]
        for form_class, written_forms in forms(district.name).items():
            for written in written_forms:
                tally.check(
                    form_class, written, names.legacy_district(written, province=current), district, twins
                )
        in_legacy = names.legacy_district(district.name, legacy_province=district.province)
        tally.check(
            "exact",
            district.name,
            in_legacy,
            district,
            by_legacy[(district.province_id, fold(district.name))],
        )
    print("\n" + tally.report())
    assert not tally.failures, tally.report()
    assert all(len(twins) == 1 for twins in by_legacy.values())  # unique within a legacy province


def _told_apart(twins: list[LegacyCommune], with_successor: set[int]) -> list[LegacyCommune]:
    """Units that nothing written tells apart (same name, district and province: two "Xã Đông Khê" in
    Thành phố Thanh Hóa) are answered by the one that went into a current commune."""
    by_label = defaultdict(list)
    for unit in twins:
        by_label[label(unit)].append(unit)
    kept = []
    for same in by_label.values():
        successors = [unit for unit in same if unit.pk in with_successor]
        kept += successors if len(same) > 1 and successors else same
    return kept


def test_every_legacy_commune_resolves_to_itself_with_its_district(places):
    """10,051 legacy communes, each with its legacy district written in the same way, in the current
    province it lies in (as a club list of today writes it), in its legacy province, and alone."""
    names, lists = places
    communes = lists["legacy communes"]
    tally = Tally("legacy communes with their district")
    parts = (("", lambda c: c.name), ("district: ", lambda c: c.district.name))
    by_current, by_legacy, anywhere = defaultdict(list), defaultdict(list), defaultdict(list)
    for commune in communes:
        full = (fold(commune.name), fold(commune.district.name))
        by_current[(commune.district.province.current_province_id, *full)].append(commune)
        by_legacy[(commune.district.province_id, *full)].append(commune)
        anywhere[full].append(commune)
    with_successor, ghosts = lists["with a successor"], set()
    started = time.process_time()  # CPU time: other processes on the machine do not count
    for commune in communes:
        district = commune.district
        current = district.province.current_province
        full = (fold(commune.name), fold(district.name))
        twins = _told_apart(by_current[(current.pk, *full)], with_successor)
        in_legacy = _told_apart(by_legacy[(district.province_id, *full)], with_successor)
        target = commune
        if commune not in in_legacy:  # its indistinguishable twin answers for it
            (target,) = in_legacy
            ghosts.add(f"{label(commune)} (mã {commune.code}) → mã {target.code}")
        c, d = forms(commune.name), _district_forms(district)
        pairs = {
            # The same way for both cells: as written, lower case, upper case, NFD, spaced, abbreviated.
            "exact": list(zip(c["exact"][:5], d["exact"][:5], strict=True))
            + [(commune.name, d_form) for d_form in d["exact"][5:]]
            + [(c_form, d["exact"][5]) for c_form in c["exact"][5:] if len(d["exact"]) > 5],
            "without type word": [(c["without type word"][0], district.name), (commune.name, d["without type word"][0]),
                                  (c["without type word"][1], d["without type word"][1])],
            "type word without diacritics": [(c["type word without diacritics"][0], d["type word without diacritics"][0])],
            "without diacritics": list(zip(c["without diacritics"], d["without diacritics"], strict=True)),
        }  # fmt: skip
        for form_class, written_pairs in pairs.items():
            for c_written, d_written in written_pairs:
                found = names.legacy_commune(c_written, district=d_written, province=current)
                tally.check(form_class, f"{c_written} / {d_written}", found, target, twins, parts, c_written)
        found = names.legacy_commune(commune.name, district=district.name, legacy_province=district.province)
        tally.check("exact", f"{commune.name} / {district.name} / {district.province.name}", found, target,
                    in_legacy, parts)  # fmt: skip
    alone = Tally("legacy communes with their district, no province given")
    for commune in communes:
        found = names.legacy_commune(commune.name, district=commune.district.name)
        twins = _told_apart(anywhere[(fold(commune.name), fold(commune.district.name))], with_successor)
        target = commune if commune in twins else next(t for t in twins if label(t) == label(commune))
        alone.check("exact", f"{commune.name} / {commune.district.name}", found, target, twins, parts)
    elapsed = time.process_time() - started
    print(
        f"\n{tally.report()}\n{alone.report()}\n{sum(tally.tried.values()) + 10051} look-ups: {elapsed:.2f} s CPU"
    )
    print("answered by an indistinguishable twin:", "; ".join(sorted(ghosts)))
    assert not tally.failures, tally.report()
    assert not alone.failures, alone.report()
    assert len(ghosts) < 10
    assert sum(tally.tried.values()) >= 10051 * 12
    assert elapsed < 15
