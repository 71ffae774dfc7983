"""Audit rows written by different apps (the ORM and the bulk SQL of confirmation) interleave in true time order."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.audit.services import audit_log
from ciqcredit.rating.models import GradeChange
from ciqcredit.rating.services.confirmation import results_confirm
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import PERIOD_END, SETUP, activity


def test_bulk_grade_changes_sort_between_the_rows_written_before_and_after(world):
    enterprise = world.cast.enterprise
    activity(enterprise, dt.date(2017, 6, 1))
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)
    before = audit_log(actor=SETUP, action="enterprises.enterprise.updated", target=enterprise, new={"name": "甲"})
    assert results_confirm(run=run, actor=Actor.of(world.cast.bureau_a_user), organization=world.cast.bureau_a) == 1
    after = audit_log(actor=SETUP, action="enterprises.enterprise.updated", target=enterprise, new={"name": "乙"})

    ordered = list(AuditEntry.objects.filter(pk__gte=before.pk).order_by("at", "id").values_list("pk", "action"))
    assert ordered[0] == (before.pk, "enterprises.enterprise.updated")
    assert ordered[-1] == (after.pk, "enterprises.enterprise.updated")
    assert "rating.grade.changed" in {action for _, action in ordered[1:-1]}
    # The bulk rows read back as the same instant the ORM would store.
    change = GradeChange.objects.get()
    assert before.at <= change.recorded_at <= after.at
    assert AuditEntry.objects.filter(at__gte=before.at, at__lte=after.at).count() == len(ordered)


def test_the_migration_rewrites_offset_instants_of_an_older_database_in_utc(world):
    """An older SQLite database holds bulk-written instants as `…+08:00` text; `migrate` normalizes them."""
    import importlib

    from django.apps import apps
    from django.db import connection

    normalize = importlib.import_module("ciqcredit.rating.migrations.0006_sqlite_instants_in_utc").normalize_instants
    enterprise = world.cast.enterprise
    activity(enterprise, dt.date(2017, 6, 1))
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)
    before = audit_log(actor=SETUP, action="enterprises.enterprise.updated", target=enterprise, new={"name": "甲"})
    results_confirm(run=run, actor=Actor.of(world.cast.bureau_a_user), organization=world.cast.bureau_a)
    after = audit_log(actor=SETUP, action="enterprises.enterprise.updated", target=enterprise, new={"name": "乙"})
    change = GradeChange.objects.get()
    entry = AuditEntry.objects.get(action="rating.grade.changed")
    instant = change.recorded_at
    old_spelling = instant.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat(" ")
    assert old_spelling.endswith("+08:00")

    class Editor:  # what RunPython hands the function
        pass

    editor = Editor()
    editor.connection = connection
    if connection.vendor == "sqlite":
        # Spell the rows as the bulk SQL did before clock.sql_instant (the audit trigger lifted to do so).
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("UPDATE audit_auditentry SET at = %s WHERE id = %s", [old_spelling, entry.pk])
            cursor.execute("UPDATE rating_gradechange SET recorded_at = %s WHERE id = %s", [old_spelling, change.pk])
            cursor.execute(
                "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
                "BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only: UPDATE refused'); END;"
            )
        ordered = list(AuditEntry.objects.filter(pk__gte=before.pk).order_by("at", "id").values_list("pk", flat=True))
        assert ordered[-1] == entry.pk  # eight hours out of place: sorted after the row written after it

    normalize(apps, editor)

    ordered = list(AuditEntry.objects.filter(pk__gte=before.pk).order_by("at", "id").values_list("pk", "at"))
    assert ordered[0][0] == before.pk and ordered[-1][0] == after.pk, ordered
    if connection.vendor == "sqlite":  # spelled exactly as the ORM writes it
        with connection.cursor() as cursor:
            cursor.execute("SELECT CAST(recorded_at AS TEXT) FROM rating_gradechange WHERE id = %s", [change.pk])
            assert cursor.fetchone()[0] == connection.ops.adapt_datetimefield_value(instant)
    assert GradeChange.objects.get().recorded_at == instant
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor, pytest.raises(Exception, match="append-only"):
            cursor.execute("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entry.pk])  # trigger restored
