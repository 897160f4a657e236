"""Vietnamese typed in the legacy 8-bit encodings TCVN3 (ABC, the .VnTime fonts) and VNI (VNI-Times).

Old spreadsheets were typed with a keyboard driver that sent 8-bit codes and a font that drew
them as Vietnamese letters. Excel stored those codes as the Windows-1252 characters they are
in Unicode, so a TCVN3 cell reads "NguyÔn ThÞ Hµ" and a VNI cell "Nguyeãn Thò Haø". These
tables turn them back into Unicode. They were written from the published character maps of
TCVN 5712:1993 (VN3) and of the VNI Windows encoding.

Detection is by evidence: characters that never occur in Unicode Vietnamese (Þ, µ, ø, ï…) in
places where the legacy encoding puts them. A cell that already holds a Unicode-only
Vietnamese letter (ă, ơ, ư, đ, ạ…) is never converted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# --- TCVN3 (VN3): one byte per letter; only lowercase letters carry tones. --------------------
# Byte → letter. Uppercase toned letters do not exist in VN3: the all-caps font (.VnTimeH)
# draws the lowercase codes as capitals, which `tcvn3_to_unicode` puts back by context.
_TCVN3_BYTES = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip

# --- VNI: a base letter followed by a mark byte; a few letters are single bytes. --------------
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
# Mark byte (lower- and uppercase forms) → the combining marks it adds.
_VNI_TONES = {0xF9: _ACUTE, 0xF8: _GRAVE, 0xFB: _HOOK, 0xF5: _TILDE, 0xEF: _DOT}
_VNI_CIRCUMFLEX = {
    0xE2: "", 0xE1: _ACUTE, 0xE0: _GRAVE, 0xE5: _HOOK, 0xE3: _TILDE, 0xE4: _DOT,
}  # fmt: skip
_VNI_BREVE = {0xEA: "", 0xE9: _ACUTE, 0xE8: _GRAVE, 0xFA: _HOOK, 0xFC: _TILDE, 0xEB: _DOT}
_VNI_SINGLE = {
    0xF1: "đ", 0xD1: "Đ", 0xF4: "ơ", 0xD4: "Ơ", 0xF6: "ư", 0xD6: "Ư",
    0xED: "í", 0xCD: "Í", 0xEC: "ì", 0xCC: "Ì", 0xE6: "ỉ", 0xC6: "Ỉ",
    0xF3: "ĩ", 0xD3: "Ĩ", 0xF2: "ị", 0xD2: "Ị",
}  # fmt: skip
_VNI_Y_DOT = {0xEE, 0xCE}  # the dot below under y


def _cp1252_chars(code: int) -> set[str]:
    """The characters a byte can show up as: its Windows-1252 character, or Latin-1 where undefined."""
    chars = {chr(code)}
    try:
        chars.add(bytes([code]).decode("cp1252"))
    except UnicodeDecodeError:
        pass
    return chars


def _char_table(table: dict[int, str]) -> dict[str, str]:
    return {ch: value for code, value in table.items() for ch in _cp1252_chars(code)}


TCVN3 = _char_table(_TCVN3_BYTES)


def _mark_table() -> dict[str, tuple[str, str]]:
    """Mark character → (kind, combining marks); kind says which base letters accept it."""
    marks: dict[str, tuple[str, str]] = {}
    for kind, table, extra in (
        ("tone", _VNI_TONES, ""),
        ("circumflex", _VNI_CIRCUMFLEX, _CIRCUMFLEX),
        ("breve", _VNI_BREVE, _BREVE),
    ):
        for code, tone in table.items():
            for ch in _cp1252_chars(code) | _cp1252_chars(code - 0x20):  # uppercase form
                marks[ch] = (kind, extra + tone)
    for code in _VNI_Y_DOT:
        marks[chr(code)] = ("y_dot", _DOT)
    return marks


_VNI_MARKS = _mark_table()
_VNI_LETTERS = _char_table(_VNI_SINGLE)
_BASES = {
    "tone": set("aeiouyAEIOUYâêôăơưÂÊÔĂƠƯ"),
    "circumflex": set("aeoAEO"),
    "breve": set("aA"),
    "y_dot": set("yY"),
}

# Latin-1 letters that Unicode Vietnamese uses; any other character of U+00A0–U+00FF is foreign to it.
_VIETNAMESE_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
# Letters only Unicode Vietnamese has (ă, đ, ĩ, ũ, ơ, ư and the U+1EA0 block), and combining marks.
_UNICODE_ONLY = re.compile(
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9\u0300-\u036f]"
)
_TCVN3_EVIDENCE = {ch for ch in TCVN3 if ch not in _VIETNAMESE_LATIN1 and ord(ch) > 0x7F}
_VNI_EVIDENCE = {
    ch for ch in set(_VNI_MARKS) | set(_VNI_LETTERS) if ch not in _VIETNAMESE_LATIN1 and ord(ch) > 0x7F
}
# Characters that point to one encoding only (the rest are shared between the two).
_TCVN3_ONLY = _TCVN3_EVIDENCE - _VNI_EVIDENCE
_VNI_ONLY = _VNI_EVIDENCE - _TCVN3_EVIDENCE
_ANY_EVIDENCE = re.compile("[" + re.escape("".join(sorted(_TCVN3_EVIDENCE | _VNI_EVIDENCE))) + "]")


def may_be_legacy(text: str) -> bool:
    """False when `text` holds no character of either legacy encoding: detect_legacy finds nothing in it.
    A quick test for the 50,000 cells of a big import, nearly all of them plain Unicode."""
    return _ANY_EVIDENCE.search(text) is not None


def _restore_capitals(text: str, decoded_at: set[int]) -> str:
    """Put back the capitals .VnTimeH drew from lowercase codes, and the capital starting a name word.

    A word whose other letters are all capitals ("S¸CH") is all capitals; a word starting with a
    decoded lowercase letter ("¸nh") gets a capital when every other word of the text starts with one.
    """
    words = list(re.finditer(r"\S+", text))
    others_capitalised = [w.group()[0].isupper() for w in words if w.start() not in decoded_at]
    out = list(text)
    for match in words:
        word, start = match.group(), match.start()
        plain = [ch for i, ch in enumerate(word) if start + i not in decoded_at and ch.isalpha()]
        if not any(start <= i < match.end() for i in decoded_at):
            continue
        if plain and all(ch.isupper() for ch in plain) and (len(plain) > 1 or start in decoded_at):
            out[start : match.end()] = word.upper()
        elif start in decoded_at and word[0].islower() and others_capitalised and all(others_capitalised):
            out[start] = word[0].upper()
    return "".join(out)


def tcvn3_to_unicode(text: str) -> str | None:
    """TCVN3 text → Unicode (NFC), or None when `text` holds a character TCVN3 does not use."""
    out, decoded_at = [], set()
    for i, ch in enumerate(text):
        if ch in TCVN3:
            out.append(TCVN3[ch])
            decoded_at.add(i)
        elif ord(ch) < 0x80:
            out.append(ch)
        else:
            return None
    return unicodedata.normalize("NFC", _restore_capitals("".join(out), decoded_at))


def vni_to_unicode(text: str) -> str | None:
    """VNI text → Unicode (NFC), or None when a mark stands where VNI cannot put it."""
    out: list[str] = []
    for ch in text:
        mark = _VNI_MARKS.get(ch)
        if mark is not None and out:
            kind, combining = mark
            base = unicodedata.normalize("NFD", out[-1])[0]
            if base in _BASES[kind] or (kind == "tone" and out[-1] in _BASES["tone"]):
                out[-1] = unicodedata.normalize("NFC", out[-1] + combining)
                continue
        if ch in _VNI_LETTERS:
            out.append(_VNI_LETTERS[ch])
        elif mark is not None or (ord(ch) > 0x7F and ch not in _VIETNAMESE_LATIN1):
            return None
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def is_unicode_vietnamese(text: str) -> bool:
    return _UNICODE_ONLY.search(text) is not None


# Vietnamese syllables: initial consonant, vowel nucleus (tone removed), final consonant.
_NUCLEI = sorted(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi ua uâ uê ui uô uơ ưa "
    "ưi ươ ưu uy ya yê iêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu yêu uơi".split(),
    key=len,
    reverse=True,
)
_INITIALS = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_SYLLABLE = re.compile(_INITIALS + "(?:" + "|".join(_NUCLEI) + r")(?:ch|ng|nh|[cmnpt])?")
_TONES = {_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT}
_WORD = re.compile(r"[^\W\d_]+")


def vietnamese_score(text: str) -> int:
    """How many words of `text` are well-formed Vietnamese syllables (one tone at most)."""
    score = 0
    for word in _WORD.findall(unicodedata.normalize("NFC", text.lower())):
        decomposed = unicodedata.normalize("NFD", word)
        tones = sum(ch in _TONES for ch in decomposed)
        bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
        if tones <= 1 and _SYLLABLE.fullmatch(bare):
            score += 1
    return score


def detect_legacy(texts: Iterable[str]) -> str | None:
    """'tcvn3', 'vni' or None for a sample of a sheet's text cells, by the evidence they hold.

    A character only one encoding uses decides a cell; where both could have written it, the
    reading with more well-formed Vietnamese syllables does.
    """
    votes = {"tcvn3": 0, "vni": 0}
    unicode_cells = 0
    for text in texts:
        if not isinstance(text, str) or text.isascii():
            continue
        if is_unicode_vietnamese(text):
            unicode_cells += 1
            continue
        chars = set(text)
        as_tcvn3 = tcvn3_to_unicode(text) if chars & _TCVN3_EVIDENCE else None
        as_vni = vni_to_unicode(text) if chars & _VNI_EVIDENCE else None
        if as_tcvn3 is not None and (chars & _TCVN3_ONLY or as_vni is None):
            votes["tcvn3"] += 1
        elif as_vni is not None and (chars & _VNI_ONLY or as_tcvn3 is None):
            votes["vni"] += 1
        elif as_tcvn3 is not None and as_vni is not None:
            tcvn3_score, vni_score = vietnamese_score(as_tcvn3), vietnamese_score(as_vni)
            if tcvn3_score != vni_score:
                votes["tcvn3" if tcvn3_score > vni_score else "vni"] += 1
    # A stray '½' or '×' in a Unicode sheet is not a legacy sheet: the evidence must outweigh the
    # cells that are plainly Unicode Vietnamese (a template's Unicode headers over TCVN3 data still pass).
    if sum(votes.values()) <= unicode_cells:
        return None
    return "tcvn3" if votes["tcvn3"] >= votes["vni"] else "vni"


def to_unicode(text: str, legacy: str | None) -> str:
    """A cell's text in Unicode NFC, converted from the sheet's legacy encoding where it is one."""
    if text.isascii():
        return text
    if legacy and not is_unicode_vietnamese(text):
        converted = tcvn3_to_unicode(text) if legacy == "tcvn3" else vni_to_unicode(text)
        if converted is not None:
            return converted
    return unicodedata.normalize("NFC", text)


def encode_tcvn3(text: str) -> str:
    """Unicode → TCVN3 as Excel shows it (for tests and samples). Capitals are typed lowercase, as in .VnTimeH."""
    reverse: dict[str, str] = {}
    for code, letter in _TCVN3_BYTES.items():
        reverse.setdefault(letter, bytes([code]).decode("cp1252", errors="ignore") or chr(code))
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in reverse:
            out.append(reverse[ch])
        elif ch.lower() in reverse and not ch.isascii():
            out.append(reverse[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def encode_vni(text: str) -> str:
    """Unicode → VNI as Excel shows it (for tests and samples)."""
    letters = {v: chr(k) for k, v in _VNI_SINGLE.items()}
    tones = {_ACUTE: 0xF9, _GRAVE: 0xF8, _HOOK: 0xFB, _TILDE: 0xF5, _DOT: 0xEF}
    with_circumflex = {"": 0xE2, _ACUTE: 0xE1, _GRAVE: 0xE0, _HOOK: 0xE5, _TILDE: 0xE3, _DOT: 0xE4}
    with_breve = {"": 0xEA, _ACUTE: 0xE9, _GRAVE: 0xE8, _HOOK: 0xFA, _TILDE: 0xFC, _DOT: 0xEB}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in letters:
            out.append(letters[ch])
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        if not marks:
            out.append(ch)
            continue
        upper = base.isupper()
        tone = next((m for m in marks if m in tones), "")
        shift = -0x20 if upper else 0
        if base in "oOuU" and "\u031b" in marks:  # horn: ơ, ư are single letters
            out.append(letters[unicodedata.normalize("NFC", base + "\u031b")])
            if tone:
                out.append(chr(tones[tone] + shift))
        elif _CIRCUMFLEX in marks:
            out.append(base + chr(with_circumflex[tone] + shift))
        elif _BREVE in marks:
            out.append(base + chr(with_breve[tone] + shift))
        elif base in "yY" and tone == _DOT:
            out.append(base + chr(0xEE + shift))
        else:
            out.append(base + chr(tones[tone] + shift))
    return "".join(out)
