"""Each periodic evaluation writes its results into a partition of its own (PostgreSQL), indexed after the write
and attached in the run's transaction; the results read and change the same way on both databases."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Index, Q

from ciqcredit.actors import Actor
from ciqcredit.rating.models import EvaluationResult, EvaluationRun
from ciqcredit.rating.partitions import check_partitionable, partition_index_sql, partition_name, partitioned
from ciqcredit.rating.selectors import result_counts, results_search, results_visible_to, run_figures
from ciqcredit.rating.services.confirmation import results_confirm
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import PERIOD_END, SETUP
from ciqcredit.testing import make_enterprise


def postgres(test):
    return pytest.mark.postgres_only(
        pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no partitions")(test)
    )


NEXT_END = dt.date(2018, 9, 30)


def _two_runs(world, settings) -> tuple[EvaluationRun, EvaluationRun]:
    for n in range(60, 64):
        make_enterprise(n, world.cast.branch_a)
    make_enterprise(64, world.cast.bureau_b)
    world.records.add(world.cast.enterprise, 3, dt.date(2017, 3, 1))
    first = evaluation_run(period_end=PERIOD_END, actor=SETUP)
    settings.CIQCREDIT_TODAY = dt.date(2018, 10, 9)
    second = evaluation_run(period_end=NEXT_END, actor=SETUP)
    return first, second


def _partitions() -> dict[str, str]:
    """Partition name → its bound, for the results table."""
    with connection.cursor() as c:
        c.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = "
            "i.inhrelid WHERE i.inhparent = %s::regclass",
            [EvaluationResult._meta.db_table],
        )
        return dict(c.fetchall())


def _indexes(table: str) -> dict[str, str]:
    with connection.cursor() as c:
        c.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(c.fetchall())


def test_results_read_and_change_the_same_way_on_both_databases(world, settings):
    first, second = _two_runs(world, settings)
    assert partitioned() is (connection.vendor == "postgresql")
    for run in (first, second):
        assert EvaluationResult.objects.filter(run=run).count() == run.enterprises == 6
    bureau_a = world.cast.bureau_a_user
    seen = results_visible_to(bureau_a, second)
    assert seen.count() == 5 and {r.run_id for r in seen} == {second.pk}
    assert [r.enterprise.credit_code for r in results_search(bureau_a, second, initial_grade="B")] == sorted(
        r.enterprise.credit_code for r in seen.filter(initial_grade="B")
    )
    figures = run_figures(bureau_a, [first, second])
    assert figures[first.pk].enterprises == figures[second.pk].enterprises == 5
    # A change through the parent table reaches the run's rows only, and reads back through every selector.
    assert results_confirm(run=second, actor=Actor.of(bureau_a), organization=world.cast.bureau_a) == 5
    assert result_counts(bureau_a, second) == {"confirmed": 5}
    assert result_counts(bureau_a, first) == {"pending": 5}
    own = EvaluationResult.objects.get(run=second, enterprise=world.cast.enterprise)
    assert EvaluationResult.objects.get(pk=own.pk).status == "confirmed"
    assert EvaluationResult.objects.filter(enterprise=world.cast.enterprise).count() == 2
    assert len({r.pk for r in EvaluationResult.objects.all()}) == 12  # ids unique across the partitions


@postgres
def test_each_run_is_a_partition_with_its_own_indexes(world, settings):
    first, second = _two_runs(world, settings)
    parts = _partitions()
    assert {partition_name(first.pk), partition_name(second.pk)} <= set(parts)
    assert parts[partition_name(second.pk)] == f"FOR VALUES IN ('{second.pk}')"
    for run in (first, second):
        part = partition_name(run.pk)
        with connection.cursor() as c:
            c.execute(f'SELECT DISTINCT run_id FROM "{part}"')
            assert c.fetchall() == [(run.pk,)]
        indexes = _indexes(part)
        # The primary key and the model's unique constraint and index: built once after the write, and the
        # parent's indexes took them as their partitions (no second copy built by ATTACH).
        assert len(indexes) == 3, indexes
        assert any("PRIMARY KEY" in d or d.endswith("(id)") for d in indexes.values())
        with connection.cursor() as c:
            c.execute(
                "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE c.relname = ANY(%s) AND c.relkind = 'i'",
                [list(indexes)],
            )
            assert c.fetchone()[0] == 2  # the unique index and the worklist index
    # The parent is partitioned by run and holds no rows of its own.
    with connection.cursor() as c:
        c.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [EvaluationResult._meta.db_table])
        assert c.fetchone()[0] == "p"


@postgres
def test_a_failed_run_leaves_no_partition(world):
    before = set(_partitions())

    def fail(phase, entry):
        if phase == "indexes":
            raise RuntimeError("the run breaks after its partition is attached")

    with pytest.raises(RuntimeError):
        evaluation_run(period_end=PERIOD_END, actor=SETUP, progress=fail)
    assert set(_partitions()) == before
    assert not EvaluationRun.objects.exists() and not EvaluationResult.objects.exists()
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM pg_class WHERE relname LIKE %s", [partition_name(0)[:-1] + "%"])
        assert c.fetchone()[0] == len(before)
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)  # the period is free again
    assert partition_name(run.pk) in _partitions()


@postgres
def test_the_migration_moves_existing_results_into_partitions_and_back(world):
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)
    rows = sorted(EvaluationResult.objects.values_list("pk", "enterprise_id", "initial_grade"))
    executor = MigrationExecutor(connection)
    executor.migrate([("rating", "0008_aarequest")])
    with connection.cursor() as c:
        c.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [EvaluationResult._meta.db_table])
        assert c.fetchone()[0] == "r"
    assert sorted(EvaluationResult.objects.values_list("pk", "enterprise_id", "initial_grade")) == rows
    executor = MigrationExecutor(connection)
    executor.migrate([("rating", "0009_results_partitioned_by_run")])
    assert partitioned() and partition_name(run.pk) in _partitions()
    assert sorted(EvaluationResult.objects.values_list("pk", "enterprise_id", "initial_grade")) == rows
    assert len(_indexes(partition_name(run.pk))) == 3


def test_a_constraint_a_partition_cannot_copy_is_reported_at_start_up(monkeypatch):
    """A conditional index would be missing from every run's partition: the system check names it instead."""
    assert check_partitionable() == []
    partial = Index(fields=["enterprise"], condition=Q(unconfirmed=True), name="result_unconfirmed")
    monkeypatch.setattr(EvaluationResult._meta, "indexes", [*EvaluationResult._meta.indexes, partial])
    [error] = check_partitionable()
    assert error.id == "rating.E001" and "result_unconfirmed" in error.msg
    assert all("result_unconfirmed" not in sql for sql in partition_index_sql(1))
