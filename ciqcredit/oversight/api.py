"""JSON endpoints of supervision: the figures and the rows behind them, plans, sheets, tasks and circulars."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from ciqcredit.actors import Actor
from ciqcredit.api_common import ErrorOut, IsoDate, Offset, RowId, caller
from ciqcredit.catalogue.choices import PlanKind
from ciqcredit.errors import DomainError, NotFound
from ciqcredit.organizations.access import organization_get_for_user
from ciqcredit.organizations.models import User
from ciqcredit.oversight.access import (
    plan_get_for_user,
    plans_visible,
    sheet_get_for_user,
    task_get_for_user,
    tasks_visible,
)
from ciqcredit.oversight.circulars import circular_publish
from ciqcredit.oversight.documents import circular_response
from ciqcredit.oversight.figures import figures_for
from ciqcredit.oversight.models import InspectionPlan, PlanMode, RectificationTask, TaskStatus, Verdict
from ciqcredit.oversight.selectors import circular_get_for_user, drill_rows, figures_organization
from ciqcredit.oversight.services import (
    plan_close,
    plan_create,
    sheet_item_judge,
    sheet_submit,
    task_accept,
    task_answer,
    task_return,
)

router = Router(tags=["督查 supervision"])
MAX_ROWS = 500
PERIOD_HELP = "from、to 为督查期间（YYYY-MM-DD）；org 缺省为调用者所在机构，只能查询本机构及下级机构。"


def period_of(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """`from` and `to` of the query string (`from` is a Python keyword, so they are read here)."""
    try:
        return dt.date.fromisoformat(request.GET.get("from", "")), dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        raise DomainError(
            "invalid_period", "请给出督查期间：from 和 to（YYYY-MM-DD）", {"fields": ["from", "to"]}, status=422
        ) from None


@router.get(
    "/supervision/figures",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="六项督查数据（机构及其下级，期间内）",
    description=(
        "返回一个 JSON 对象，键为 staffing、collection、review、adjustment、dynamic、measures（另有 rectification）。"
        + PERIOD_HELP
        + "每项数字可用 /supervision/figures/{key}/rows 展开为其背后的记录。"
    ),
)
def figures(request, org: str = "") -> dict[str, Any]:
    start, end = period_of(request)
    return figures_for(figures_organization(caller(request), org), start, end)


@router.get(
    "/supervision/figures/{key}/rows",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="某项督查数据背后的记录（辖区内）",
    description="key 如 collection.late、adjustment.adjusted_outside_window、dynamic.notices_late；count 与该数字相等。"
    + PERIOD_HELP,
)
def figure_rows(
    request, key: str, org: str = "", offset: Offset = 0, limit: int = Query(50, ge=1, le=1000)
) -> dict[str, Any]:
    start, end = period_of(request)
    organization = figures_organization(caller(request), org)
    figure, count, rows = drill_rows(
        organization, start, end, key, offset=max(0, offset), limit=min(max(1, limit), MAX_ROWS)
    )
    return {"figure": key, "label": figure.label, "count": count, "items": rows}


class PlanIn(Schema):
    mode: PlanMode
    kind: PlanKind
    title: str = ""
    period_start: IsoDate
    period_end: IsoDate
    offices: list[str]
    inspectors: list[str] = []
    extra_items: list[dict[str, str]] = []


def plan_out(plan: InspectionPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "title": plan.title,
        "organization": plan.organization.code,
        "mode": plan.mode,
        "mode_label": plan.get_mode_display(),
        "kind": plan.kind,
        "kind_label": plan.get_kind_display(),
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "checklist_version": plan.checklist.number,
        "status": plan.status,
        "status_label": plan.get_status_display(),
        "sheets": [
            {
                "id": s.pk,
                "office": s.office.code,
                "office_name": s.office.name,
                "status": s.status,
                "status_label": s.get_status_display(),
                "items": [
                    {
                        "id": i.pk,
                        "code": i.code,
                        "question": i.question,
                        "title": i.title,
                        "verdict": i.verdict,
                        "verdict_label": i.get_verdict_display() if i.verdict else "",
                        "notes": i.notes,
                    }
                    for i in s.items.all()
                ],
            }
            for s in plan.sheets.select_related("office").prefetch_related("items")
        ],
        "circular": {"id": plan.circular.pk, "number": plan.circular.number} if hasattr(plan, "circular") else None,
    }


@router.get("/supervision/plans", response={200: dict[str, Any]}, summary="督查计划列表（本机构组织或检查本机构的）")
def list_plans(request) -> dict[str, Any]:
    plans = list(plans_visible(caller(request)).select_related("organization", "checklist")[:MAX_ROWS])
    return {"count": len(plans), "items": [plan_out(p) for p in plans]}


@router.get("/supervision/plans/{plan_id}", response={200: dict[str, Any], 404: ErrorOut}, summary="督查计划详情")
def get_plan(request, plan_id: RowId) -> dict[str, Any]:
    return plan_out(plan_get_for_user(caller(request), plan_id))


@router.post(
    "/supervision/plans",
    response={201: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="制定督查或自查计划（检查表按被检查单位预填督查数据）",
)
def create_plan(request, data: PlanIn):
    user = caller(request)
    offices = [organization_get_for_user(user, code) for code in data.offices]
    inspectors = list(
        User.objects.filter(username__in=data.inspectors, organization__path__startswith=user.organization.path)
    )
    if len(inspectors) != len(set(data.inspectors)):
        raise DomainError("invalid_inspector", "检查人员须为本机构或下级机构的工作人员", {"field": "inspectors"})
    plan = plan_create(
        mode=data.mode,
        kind=data.kind,
        title=data.title,
        period_start=data.period_start,
        period_end=data.period_end,
        offices=offices,
        inspectors=inspectors,
        extra_items=data.extra_items,
        actor=Actor.of(user),
    )
    return Status(201, plan_out(plan))


class JudgeIn(Schema):
    verdict: Verdict
    notes: str = ""


@router.post(
    "/supervision/sheets/{sheet_id}/items/{item_id}",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="判定检查项目（compliant 符合 / basic 基本符合 / noncompliant 不符合）",
)
def judge_item(request, sheet_id: RowId, item_id: RowId, data: JudgeIn) -> dict[str, Any]:
    user = caller(request)
    sheet = sheet_get_for_user(user, sheet_id)
    item = sheet.items.filter(pk=item_id).first()
    if item is None:
        raise NotFound("检查项目")
    item = sheet_item_judge(item=item, verdict=data.verdict, notes=data.notes, actor=Actor.of(user))
    return {"id": item.pk, "code": item.code, "verdict": item.verdict, "notes": item.notes}


class SubmitIn(Schema):
    conclusion: str = ""


@router.post(
    "/supervision/sheets/{sheet_id}/submit",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="提交检查表（不符合项目生成整改任务）",
)
def submit_sheet(request, sheet_id: RowId, data: SubmitIn) -> dict[str, Any]:
    user = caller(request)
    sheet = sheet_submit(sheet=sheet_get_for_user(user, sheet_id), conclusion=data.conclusion, actor=Actor.of(user))
    return {
        "id": sheet.pk,
        "status": sheet.status,
        "tasks": [t.pk for t in RectificationTask.objects.filter(item__sheet=sheet)],
    }


@router.post(
    "/supervision/plans/{plan_id}/close",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="结束督查计划（检查表须全部提交）",
)
def close_plan(request, plan_id: RowId) -> dict[str, Any]:
    user = caller(request)
    return plan_out(plan_close(plan=plan_get_for_user(user, plan_id), actor=Actor.of(user)))


@router.post(
    "/supervision/plans/{plan_id}/circular",
    response={201: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="发布督查通报（编号、排名、主要问题）",
)
def publish_circular(request, plan_id: RowId):
    user = caller(request)
    circular = circular_publish(plan=plan_get_for_user(user, plan_id), actor=Actor.of(user))
    return Status(
        201,
        {
            "id": circular.pk,
            "number": circular.number,
            "pdf_url": f"/api/v1/supervision/circulars/{circular.pk}.pdf",
            "docx_url": f"/api/v1/supervision/circulars/{circular.pk}.docx",
            "content": circular.content,
        },
    )


@router.get(
    "/supervision/circulars/{circular_id}.{fmt}",
    response={200: None, 404: ErrorOut, 503: ErrorOut},
    summary="督查通报文件（fmt：pdf 或 docx）",
)
def circular_file(request, circular_id: RowId, fmt: str) -> HttpResponse:
    circular = circular_get_for_user(caller(request), circular_id)
    if fmt not in ("pdf", "docx"):
        raise DomainError("unknown_format", "文件格式应为 pdf 或 docx", {"fmt": fmt}, status=404)
    return circular_response(circular, fmt)


def task_out(task: RectificationTask) -> dict[str, Any]:
    return {
        "id": task.pk,
        "plan": task.plan_id,
        "office": task.office.code,
        "office_name": task.office.name,
        "finding": task.finding,
        "due_on": task.due_on.isoformat(),
        "status": task.status,
        "status_label": task.get_status_display(),
        "answer": task.answer,
        "answered_on": task.answered_on.isoformat() if task.answered_on else None,
        "decision_reason": task.decision_reason,
        "accepted_on": task.accepted_on.isoformat() if task.accepted_on else None,
        "evidence": [e.name for e in task.evidence.all()],
    }


@router.get("/supervision/tasks", response={200: dict[str, Any]}, summary="整改任务（本机构及下级，或本机构组织的）")
def list_tasks(request, status: TaskStatus | None = None) -> dict[str, Any]:
    tasks = tasks_visible(caller(request)).select_related("office")
    if status:
        tasks = tasks.filter(status=status)
    found = list(tasks.order_by("due_on", "id")[:MAX_ROWS])
    return {"count": len(found), "items": [task_out(t) for t in found]}


# Optional multipart files (`File[...] | None` would make django-ninja look for them in the query string).
TASK_EVIDENCE = File(None, description="证明材料（可多个）")


class AnswerIn(Schema):
    answer: str


@router.post(
    "/supervision/tasks/{task_id}/answer",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="报送整改情况（multipart：answer 与证明材料 files）",
)
def answer_task(
    request,
    task_id: RowId,
    data: Form[AnswerIn],
    files: list[UploadedFile] = TASK_EVIDENCE,
):
    user = caller(request)
    task = task_answer(
        task=task_get_for_user(user, task_id), answer=data.answer, evidence=list(files or []), actor=Actor.of(user)
    )
    return task_out(task)


class DecisionIn(Schema):
    reason: str = ""


@router.post(
    "/supervision/tasks/{task_id}/{decision}",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="验收整改（decision：accept 通过 / return 退回，退回须说明理由）",
)
def decide_task(request, task_id: RowId, decision: str, data: DecisionIn) -> dict[str, Any]:
    user = caller(request)
    task = task_get_for_user(user, task_id)
    if decision == "accept":
        task = task_accept(task=task, reason=data.reason, actor=Actor.of(user))
    elif decision == "return":
        task = task_return(task=task, reason=data.reason, actor=Actor.of(user))
    else:
        raise DomainError("unknown_decision", "验收结论应为 accept 或 return", {"decision": decision}, status=404)
    return task_out(task)
