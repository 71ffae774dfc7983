"""On PostgreSQL the evaluation results become a table partitioned by run (ciqcredit.rating.partitions).

The model does not change: the parent keeps every column, default, check, the unique constraint on (enterprise,
run) and the worklist index; its primary key on `id` moves into each partition (PostgreSQL requires the
partition key in a partitioned table's unique indexes), and the identity sequence carries on from the old
table's. Existing results move into one partition per run. SQLite is left as it is.
"""

from django.db import migrations

TABLE = "rating_evaluationresult"
OLD = "rating_evaluationresult_unpartitioned"
UNIQUE = "result_enterprise_run_unique"
WORKLIST = "result_worklist_grade_idx"


def _identity_restart(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    last = cursor.fetchone()[0]
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
    return max(last, cursor.fetchone()[0])


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as c:
        restart = _identity_restart(c, TABLE)
        c.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        c.execute(f"ALTER TABLE {OLD} RENAME CONSTRAINT {UNIQUE} TO {UNIQUE}_old")
        c.execute(f"ALTER INDEX {WORKLIST} RENAME TO {WORKLIST}_old")
        c.execute(f"ALTER TABLE {OLD} RENAME CONSTRAINT {TABLE}_pkey TO {OLD}_pkey")
        c.execute(
            f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY) "
            "PARTITION BY LIST (run_id)"
        )
        c.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id RESTART WITH {restart}")
        c.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {UNIQUE} UNIQUE (enterprise_id, run_id)")
        c.execute(f"CREATE INDEX {WORKLIST} ON {TABLE} (run_id, organization_id, status, initial_grade)")
        c.execute(f"SELECT DISTINCT run_id FROM {OLD} ORDER BY run_id")
        for (run_id,) in c.fetchall():
            part = f"{TABLE}_run_{int(run_id)}"
            c.execute(f"CREATE TABLE {part} PARTITION OF {TABLE} FOR VALUES IN ({int(run_id)})")
            c.execute(f"INSERT INTO {part} SELECT * FROM {OLD} WHERE run_id = %s", [run_id])
            c.execute(f"ALTER TABLE {part} ADD CONSTRAINT result_run_{int(run_id)}_pkey PRIMARY KEY (id)")
        c.execute(f"DROP TABLE {OLD}")
        # The sequence the identity made is named after the old table's name; give it the usual one.
        c.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
        c.execute(f"ALTER SEQUENCE {c.fetchone()[0]} RENAME TO {TABLE}_id_seq")


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as c:
        restart = _identity_restart(c, TABLE)
        c.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        c.execute(f"ALTER TABLE {OLD} RENAME CONSTRAINT {UNIQUE} TO {UNIQUE}_old")
        c.execute(f"ALTER INDEX {WORKLIST} RENAME TO {WORKLIST}_old")
        c.execute(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY)")
        c.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")
        c.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id RESTART WITH {restart}")
        c.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id)")
        c.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {UNIQUE} UNIQUE (enterprise_id, run_id)")
        c.execute(f"CREATE INDEX {WORKLIST} ON {TABLE} (run_id, organization_id, status, initial_grade)")
        c.execute(f"DROP TABLE {OLD}")  # and its partitions
        c.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
        c.execute(f"ALTER SEQUENCE {c.fetchone()[0]} RENAME TO {TABLE}_id_seq")


class Migration(migrations.Migration):
    dependencies = [
        ("rating", "0008_aarequest"),
    ]

    operations = [
        migrations.RunPython(partition, unpartition),
    ]
