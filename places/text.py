"""Vietnamese text helpers shared by search, duplicate checks, forms and imports.

They sit in the lowest app (places) so that every app may use them."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Characters that show as nothing: zero-width space, (non-)joiner, word joiner, BOM, and the
# bidirectional embeddings, overrides and isolates. Pasted from a web page or a chat they make
# "Lò Thị\u200b Lan" a different name from "Lò Thị Lan" for search and the duplicate check; they
# are removed from every name before it is matched or stored.
INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069\u200e\u200f]")
# Control characters (NUL, bell, escape…; not tab and line ends, which are spacing): refused.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Django's own message for a NUL in any form field (ProhibitNullCharactersValidator): named here so
# that makemessages keeps it in our catalogue, whose Vietnamese replaces the English in every form.
NUL_IN_A_FORM = gettext_lazy("Null characters are not allowed.")


def without_invisible(text: str) -> str:
    return INVISIBLE.sub("", text) if not text.isascii() else text


def control_error(value: str, what: str) -> str | None:
    """A message when `value` holds a control character (a NUL byte from a broken export…)."""
    found = CONTROL.search(value)
    if found is None:
        return None
    return _(
        "%(what)s có ký tự điều khiển không in được (mã %(code)s, ở vị trí %(position)s): thường do sao chép "
        "từ một tệp hỏng. Hãy xóa ô này và gõ lại."
    ) % {"what": what, "code": f"U+{ord(found.group()):04X}", "position": found.start() + 1}


_SPACES = re.compile(r"\s+")
_VIETNAMESE_MARKS = re.compile("[\u0300-\u036f]+")


def nfc(text: str) -> str:
    """Text as typed, in the composed form (NFC) and with its spacing tidied."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", without_invisible(text or ""))).strip()


def search_key(text: str) -> str:
    """Lower case, no diacritics, single spaces: 'Nguyễn  Thị Hoa' → 'nguyen thi hoa'.

    Stored beside names so that search without diacritics works the same on SQLite and
    PostgreSQL, with no database extension.
    """
    text = text or ""
    if text.isascii():
        return " ".join(text.lower().split())
    # (str.replace, not translate(): a dict-based translate looks every character up in Python.)
    decomposed = unicodedata.normalize("NFD", without_invisible(text).replace("đ", "d").replace("Đ", "d"))
    # Vietnamese marks are all in U+0300–U+036F: one regular expression removes them (imports call
    # this 50,000 times); the character-by-character check only runs when other marks remain.
    bare = _VIETNAMESE_MARKS.sub("", decomposed)
    if not bare.isascii():
        bare = "".join(ch for ch in bare if not unicodedata.combining(ch))
    # Runs of spacing as one space, none at the ends: str.split() splits on what the regular
    # expression \s matches (Unicode spacing), at C speed.
    return " ".join(bare.lower().split())


FORMULA_SIGNS = ("=", "+", "-", "@")
# Notes, minutes and reasons are prose: Vietnamese minutes list their points with a dash ("- Thu quỹ
# tháng 3", "-5 kg so với quý trước"), so there only = + @ are refused. Every spreadsheet we write
# neutralises a leading dash all the same (sheets.formula_guard).
PROSE_FORMULA_SIGNS = ("=", "+", "@")


def formula_error(value: str, what: str, *, prose: bool = False) -> str | None:
    """Text typed by people that starts like a spreadsheet formula (=HYPERLINK(…), +cmd|…, @SUM…) is
    no name, village or note but an attempt at formula injection: refused wherever it is typed —
    forms, the admin, imports, services (NoFormulaStart on the model fields). Leading spacing is
    looked through (" =1+1"). Phone numbers (+84…) are normalised on their own and not checked here."""
    stripped = value.lstrip()
    if not stripped.startswith(PROSE_FORMULA_SIGNS if prose else FORMULA_SIGNS):
        return None
    shown = stripped if len(stripped) <= 40 else stripped[:40] + "…"
    return _("%(what)s “%(value)s” bắt đầu bằng dấu %(sign)s như một công thức bảng tính: hãy sửa lại.") % {
        "what": what,
        "value": shown,
        "sign": stripped[0],
    }


@deconstructible
class NoFormulaStart:
    """The model-field validator of every free-text field people type (names, villages, addresses,
    notes…): every way in — forms, the admin, services' full_clean() — refuses a leading formula sign
    with the same message as a member's name. Imports check the same fields at the preview
    (sheets.engine), naming the row and the column. `what` is the field's label in the message."""

    def __init__(self, what: str, *, prose: bool = False) -> None:
        self.what = what
        self.prose = prose

    def __call__(self, value: object) -> None:
        if isinstance(value, str) and (error := formula_error(value, capfirst(self.what), prose=self.prose)):
            raise ValidationError(error, code="formula")

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, NoFormulaStart)
            and str(self.what) == str(other.what)
            and self.prose == other.prose
        )
