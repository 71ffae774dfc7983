"""The daily job (`ciqcredit tracking check`): prescribed against executed, set-based and idempotent.

One run: (1) one INSERT … SELECT over the execution reports written or changed since the last run, joined
with their decisions, writes each difference as a `Deviation` (one per decision and kind: a second run finds
them present and writes nothing); (2) one more claims the decisions whose report deadline has passed without
a report, among those added since the last run or whose deadline passed since; (3) one GROUP BY reads the
monthly cells of the months newly complete or touched by new reports, judged in Python against the binomial
tolerance (`rules.tracking`), and the cells outside it are kept as `CellFlag`s; (4) one INSERT raises a
`TrackingItem` for each organization × area × month with new deviations or flags (existing items take them
in), with its first transition row and audit row; (5) two UPDATEs link the new rows to their items.

How far the last run read is the `CheckMark` row, locked at the start of a run (two runs take turns) and
advanced in the transaction that writes the findings: a run that fails leaves it where it was, and the next
one reads the same again. The first run (no mark) reads the whole history.
"""

import datetime as dt
import time
from dataclasses import asdict, dataclass

from django.db import connection, transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log_many
from ciqcredit.rules.tracking import judge_cell
from ciqcredit.tracking.models import CellFlag, CheckMark, DeviationKind, ItemStatus, ItemTransition, TrackingItem
from ciqcredit.tracking.params import due, tracking_params
from ciqcredit.workdays.calendar import current_calendar

# A report is stamped when its intake starts and seen once that commits: each run reads this far back before
# its mark, so no report committed meanwhile is missed (what it reads again it finds present and skips).
REPORT_SETTLE = dt.timedelta(minutes=10)

REVIEW_RANK = "CASE {col} WHEN 'waived' THEN 0 WHEN 'simplified' THEN 1 WHEN 'standard' THEN 2 WHEN 'full' THEN 3 END"

# Each kind of deviation as a condition on a decision `d` and its execution report `e`.
DEVIATION_CONDITIONS = {
    DeviationKind.INSPECTED_NOT_DRAWN: "e.inspected AND NOT d.inspect",
    DeviationKind.RELEASED_NOT_INSPECTED: "d.inspect AND NOT e.inspected",
    DeviationKind.REVIEW_STRICTER: f"d.document_review <> '' AND {REVIEW_RANK.format(col='e.document_review')} > "
    f"{REVIEW_RANK.format(col='d.document_review')}",
    DeviationKind.REVIEW_LOOSER: f"d.document_review <> '' AND {REVIEW_RANK.format(col='e.document_review')} < "
    f"{REVIEW_RANK.format(col='d.document_review')}",
    DeviationKind.PRIORITY_NOT_GIVEN: "d.priority AND NOT e.priority_given",
}


@dataclass
class CheckResult:
    today: str
    report_cutoff: str
    deviations: int
    not_reported: int
    cells_flagged: int
    items_raised: int
    executions_read: int  # execution reports read (written or changed since the last run)
    decisions_read: int  # decisions read for a missing report (new, or their deadline newly passed)
    seconds: float


@dataclass(frozen=True)
class Since:
    """What the last run had read (from its `CheckMark`); None everywhere before the first run."""

    executions_after: dt.datetime | None = None
    decision_id: int | None = None
    report_cutoff: dt.date | None = None
    cells_before: dt.date | None = None

    @classmethod
    def of(cls, mark: CheckMark | None) -> "Since":
        if mark is None:
            return cls()
        return cls(mark.executions_until - REPORT_SETTLE, mark.decision_id, mark.report_cutoff, mark.cells_before)


def month_sql(col: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {col}) AS date)"
    return f"date({col}, 'start of month')"


def report_cutoff(today: dt.date, days: int, unit: str) -> dt.date:
    """The last business date whose report deadline has passed by `today`."""
    calendar = current_calendar()
    day = today - dt.timedelta(days=1)
    while calendar.add_days(day, days, unit).date >= today:
        day -= dt.timedelta(days=1)
    return day


def _new_reports(since: Since) -> tuple[str, list]:
    """The condition on an execution report `e` that it was written or changed since the last run."""
    if since.executions_after is None:
        return "TRUE", []
    return "e.updated_at > %s", [clock.sql_instant(since.executions_after)]


def _read_reports(cursor, since: Since) -> tuple[int, dt.date | None]:
    """How many reports are new, and the earliest business date they concern (its month's cell may change)."""
    if since.executions_after is None:
        cursor.execute("SELECT COUNT(*) FROM tracking_execution")
        return cursor.fetchone()[0], None
    cursor.execute(
        """SELECT COUNT(*), MIN(d."on") FROM tracking_execution e JOIN application_decision d ON d.id = e.decision_id
        WHERE e.updated_at > %s""",
        [clock.sql_instant(since.executions_after)],
    )
    n, earliest = cursor.fetchone()
    return n, earliest if earliest is None or isinstance(earliest, dt.date) else dt.date.fromisoformat(earliest)


def _insert_deviations(cursor, now: dt.datetime, since: Since) -> int:
    new, args = _new_reports(since)
    kinds = " UNION ALL ".join(f"SELECT '{kind.value}' AS kind" for kind in DEVIATION_CONDITIONS)
    condition = " ".join(f"WHEN '{kind.value}' THEN ({cond})" for kind, cond in DEVIATION_CONDITIONS.items())
    cursor.execute(
        f"""
        INSERT INTO tracking_deviation (decision_id, kind, organization_id, area, month, found_at, item_id)
        SELECT d.id, k.kind, e.organization_id, d.area, {month_sql('d."on"')}, %s, NULL
        FROM application_decision d
        JOIN tracking_execution e ON e.decision_id = d.id
        CROSS JOIN ({kinds}) k
        WHERE {new} AND CASE k.kind {condition} ELSE FALSE END
        ON CONFLICT (decision_id, kind) DO NOTHING
        """,
        [now, *args],
    )
    return cursor.rowcount


def _due_decisions(since: Since, cutoff: dt.date) -> tuple[str, list]:
    """The decisions `d` past their report deadline not read before: added since, or newly past it."""
    if since.decision_id is None or since.report_cutoff is None:
        return 'd."on" <= %s', [cutoff]
    return 'd."on" <= %s AND (d."on" > %s OR d.id > %s)', [cutoff, since.report_cutoff, since.decision_id]


def _insert_not_reported(cursor, now: dt.datetime, cutoff: dt.date, since: Since) -> tuple[int, int]:
    due, args = _due_decisions(since, cutoff)
    cursor.execute(f"SELECT COUNT(*) FROM application_decision d WHERE {due}", args)
    read = cursor.fetchone()[0]
    cursor.execute(
        f"""
        INSERT INTO tracking_deviation (decision_id, kind, organization_id, area, month, found_at, item_id)
        SELECT d.id, %s, d.organization_id, d.area, {month_sql('d."on"')}, %s, NULL
        FROM application_decision d
        WHERE {due} AND NOT EXISTS (SELECT 1 FROM tracking_execution e WHERE e.decision_id = d.id)
        ON CONFLICT (decision_id, kind) DO NOTHING
        """,
        [DeviationKind.NOT_REPORTED.value, now, *args],
    )
    return cursor.rowcount, read


def _flag_cells(
    cursor, now: dt.datetime, month_from: dt.date | None, month_before: dt.date, confidence, minimum: int
) -> int:
    """Cells of months from `month_from` (all when None) before `month_before` (complete, their reports due),
    judged against the tolerance."""
    if month_from is not None and month_from >= month_before:
        return 0
    cursor.execute(
        f"""
        SELECT e.organization_id, d.governing_grade, d.area, {month_sql('d."on"')} AS month, COUNT(*),
               SUM(CASE WHEN e.inspected THEN 1 ELSE 0 END),
               SUM(CAST(d.sampling_rate AS double precision)),
               SUM(CAST(d.sampling_rate AS double precision) * (1 - CAST(d.sampling_rate AS double precision)))
        FROM application_decision d JOIN tracking_execution e ON e.decision_id = d.id
        WHERE d.sampling_rate IS NOT NULL AND d."on" < %s AND d."on" >= %s
        GROUP BY e.organization_id, d.governing_grade, d.area, {month_sql('d."on"')}
        HAVING COUNT(*) >= %s
        """,
        [month_before, month_from or dt.date.min, minimum],
    )
    flags = []
    for org_id, grade, area, month, n, inspected, rate_sum, variance in cursor.fetchall():
        judged = judge_cell(
            decisions=n,
            inspected=int(inspected),
            rate_sum=float(rate_sum),
            variance=float(variance),
            confidence=confidence,
        )
        if judged.outside:
            flags.append(
                CellFlag(
                    organization_id=org_id,
                    grade=grade,
                    area=area,
                    month=month if isinstance(month, dt.date) else dt.date.fromisoformat(month),
                    decisions=n,
                    inspected=judged.inspected,
                    expected=round(judged.expected, 4),
                    tolerance=round(judged.tolerance, 4),
                    found_at=now,
                )
            )
    before = CellFlag.objects.count()
    CellFlag.objects.bulk_create(flags, ignore_conflicts=True)
    return CellFlag.objects.count() - before


def _raise_items(cursor, now: dt.datetime, today: dt.date, actor: Actor) -> int:
    params = tracking_params(today)
    departments = " ".join("WHEN %s THEN %s" for _ in params.departments)
    dept_args = [v for pair in params.departments.items() for v in pair]
    due_on = due(today, params.answer_deadline)
    cursor.execute(
        f"""
        INSERT INTO tracking_trackingitem
            (organization_id, area, month, department, status, due_on, raised_at, cause, rectification,
             review_note, hq_note)
        SELECT s.organization_id, s.area, s.month, CASE s.area {departments} ELSE '' END, %s, %s, %s, '', '', '', ''
        FROM (SELECT organization_id, area, month FROM tracking_deviation WHERE item_id IS NULL
              UNION SELECT organization_id, area, month FROM tracking_cellflag WHERE item_id IS NULL) s
        WHERE TRUE  -- SQLite reads "ON CONFLICT" after a bare FROM as a join constraint
        ON CONFLICT (organization_id, area, month) DO NOTHING
        RETURNING id
        """,
        [*dept_args, ItemStatus.OPEN.value, due_on, now],
    )
    ids = [row[0] for row in cursor.fetchall()]
    for table in ("tracking_deviation", "tracking_cellflag"):
        cursor.execute(
            f"""
            UPDATE {table} SET item_id = (
                SELECT i.id FROM tracking_trackingitem i WHERE i.organization_id = {table}.organization_id
                AND i.area = {table}.area AND i.month = {table}.month)
            WHERE item_id IS NULL
            """
        )
    items = list(TrackingItem.objects.filter(pk__in=ids))
    ItemTransition.objects.bulk_create(
        ItemTransition(
            item=item,
            from_status="",
            to_status=ItemStatus.OPEN,
            reason="跟踪落实检查发现执行偏差",
            actor=None,
            actor_label=actor.label,
            at=now,
            due_on=item.due_on,
        )
        for item in items
    )
    by_org: dict[int, list[TrackingItem]] = {}
    for item in items:
        by_org.setdefault(item.organization_id, []).append(item)
    for org_id, own in by_org.items():
        audit_log_many(
            actor=actor,
            action="tracking.item.raised",
            changes=[(i, None, {"status": i.status, "due_on": i.due_on, "department": i.department}) for i in own],
            organization_id=org_id,
        )
    return len(ids)


def _cells_from(since: Since, earliest_report: dt.date | None) -> dt.date | None:
    """The first month whose cells may have changed: newly complete, or touched by a new report."""
    if since.cells_before is None:
        return None
    if earliest_report is None:
        return since.cells_before
    return min(since.cells_before, earliest_report.replace(day=1))


def _advance(mark: CheckMark | None, *, now: dt.datetime, decision_id: int, cutoff: dt.date, cells_before: dt.date):
    if mark is None:
        # One row, id 1: two first runs at once cannot both create it (the second fails and changes nothing).
        CheckMark.objects.create(
            pk=1,
            executions_until=now,
            decision_id=decision_id,
            report_cutoff=cutoff,
            cells_before=cells_before,
            checked_at=now,
        )
        return
    mark.executions_until = max(mark.executions_until, now)
    mark.decision_id = max(mark.decision_id, decision_id)
    mark.report_cutoff = max(mark.report_cutoff, cutoff)
    mark.cells_before = max(mark.cells_before, cells_before)
    mark.checked_at = now
    mark.save(update_fields=["executions_until", "decision_id", "report_cutoff", "cells_before", "checked_at"])


def tracking_check(*, actor: Actor, today: dt.date | None = None) -> CheckResult:
    started, clock_started = clock.now(), time.perf_counter()
    today = today or clock.today()
    params = tracking_params(today)
    cutoff = report_cutoff(today, params.report_deadline.days, params.report_deadline.unit)
    # A month's cells are judged once every decision of it is past its report deadline.
    month_before = (cutoff + dt.timedelta(days=1)).replace(day=1)
    with transaction.atomic(), connection.cursor() as cursor:
        mark = CheckMark.objects.select_for_update().first()
        since = Since.of(mark)
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM application_decision")
        last_decision = cursor.fetchone()[0]
        executions_read, earliest_report = _read_reports(cursor, since)
        deviations = _insert_deviations(cursor, started, since)
        not_reported, decisions_read = _insert_not_reported(cursor, started, cutoff, since)
        cells = _flag_cells(
            cursor,
            started,
            _cells_from(since, earliest_report),
            month_before,
            params.confidence,
            params.min_cell_decisions,
        )
        items = _raise_items(cursor, started, today, actor)
        _advance(mark, now=started, decision_id=last_decision, cutoff=cutoff, cells_before=month_before)
    return CheckResult(
        today=today.isoformat(),
        report_cutoff=cutoff.isoformat(),
        deviations=deviations,
        not_reported=not_reported,
        cells_flagged=cells,
        items_raised=items,
        executions_read=executions_read,
        decisions_read=decisions_read,
        seconds=round(time.perf_counter() - clock_started, 3),
    )


def check_summary(result: CheckResult) -> dict:
    return asdict(result)
