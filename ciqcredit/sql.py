"""SQL pieces the set-based paths share, written for both databases the platform runs on."""

import functools
import json
import operator
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models


def json_object_sql(pairs: list[tuple[str, str]]) -> str:
    """A JSON object built in SQL from (key, SQL expression) pairs: jsonb on PostgreSQL, JSON text on SQLite."""
    fn = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
    return f"{fn}(" + ", ".join(f"'{key}', {expr}" for key, expr in pairs) + ")"


def json_bool_sql(expr: str) -> str:
    """A boolean SQL expression as a JSON true/false value; NULL (no row joined) reads as false on both databases."""
    if connection.vendor == "postgresql":
        return f"COALESCE({expr}, FALSE)"
    return f"json(CASE WHEN {expr} THEN 'true' ELSE 'false' END)"


# --- bulk writing: COPY on PostgreSQL, executemany on SQLite -----------------------------------------------------


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys for rows about to be inserted with `insert_rows`, so they can be referred to before.

    PostgreSQL draws them from the table's identity sequence (concurrent writers get others). SQLite moves the
    table's AUTOINCREMENT counter forward; its transactions are IMMEDIATE (settings), so the caller's
    transaction already holds the write lock and no other writer can draw the same numbers.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 0))',
            [table],
        )
        first = cursor.fetchone()[0] + 1
        cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [first + count - 1, table])
        if cursor.rowcount == 0:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, first + count - 1])
    return list(range(first, first + count))


def _column_converters(fields: Sequence[models.Field]) -> list[tuple[int, Callable[[Any], Any]]]:
    """(column index, converter) for the columns whose Python values the driver cannot take as they are."""
    out: list[tuple[int, Callable[[Any], Any]]] = []
    sqlite = connection.vendor == "sqlite"
    for index, field in enumerate(fields):
        internal = field.get_internal_type()
        if internal == "JSONField":  # as the field dumps it (its encoder decides how Chinese is written)
            out.append((index, functools.partial(json.dumps, cls=getattr(field, "encoder", None))))
        elif sqlite and internal == "DateTimeField":
            out.append((index, connection.ops.adapt_datetimefield_value))
        elif sqlite and internal == "DateField":
            out.append((index, connection.ops.adapt_datefield_value))
    return out


def insert_rows(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert rows given as {attname: Python value} (ids included, see `reserve_ids`, or left to the database),
    without building model instances: COPY on PostgreSQL, one executemany on SQLite. Every row has the keys of
    the first, and only field attnames; a column they leave out takes the field's default. No signals, no
    `save()`: for the bulk paths, whose callers write the audit rows themselves."""
    if not rows:
        return 0
    fields = list(model._meta.concrete_fields)
    if model._meta.pk.attname not in rows[0]:  # the database numbers the rows
        fields = [f for f in fields if not f.primary_key]
    converters: dict[int, Callable[[Any], Any]] = {}  # set below, once the columns are in their order
    cache: dict[Any, Any] = {}  # converted values repeat (one timestamp per batch, a few hundred dates)

    def convert(index: int, value: Any) -> Any:
        if value is None or index not in converters:
            return value
        # JSON values: one object may stand in many rows (the same measures applied to many decisions); it is
        # converted once per call (the rows keep it alive, so its id cannot be reused meanwhile).
        key = (index, id(value)) if isinstance(value, dict | list) else (index, value)
        if key not in cache:
            cache[key] = converters[index](value)
        return cache[key]

    names = [f.attname for f in fields]
    given = [name for name in names if name in rows[0]]
    if len(given) != len(rows[0]):
        raise ValueError(f"not columns of {model.__name__}: {sorted(set(rows[0]) - set(given))}")
    # The columns the rows give come first, the defaulted ones after: a row is then its picked values plus one
    # constant tail, built without a Python step per column (the per-column loop was a tenth of the load).
    taken = [i for i, name in enumerate(names) if name in rows[0]]
    left = [i for i, name in enumerate(names) if name not in rows[0]]
    fields = [fields[i] for i in taken + left]
    converters = dict(_column_converters(fields))
    tail = [  # not through the cache: these objects die at once, and their ids could come back
        converters[i](d) if i in converters and d is not None else d
        for i, d in ((i, f.get_default()) for i, f in enumerate(fields) if i >= len(taken))
    ]
    convert_given = [i for i in range(len(taken)) if i in converters]
    if len(given) > 1:
        getter = operator.itemgetter(*given)

        def pick(row: Mapping[str, Any]) -> list[Any]:
            return list(getter(row))
    else:

        def pick(row: Mapping[str, Any]) -> list[Any]:
            return [row[name] for name in given]

    values: list[list[Any]] = []
    for row in rows:
        if len(row) != len(given):
            raise ValueError(f"every row must have the keys of the first: {sorted(row)} != {given}")
        line = pick(row)
        for i in convert_given:
            line[i] = convert(i, line[i])
        values.append(line + tail if tail else line)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for line in values:
                    copy.write_row(line)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
    return len(values)


def serial_take(counter_model: type[Any], *, limit: int, exhausted: Exception, **keys: Any) -> int:
    """The next gap-free serial of a counter row (`last`) identified by `keys`, taken under a row lock.

    The row is created if absent without racing (ignore_conflicts), then locked, so two transactions never
    take the same number and a rolled-back one gives its number back. Raises `exhausted` past `limit`.
    """
    counter_model.objects.bulk_create([counter_model(**keys)], ignore_conflicts=True)
    counter = counter_model.objects.select_for_update().get(**keys)
    if counter.last >= limit:
        raise exhausted
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


# --- the hot path: statements sent with their parameters apart, prepared once per connection ------------------


def fetch_prepared(
    sql: str, params: Sequence[Any], *, prepare: bool = True, using: str = DEFAULT_DB_ALIAS
) -> list[tuple[Any, ...]]:
    """Run one statement of a hot path that returns rows (a SELECT, or a write with RETURNING), and return them.

    On PostgreSQL the parameters travel apart from the statement (server-side binding) and, with `prepare`, the
    statement is prepared on its connection the first time and only executed afterwards: no quoting in Python,
    no parsing and planning on the server. Django's own cursors interpolate parameters on the client and prepare
    nothing (so that transaction-mode poolers work; a pooler in front of the platform must run in session mode
    for this). Statements of varying text (long IN lists) should pass `prepare=False`, so they do not push the
    others out of psycopg's cache of 100 prepared statements per connection. SQLite: Django's cursor. `using`:
    the database alias (a read-only path may name the replica's, `replica.read_alias()`).
    """
    db = connections[using]
    if db.vendor != "postgresql":
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    import psycopg

    def execute(sql: str, params: Any, many: bool, context: dict[str, Any]) -> None:
        context["cursor"].execute(sql, params, prepare=prepare)

    db.ensure_connection()
    with db.wrap_database_errors, psycopg.Cursor(db.connection) as raw:
        # As Django's cursors do: execute wrappers see the statement, and query logging (DEBUG, tests) counts it.
        for wrapper in reversed(db.execute_wrappers):
            execute = functools.partial(wrapper, execute)
        started = time.monotonic()
        execute(sql, params, False, {"connection": db, "cursor": raw})
        if db.queries_logged:
            db.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
        return raw.fetchall()
