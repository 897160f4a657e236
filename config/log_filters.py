"""Keeping personal data out of what the logs write.

The project's own code never logs a member's citizen ID, phone or health readings. What it does not
control can: a database error's message names the duplicate key ("Key (citizen_id)=(…) already
exists"), a 500 error's traceback ends with that message, SQL logged at DEBUG carries its parameters,
django-axes logs the user name typed at the login form. The log handlers therefore write every
record through `RedactPersonalData`, which replaces runs of 9 to 12 digits (citizen IDs and the old
9-digit ID cards, phone numbers with or without +84) by a placeholder.
"""

from __future__ import annotations

import logging
import re

PERSONAL_NUMBER = re.compile(r"(?<![\d])(?:\+84)?\d{9,12}(?![\d])")
PLACEHOLDER = "[số đã ẩn]"


def redact(text: str) -> str:
    return PERSONAL_NUMBER.sub(PLACEHOLDER, text)


class RedactPersonalData(logging.Filter):
    """A handler filter: the record as written, with personal numbers hidden. The original record
    is left alone (Python 3.12+ lets a filter hand back a copy), so other handlers see it unchanged."""

    def filter(self, record: logging.LogRecord) -> logging.LogRecord | bool:
        message = record.getMessage()
        exc_text = record.exc_text
        if record.exc_info and not exc_text:
            exc_text = logging.Formatter().formatException(record.exc_info)
        clean_message = redact(message)
        clean_exc = redact(exc_text) if exc_text else exc_text
        clean_stack = redact(record.stack_info) if record.stack_info else record.stack_info
        if (clean_message, clean_exc, clean_stack) == (message, exc_text, record.stack_info):
            return True
        copy = logging.makeLogRecord(record.__dict__)
        copy.msg, copy.args = clean_message, None
        copy.exc_info, copy.exc_text, copy.stack_info = None, clean_exc, clean_stack
        return copy
