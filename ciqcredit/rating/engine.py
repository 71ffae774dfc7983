"""The set-based rating engine: one SQL query grading every active enterprise at once.

`evaluation_select(params, start, end)` builds a SELECT with one row per active enterprise — its points and
records counted in the period, its grade in force at the period end, whether it is on the serious list, new,
or had business — and the rule and grade that decide, as CASE expressions generated from the rule set's
parameters (values as bound parameters, never an `if` on a number). The periodic evaluation inserts its rows
(INSERT … SELECT), the what-if preview groups them, and the tests compare them with `rules.periodic_grade`,
which is the oracle: the CASE follows PERIODIC_PRECEDENCE exactly.

Inputs, as the pure rules define them:
- points and records: effective records whose `occurred_on` lies in [start, end]. The one-act rule needs no
  work here: the collection model keeps at most one effective record per (enterprise, act) by a constraint.
- previous grade: the grade in force at the period end (the latest change effective on or before it). The
  current grade answers for almost everyone; history is read only where the current grade is later.
- serious list: the latest listing/removal change effective on or before the period end is a listing.
- new: registered after the period started. Enterprises registered after the period end are not rated.
- business: any month of the period (the month containing the start through the end) with declarations;
  the no-business rule applies only when nothing counted either (rules.periodic_grade).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection

from ciqcredit.collection.selectors import records_effective_in_sql
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.rating.models import CurrentGrade, GradeCause, GradeChange
from ciqcredit.rules.params import RuleSetParams

# The columns every engine row has, in order.
COLUMNS: tuple[str, ...] = (
    "enterprise_id",
    "organization_id",
    "points",
    "records_counted",
    "previous_grade",
    "serious_listed",
    "is_new",
    "had_business",
    "rule",
    "grade",
)


@dataclass(frozen=True)
class Query:
    sql: str
    params: list[Any]


def grade_at_sql(enterprise_col: str, on_placeholder_params: list[Any], on: dt.date) -> str:
    """SQL for the grade in force on `on` of the enterprise in `enterprise_col` (NULL when none).

    Needs `cg` joined as the enterprise's CurrentGrade (LEFT JOIN). Appends its parameters to the list given.
    """
    gc = GradeChange._meta.db_table
    on_placeholder_params.extend([on, on])
    return (
        "CASE WHEN cg.effective_from <= %s THEN cg.grade "
        "WHEN cg.enterprise_id IS NULL THEN NULL "
        f"ELSE (SELECT h.grade FROM {gc} h WHERE h.enterprise_id = {enterprise_col} AND h.effective_from <= %s "
        "ORDER BY h.effective_from DESC, h.id DESC LIMIT 1) END"
    )


def _rule_case(params: RuleSetParams, p: list[Any]) -> str:
    """The rule that decides, in PERIODIC_PRECEDENCE order (see rules.periodic_grade)."""
    if params.no_business.action == "fixed_grade":
        no_business = "'no_business_fixed'"
    else:
        no_business = "CASE WHEN x.previous_grade IS NULL THEN 'no_business_fallback' ELSE 'no_business_keep' END"
    p.append(params.aa.keep_max_points)
    return (
        "CASE WHEN x.serious_listed THEN 'serious_list' "
        "WHEN x.is_new THEN 'new_enterprise' "
        f"WHEN NOT x.had_business AND x.points = 0 THEN {no_business} "
        "WHEN x.previous_grade = 'AA' AND x.points <= %s THEN 'aa_kept' "
        "WHEN x.previous_grade = 'AA' THEN 'aa_lost' "
        "ELSE 'band' END"
    )


def _band_case(params: RuleSetParams, p: list[Any]) -> str:
    bands = sorted(params.bands, key=lambda b: b.min_points)
    parts = []
    for band in bands[:-1]:
        parts.append("WHEN x.points <= %s THEN %s")
        p.extend([band.max_points, band.grade])
    p.append(bands[-1].grade)
    return "CASE " + " ".join(parts) + " ELSE %s END"


def _grade_case(params: RuleSetParams, p: list[Any]) -> str:
    p.extend([params.serious_list.grade, params.new_enterprise.grade])
    if params.no_business.action == "fixed_grade":
        no_business = "%s"
    else:
        no_business = "COALESCE(x.previous_grade, %s)"
    p.append(params.no_business.fallback_grade)
    p.append(params.aa.keep_max_points)
    sql = (
        "CASE WHEN x.serious_listed THEN %s "
        "WHEN x.is_new THEN %s "
        f"WHEN NOT x.had_business AND x.points = 0 THEN {no_business} "
        "WHEN x.previous_grade = 'AA' AND x.points <= %s THEN 'AA' "
    )
    return sql + "ELSE " + _band_case(params, p) + " END"


def evaluation_select(
    params: RuleSetParams, *, start: dt.date, end: dt.date, listed_on: dt.date | None = None
) -> Query:
    """One row per active enterprise registered by `end`, with the columns of COLUMNS.

    `serious_listed` is the list as of `listed_on` (default `end`): an evaluation run after the period passes
    the day it runs, so that an enterprise listed since the period ended is rated D, as it is on the list, and
    its result never lifts the listing when it is decided."""
    ent = Enterprise._meta.db_table
    cur = CurrentGrade._meta.db_table
    gc = GradeChange._meta.db_table
    act = apps.get_model("rating", "MonthlyActivity")._meta.db_table
    records = records_effective_in_sql(start, end)
    first_month = start.replace(day=1)

    inner: list[Any] = []
    previous = grade_at_sql("e.id", inner, end)
    inner_sql = f"""
        SELECT e.id AS enterprise_id, e.registering_org_id AS organization_id,
               COALESCE(r.points, 0) AS points, COALESCE(r.records, 0) AS records_counted,
               {previous} AS previous_grade,
               (l.cause IS NOT NULL AND l.cause = %s) AS serious_listed,
               (e.registered_on IS NOT NULL AND e.registered_on > %s) AS is_new,
               EXISTS (SELECT 1 FROM {act} a WHERE a.enterprise_id = e.id AND a.month >= %s AND a.month <= %s
                       AND a.declarations > 0) AS had_business
        FROM (
            SELECT enterprise_id, SUM(points) AS points, COUNT(*) AS records
            {records.sql}
            GROUP BY enterprise_id
        ) r RIGHT JOIN {ent} e ON r.enterprise_id = e.id
        LEFT JOIN {cur} cg ON cg.enterprise_id = e.id
        LEFT JOIN (
            SELECT t.enterprise_id, t.cause FROM (
                SELECT enterprise_id, cause,
                       ROW_NUMBER() OVER (PARTITION BY enterprise_id ORDER BY effective_from DESC, id DESC) AS rn
                FROM {gc}
                WHERE cause IN ('listing', 'removal') AND effective_from <= %s
            ) t WHERE t.rn = 1
        ) l ON l.enterprise_id = e.id
        WHERE e.status = 'active' AND (e.registered_on IS NULL OR e.registered_on <= %s)
    """
    # In textual order. The listing causes are literals so that the partial index grade_change_listing_idx applies.
    listed_on = max(end, listed_on or end)
    inner.extend([GradeCause.LISTING.value, start, first_month, end, *records.params, listed_on, end])
    # The aggregate comes first as the RIGHT JOIN's outer side: SQLite then reads its rows in order and finds each
    # enterprise by its primary key, instead of building a temporary index over the aggregate (PostgreSQL plans
    # both spellings alike).
    outer: list[Any] = []
    rule = _rule_case(params, outer)
    grade = _grade_case(params, outer)
    # NOT MATERIALIZED: the inner query is pulled up into the outer one. Its expressions are then copied into
    # every CASE branch that reads them, which costs little now that the activity EXISTS is a hashed subplan
    # (built once per copy) and the grade-history subquery runs only for enterprises whose current grade
    # started after the period; materializing the rows cost more (PostgreSQL, 100,000 enterprises: 0.62 s of
    # CPU against 0.66–0.70 s).
    sql = (
        f"WITH x AS NOT MATERIALIZED ({inner_sql}) "
        "SELECT x.enterprise_id, x.organization_id, x.points, x.records_counted, x.previous_grade, "
        f"x.serious_listed, x.is_new, x.had_business, {rule} AS rule, {grade} AS grade FROM x"
    )
    # Parameters in textual order: the inner query comes before the outer CASEs in the SQL text.
    return Query(sql, inner + outer)


def bare_aggregate(*, start: dt.date, end: dt.date) -> Query:
    """The baseline the benchmark compares with: the points of every enterprise, nothing else."""
    records = records_effective_in_sql(start, end)
    return Query(
        f"SELECT enterprise_id AS e, SUM(points) AS p, COUNT(*) AS n {records.sql} GROUP BY enterprise_id",
        records.params,
    )


def fetch(query: Query) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query.sql, query.params)
        return cursor.fetchall()


def vendor() -> str:
    return connection.vendor


def tune_session(cursor) -> None:
    """Memory for the one big aggregate and join, for this transaction only (PostgreSQL: work_mem, so the hash
    aggregate over a million enterprises stays in memory, and no JIT; SQLite: a larger page cache)."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # JIT compiled this query for 3.3 s of its 7.6 s (100,000 enterprises): one pass over the data does not
        # repay compiling it.
        cursor.execute("SET LOCAL jit = off")
    else:
        cursor.execute("PRAGMA cache_size = -262144")
