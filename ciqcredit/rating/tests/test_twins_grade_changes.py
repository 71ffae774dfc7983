"""Bulk twins stay equal: the set-based grade decisions (result_decisions.results_decide, with the key-file
entries of key_files_from_changes_sql) write exactly the rows the per-row service writes
(grades.grade_change_apply with key_files_record_grade_change), audit rows included.

Both paths run on the same data, each inside a savepoint that is rolled back, and every row they write is
compared after the ids and clock times that necessarily differ are set aside.
"""

import datetime as dt

from django.db import transaction

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.rating.models import CurrentGrade, EvaluationResult, GradeChange, KeyFileEntry, ResultStatus
from ciqcredit.rating.services.confirmation import results_confirm
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.services.grades import grade_change_apply
from ciqcredit.rating.services.keyfiles import key_enterprise_add
from ciqcredit.rating.tests.conftest import PERIOD_END, RATED_ON, SETUP, activity, give_grade
from ciqcredit.testing import make_enterprise

ACTIONS = ("rating.grade.changed", "rating.key_file.entry_created")
BULK_ONLY_AUDIT_KEYS = ("result", "status")  # the bulk row also names the result it decided


def _population(world):
    """A pending result of every kind: first grade, unchanged, downgrade of a key enterprise, upgrade."""
    enterprises = [world.cast.enterprise] + [make_enterprise(n, world.cast.branch_a) for n in range(20, 24)]
    for e in enterprises:
        activity(e, dt.date(2017, 6, 1))
    give_grade(enterprises[1], "B", dt.date(2016, 10, 9))
    give_grade(enterprises[2], "A", dt.date(2016, 10, 9))
    give_grade(enterprises[3], "C", dt.date(2016, 10, 9))
    world.records.add(enterprises[2], 3, dt.date(2017, 6, 2))  # A -> B: a downgrade
    key_enterprise_add(
        enterprise=enterprises[2], department="检验监管司", reason="重点", actor=Actor.of(world.cast.hq_rules)
    )
    key_enterprise_add(
        enterprise=enterprises[3], department="检验监管司", reason="重点", actor=Actor.of(world.cast.hq_rules)
    )
    return evaluation_run(period_end=PERIOD_END, actor=SETUP)


def _entry_key(pk: str) -> tuple:
    entry = KeyFileEntry.objects.get(pk=int(pk))
    return (entry.enterprise_id, entry.file)


def _written(since: int) -> dict[str, list]:
    """Every row the decision wrote, without ids and clock times."""
    changes = {c.pk: c.enterprise_id for c in GradeChange.objects.filter(source_type="rating.evaluationresult")}
    audit = []
    for row in AuditEntry.objects.filter(pk__gt=since, action__in=ACTIONS).order_by("id"):
        target = _entry_key(row.target_id) if row.target_type == "rating.keyfileentry" else row.target_id
        new = {k: v for k, v in (row.new or {}).items() if k not in BULK_ONLY_AUDIT_KEYS}
        audit.append((row.action, row.actor_label, row.organization_id, row.target_type, target, row.old, new))
    return {
        "grade_changes": sorted(
            GradeChange.objects.filter(pk__in=changes).values_list(
                "enterprise_id",
                "grade",
                "previous_grade",
                "controlled",
                "cause",
                "effective_from",
                "ruleset_version",
                "decided_by_label",
                "reason",
                "source_type",
                "source_id",
                "notice_number",
            )
        ),
        "current_grades": sorted(
            CurrentGrade.objects.values_list(
                "enterprise_id", "grade", "controlled", "effective_from", "cause", "ruleset_version", "change_id"
            )
        ),
        "key_file_entries": sorted(
            KeyFileEntry.objects.filter(automatic=True, source_id__in=[str(pk) for pk in changes]).values_list(
                "enterprise_id",
                "file",
                "entry_date",
                "title",
                "content",
                "todo",
                "source_type",
                "organization_id",
                "created_by_label",
            )
        ),
        "audit": sorted(audit, key=repr),
    }


def _in_savepoint(path) -> dict[str, list]:
    since = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with transaction.atomic():
        path()
        written = _written(since)
        transaction.set_rollback(True)
    return written


def test_bulk_confirmation_writes_what_grade_change_apply_writes(world):
    run = _population(world)
    officer = world.cast.bureau_a_user
    pending = list(
        EvaluationResult.objects.filter(
            run=run, status=ResultStatus.PENDING, enterprise__registering_org__path__startswith=world.cast.bureau_a.path
        )
        .select_related("enterprise")
        .order_by("id")
    )
    assert len(pending) == 5

    def set_based():
        assert results_confirm(run=run, actor=Actor.of(officer), organization=world.cast.bureau_a) == 5

    def per_row():
        for result in pending:
            grade_change_apply(
                enterprise=result.enterprise,
                grade=result.initial_grade,
                cause="periodic",
                effective_from=RATED_ON,
                actor=Actor.of(officer),
                controlled=result.serious_listed,
                ruleset_version=run.ruleset_version,
                source=("rating.evaluationresult", result.pk),
            )

    bulk, single = _in_savepoint(set_based), _in_savepoint(per_row)
    # The change ids differ between the two runs: compare the current grades by their other columns.
    for written in (bulk, single):
        written["current_grades"] = [row[:-1] for row in written["current_grades"]]
    assert bulk["grade_changes"] and bulk["key_file_entries"]
    for table in bulk:
        assert bulk[table] == single[table], table
