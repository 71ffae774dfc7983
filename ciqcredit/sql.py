"""SQL pieces the set-based paths share, written for both databases the platform runs on."""

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
