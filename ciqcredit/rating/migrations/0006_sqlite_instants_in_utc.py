"""SQLite: instants stored with a UTC offset (`2026-10-09 10:15:00.123456+08:00`) are rewritten as the ORM
writes them (naive UTC, `2026-10-09 02:15:00.123456`), so every timestamp has one representation and rows sort in
true time order.

Before clock.sql_instant, the bulk confirmation of results wrote its instants with the +08:00 offset: the
results' decision time, the grade changes, their audit rows, the change feed and the key-enterprise files. The
rows keep the same instant; only its spelling changes. The audit log refuses UPDATE on SQLite, so its trigger is
lifted for this rewrite and restored in the same transaction. Every datetime column of every model is checked,
so rows any bulk SQL wrote the same way are normalized too. PostgreSQL stores timestamptz: nothing to do.
"""

import datetime as dt

from django.db import migrations, models

AUDIT_TABLE = "audit_auditentry"
AUDIT_TRIGGER_DROP = "DROP TRIGGER IF EXISTS audit_entry_no_update"
AUDIT_TRIGGER_CREATE = (
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only: UPDATE refused'); END;"
)


def _datetime_columns(apps):
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                yield model._meta.db_table, model._meta.pk.column, field.column


def normalize_instants(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, pk, column in _datetime_columns(apps):
            if table not in tables:
                continue
            cursor.execute(
                f'SELECT "{pk}", CAST("{column}" AS TEXT) FROM "{table}" '  # noqa: S608 (names from the model state)
                f"WHERE \"{column}\" LIKE '%+__:__' OR \"{column}\" LIKE '%-__:__'"
            )
            rows = [
                (connection.ops.adapt_datetimefield_value(dt.datetime.fromisoformat(value)), key)
                for key, value in cursor.fetchall()
                if isinstance(value, str)
            ]
            if not rows:
                continue
            if table == AUDIT_TABLE:
                cursor.execute(AUDIT_TRIGGER_DROP)
            cursor.executemany(f'UPDATE "{table}" SET "{column}" = %s WHERE "{pk}" = %s', rows)
            if table == AUDIT_TABLE:
                cursor.execute(AUDIT_TRIGGER_CREATE)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_refuse_truncate"),
        ("rating", "0005_change_feed"),
    ]

    operations = [migrations.RunPython(normalize_instants, migrations.RunPython.noop)]
