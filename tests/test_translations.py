"""The English catalogue is complete: a Vietnamese string left untranslated would show in the English UI."""

from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries(text: str):
    """(msgid, msgstr, flags) of each entry in a .po file, enough for this check."""
    blocks = text.split("\n\n")
    for block in blocks[1:]:  # the first block is the header
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        if block.lstrip().startswith("#~"):
            continue
        parts = {"msgid": "", "msgstr": "", "msgstr[0]": ""}
        current = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            key, _, rest = line.partition(" ")
            if key in ("msgid", "msgstr", "msgstr[0]", "msgid_plural", "msgstr[1]", "msgctxt"):
                current = key
                parts[current] = rest.strip('"')
            elif current and line.startswith('"'):
                parts[current] = parts.get(current, "") + line.strip('"')
        yield parts["msgid"], parts["msgstr"] or parts["msgstr[0]"], flags


def test_every_string_has_an_english_translation():
    missing = [
        msgid
        for msgid, msgstr, flags in entries(PO.read_text(encoding="utf-8"))
        if not msgstr or "fuzzy" in flags
    ]
    assert missing == []
