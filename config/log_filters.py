"""Keeping personal data out of what the logs write.

The project's own code never logs a member's citizen ID, phone or health readings. What it does not
control can: a database error's message names the duplicate key ("Key (citizen_id)=(…) already
exists") or the whole row a check refused ("Failing row contains (…)"), a 500 error's traceback ends
with that message, SQL logged at DEBUG carries its parameters, django-axes logs the user name typed
at the login form, gunicorn's access log writes the request line with its query string (a search by
citizen ID). The log handlers therefore write every record through `RedactPersonalData`, which
replaces runs of 9 to 12 digits (citizen IDs and the old 9-digit ID cards, phone numbers with or
without +84) by a placeholder, the content of a refused row, and every number of an SQL statement on
the health-check tables (weight, blood pressure and pulse are small numbers that no pattern tells
from any other).
"""

from __future__ import annotations

import logging
import re

PERSONAL_NUMBER = re.compile(r"(?<![\d])(?:\+84)?\d{9,12}(?![\d])")
PLACEHOLDER = "[số đã ẩn]"
# PostgreSQL's DETAIL line of a check or not-null violation: every value of the row, health readings too.
FAILING_ROW = re.compile(r"(Failing row contains \().*?(\)\.?)$", re.MULTILINE)
ROW_PLACEHOLDER = "[đã ẩn]"
# The tables that hold health readings (life.HealthCheck and its history).
HEALTH_TABLE = re.compile(r"\bclubs_(?:historical)?healthcheck\b", re.IGNORECASE)
SQL_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
SQL_DURATION = re.compile(r"^\(\d+\.\d+\) ")  # how django.db.backends starts a statement's line


def redact(text: str) -> str:
    return FAILING_ROW.sub(rf"\g<1>{ROW_PLACEHOLDER}\g<2>", PERSONAL_NUMBER.sub(PLACEHOLDER, text))


def redact_health_sql(text: str) -> str:
    """A statement on a health table with its numbers hidden (its duration kept)."""
    if not HEALTH_TABLE.search(text):
        return text
    duration = SQL_DURATION.match(text)
    start = duration.end() if duration else 0
    return text[:start] + SQL_NUMBER.sub(ROW_PLACEHOLDER, text[start:])


class RedactPersonalData(logging.Filter):
    """A handler filter: the record as written, with personal numbers hidden. The original record
    is left alone (Python 3.12+ lets a filter hand back a copy), so other handlers see it unchanged."""

    def filter(self, record: logging.LogRecord) -> logging.LogRecord | bool:
        message = record.getMessage()
        exc_text = record.exc_text
        if record.exc_info and not exc_text:
            exc_text = logging.Formatter().formatException(record.exc_info)
        clean_message = redact(message)
        if hasattr(record, "sql"):  # django.db.backends: the statement, and its parameters as `extra`
            clean_message = redact_health_sql(clean_message)
        clean_exc = redact(exc_text) if exc_text else exc_text
        clean_stack = redact(record.stack_info) if record.stack_info else record.stack_info
        if (clean_message, clean_exc, clean_stack) == (message, exc_text, record.stack_info):
            return True
        copy = logging.makeLogRecord(record.__dict__)
        copy.msg, copy.args = clean_message, None
        copy.exc_info, copy.exc_text, copy.stack_info = None, clean_exc, clean_stack
        if hasattr(record, "sql"):
            copy.sql, copy.params = redact_health_sql(redact(record.sql)), None
        return copy
