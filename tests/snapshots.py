"""The proof that nothing was written: a snapshot of every project table, compared before and after.

`db_snapshot()` gives, for each table of the project's apps (their history tables and many-to-many
tables included) and of the user accounts, the row count and a digest of every row's values, so
that an UPDATE is seen as well as an INSERT or a DELETE. The reference places (legacy provinces,
districts and communes: 10,000 rows nobody edits) are counted, not digested, to keep it fast.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.db import connection, models

PROJECT_APPS = ("places", "clubs", "members", "funds", "life", "reports", "sheets", "auth", "django_tasks_database")
COUNTED_ONLY = {"places.legacyprovince", "places.legacydistrict", "places.legacycommune"}
# Figures a report keeps for the next one (reports.club_figures: per club, and per province for the
# country's reports): reading a report writes them, and they are no data of anyone's. The versions they
# are checked against (reports.clubchange) are. So are the members' facts a report writes for the clubs
# that changed (reports.member_facts): copies of the register, not data.
NOT_DATA = {"reports.clubfigures", "reports.provincefigures", "reports.clubfacts", "reports.membershipfact",
            "reports.householdfact", "reports.borrowingfact"}  # fmt: skip


def project_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy and _label(model) not in NOT_DATA
    ]


def _label(model) -> str:
    return model._meta.label_lower


def _rows(model, cursor, counted_only: bool) -> tuple[int, str]:
    """One query per table, without the ORM: the row count and a digest of every row's values."""
    table = cursor.db.ops.quote_name(model._meta.db_table)
    if counted_only:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0], ""
    columns = ", ".join(cursor.db.ops.quote_name(field.column) for field in model._meta.concrete_fields)
    cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {cursor.db.ops.quote_name(model._meta.pk.column)}")
    digest, count = hashlib.blake2b(digest_size=16), 0
    while rows := cursor.fetchmany(2000):
        count += len(rows)
        digest.update(repr(rows).encode())
    return count, digest.hexdigest()


def db_snapshot() -> dict[str, tuple[int, str]]:
    """{table: (rows, digest of the rows)} for every project table."""
    snapshot = {}
    with connection.cursor() as cursor:
        for model in project_models():
            label = _label(model)
            counted_only = label in COUNTED_ONLY or (model._meta.auto_created and "legacycommune" in label)
            snapshot[label] = _rows(model, cursor, counted_only)
    return snapshot


def row_counts() -> dict[str, int]:
    """{table: rows}: enough where only inserts are possible (an import refused as a whole)."""
    return {_label(model): model._default_manager.count() for model in project_models()}


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))
