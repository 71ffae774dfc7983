"""Where a periodic evaluation writes its result rows: on PostgreSQL, a partition of its own.

On PostgreSQL `rating_evaluationresult` is partitioned by LIST (run_id) (migration 0007): one partition per run.
A run writes its rows into a fresh table without any index (one INSERT … SELECT, the ids drawn from the results'
own identity sequence), builds the primary key and the model's indexes once over the finished table, and then
attaches it as the run's partition — all inside the run's transaction, so a failed run leaves no table behind.
Building an index over a finished table sorts it once; maintaining it row by row while writing, in a table
holding earlier runs, cost more than computing the results (PostgreSQL, 100,000 enterprises: the INSERT into
the shared table took 1.7–2.2 s, into a fresh table 1.0–1.3 s, its indexes built after 0.1–0.2 s).

The parent carries the model's unique constraint and index (both include run_id, the partition key, as
PostgreSQL requires of a partitioned table's unique indexes); the primary key on `id` is per partition, unique
across partitions because every id comes from the one sequence. Reads, updates and claims address the parent
as any table; PostgreSQL prunes to the run's partition when the query names the run.

SQLite has no partitions: the rows go straight into the one table.
"""

from typing import Any

from django.core import checks
from django.db import connection
from django.db.models import Index, UniqueConstraint

from ciqcredit.rating.models import EvaluationResult

# The columns the evaluation writes, and the SQL over the engine's row `s` that gives each.
RESULT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("enterprise_id", "s.enterprise_id"),
    ("organization_id", "s.organization_id"),
    ("points", "s.points"),
    ("records_counted", "s.records_counted"),
    ("previous_grade", "COALESCE(s.previous_grade, '')"),
    ("serious_listed", "s.serious_listed"),
    ("is_new", "s.is_new"),
    ("had_business", "s.had_business"),
    ("rule", "s.rule"),
    ("initial_grade", "s.grade"),
    ("status", "'pending'"),
    ("final_grade", "''"),
    ("unconfirmed", "FALSE"),
    ("decided_by_label", "''"),
    ("reason", "''"),
    ("claim", "''"),
)


def partition_name(run_id: int) -> str:
    return f"{EvaluationResult._meta.db_table}_run_{int(run_id)}"


def partitioned() -> bool:
    """Whether the results table is partitioned (PostgreSQL after migration 0007)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relkind = 'p' FROM pg_class c WHERE c.oid = to_regclass(%s)", [EvaluationResult._meta.db_table]
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def results_insert(cursor, *, run_id: int, select_sql: str, params: list[Any]) -> int:
    """Write one result row per row of `select_sql` (the engine's evaluation SELECT) for run `run_id`; returns
    how many. Call inside the run's transaction, then `results_attach`: on PostgreSQL the rows are readable
    through the results table only once their partition is attached."""
    table = EvaluationResult._meta.db_table
    names = ", ".join(name for name, _ in RESULT_COLUMNS)
    values = ", ".join(expr for _, expr in RESULT_COLUMNS)
    if not partitioned():
        cursor.execute(
            f"INSERT INTO {table} (run_id, {names}) SELECT %s, {values} FROM ({select_sql}) s", [run_id, *params]
        )
        return cursor.rowcount
    part = partition_name(run_id)
    # A table of this name can only be left over from a run id handed out again after a sequence reset (a
    # flushed test database): ids of real runs never repeat.
    cursor.execute(f'DROP TABLE IF EXISTS "{part}"')
    # The CHECK lets ATTACH skip its scan of the rows (the constraint already proves the partition bound).
    cursor.execute(
        f'CREATE TABLE "{part}" (LIKE "{table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS, '
        f'CONSTRAINT "result_run_{int(run_id)}_bound" CHECK (run_id = {int(run_id)}))'
    )
    # The sequence as a regclass literal, resolved once when the statement is parsed: pg_get_serial_sequence()
    # (or a text cast) per row cost a third of the write.
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')::regclass::oid", [table])
    sequence_oid = int(cursor.fetchone()[0])
    cursor.execute(
        f'INSERT INTO "{part}" (id, run_id, {names}) '
        f"SELECT nextval({sequence_oid}::oid::regclass), %s, {values} FROM ({select_sql}) s",
        [run_id, *params],
    )
    return cursor.rowcount


def results_attach(cursor, *, run_id: int) -> None:
    """Index the run's partition written by `results_insert` and attach it (nothing to do on SQLite)."""
    if not partitioned():
        return
    for sql in partition_index_sql(run_id):
        cursor.execute(sql)
    table = EvaluationResult._meta.db_table
    cursor.execute(f'ALTER TABLE "{table}" ATTACH PARTITION "{partition_name(run_id)}" FOR VALUES IN ({int(run_id)})')


def _plain_parts() -> tuple[list[UniqueConstraint], list[Index]]:
    """The model's unique constraints and indexes a run's partition copies: plain columns, no condition."""
    meta = EvaluationResult._meta
    constraints = [c for c in meta.constraints if isinstance(c, UniqueConstraint) and c.condition is None and c.fields]
    indexes = [i for i in meta.indexes if isinstance(i, Index) and i.condition is None and i.fields]
    return constraints, indexes


def check_partitionable(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A system check (registered by the app): a constraint or index a run's partition could not copy is
    reported at start-up, before any run writes a partition without it."""
    meta = EvaluationResult._meta
    constraints, indexes = _plain_parts()
    return [
        checks.Error(f"评定结果按批次分区时无法复制约束或索引 {part.name}", obj=EvaluationResult, id="rating.E001")
        for part in [*meta.constraints, *meta.indexes]
        if part not in constraints and part not in indexes
    ]


def partition_index_sql(run_id: int) -> list[str]:
    """The primary key and the model's unique constraints and indexes (all plain: `check_partitionable`), for the
    run's partition. ATTACH takes them as the partitions of the parent's own (it would build any missing one
    itself, row by row)."""
    meta = EvaluationResult._meta
    part = partition_name(run_id)
    constraints, indexes = _plain_parts()
    column_of = {field.name: field.column for field in meta.concrete_fields}

    def columns(fields) -> str:
        return ", ".join(f'"{column_of[name]}"' for name in fields)

    out = [f'ALTER TABLE "{part}" ADD CONSTRAINT "result_run_{int(run_id)}_pkey" PRIMARY KEY (id)']
    for constraint in constraints:
        name = f"{constraint.name}_{int(run_id)}"
        out.append(f'ALTER TABLE "{part}" ADD CONSTRAINT "{name}" UNIQUE ({columns(constraint.fields)})')
    for index in indexes:
        out.append(f'CREATE INDEX "{index.name}_{int(run_id)}" ON "{part}" ({columns(index.fields)})')
    return out
