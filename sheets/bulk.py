"""Inserting many rows fast, with their history records.

On PostgreSQL rows go in with COPY (primary keys taken from the table's sequence first, so that
rows referring to them can follow): measured here, Django's bulk_create spends most of a
50,000-member import preparing values and building model instances, COPY takes a fraction.
Elsewhere (the embedded SQLite default) it is plain bulk_create. Rows are dicts of field
attnames to already-validated Python values; fields left out take their model default.

simple_history's records are written the same way: what `bulk_create_with_history` would write.
"""

from __future__ import annotations

import datetime
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone

HISTORY_FIELDS = ("history_id", "history_date", "history_change_reason", "history_type", "history_user_id")
BATCH = 2000


def _defaults(model: type[models.Model]) -> dict[str, Any]:
    """Every concrete field but an auto primary key → the value a row leaving it out gets."""
    now = timezone.now()
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.primary_key and isinstance(field, models.AutoField):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = now
        else:
            defaults[field.attname] = field.get_default()  # the model default, '' for text, else None
    return defaults


def insert(model: type[models.Model], rows: list[dict[str, Any]], *, ids: bool = False) -> list[int]:
    """Insert `rows`; with `ids`, set each row's 'id' and return the ids in order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        # Like COPY below, the model's own fields only: history rows are built from the register rows,
        # which carry fields history leaves out (Member.search_key).
        names = {field.attname for field in model._meta.concrete_fields}
        objs = [model(**{name: value for name, value in row.items() if name in names}) for row in rows]
        created = model._default_manager.bulk_create(objs, batch_size=BATCH)
        if ids:
            for row, obj in zip(rows, created, strict=True):
                row["id"] = obj.pk
        return [obj.pk for obj in created] if ids else []
    defaults = _defaults(model)
    attnames = list(defaults)
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column if name != "id" else "id" for name in attnames]
    with connection.cursor() as cursor:
        if ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(rows)],
            )
            for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                row["id"] = pk
            attnames, columns = ["id", *attnames], ["id", *columns]
            defaults["id"] = None
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        values = itemgetter(*attnames) if len(attnames) > 1 else (lambda row: (row[attnames[0]],))
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(values({**defaults, **row}))
    return [row["id"] for row in rows] if ids else []


def insert_history(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    user_id: int | None,
    reason: str,
    when: datetime.datetime,
) -> None:
    """The '+' history records of freshly inserted `rows` (which hold their 'id')."""
    history_model = model.history.model
    defaults = _defaults(model)
    tracked = [f.attname for f in history_model._meta.concrete_fields if f.attname not in HISTORY_FIELDS]
    record = {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": user_id,
    }
    base = {**{name: defaults.get(name) for name in tracked}, **record}
    # insert() takes the history model's fields only: the rows' other keys are left behind.
    insert(history_model, [{**base, **row} for row in rows])
