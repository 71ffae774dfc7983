"""The supervision checklist's content (§六): its items, the schedule of plans and the rectification period.

A checklist version follows the lifecycle of every rules version (catalogue.services: draft → in review →
published, immutable once published, a correction is a new version). This module replaces a draft's content in
one step (the reference loader), checking every item as the pages check one (catalogue.validation's
clean_checklist_item; the pages' one-by-one changes are catalogue.editing's).
"""

from typing import Any

from django.db import transaction

from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log, diff
from ciqcredit.catalogue.access import require_editor
from ciqcredit.catalogue.choices import PlanKind
from ciqcredit.catalogue.models import ChecklistItem, ChecklistVersion
from ciqcredit.catalogue.services import lock_version, require_draft
from ciqcredit.catalogue.validation import clean_checklist_item
from ciqcredit.errors import DomainError

SCHEDULE_LEVELS = {"hq": "总局", "bureau": "直属局", "branch": "分支局"}
SCHEDULE_MODES = {"inspection": "督查", "self": "自查"}


def _clean_schedule(schedule: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for i, entry in enumerate(schedule, start=1):
        kind, level = entry.get("kind"), entry.get("inspector_level")
        mode, after = entry.get("mode", "inspection"), entry.get("open_after_days", 0)
        if kind not in PlanKind.values or level not in SCHEDULE_LEVELS or mode not in SCHEDULE_MODES:
            raise DomainError(
                "invalid_schedule",
                f"督查计划安排第{i}项有误：类别应为年度、半年或季度，组织层级应为总局、直属局或分支局，方式应为督查或自查",
                {"position": i, "entry": entry},
            )
        if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= 90:
            raise DomainError("invalid_schedule", f"督查计划安排第{i}项的开启天数应为0至90的整数", {"position": i})
        cleaned.append({"kind": kind, "inspector_level": level, "mode": mode, "open_after_days": after})
    return cleaned


def _schedule_store(locked: ChecklistVersion, schedule: list[dict[str, Any]], rectification_days: int) -> None:
    if not 1 <= rectification_days <= 365:
        problem = "整改期限应为1至365天"
        raise DomainError(
            "invalid_checklist", f"督查检查表有误：{problem}", {"problems": [problem], "field": "rectification_days"}
        )
    locked.schedule = _clean_schedule(schedule)
    locked.rectification_days = rectification_days
    locked.save(update_fields=["schedule", "rectification_days"])


@transaction.atomic
def checklist_schedule_update(
    *, version: ChecklistVersion, schedule: list[dict[str, Any]], rectification_days: int, actor: Actor
) -> ChecklistVersion:
    """A draft's schedule of plans and rectification period (its items are changed one by one: editing)."""
    require_editor(actor)
    locked = lock_version(version)
    assert isinstance(locked, ChecklistVersion)
    require_draft(locked)
    before = {"schedule": locked.schedule, "rectification_days": locked.rectification_days}
    _schedule_store(locked, schedule, rectification_days)
    old, new = diff(before, {"schedule": locked.schedule, "rectification_days": locked.rectification_days})
    if new:
        audit_log(actor=actor, action="catalogue.checklist.schedule_updated", target=locked, old=old, new=new)
    return locked


@transaction.atomic
def checklist_content_replace(
    *,
    version: ChecklistVersion,
    items: list[dict[str, str]],
    schedule: list[dict[str, Any]],
    rectification_days: int,
    actor: Actor,
) -> ChecklistVersion:
    """Replace a draft checklist's items, schedule and rectification period in one step."""
    require_editor(actor)
    locked = lock_version(version)
    assert isinstance(locked, ChecklistVersion)
    require_draft(locked)
    cleaned = [clean_checklist_item(entry, row=i) for i, entry in enumerate(items, start=1)]
    problems = [f"第{e.row}项：{e.message}" for _, errors in cleaned for e in errors]
    codes = [data["code"] for data, _ in cleaned]
    if len(set(codes)) != len(codes):
        problems.append("项目编号重复")
    if problems:
        raise DomainError("invalid_checklist", "督查检查表有误：" + "；".join(problems), {"problems": problems})
    _schedule_store(locked, schedule, rectification_days)
    locked.checklist_items.all().delete()
    ChecklistItem.objects.bulk_create(
        ChecklistItem(version=locked, position=position, **data) for position, (data, _) in enumerate(cleaned, start=1)
    )
    audit_log(
        actor=actor,
        action="catalogue.checklist.content_replaced",
        target=locked,
        new={"items": len(items), "schedule": locked.schedule, "rectification_days": rectification_days},
    )
    return locked
