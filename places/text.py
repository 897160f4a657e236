"""Vietnamese text helpers shared by search, duplicate checks, forms and imports.

They sit in the lowest app (places) so that every app may use them."""

import re
import unicodedata

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
_STRIP_D = str.maketrans({"đ": "d", "Đ": "d"})
_VIETNAMESE_MARKS = re.compile("[\u0300-\u036f]+")


def nfc(text: str) -> str:
    """Text as typed, in the composed form (NFC) and with its spacing tidied."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", without_invisible(text or ""))).strip()


def search_key(text: str) -> str:
    """Lower case, no diacritics, single spaces: 'Nguyễn  Thị Hoa' → 'nguyen thi hoa'.

    Stored beside names so that search without diacritics works the same on SQLite and
    PostgreSQL, with no database extension.
    """
    decomposed = unicodedata.normalize("NFD", without_invisible(text or "").translate(_STRIP_D))
    # Vietnamese marks are all in U+0300–U+036F: one regular expression removes them (imports call
    # this 50,000 times); the character-by-character check only runs when other marks remain.
    bare = _VIETNAMESE_MARKS.sub("", decomposed)
    if not bare.isascii():
        bare = "".join(ch for ch in bare if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.lower()).strip()


FORMULA_SIGNS = ("=", "+", "-", "@")


def formula_error(value: str, what: str) -> str | None:
    """A person's name that starts like a spreadsheet formula (=HYPERLINK(…), +cmd|…, @SUM…) is no
    name but an attempt at formula injection. Other text (a village "-Bản Mè") is kept as written:
    the exports neutralise it (workbooks.py)."""
    if not value.startswith(FORMULA_SIGNS):
        return None
    shown = value if len(value) <= 40 else value[:40] + "…"
    return _("%(what)s “%(value)s” bắt đầu bằng dấu %(sign)s như một công thức bảng tính: hãy sửa lại.") % {
        "what": what,
        "value": shown,
        "sign": value[0],
    }
