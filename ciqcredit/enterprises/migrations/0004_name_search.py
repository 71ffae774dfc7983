"""Search by part of a name or a code at national scale (issue 14): a trigram index on each database.

PostgreSQL: pg_trgm (shipped with Debian's PostgreSQL) and one GIN index over the four searched columns, used by
`LIKE '%…%'` on the name and `LIKE '…%'` on the codes. SQLite: an FTS5 table with the trigram tokenizer,
its content read from the enterprise table and kept current by triggers, except while the bulk import holds a
row in the `_bulk` table (it then indexes its new rows in one statement: five times faster than row by row).
"""

from django.db import migrations

TABLE = "enterprises_enterprise"
COLUMNS = ("name", "credit_code", "org_code", "ciq_registration_no")
FTS = "enterprise_search_fts"
BULK = "enterprise_search_fts_bulk"


def _forwards(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        ops = ", ".join(f"{c} gin_trgm_ops" for c in COLUMNS)
        run(f"CREATE INDEX enterprise_search_trgm_idx ON {TABLE} USING gin ({ops})")
        return
    if schema_editor.connection.vendor != "sqlite":
        return
    cols = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    run(f"CREATE VIRTUAL TABLE {FTS} USING fts5({cols}, content='{TABLE}', content_rowid='id', tokenize='trigram')")
    run(f"CREATE TABLE {BULK} (active integer NOT NULL)")
    run(
        f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} WHEN NOT EXISTS (SELECT 1 FROM {BULK}) BEGIN "
        f"INSERT INTO {FTS} (rowid, {cols}) VALUES (new.id, {new}); END"
    )
    run(
        f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
        f"INSERT INTO {FTS} ({FTS}, rowid, {cols}) VALUES ('delete', old.id, {old}); END"
    )
    run(
        f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF {cols} ON {TABLE} BEGIN "
        f"INSERT INTO {FTS} ({FTS}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {FTS} (rowid, {cols}) VALUES (new.id, {new}); END"
    )
    run(f"INSERT INTO {FTS} ({FTS}) VALUES ('rebuild')")


def _backwards(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run("DROP INDEX IF EXISTS enterprise_search_trgm_idx")  # the extension stays: others may use it
    elif schema_editor.connection.vendor == "sqlite":
        for suffix in ("ai", "ad", "au"):
            run(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}")
        run(f"DROP TABLE IF EXISTS {FTS}")
        run(f"DROP TABLE IF EXISTS {BULK}")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_name_code_index")]

    operations = [migrations.RunPython(_forwards, _backwards)]
