"""Writing and reading the change feed (model: ciqcredit.rating.model_parts.feed).

Writers are the two paths that create grade changes: `grade_change_apply` (one change) and the set-based
`results_decide` (many); both call in here inside their transaction, after the change rows exist. Whatever
changes a grade later (a reversal after a withdrawn record, a repair) does so through those paths and so
appears in the feed; its events follow from the grades and 布控 before and after, and from its cause
(`listing` / `removal` for the serious list).

Commit order. Ids come from a sequence, handed out when a row is inserted, while transactions may commit in
another order; a reader at `id > 41` could then pass row 42 before the transaction holding it commits. So
every writer first takes one transaction-level advisory lock (PostgreSQL `pg_advisory_xact_lock`), released
only after its commit is visible: the next writer's ids are therefore larger and commit later. The lock is
taken as late as possible (after the change rows are written), so it is held only to the commit. SQLite
has one writer at a time anyway.
"""

from collections.abc import Iterable

from django.db import connection

from ciqcredit import clock
from ciqcredit.rating.models import ChangeFeedEntry, FeedKind, GradeCause, GradeChange

FEED_LOCK_KEY = 0x63_69_71_66_65_65_64  # "ciqfeed": one lock for every writer of the feed
MAX_LIMIT = 1000

# The lists a partner may follow (sharing agreements name these): which events each consists of.
FEED_LISTS: dict[str, tuple[str, ...]] = {
    "grades": (FeedKind.GRADE_CHANGED, FeedKind.CONTROL_SET, FeedKind.CONTROL_CLEARED),
    "serious": (FeedKind.SERIOUS_LISTED, FeedKind.SERIOUS_REMOVED),
    "aa": (FeedKind.AA_GRANTED, FeedKind.AA_LOST),
}

# Which events a grade change is: (kind, SQL condition on `g` (the change) and `pc_controlled` (before)).
_PC = "COALESCE(pc.controlled, %s)"
KIND_CONDITIONS: list[tuple[str, str]] = [
    (FeedKind.GRADE_CHANGED, "g.grade <> g.previous_grade"),
    (FeedKind.CONTROL_SET, f"g.controlled AND NOT {_PC}"),
    (FeedKind.CONTROL_CLEARED, f"NOT g.controlled AND {_PC}"),
    (FeedKind.SERIOUS_LISTED, f"g.cause = '{GradeCause.LISTING}'"),
    (FeedKind.SERIOUS_REMOVED, f"g.cause = '{GradeCause.REMOVAL}'"),
    (FeedKind.AA_GRANTED, "g.grade = 'AA' AND g.previous_grade <> 'AA'"),
    (FeedKind.AA_LOST, "g.previous_grade = 'AA' AND g.grade <> 'AA'"),
]


def feed_kinds(
    *, previous_grade: str, previous_controlled: bool, grade: str, controlled: bool, cause: str
) -> list[str]:
    """The events one grade change is (the same rules as KIND_CONDITIONS, for the single path)."""
    kinds: list[str] = []
    if grade != previous_grade:
        kinds.append(FeedKind.GRADE_CHANGED)
    if controlled and not previous_controlled:
        kinds.append(FeedKind.CONTROL_SET)
    if previous_controlled and not controlled:
        kinds.append(FeedKind.CONTROL_CLEARED)
    if cause == GradeCause.LISTING:
        kinds.append(FeedKind.SERIOUS_LISTED)
    if cause == GradeCause.REMOVAL:
        kinds.append(FeedKind.SERIOUS_REMOVED)
    if grade == "AA" and previous_grade != "AA":
        kinds.append(FeedKind.AA_GRANTED)
    if previous_grade == "AA" and grade != "AA":
        kinds.append(FeedKind.AA_LOST)
    return kinds


def feed_lock() -> None:
    """Serialize feed writers until commit (see the module docstring). Call inside a transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK_KEY])


def feed_append_change(*, change: GradeChange, credit_code: str, previous_controlled: bool) -> list[ChangeFeedEntry]:
    """The feed rows of one grade change, written in the caller's transaction."""
    kinds = feed_kinds(
        previous_grade=change.previous_grade,
        previous_controlled=previous_controlled,
        grade=change.grade,
        controlled=change.controlled,
        cause=change.cause,
    )
    if not kinds:
        return []
    feed_lock()
    now = clock.now()
    rows = [
        ChangeFeedEntry(
            kind=kind,
            enterprise_id=change.enterprise_id,
            credit_code=credit_code,
            grade=change.grade,
            previous_grade=change.previous_grade,
            controlled=change.controlled,
            cause=change.cause,
            effective_from=change.effective_from,
            change=change,
            recorded_at=now,
        )
        for kind in kinds
    ]
    return ChangeFeedEntry.objects.bulk_create(rows)


def feed_append_sql(*, from_sql: str, where_sql: str, params: list, now) -> None:
    """The feed rows of many changes at once. `from_sql` (FROM and JOINs) binds `g` (GradeChange), `e`
    (Enterprise) and `pc` (the CurrentGrade before the changes, LEFT JOINed); `params` fill both clauses.
    Call before CurrentGrade moves.
    """
    feed = ChangeFeedEntry._meta.db_table
    kinds = " UNION ALL ".join(f"SELECT '{kind}' AS kind, {i} AS ord" for i, (kind, _) in enumerate(KIND_CONDITIONS))
    condition = " OR ".join(f"(k.kind = '{kind}' AND {sql})" for kind, sql in KIND_CONDITIONS)
    feed_lock()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {feed} (kind, enterprise_id, credit_code, grade, previous_grade, controlled, cause, "
            "effective_from, change_id, recorded_at) "
            "SELECT k.kind, g.enterprise_id, e.credit_code, g.grade, g.previous_grade, g.controlled, g.cause, "
            f"g.effective_from, g.id, %s {from_sql} CROSS JOIN ({kinds}) k "
            f"WHERE ({where_sql}) AND ({condition}) ORDER BY g.id, k.ord",
            [now, *params, *([False] * condition.count("%s"))],
        )


def feed_after(*, after: int, limit: int, kinds: Iterable[str] | None = None) -> list[ChangeFeedEntry]:
    """The rows after a cursor, in cursor (= commit) order. `kinds` narrows to some events (sharing by list)."""
    qs = ChangeFeedEntry.objects.filter(id__gt=after)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return list(qs.order_by("id")[: max(1, min(limit, MAX_LIMIT))])
