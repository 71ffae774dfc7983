"""Every state change of supervision: plans, inspection sheets, findings and rectification tasks.

Each function takes an `Actor`, checks who may act (ciqcredit.oversight.access), locks what it changes,
re-checks its state and writes the audit row in the same transaction. Circulars: circulars.py.
"""

import datetime as dt
from typing import Any

from django.core.files import File
from django.db import IntegrityError, transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.catalogue.choices import ChecklistQuestion, PlanKind
from ciqcredit.catalogue.models import ChecklistVersion
from ciqcredit.catalogue.selectors import version_on
from ciqcredit.errors import Conflict, DomainError
from ciqcredit.files import file_attach
from ciqcredit.organizations.models import Organization, User
from ciqcredit.oversight.access import require_inspector, require_office, require_organizer
from ciqcredit.oversight.figures import figures_for
from ciqcredit.oversight.models import (
    TASK_OPEN_STATUSES,
    InspectionPlan,
    InspectionSheet,
    PlanMode,
    PlanStatus,
    RectificationTask,
    SheetEvidence,
    SheetItem,
    SheetStatus,
    TaskEvidence,
    TaskStatus,
    TaskTransition,
    Verdict,
)
from ciqcredit.workdays.services import deadline_close, deadline_open

DEADLINE_RECTIFICATION = "oversight.rectification"


def _person(actor: Actor) -> User:
    if actor.user is None:
        raise DomainError("person_required", "此操作须由工作人员本人办理", status=403)
    return actor.user


def checklist_in_force(on: dt.date) -> ChecklistVersion:
    version = version_on("checklist", on)
    if not isinstance(version, ChecklistVersion):
        raise DomainError("no_checklist", f"{on:%Y-%m-%d} 没有生效的督查检查表，请先由总局发布", status=409)
    return version


def _clean_extra_items(extra_items: list[dict[str, str]], checklist: ChecklistVersion) -> list[dict[str, str]]:
    taken = set(checklist.checklist_items.values_list("code", flat=True))
    cleaned = []
    for i, entry in enumerate(extra_items, start=1):
        code, title = str(entry.get("code", "")).strip(), str(entry.get("title", "")).strip()
        if not code or not title:
            raise DomainError("invalid_extra_item", f"增加的检查项目第{i}项缺少编号或检查内容", {"position": i})
        if code in taken:
            raise DomainError("invalid_extra_item", f"增加的检查项目编号“{code}”重复", {"position": i})
        taken.add(code)
        cleaned.append({"code": code, "title": title, "standard": str(entry.get("standard", "")).strip()})
    return cleaned


def _check_offices(organization: Organization, mode: str, offices: list[Organization]) -> None:
    if not offices:
        raise DomainError("no_offices", "督查计划须至少包括一个被检查单位", {"field": "offices"})
    for office in offices:
        if mode == PlanMode.SELF and office.pk != organization.pk:
            raise DomainError("invalid_office", "自查计划只能检查本单位", {"office": office.code})
        if mode == PlanMode.INSPECTION and (office.pk == organization.pk or not office.is_within(organization)):
            raise DomainError(
                "invalid_office",
                f"{office.name}不是{organization.name}的下级单位，不能列入督查",
                {"office": office.code},
            )


def _plan_snapshot(plan: InspectionPlan) -> dict[str, Any]:
    return {
        "title": plan.title,
        "mode": plan.mode,
        "kind": plan.kind,
        "from": plan.period_start.isoformat(),
        "to": plan.period_end.isoformat(),
        "checklist": plan.checklist.number,
        "offices": sorted(plan.offices.values_list("code", flat=True)),
        "inspectors": sorted(plan.inspectors.values_list("username", flat=True)),
        "extra_items": len(plan.extra_items),
    }


def _sheet_create(plan: InspectionPlan, office: Organization) -> InspectionSheet:
    sheet = InspectionSheet.objects.create(
        plan=plan, office=office, figures=figures_for(office, plan.period_start, plan.period_end)
    )
    entries: list[tuple[str, str, str, str]] = [
        (i.code, i.question, i.title, i.standard) for i in plan.checklist.checklist_items.all()
    ]
    entries += [(e["code"], ChecklistQuestion.OTHER, e["title"], e["standard"]) for e in plan.extra_items]
    SheetItem.objects.bulk_create(
        SheetItem(sheet=sheet, position=n, code=code, question=question, title=title, standard=standard)
        for n, (code, question, title, standard) in enumerate(entries)
    )
    return sheet


def _plan_build(
    *,
    organization: Organization,
    mode: str,
    kind: str,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    offices: list[Organization],
    inspectors: list[User],
    extra_items: list[dict[str, str]],
    schedule_key: str | None,
    actor: Actor,
) -> InspectionPlan:
    if mode not in PlanMode.values or kind not in PlanKind.values:
        raise DomainError(
            "invalid_plan", "督查方式应为督查或自查，类别应为年度、半年或季度", {"mode": mode, "kind": kind}
        )
    if period_end < period_start:
        raise DomainError("invalid_period", "督查期间的结束日期不能早于开始日期", {"field": "period_end"})
    _check_offices(organization, mode, offices)
    for inspector in inspectors:
        if inspector.is_system or inspector.is_enterprise_user or not inspector.organization.is_within(organization):
            raise DomainError("invalid_inspector", f"{inspector}不能担任本计划的检查人员", {"inspector": inspector.pk})
    checklist = checklist_in_force(period_end)
    plan = InspectionPlan.objects.create(
        organization=organization,
        mode=mode,
        kind=kind,
        title=title.strip()
        or f"{period_start:%Y年%m月%d日}至{period_end:%Y年%m月%d日}{PlanKind(kind).label}{PlanMode(mode).label}",
        period_start=period_start,
        period_end=period_end,
        checklist=checklist,
        extra_items=_clean_extra_items(extra_items, checklist),
        schedule_key=schedule_key,
        created_at=clock.now(),
        created_by_label=actor.label,
    )
    plan.offices.set(offices)
    plan.inspectors.set(inspectors)
    for office in sorted(offices, key=lambda o: o.path):
        _sheet_create(plan, office)
    audit_log(
        actor=actor,
        action="oversight.plan.created",
        target=plan,
        new=_plan_snapshot(plan),
        organization_id=organization.pk,
    )
    return plan


@transaction.atomic
def plan_create(
    *,
    mode: str,
    kind: str,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    offices: list[Organization],
    inspectors: list[User],
    extra_items: list[dict[str, str]] | None = None,
    actor: Actor,
) -> InspectionPlan:
    """A plan of the actor's office, with each office's sheet pre-filled with its figures for the period."""
    user = _person(actor)
    require_organizer(user, user.organization)
    return _plan_build(
        organization=user.organization,
        mode=mode,
        kind=kind,
        title=title,
        period_start=period_start,
        period_end=period_end,
        offices=offices,
        inspectors=inspectors or [user],
        extra_items=extra_items or [],
        schedule_key=None,
        actor=actor,
    )


def _lock_plan(plan: InspectionPlan) -> InspectionPlan:
    return InspectionPlan.objects.select_for_update().select_related("organization", "checklist").get(pk=plan.pk)


def require_plan_open(plan: InspectionPlan) -> None:
    if plan.status != PlanStatus.OPEN:
        raise Conflict("plan_closed", f"督查计划“{plan.title}”已结束，不能再修改", {"plan": plan.pk})


@transaction.atomic
def plan_close(*, plan: InspectionPlan, actor: Actor) -> InspectionPlan:
    """Close a plan whose sheets are all submitted; its findings stay open as rectification tasks."""
    user = _person(actor)
    require_organizer(user, plan.organization)
    plan = _lock_plan(plan)
    require_plan_open(plan)
    waiting = [s.office.name for s in plan.sheets.select_related("office").exclude(status=SheetStatus.SUBMITTED)]
    if waiting:
        raise Conflict("sheets_not_submitted", f"以下单位的检查表尚未提交：{'、'.join(waiting)}", {"offices": waiting})
    plan.status, plan.closed_at = PlanStatus.CLOSED, clock.now()
    plan.save(update_fields=["status", "closed_at"])
    audit_log(
        actor=actor,
        action="oversight.plan.closed",
        target=plan,
        old={"status": PlanStatus.OPEN},
        new={"status": PlanStatus.CLOSED},
        organization_id=plan.organization_id,
    )
    return plan


# --- Inspection sheets --------------------------------------------------------------------------------------


def _lock_sheet(sheet: InspectionSheet) -> InspectionSheet:
    return InspectionSheet.objects.select_for_update().select_related("plan", "office").get(pk=sheet.pk)


def _require_sheet_open(sheet: InspectionSheet) -> None:
    require_plan_open(sheet.plan)
    if sheet.status != SheetStatus.OPEN:
        raise Conflict("sheet_submitted", f"{sheet.office.name}的检查表已提交，不能再修改", {"sheet": sheet.pk})


@transaction.atomic
def sheet_item_judge(*, item: SheetItem, verdict: str, notes: str, actor: Actor) -> SheetItem:
    """An inspector's judgement of one item (符合 / 基本符合 / 不符合) with notes; 不符合 needs notes."""
    user = _person(actor)
    sheet = _lock_sheet(item.sheet)
    require_inspector(user, sheet.plan)
    _require_sheet_open(sheet)
    if verdict not in Verdict.values:
        raise DomainError("invalid_verdict", "检查结果应为符合、基本符合或不符合", {"field": "verdict"})
    if verdict == Verdict.NONCOMPLIANT and not notes.strip():
        raise DomainError("missing_notes", "判定为不符合的项目须写明检查情况（发现的问题）", {"field": "notes"})
    old = {"verdict": item.verdict, "notes": item.notes}
    item.verdict, item.notes = verdict, notes.strip()
    item.judged_at, item.judged_by_label = clock.now(), actor.label
    item.save(update_fields=["verdict", "notes", "judged_at", "judged_by_label"])
    audit_log(
        actor=actor,
        action="oversight.sheet_item.judged",
        target=item,
        old=old,
        new={"code": item.code, "verdict": verdict, "notes": item.notes},
        organization_id=sheet.office_id,
    )
    return item


@transaction.atomic
def sheet_evidence_add(*, item: SheetItem, upload: File, actor: Actor) -> SheetEvidence:
    user = _person(actor)
    sheet = _lock_sheet(item.sheet)
    require_inspector(user, sheet.plan)
    _require_sheet_open(sheet)
    name = (getattr(upload, "name", "") or "evidence").rsplit("/", 1)[-1][:150]
    evidence = SheetEvidence(item=item, name=name, uploaded_by_label=actor.label, uploaded_at=clock.now())
    file_attach(evidence.file, name, upload)
    evidence.save()
    audit_log(
        actor=actor,
        action="oversight.sheet_item.evidence_added",
        target=item,
        new={"file": name},
        organization_id=sheet.office_id,
    )
    return evidence


@transaction.atomic
def sheet_submit(*, sheet: InspectionSheet, conclusion: str, actor: Actor) -> InspectionSheet:
    """Submit a sheet whose items are all judged; each 不符合 becomes a rectification task with a deadline."""
    user = _person(actor)
    sheet = _lock_sheet(sheet)
    require_inspector(user, sheet.plan)
    _require_sheet_open(sheet)
    items = list(sheet.items.all())
    unjudged = [i.code for i in items if not i.verdict]
    if unjudged:
        raise DomainError(
            "sheet_incomplete", f"以下项目尚未判定：{'、'.join(unjudged)}", {"items": unjudged}, status=409
        )
    today = clock.today()
    days = sheet.plan.checklist.rectification_days
    for item in items:
        if item.verdict != Verdict.NONCOMPLIANT:
            continue
        task = RectificationTask.objects.create(
            item=item,
            plan=sheet.plan,
            office=sheet.office,
            finding=f"{item.code} {item.title}：{item.notes}",
            due_on=today,
            created_at=clock.now(),
        )
        deadline = deadline_open(
            kind=DEADLINE_RECTIFICATION,
            target=task,
            organization=sheet.office,
            start=today,
            days=days,
            unit="calendar",
            actor=actor,
        )
        task.deadline, task.due_on = deadline, deadline.due_on
        task.save(update_fields=["deadline", "due_on"])
        _task_transition(task, "", TaskStatus.OPEN, actor=actor, reason=task.finding)
    sheet.status, sheet.conclusion = SheetStatus.SUBMITTED, conclusion.strip()
    sheet.submitted_at, sheet.submitted_by_label = clock.now(), actor.label
    sheet.save(update_fields=["status", "conclusion", "submitted_at", "submitted_by_label"])
    audit_log(
        actor=actor,
        action="oversight.sheet.submitted",
        target=sheet,
        old={"status": SheetStatus.OPEN},
        new={
            "status": SheetStatus.SUBMITTED,
            "verdicts": {i.code: i.verdict for i in items},
            "tasks": sum(1 for i in items if i.verdict == Verdict.NONCOMPLIANT),
        },
        organization_id=sheet.office_id,
    )
    return sheet


# --- Rectification ------------------------------------------------------------------------------------------


def _task_transition(task: RectificationTask, old: str, to: str, *, actor: Actor, reason: str = "") -> None:
    if old:
        task.status = to
        task.save(update_fields=["status", "answer", "answered_on", "decision_reason", "accepted_on"])
    TaskTransition.objects.create(
        task=task,
        from_status=old,
        to_status=to,
        reason=reason,
        actor=actor.user,
        actor_label=actor.label,
        at=clock.now(),
    )
    audit_log(
        actor=actor,
        action=f"oversight.task.{to}",
        target=task,
        old={"status": old} if old else None,
        new={"status": to, **({"reason": reason} if reason else {})},
        organization_id=task.office_id,
    )


def _lock_task(task: RectificationTask) -> RectificationTask:
    return (
        RectificationTask.objects.select_for_update(of=("self",))
        .select_related("plan", "office", "deadline")
        .get(pk=task.pk)
    )


def _require_task_status(task: RectificationTask, *allowed: str) -> None:
    if task.status not in allowed:
        wanted = "、".join(TaskStatus(s).label for s in allowed)
        raise Conflict(
            "wrong_task_status",
            f"整改任务当前状态为“{task.get_status_display()}”，此操作只能在“{wanted}”状态下进行",
            {"status": task.status, "allowed": list(allowed)},
        )


@transaction.atomic
def task_answer(
    *, task: RectificationTask, answer: str, evidence: list[File] | None = None, actor: Actor
) -> RectificationTask:
    """The office reports how it rectified the finding, with evidence files."""
    user = _person(actor)
    task = _lock_task(task)
    require_office(user, task)
    _require_task_status(task, TaskStatus.OPEN, TaskStatus.RETURNED)
    if not answer.strip():
        raise DomainError("missing_answer", "请填写整改情况", {"field": "answer"})
    for upload in evidence or []:
        name = (getattr(upload, "name", "") or "evidence").rsplit("/", 1)[-1][:150]
        row = TaskEvidence(task=task, name=name, uploaded_by_label=actor.label, uploaded_at=clock.now())
        file_attach(row.file, name, upload)
        row.save()
    old = task.status
    task.answer, task.answered_on = answer.strip(), clock.today()
    _task_transition(task, old, TaskStatus.ANSWERED, actor=actor, reason=task.answer)
    return task


@transaction.atomic
def task_accept(*, task: RectificationTask, reason: str, actor: Actor) -> RectificationTask:
    """The inspector accepts the rectification; the task's deadline closes on the day it was reported."""
    user = _person(actor)
    task = _lock_task(task)
    require_inspector(user, task.plan)
    _require_task_status(task, TaskStatus.ANSWERED)
    task.decision_reason, task.accepted_on = reason.strip(), clock.today()
    if task.deadline is not None and task.deadline.closed_at is None:
        assert task.answered_on is not None
        deadline_close(deadline=task.deadline, closed_on=max(task.answered_on, task.deadline.start), actor=actor)
    _task_transition(task, TaskStatus.ANSWERED, TaskStatus.ACCEPTED, actor=actor, reason=task.decision_reason)
    return task


@transaction.atomic
def task_return(*, task: RectificationTask, reason: str, actor: Actor) -> RectificationTask:
    """The inspector returns the rectification with a reason; the deadline stands."""
    user = _person(actor)
    task = _lock_task(task)
    require_inspector(user, task.plan)
    _require_task_status(task, TaskStatus.ANSWERED)
    if not reason.strip():
        raise DomainError("missing_reason", "退回须说明理由", {"field": "reason"})
    task.decision_reason = reason.strip()
    _task_transition(task, TaskStatus.ANSWERED, TaskStatus.RETURNED, actor=actor, reason=task.decision_reason)
    return task


def tasks_open_for(office: Organization):
    return RectificationTask.objects.filter(office=office, status__in=TASK_OPEN_STATUSES)


# --- Plans a published schedule calls for -------------------------------------------------------------------

PERIOD_MONTHS = {PlanKind.QUARTERLY: 3, PlanKind.HALF_YEAR: 6, PlanKind.ANNUAL: 12}


def last_period(kind: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The last whole calendar period of the kind that ended before today (quarter, half year or year)."""
    months = PERIOD_MONTHS[PlanKind(kind)]
    index = (today.month - 1) // months  # the period today is in
    year, first_month = today.year, index * months + 1
    first_month -= months
    if first_month < 1:
        first_month += 12
        year -= 1
    start = dt.date(year, first_month, 1)
    after_month = first_month + months
    after = dt.date(year + (after_month - 1) // 12, (after_month - 1) % 12 + 1, 1)
    return start, after - dt.timedelta(days=1)


def plans_open_scheduled(*, actor: Actor, today: dt.date | None = None) -> list[InspectionPlan]:
    """Open every plan the checklist in force schedules and that is not open yet. Idempotent: each scheduled
    plan has a unique key (kind, mode, organizing office, period), so a second run, or two at once, adds none."""
    today = today or clock.today()
    checklist = version_on("checklist", today)
    if not isinstance(checklist, ChecklistVersion):
        return []
    opened = []
    for entry in checklist.schedule:
        start, end = last_period(entry["kind"], today)
        if today < end + dt.timedelta(days=1 + entry["open_after_days"]):
            continue
        organizers = Organization.objects.filter(level=entry["inspector_level"], active=True).order_by("path")
        for organization in organizers:
            if entry["mode"] == "self":
                offices = [organization]
            else:
                offices = list(organization.children.filter(active=True).order_by("path"))
                if not offices:
                    continue
            key = f"{entry['kind']}:{entry['mode']}:{organization.code}:{start.isoformat()}"
            if InspectionPlan.objects.filter(schedule_key=key).exists():
                continue
            try:
                with transaction.atomic():
                    plan = _plan_build(
                        organization=organization,
                        mode=entry["mode"],
                        kind=entry["kind"],
                        title="",
                        period_start=start,
                        period_end=end,
                        offices=offices,
                        inspectors=[],
                        extra_items=[],
                        schedule_key=key,
                        actor=actor,
                    )
            except IntegrityError:
                continue  # another run opened it at the same moment
            opened.append(plan)
    return opened
