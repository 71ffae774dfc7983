"""The periodic evaluation (周期评定, §四(一)): an initial grade for every active enterprise, in one transaction.

One EvaluationRun row and one EvaluationResult row per enterprise are written by a single INSERT … SELECT
over the engine's query (ciqcredit.rating.engine); on PostgreSQL into a partition of the run's own, indexed after
the write and then attached (ciqcredit.rating.partitions). The run row is inserted first in the same transaction and
its period is unique: a second run for the same period waits for the first (PostgreSQL: the unique index; SQLite:
the write lock) and is then refused with `evaluation_exists` — or goes ahead if the first failed, since a failed
run leaves nothing behind. Initial results change no grade: a grade takes effect when confirmed, adjusted or
closed by the window (ciqcredit.rating.services.confirmation).
"""

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.errors import Conflict, DomainError
from ciqcredit.organizations.access import require_role
from ciqcredit.organizations.roles import Role
from ciqcredit.rating.engine import evaluation_select, tune_session
from ciqcredit.rating.models import EvaluationResult, EvaluationRun
from ciqcredit.rating.partitions import results_attach, results_insert
from ciqcredit.rating.rulesets import ruleset_in_force
from ciqcredit.rules.grading import period_bounds
from ciqcredit.rules.params import GRADES_DESC

Progress = Callable[[str, dict[str, Any]], None]

PHASE_LABELS = {
    "prepare": "读取评定规则、确定评定周期和确认期限",
    "results": "计算并写入全部企业的初评结果",
    "indexes": "建立本次结果的索引",
    "summary": "统计各等级企业数",
    "audit": "写入审计记录并提交",
}


def _exists_error(period_end: dt.date) -> Conflict:
    return Conflict(
        "evaluation_exists",
        f"评定周期截止于 {period_end.isoformat()} 的周期评定已经进行，不能重复评定",
        {"period_end": period_end.isoformat()},
    )


def evaluation_run(*, period_end: dt.date, actor: Actor, progress: Progress | None = None) -> EvaluationRun:
    """Evaluate every active enterprise for the period ending on `period_end` under the rule set in force then.

    HQ administrators (or a system job) only. Errors: `no_ruleset`, `invalid_period_end`, `period_not_ended`,
    `evaluation_exists` (409).
    """
    if actor.user is not None:
        require_role(actor.user, Role.HQ_ADMIN)
    started = time.perf_counter()
    phases: list[dict[str, Any]] = []
    mark = started

    def phase_done(name: str, **extra: Any) -> None:
        nonlocal mark
        now = time.perf_counter()
        entry = {"phase": name, "label": PHASE_LABELS[name], "seconds": round(now - mark, 3), **extra}
        phases.append(entry)
        mark = now
        if progress is not None:
            progress(name, entry)

    ruleset = ruleset_in_force(period_end)
    params = ruleset.rule_params
    start, end = period_bounds(params, period_end)
    today = clock.today()
    if end >= today:
        raise DomainError(
            "period_not_ended",
            f"评定周期 {start.isoformat()} 至 {end.isoformat()} 尚未结束，须在截止日之后评定",
            {"period_end": end.isoformat(), "today": today.isoformat()},
        )
    from ciqcredit.workdays.calendar import add_days

    confirm = add_days(today, params.confirmation_window.days, params.confirmation_window.unit)
    adjust = add_days(today, params.adjustment_window.days, params.adjustment_window.unit)
    phase_done("prepare", ruleset_version=ruleset.number)

    try:
        with transaction.atomic():
            if EvaluationRun.objects.filter(period_end=end).exists():
                raise _exists_error(end)
            run = EvaluationRun.objects.create(
                period_start=start,
                period_end=end,
                ruleset_version=ruleset.number,
                ruleset_params=params.model_dump(mode="json"),
                rated_on=today,
                confirm_until=confirm.date,
                adjust_until=adjust.date,
                deadlines_provisional=confirm.provisional or adjust.provisional,
                started_at=clock.now(),
                started_by=actor.user,
                started_by_label=actor.label,
            )
            query = evaluation_select(params, start=start, end=end, listed_on=today)
            table = EvaluationResult._meta.db_table
            with connection.cursor() as cursor:
                tune_session(cursor)
                inserted = results_insert(cursor, run_id=run.pk, select_sql=query.sql, params=query.params)
            phase_done("results", enterprises=inserted)
            with connection.cursor() as cursor:
                results_attach(cursor, run_id=run.pk)
            phase_done("indexes")

            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT initial_grade, COUNT(*) FROM {table} WHERE run_id = %s GROUP BY initial_grade", [run.pk]
                )
                counts = dict(cursor.fetchall())
            run.by_grade = {grade: int(counts.get(grade, 0)) for grade in GRADES_DESC}
            run.enterprises = sum(run.by_grade.values())
            phase_done("summary")

            run.finished_at = clock.now()
            run.seconds = round(time.perf_counter() - started, 3)
            phase_done("audit")
            run.phases = phases
            run.save(update_fields=["by_grade", "enterprises", "finished_at", "seconds", "phases"])
            audit_log(
                actor=actor,
                action="rating.evaluation.completed",
                target=run,
                new={
                    "period_start": start.isoformat(),
                    "period_end": end.isoformat(),
                    "ruleset_version": ruleset.number,
                    "enterprises": run.enterprises,
                    "by_grade": run.by_grade,
                    "confirm_until": run.confirm_until.isoformat(),
                    "adjust_until": run.adjust_until.isoformat(),
                },
            )
    except IntegrityError as exc:
        raise _exists_error(end) from exc
    except OperationalError as exc:
        if "locked" in str(exc).lower():
            raise Conflict(
                "evaluation_running", "另一周期评定正在进行，请稍后再试", {"period_end": end.isoformat()}
            ) from exc
        raise
    return run


def run_summary(run: EvaluationRun) -> dict[str, Any]:
    """The command's and the API's JSON for a run."""
    return {
        "run_id": run.pk,
        "period_start": run.period_start.isoformat(),
        "period_end": run.period_end.isoformat(),
        "ruleset_version": run.ruleset_version,
        "enterprises": run.enterprises,
        "by_grade": {grade: run.by_grade.get(grade, 0) for grade in GRADES_DESC},
        "confirm_until": run.confirm_until.isoformat(),
        "adjust_until": run.adjust_until.isoformat(),
        "seconds": run.seconds,
    }
