"""e-CIQ's monthly activity feed: declarations and declaration errors per enterprise and month.

Idempotent per (enterprise, month): a resend replaces the figures; a change (or a first receipt) is audited,
an identical resend is not. Bad entries are rejected one by one with their index, code and Chinese message;
the good ones of the batch are written in one transaction.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log_many
from ciqcredit.enterprises.codes import credit_code_error
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.selectors import enterprises_visible_to
from ciqcredit.organizations.access import person_of
from ciqcredit.rating.models import MonthlyActivity

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
MAX_ITEMS = 50_000


@dataclass
class ActivityResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _validate(index: int, item: Any) -> tuple[tuple[str, dt.date, int, int] | None, dict | None]:
    def reject(code: str, message: str, field_name: str) -> tuple[None, dict]:
        return None, {"index": index, "field": field_name, "code": code, "message": message}

    if not isinstance(item, dict):
        return reject("bad_format", "每一项须为对象", "")
    code = str(item.get("credit_code") or "").strip().upper()
    problem = credit_code_error(code)
    if problem:
        return reject(problem[0], problem[1], "credit_code")
    match = MONTH_RE.match(str(item.get("month") or ""))
    if not match or not 1 <= int(match.group(2)) <= 12:
        return reject("bad_month", "月份须为 YYYY-MM 格式，如 2017-09", "month")
    month = dt.date(int(match.group(1)), int(match.group(2)), 1)
    if month > clock.today():
        return reject("future_month", f"月份 {month:%Y-%m} 尚未开始", "month")
    declarations = _count(item.get("declarations"))
    if declarations is None:
        return reject("bad_count", "报检批次须为非负整数", "declarations")
    errors = _count(item.get("declaration_errors"))
    if errors is None:
        return reject("bad_count", "报检差错批次须为非负整数", "declaration_errors")
    if errors > declarations:
        return reject("errors_exceed_declarations", "报检差错批次不能多于报检批次", "declaration_errors")
    return (code, month, declarations, errors), None


def activity_receive(*, items: list[Any], actor: Actor) -> ActivityResult:
    """Store the figures of every valid item; list the rejected ones. Enterprises outside scope are unknown."""
    result = ActivityResult()
    if len(items) > MAX_ITEMS:
        result.rejected.append(
            {"index": None, "field": "items", "code": "too_many_items", "message": f"一次最多报送{MAX_ITEMS}项"}
        )
        return result
    valid: dict[tuple[str, dt.date], tuple[int, int, int]] = {}
    for index, item in enumerate(items):
        clean, problem = _validate(index, item)
        if problem:
            result.rejected.append(problem)
            continue
        assert clean is not None  # no problem, so clean values
        code, month, declarations, errors = clean
        if (code, month) in valid:
            result.rejected.append(
                {
                    "index": index,
                    "field": "month",
                    "code": "duplicate_in_batch",
                    "message": f"同一批次中企业 {code} 的 {month:%Y-%m} 已报送（第{valid[(code, month)][0]}项）",
                }
            )
            continue
        valid[(code, month)] = (index, declarations, errors)

    codes = {code for code, _ in valid}
    enterprises = {e.credit_code: e for e in enterprises_visible_to(person_of(actor)).filter(credit_code__in=codes)}
    for (code, month), (index, _, _) in list(valid.items()):
        if code not in enterprises:
            result.rejected.append(
                {
                    "index": index,
                    "field": "credit_code",
                    "code": "unknown_enterprise",
                    "message": f"企业 {code} 不存在或不在您的管辖范围内",
                }
            )
            del valid[(code, month)]
    result.rejected.sort(key=lambda r: (r["index"] is None, r["index"] or 0))
    if not valid:
        return result

    now = clock.now()
    with transaction.atomic():
        ids = [enterprises[code].pk for code, _ in valid]
        months = {month for _, month in valid}
        existing = {
            (a.enterprise_id, a.month): a
            for a in MonthlyActivity.objects.select_for_update().filter(enterprise_id__in=ids, month__in=months)
        }
        to_create, to_update = [], []
        changes: list[tuple[Enterprise, dict | None, dict]] = []
        for (code, month), (_, declarations, errors) in valid.items():
            enterprise = enterprises[code]
            row = existing.get((enterprise.pk, month))
            new = {"month": f"{month:%Y-%m}", "declarations": declarations, "declaration_errors": errors}
            if row is None:
                row = MonthlyActivity(
                    enterprise=enterprise,
                    month=month,
                    declarations=declarations,
                    declaration_errors=errors,
                    received_at=now,
                    updated_at=now,
                )
                to_create.append(row)
                changes.append((enterprise, None, new))
            elif (row.declarations, row.declaration_errors) != (declarations, errors):
                old = {
                    "month": f"{month:%Y-%m}",
                    "declarations": row.declarations,
                    "declaration_errors": row.declaration_errors,
                }
                row.declarations, row.declaration_errors, row.updated_at = declarations, errors, now
                to_update.append(row)
                changes.append((enterprise, old, new))
            else:
                result.unchanged += 1
        MonthlyActivity.objects.bulk_create(to_create, batch_size=5000)
        MonthlyActivity.objects.bulk_update(
            to_update, ["declarations", "declaration_errors", "updated_at"], batch_size=5000
        )
        result.created, result.updated = len(to_create), len(to_update)
        audit_log_many(actor=actor, action="rating.activity.received", changes=changes)
    return result
