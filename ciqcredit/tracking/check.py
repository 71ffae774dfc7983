"""The daily job (`ciqcredit tracking check`): prescribed against executed, set-based and idempotent.

One run: (1) one INSERT … SELECT over decisions joined with their execution reports writes each
difference as a `Deviation` (one per decision and kind: a second run finds them present and writes
nothing); (2) one more claims the decisions whose report deadline has passed without a report; (3) one
GROUP BY reads the monthly cells of complete months, judged in Python against the binomial tolerance
(`rules.tracking`), and the cells outside it are kept as `CellFlag`s; (4) one INSERT raises a
`TrackingItem` for each organization × area × month with new deviations or flags (existing items take them
in), with its first transition row and audit row; (5) two UPDATEs link the new rows to their items.
"""

import datetime as dt
import time
from dataclasses import asdict, dataclass

from django.db import connection, transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log_many
from ciqcredit.rules.tracking import judge_cell
from ciqcredit.tracking.models import CellFlag, DeviationKind, ItemStatus, ItemTransition, TrackingItem
from ciqcredit.tracking.params import due, tracking_params
from ciqcredit.workdays.calendar import current_calendar

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
    seconds: float


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


def _insert_deviations(cursor, now: dt.datetime) -> int:
    kinds = " UNION ALL ".join(f"SELECT '{kind.value}' AS kind" for kind in DEVIATION_CONDITIONS)
    condition = " ".join(f"WHEN '{kind.value}' THEN ({cond})" for kind, cond in DEVIATION_CONDITIONS.items())
    cursor.execute(
        f"""
        INSERT INTO tracking_deviation (decision_id, kind, organization_id, area, month, found_at, item_id)
        SELECT d.id, k.kind, e.organization_id, d.area, {month_sql('d."on"')}, %s, NULL
        FROM application_decision d
        JOIN tracking_execution e ON e.decision_id = d.id
        CROSS JOIN ({kinds}) k
        WHERE CASE k.kind {condition} ELSE FALSE END
        ON CONFLICT (decision_id, kind) DO NOTHING
        """,
        [now],
    )
    return cursor.rowcount


def _insert_not_reported(cursor, now: dt.datetime, cutoff: dt.date) -> int:
    cursor.execute(
        f"""
        INSERT INTO tracking_deviation (decision_id, kind, organization_id, area, month, found_at, item_id)
        SELECT d.id, %s, d.organization_id, d.area, {month_sql('d."on"')}, %s, NULL
        FROM application_decision d
        WHERE d."on" <= %s AND NOT EXISTS (SELECT 1 FROM tracking_execution e WHERE e.decision_id = d.id)
        ON CONFLICT (decision_id, kind) DO NOTHING
        """,
        [DeviationKind.NOT_REPORTED.value, now, cutoff],
    )
    return cursor.rowcount


def _flag_cells(cursor, now: dt.datetime, month_before: dt.date, confidence, minimum: int) -> int:
    """Cells of months before `month_before` (complete, their reports due), judged against the tolerance."""
    cursor.execute(
        f"""
        SELECT e.organization_id, d.governing_grade, d.area, {month_sql('d."on"')} AS month, COUNT(*),
               SUM(CASE WHEN e.inspected THEN 1 ELSE 0 END),
               SUM(CAST(d.sampling_rate AS double precision)),
               SUM(CAST(d.sampling_rate AS double precision) * (1 - CAST(d.sampling_rate AS double precision)))
        FROM application_decision d JOIN tracking_execution e ON e.decision_id = d.id
        WHERE d.sampling_rate IS NOT NULL AND d."on" < %s
        GROUP BY e.organization_id, d.governing_grade, d.area, {month_sql('d."on"')}
        HAVING COUNT(*) >= %s
        """,
        [month_before, minimum],
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


def tracking_check(*, actor: Actor, today: dt.date | None = None) -> CheckResult:
    started, clock_started = clock.now(), time.perf_counter()
    today = today or clock.today()
    params = tracking_params(today)
    cutoff = report_cutoff(today, params.report_deadline.days, params.report_deadline.unit)
    # A month's cells are judged once every decision of it is past its report deadline.
    month_before = (cutoff + dt.timedelta(days=1)).replace(day=1)
    with transaction.atomic(), connection.cursor() as cursor:
        deviations = _insert_deviations(cursor, started)
        not_reported = _insert_not_reported(cursor, started, cutoff)
        cells = _flag_cells(cursor, started, month_before, params.confidence, params.min_cell_decisions)
        items = _raise_items(cursor, started, today, actor)
    return CheckResult(
        today=today.isoformat(),
        report_cutoff=cutoff.isoformat(),
        deviations=deviations,
        not_reported=not_reported,
        cells_flagged=cells,
        items_raised=items,
        seconds=round(time.perf_counter() - clock_started, 3),
    )


def check_summary(result: CheckResult) -> dict:
    return asdict(result)
