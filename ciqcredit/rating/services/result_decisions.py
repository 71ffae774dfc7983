"""The set-based path for grade changes decided on evaluation results: the bulk twin of `grade_change_apply`.

Confirming a bureau's results, adjusting one, and closing a run's leftovers all come here, so the rows a
decision writes have one shape whatever the number of enterprises: the result rows are claimed by one
conditional UPDATE (status still in the expected set; a claim token marks exactly those), then, each in one
INSERT … SELECT, a `GradeChange` per claimed result (cause, effective date, decider, previous grade in force
at that date, rule-set version, source = the result), an audit row `rating.grade.changed` per change with the
same old/new shape as `grade_change_apply`, its change-feed rows, the `CurrentGrade` upsert (only where the
change is the latest), and the key-enterprise file entries. Call inside a transaction.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.context import current_request_id
from ciqcredit.audit.models import AuditEntry
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.rating.engine import grade_at_sql
from ciqcredit.rating.feed import feed_append_sql
from ciqcredit.rating.models import CurrentGrade, EvaluationResult, EvaluationRun, GradeChange
from ciqcredit.sql import json_bool_sql, json_object_sql

RESULT_SOURCE = "rating.evaluationresult"


@dataclass(frozen=True)
class Selection:
    """Which results of a run a decision covers: an SQL condition on alias `r` and its parameters."""

    where: str = "1 = 1"
    params: tuple[Any, ...] = ()


def results_decide(
    *,
    run: EvaluationRun,
    selection: Selection,
    from_statuses: tuple[str, ...],
    to_status: str,
    cause: str,
    effective_from: dt.date,
    actor: Actor,
    final_grade: str | None = None,
    reason: str = "",
    unconfirmed: bool = False,
    controlled_when_listed: bool = True,
) -> int:
    """Claim the selected results still in `from_statuses`, move them to `to_status`, and write their grades.

    `final_grade` None: each result takes effect with its initial grade. Returns the number of results decided.
    """
    res = EvaluationResult._meta.db_table
    gc = GradeChange._meta.db_table
    cur = CurrentGrade._meta.db_table
    ent = Enterprise._meta.db_table
    audit = AuditEntry._meta.db_table
    now = clock.sql_instant(clock.now())
    claim = uuid.uuid4().hex
    user_id = actor.user.pk if actor.user is not None else None
    status_marks = ", ".join(["%s"] * len(from_statuses))
    scope = f"r.run_id = %s AND r.claim = %s AND ({selection.where})"
    scope_params = [run.pk, claim, *selection.params]

    with connection.cursor() as cursor:
        # 1. Claim: only rows still in an expected status move, so two deciders never act twice.
        grade_sql = "%s" if final_grade is not None else "initial_grade"
        set_params: list[Any] = [to_status]
        if final_grade is not None:
            set_params.append(final_grade)
        set_params += [effective_from, now, user_id, actor.label, reason, unconfirmed, claim]
        cursor.execute(
            f"UPDATE {res} SET status = %s, final_grade = {grade_sql}, effective_from = %s, decided_at = %s, "
            f"decided_by_id = %s, decided_by_label = %s, reason = %s, unconfirmed = %s, claim = %s "
            # The status test stays on the updated rows themselves: PostgreSQL re-checks it on a row another
            # transaction changed meanwhile, so a row is never claimed twice.
            f"WHERE run_id = %s AND status IN ({status_marks}) "
            f"AND id IN (SELECT r.id FROM {res} r WHERE r.run_id = %s AND ({selection.where}))",
            [*set_params, run.pk, *from_statuses, run.pk, *selection.params],
        )
        claimed = cursor.rowcount
        if claimed == 0:
            return 0

        # 2. One grade change per claimed result.
        previous_params: list[Any] = []
        previous = grade_at_sql("r.enterprise_id", previous_params, effective_from)
        cursor.execute(
            f"INSERT INTO {gc} (enterprise_id, grade, previous_grade, controlled, cause, effective_from, "
            "ruleset_version, decided_by_id, decided_by_label, reason, source_type, source_id, notice_number, "
            "recorded_at) "
            f"SELECT r.enterprise_id, r.final_grade, COALESCE({previous}, ''), "
            "(r.serious_listed AND r.final_grade = r.initial_grade AND %s), %s, r.effective_from, %s, %s, %s, "
            "r.reason, %s, CAST(r.id AS TEXT), '', %s "
            f"FROM {res} r LEFT JOIN {cur} cg ON cg.enterprise_id = r.enterprise_id WHERE {scope}",
            [
                *previous_params,
                controlled_when_listed,
                cause,
                run.ruleset_version,
                user_id,
                actor.label,
                RESULT_SOURCE,
                now,
                *scope_params,
            ],
        )
        joined = (
            f"FROM {res} r JOIN {gc} g ON g.source_type = %s AND g.source_id = CAST(r.id AS TEXT) "
            f"AND g.recorded_at = %s WHERE {scope}"
        )
        joined_params = [RESULT_SOURCE, now, *scope_params]

        # 3. The audit row of each change, the same shape grade_change_apply writes.
        old = json_object_sql(
            [("grade", "NULLIF(g.previous_grade, '')"), ("controlled", json_bool_sql("pc.controlled"))]
        )
        new = json_object_sql(
            [
                ("grade", "g.grade"),
                ("controlled", json_bool_sql("g.controlled")),
                ("cause", "g.cause"),
                ("effective_from", "CAST(g.effective_from AS TEXT)"),
                ("ruleset_version", "g.ruleset_version"),
                ("reason", "g.reason"),
                ("result", "r.id"),
                ("status", "r.status"),
            ]
        )
        cursor.execute(
            f"INSERT INTO {audit} (at, actor_id, actor_label, organization_id, action, target_type, target_id, "
            "target_label, old, new, request_id) "
            "SELECT %s, %s, %s, e.registering_org_id, 'rating.grade.changed', 'enterprises.enterprise', "
            "CAST(e.id AS TEXT), SUBSTR(e.name || '（' || e.credit_code || '）', 1, 200), "
            f"{old}, {new}, %s "
            f"FROM {res} r JOIN {gc} g ON g.source_type = %s AND g.source_id = CAST(r.id AS TEXT) "
            f"AND g.recorded_at = %s JOIN {ent} e ON e.id = r.enterprise_id "
            f"LEFT JOIN {cur} pc ON pc.enterprise_id = r.enterprise_id WHERE {scope}",
            [now, user_id, actor.label, current_request_id(), *joined_params],
        )

        # 4. The change feed, read by e-CIQ and sharing partners (before the current grade moves: `pc` is the old).
        feed_append_sql(
            from_sql=f"FROM {res} r JOIN {gc} g ON g.source_type = %s AND g.source_id = CAST(r.id AS TEXT) "
            f"AND g.recorded_at = %s JOIN {ent} e ON e.id = r.enterprise_id "
            f"LEFT JOIN {cur} pc ON pc.enterprise_id = r.enterprise_id",
            where_sql=scope,
            params=joined_params,
            now=now,
        )

        # 5. The current grade moves only where the new change is the latest.
        cursor.execute(
            f"INSERT INTO {cur} (enterprise_id, grade, controlled, effective_from, cause, ruleset_version, change_id) "
            f"SELECT g.enterprise_id, g.grade, g.controlled, g.effective_from, g.cause, g.ruleset_version, g.id "
            f"{joined} "
            "ON CONFLICT (enterprise_id) DO UPDATE SET grade = excluded.grade, controlled = excluded.controlled, "
            "effective_from = excluded.effective_from, cause = excluded.cause, "
            "ruleset_version = excluded.ruleset_version, change_id = excluded.change_id "
            f"WHERE excluded.effective_from > {cur}.effective_from "
            f"OR (excluded.effective_from = {cur}.effective_from AND excluded.change_id >= {cur}.change_id)",
            joined_params,
        )

    # 6. Key enterprises' upgrade/downgrade files (and the interviews a downgrade calls for).
    from ciqcredit.rating.services.keyfiles import key_files_from_changes_sql

    key_files_from_changes_sql(joined_sql=joined, joined_params=joined_params, actor=actor, now=now)
    return claimed
