"""What-if before publishing (item 7): the grades a rule set would give the whole population, against today's.

The same engine query as the periodic evaluation, only read: grouped into a migration matrix (current grade →
grade under the rule set) with counts, and for one cell the enterprises behind it. Nothing is written; the
whole computation runs in a transaction that is rolled back, so even a bug could not leave anything behind.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from ciqcredit import clock
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import DomainError, Forbidden
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Role
from ciqcredit.rating.engine import evaluation_select
from ciqcredit.rating.models import CurrentGrade
from ciqcredit.rules.grading import period_bounds, period_containing
from ciqcredit.rules.params import GRADES_DESC, RuleSetParams

NONE = ""  # no current grade (shown as 无等级)
ROWS = (*GRADES_DESC, NONE)


class _Rollback(Exception):
    pass


@dataclass(frozen=True)
class WhatIf:
    ruleset_number: int
    ruleset_status: str
    period_start: dt.date
    period_end: dt.date
    matrix: dict[str, dict[str, int]]  # current grade ("" = none) → new grade → count
    total: int

    @property
    def moved(self) -> int:
        return sum(n for cur, row in self.matrix.items() for new, n in row.items() if cur != new)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ruleset_version": self.ruleset_number,
            "ruleset_status": self.ruleset_status,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "total": self.total,
            "moved": self.moved,
            "matrix": [
                {"from": cur or None, "to": new, "count": n}
                for cur in ROWS
                for new in GRADES_DESC
                if (n := self.matrix.get(cur, {}).get(new, 0))
            ],
        }


def may_use_whatif(user: User) -> bool:
    return user.is_hq and user.has_role(Role.HQ_ADMIN, Role.HQ_RULES)


def require_whatif_user(user: User) -> None:
    if not may_use_whatif(user):
        raise Forbidden("规则试算仅限总局规则维护人员和管理员使用")


def whatif_period(params: RuleSetParams, period_end: dt.date | None) -> tuple[dt.date, dt.date]:
    """The given period, or the last period that has ended under these params."""
    if period_end is not None:
        return period_bounds(params, period_end)
    start, _ = period_containing(params, clock.today())
    return period_containing(params, start - dt.timedelta(days=1))


def _read_only(sql: str, params: list[Any]) -> list[tuple]:
    rows: list[tuple] = []
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            raise _Rollback
    except _Rollback:
        pass
    return rows


def whatif_matrix(*, ruleset, user: User, period_end: dt.date | None = None) -> WhatIf:
    require_whatif_user(user)
    params = ruleset.rule_params
    start, end = whatif_period(params, period_end)
    query = evaluation_select(params, start=start, end=end)
    cur = CurrentGrade._meta.db_table
    rows = _read_only(
        f"SELECT COALESCE(c.grade, ''), s.grade, COUNT(*) FROM ({query.sql}) s "
        f"LEFT JOIN {cur} c ON c.enterprise_id = s.enterprise_id GROUP BY COALESCE(c.grade, ''), s.grade",
        query.params,
    )
    matrix: dict[str, dict[str, int]] = {}
    for current, new, n in rows:
        matrix.setdefault(current, {})[new] = int(n)
    return WhatIf(ruleset.number, ruleset.status, start, end, matrix, sum(int(r[2]) for r in rows))


def whatif_cell(
    *, ruleset, user: User, current: str, new: str, period_end: dt.date | None = None, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    """The enterprises behind one cell of the matrix (current grade `current`, "" for none; new grade `new`)."""
    require_whatif_user(user)
    if current not in ROWS or new not in GRADES_DESC:
        raise DomainError("unknown_grade", "未知的信用等级")
    params = ruleset.rule_params
    start, end = whatif_period(params, period_end)
    query = evaluation_select(params, start=start, end=end)
    cur = CurrentGrade._meta.db_table
    ent = Enterprise._meta.db_table
    rows = _read_only(
        f"SELECT e.credit_code, e.name, s.points, s.rule FROM ({query.sql}) s "
        f"JOIN {ent} e ON e.id = s.enterprise_id LEFT JOIN {cur} c ON c.enterprise_id = s.enterprise_id "
        "WHERE COALESCE(c.grade, '') = %s AND s.grade = %s ORDER BY e.credit_code LIMIT %s OFFSET %s",
        [*query.params, current, new, limit, offset],
    )
    return [{"credit_code": r[0], "name": r[1], "points": int(r[2]), "rule": r[3]} for r in rows]
