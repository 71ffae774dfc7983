"""SQL pieces the set-based paths share, written for both databases the platform runs on."""

import functools
import gc
import json
import operator
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models.expressions import RawSQL


def json_object_sql(pairs: list[tuple[str, str]]) -> str:
    """A JSON object built in SQL from (key, SQL expression) pairs: jsonb on PostgreSQL, JSON text on SQLite."""
    fn = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
    return f"{fn}(" + ", ".join(f"'{key}', {expr}" for key, expr in pairs) + ")"


def json_bool_sql(expr: str) -> str:
    """A boolean SQL expression as a JSON true/false value; NULL (no row joined) reads as false on both databases."""
    if connection.vendor == "postgresql":
        return f"COALESCE({expr}, FALSE)"
    return f"json(CASE WHEN {expr} THEN 'true' ELSE 'false' END)"


def in_values(model: type[models.Model], field_name: str, values: Collection[Any]) -> RawSQL:
    """`field IN values` for a filter() over thousands of values (a batch's codes or ids): one array parameter
    (`= ANY` on PostgreSQL, `json_each` on SQLite) instead of one per value, which the ORM prepares one by one.
    Values are text or integers."""
    qn = connection.ops.quote_name
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.Field) and field.column, field_name  # a concrete column, not a relation's far side
    column = f"{qn(model._meta.db_table)}.{qn(field.column)}"
    if not values:
        return RawSQL("1 = 0", [], output_field=models.BooleanField())
    if connection.vendor == "postgresql":
        return RawSQL(f"{column} = ANY(%s)", [list(values)], output_field=models.BooleanField())
    return RawSQL(
        f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(values))], output_field=models.BooleanField()
    )


# --- bulk writing: COPY on PostgreSQL, executemany on SQLite -----------------------------------------------------


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held off while a batch is built: a batch makes hundreds of thousands of dicts and
    lists, each allocation counts towards a collection, and the collections walk every live object again and
    again (a sixth of a load's CPU). The batch's objects hold no cycles and go when their last reference does;
    the collector resumes afterwards, as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
            encoder = (getattr(field, "encoder", None) or json.JSONEncoder)()  # json.dumps(value, cls=…), built once
            out.append((index, encoder.encode))
        elif sqlite and internal == "DateTimeField":
            out.append((index, connection.ops.adapt_datetimefield_value))
        elif sqlite and internal == "DateField":
            out.append((index, connection.ops.adapt_datefield_value))
    return out


def _convert_column(values: list[list[Any]], index: int, converter: Callable[[Any], Any]) -> None:
    """Convert one column of `values` in place, each distinct value once: converted values repeat (one timestamp
    per batch, a few hundred dates). JSON values are known by identity, as one object may stand in many rows (the
    same measures applied to many decisions); the rows keep it alive, so its id is not reused meanwhile."""
    cache: dict[Any, Any] = {}
    for line in values:
        value = line[index]
        if value is None:
            continue
        key = id(value) if isinstance(value, dict | list) else value
        converted = cache.get(key, cache)
        if converted is cache:
            converted = cache[key] = converter(value)
        line[index] = converted


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
    tail = [
        converters[i](d) if i in converters and d is not None else d
        for i, d in ((i, f.get_default()) for i, f in enumerate(fields) if i >= len(taken))
    ]
    getter = operator.itemgetter(*given)
    width = len(given)
    values: list[list[Any]] = []
    for row in rows:
        if len(row) != width:
            raise ValueError(f"every row must have the keys of the first: {sorted(row)} != {given}")
        picked = getter(row)
        values.append([*picked, *tail] if width > 1 else [picked, *tail])
    for index in (i for i in range(len(taken)) if i in converters):
        _convert_column(values, index, converters[index])
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
