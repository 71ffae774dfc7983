"""SQL pieces the set-based paths share, written for both databases the platform runs on."""

from typing import Any

from django.db import connection


def json_object_sql(pairs: list[tuple[str, str]]) -> str:
    """A JSON object built in SQL from (key, SQL expression) pairs: jsonb on PostgreSQL, JSON text on SQLite."""
    fn = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
    return f"{fn}(" + ", ".join(f"'{key}', {expr}" for key, expr in pairs) + ")"


def json_bool_sql(expr: str) -> str:
    """A boolean SQL expression as a JSON true/false value; NULL (no row joined) reads as false on both databases."""
    if connection.vendor == "postgresql":
        return f"COALESCE({expr}, FALSE)"
    return f"json(CASE WHEN {expr} THEN 'true' ELSE 'false' END)"


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
