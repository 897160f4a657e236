"""Vietnamese text helpers shared by search, duplicate checks, forms and imports.

They sit in the lowest app (places) so that every app may use them."""

import re
import unicodedata

from django.utils.translation import gettext as _

_SPACES = re.compile(r"\s+")
_STRIP_D = str.maketrans({"đ": "d", "Đ": "d"})
_VIETNAMESE_MARKS = re.compile("[\u0300-\u036f]+")


def nfc(text: str) -> str:
    """Text as typed, in the composed form (NFC) and with its spacing tidied."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def search_key(text: str) -> str:
    """Lower case, no diacritics, single spaces: 'Nguyễn  Thị Hoa' → 'nguyen thi hoa'.

    Stored beside names so that search without diacritics works the same on SQLite and
    PostgreSQL, with no database extension.
    """
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_STRIP_D))
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
