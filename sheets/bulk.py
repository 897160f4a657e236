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
from simple_history.models import HistoricalRecords

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
        if not connection.in_atomic_block:
            return _bulk_create(model, rows, ids=ids)
        return _execute_many(model, rows, ids=ids)
    defaults = _defaults(model)
    attnames = list(defaults)
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column if name != "id" else "id" for name in attnames]
    with connection.cursor() as cursor:
        if ids:
            # The sequence looked up once (the subquery, kept apart by OFFSET 0): `nextval(pg_get_serial_sequence(…))`
            # looked it up in the catalog again for every row (0.5 s of server time for 50,000 ids, against 0.07 s).
            cursor.execute(
                "SELECT nextval(s.seq) FROM (SELECT pg_get_serial_sequence(%s, 'id')::regclass AS seq OFFSET 0) s, "
                "generate_series(1, %s)",
                [table, len(rows)],
            )
            for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                row["id"] = pk
            attnames, columns = ["id", *attnames], ["id", *columns]
            defaults["id"] = None
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        values = itemgetter(*attnames) if len(attnames) > 1 else (lambda row: (row[attnames[0]],))
        # Times as text, once per distinct value (an import stamps every row with the same `now`):
        # psycopg formats a timezone-aware datetime in 2 µs, two thirds of a member row's COPY line.
        stamps = [
            i
            for i, name in enumerate(attnames)
            if isinstance(model._meta.get_field(name), models.DateTimeField)
        ]
        as_text: dict[datetime.datetime, str] = {}
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                line = values({**defaults, **row})
                if stamps:
                    line = list(line)
                    for i in stamps:
                        if (stamp := line[i]) is not None:
                            line[i] = as_text.get(stamp) or as_text.setdefault(stamp, stamp.isoformat())
                copy.write_row(line)
    return [row["id"] for row in rows] if ids else []


def _bulk_create(model: type[models.Model], rows: list[dict[str, Any]], *, ids: bool) -> list[int]:
    # Like COPY, the model's own fields only: history rows are built from the register rows, which
    # carry fields history leaves out (Member.search_key).
    names = {field.attname for field in model._meta.concrete_fields}
    objs = [model(**{name: value for name, value in row.items() if name in names}) for row in rows]
    created = model._default_manager.bulk_create(objs, batch_size=BATCH)
    if ids:
        for row, obj in zip(rows, created, strict=True):
            row["id"] = obj.pk
    return [obj.pk for obj in created] if ids else []


# Fields whose Python values (as imports build them: str, int, bool, None) go to SQLite as they are.
_AS_THEY_ARE = (
    models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey,
    models.AutoField,
)  # fmt: skip


def _execute_many(model: type[models.Model], rows: list[dict[str, Any]], *, ids: bool) -> list[int]:
    """SQLite, inside a transaction: one executemany. bulk_create built a model instance and prepared
    every value of every row through its field (half the time of a 50,000-member import on SQLite, in
    INSERTs of 50 rows); here each column's values are converted once per distinct value, by the field.

    Ids: the first row goes in alone and gets its id; from then on the transaction holds SQLite's write
    lock, and the table's AUTOINCREMENT key gave the highest id there is, so the next rows take the ids
    that follow it."""
    defaults = _defaults(model)
    fields = [model._meta.get_field(name) for name in defaults]
    if ids:
        _bulk_create(model, rows[:1], ids=True)
        first, rows = rows[0]["id"], rows[1:]
        for number, row in enumerate(rows, start=1):
            row["id"] = first + number
        fields.insert(0, model._meta.pk)
        defaults = {"id": None, **defaults}
    if rows:
        columns = []
        for field in fields:
            values = [row.get(field.attname, defaults[field.attname]) for row in rows]
            if not isinstance(field, _AS_THEY_ARE) or field.get_internal_type() == "JSONField":
                converted: dict[Any, Any] = {}
                values = [_converted(field, value, converted) for value in values]
            columns.append(values)
        quoted = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        marks = ", ".join(["%s"] * len(fields))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({quoted}) VALUES ({marks})",
                list(zip(*columns, strict=True)),
            )
    return [first, *(row["id"] for row in rows)] if ids else []


def _converted(field: models.Field, value: Any, seen: dict) -> Any:
    """The field's own conversion for the database (dates, times in UTC, decimals), once per value."""
    try:
        return seen[(value.__class__, value)]
    except KeyError:
        seen[(value.__class__, value)] = result = field.get_db_prep_save(value, connection)
        return result
    except TypeError:
        return field.get_db_prep_save(value, connection)


def history_user_id() -> int | None:
    """The user simple_history names in the records a save() writes now: the request's user (an import
    job outside a request sets one, sheets.jobs), None otherwise."""
    user = getattr(getattr(HistoricalRecords.context, "request", None), "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def insert_history(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    user_id: int | None,
    reason: str | None,
    when: datetime.datetime,
    history_type: str = "+",
) -> None:
    """The '+' history records of freshly inserted `rows` (which hold their 'id'); with history_type
    '~', the records of a change saved right after (what a second save() would write)."""
    history_model = model.history.model
    defaults = _defaults(model)
    tracked = [f.attname for f in history_model._meta.concrete_fields if f.attname not in HISTORY_FIELDS]
    record = {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": user_id,
    }
    base = {**{name: defaults.get(name) for name in tracked}, **record}
    # insert() takes the history model's fields only: the rows' other keys are left behind.
    insert(history_model, [{**base, **row} for row in rows])


def insert_history_as_stored(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    user_id: int | None,
    reason: str | None,
    when: datetime.datetime,
    history_type: str = "+",
) -> None:
    """As insert_history, for rows the table holds as they are (written by insert() and not changed
    since). On PostgreSQL the records are copied from the table by the server, in one INSERT … SELECT:
    the rows are not formatted and sent a second time (a 50,000-member import sent 136,000 history
    rows through COPY, a quarter of its client time)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        insert_history(model, rows, user_id=user_id, reason=reason, when=when, history_type=history_type)
        return
    history_model = model.history.model
    tracked = [f.column for f in history_model._meta.concrete_fields if f.attname not in HISTORY_FIELDS]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in tracked)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history_model._meta.db_table)} ({columns}, history_date, history_change_reason, "
            f"history_type, history_user_id) SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(model._meta.pk.column)} = ANY(%s::bigint[])",
            [when, reason, history_type, user_id, array_text([row["id"] for row in rows])],
        )


def insert_derived(
    model: type[models.Model],
    source: type[models.Model],
    source_ids: str,
    columns: dict[str, str],
    *,
    where: str = "",
    params: tuple = (),
) -> list[int]:
    """PostgreSQL only: rows of `model` made by the server from rows of `source` (those whose ids are
    in `source_ids`, an array_text(), and `where`, an SQL condition with `params`), in the order of the
    source's ids; returns the new rows' ids in that order. `columns`: the model's attnames → the SQL
    expression over the source row that gives it; the other fields take their model default, as insert()
    gives them. For rows that only repeat what the source rows hold (a new member's open membership): they
    are not formatted and sent by the client at all."""
    quote = connection.ops.quote_name
    defaults = {name: value for name, value in _defaults(model).items() if name not in columns}
    names = [*columns, *defaults]
    targets = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    values = ", ".join([*columns.values(), *["%s"] * len(defaults)])
    condition = f" AND ({where})" if where else ""
    pk = quote(source._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({targets}) SELECT {values} FROM {quote(source._meta.db_table)} "
            f"WHERE {pk} = ANY(%s::bigint[]){condition} ORDER BY {pk} RETURNING {quote(model._meta.pk.column)}",
            [*defaults.values(), source_ids, *params],
        )
        return [pk for (pk,) in cursor.fetchall()]


def array_text(values: list) -> str:
    """A PostgreSQL array literal of ints or strings ('{1,2}', '{"a","b"}'), to send with a cast
    (`%s::bigint[]`): psycopg builds an array parameter value by value in Python, 4-5 us each
    (0.2 s for the ids of one 50,000-row import), this in C."""
    if all(value.__class__ is int for value in values):
        return "{" + ",".join(map(str, values)) + "}"
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"
