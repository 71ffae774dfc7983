"""Tracking endpoints: execution reports from e-CIQ, tracking items and their workflow, the figures."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.api_common import ErrorOut, Offset, RowId, caller
from ciqcredit.errors import Forbidden
from ciqcredit.organizations.access import organization_get_for_user, require_role
from ciqcredit.organizations.models import User
from ciqcredit.tracking.intake import MAX_BATCH, executions_receive
from ciqcredit.tracking.models import TrackingItem
from ciqcredit.tracking.selectors import TRACKING_ROLES, item_get_for_user, items_visible_to, tracking_figures
from ciqcredit.tracking.services import item_answer, item_close, item_forward, item_send_back

router = Router(tags=["跟踪落实 tracking"])
_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut}


class ExecutionsIn(BaseModel):
    items: list[dict[str, Any]] = Field(max_length=MAX_BATCH, description=f"至多{MAX_BATCH}条执行情况")


class ExecutionItemError(BaseModel):
    field: str
    message: str
    type: str


class ExecutionItemOut(BaseModel):
    index: int
    ok: bool
    status: str = Field(description="created 新增 / updated 更新 / unchanged 无变化 / rejected 拒收")
    decision_id: int | None = None
    code: str | None = Field(
        None, description="拒收代码：validation_error、unknown_decision、before_decision、org_out_of_scope"
    )
    message: str | None = None
    errors: list[ExecutionItemError] = []


class ExecutionsOut(BaseModel):
    created: int
    updated: int
    unchanged: int
    rejected: int
    items: list[ExecutionItemOut]


@router.post(
    "/intake/executions",
    response={200: ExecutionsOut, **_ERRORS},
    summary="e-CIQ 报送放行决定的执行情况（按决定编号幂等）",
    operation_id="tracking_executions_receive",
)
def executions_post(request: HttpRequest, payload: ExecutionsIn):
    return executions_receive(items=payload.items, actor=Actor.of(caller(request))).as_dict()


def require_tracking_reader(user: User) -> None:
    if user.is_system or user.is_enterprise_user:
        raise Forbidden("此功能仅限检验检疫机构工作人员使用")
    require_role(user, *TRACKING_ROLES)


class TrackingTransitionOut(Schema):
    from_status: str
    to_status: str
    reason: str
    actor: str
    at: dt.datetime
    due_on: dt.date | None


class TrackingItemOut(Schema):
    id: int
    org_code: str
    area: str
    month: dt.date
    department: str
    status: str = Field(description="open 待说明整改 / answered 待直属局审核 / forwarded 已反馈总局 / closed 已关闭")
    due_on: dt.date
    overdue: bool
    deviations: int
    cells: int
    cause: str
    rectification: str
    review_note: str
    hq_note: str


class TrackingItemDetailOut(TrackingItemOut):
    transitions: list[TrackingTransitionOut]
    decision_ids: list[int] = Field(description="涉及的放行决定编号（至多1000个）")


def _item_out(item: TrackingItem, today: dt.date) -> dict[str, Any]:
    return {
        "id": item.pk,
        "org_code": item.organization.code,
        "area": item.area,
        "month": item.month,
        "department": item.department,
        "status": item.status,
        "due_on": item.due_on,
        "overdue": item.status != "closed" and item.due_on < today,
        "deviations": item.deviations.count(),
        "cells": item.cells.count(),
        "cause": item.cause,
        "rectification": item.rectification,
        "review_note": item.review_note,
        "hq_note": item.hq_note,
    }


def _item_detail(item: TrackingItem) -> dict[str, Any]:
    return {
        **_item_out(item, clock.today()),
        "transitions": [
            {
                "from_status": t.from_status,
                "to_status": t.to_status,
                "reason": t.reason,
                "actor": t.actor_label,
                "at": t.at,
                "due_on": t.due_on,
            }
            for t in item.transitions.all()
        ],
        "decision_ids": list(
            item.deviations.order_by("decision_id").values_list("decision_id", flat=True).distinct()[:1000]
        ),
    }


@router.get("/tracking/items", response={200: list[TrackingItemOut], **_ERRORS}, summary="执行不到位事项（管辖范围内）")
def items_list(
    request: HttpRequest,
    status: str = "",
    org: str = "",
    limit: int = Query(100, ge=1, le=1000),
    offset: Offset = 0,
):
    user = caller(request)
    require_tracking_reader(user)
    items = items_visible_to(user).order_by("due_on", "pk")
    if status:
        items = items.filter(status=status)
    if org:
        items = items.filter(organization__path__startswith=organization_get_for_user(user, org).path)
    today = clock.today()
    return [_item_out(i, today) for i in items[offset : offset + limit]]


@router.get("/tracking/items/{item_id}", response={200: TrackingItemDetailOut, **_ERRORS}, summary="一项执行不到位事项")
def item_detail(request: HttpRequest, item_id: RowId):
    user = caller(request)
    require_tracking_reader(user)
    return _item_detail(item_get_for_user(user, item_id))


class TrackingAnswerIn(Schema):
    cause: str = Field(min_length=1, max_length=2000)
    rectification: str = Field(min_length=1, max_length=2000)


class TrackingNoteIn(Schema):
    note: str = Field("", max_length=2000)


@router.post(
    "/tracking/items/{item_id}/answer",
    response={200: TrackingItemDetailOut, **_ERRORS},
    summary="执行机构说明原因和整改措施",
)
def item_answer_post(request: HttpRequest, item_id: RowId, payload: TrackingAnswerIn):
    user = caller(request)
    require_tracking_reader(user)
    item = item_get_for_user(user, item_id)
    return _item_detail(
        item_answer(item=item, cause=payload.cause, rectification=payload.rectification, actor=Actor.of(user))
    )


@router.post(
    "/tracking/items/{item_id}/forward",
    response={200: TrackingItemDetailOut, **_ERRORS},
    summary="直属局审核并反馈总局",
)
def item_forward_post(request: HttpRequest, item_id: RowId, payload: TrackingNoteIn):
    user = caller(request)
    require_tracking_reader(user)
    return _item_detail(item_forward(item=item_get_for_user(user, item_id), note=payload.note, actor=Actor.of(user)))


@router.post(
    "/tracking/items/{item_id}/return", response={200: TrackingItemDetailOut, **_ERRORS}, summary="退回执行机构"
)
def item_return_post(request: HttpRequest, item_id: RowId, payload: TrackingNoteIn):
    user = caller(request)
    require_tracking_reader(user)
    return _item_detail(item_send_back(item=item_get_for_user(user, item_id), note=payload.note, actor=Actor.of(user)))


@router.post(
    "/tracking/items/{item_id}/close",
    response={200: TrackingItemDetailOut, **_ERRORS},
    summary="总局业务司局确认并关闭",
)
def item_close_post(request: HttpRequest, item_id: RowId, payload: TrackingNoteIn):
    user = caller(request)
    require_tracking_reader(user)
    return _item_detail(item_close(item=item_get_for_user(user, item_id), note=payload.note, actor=Actor.of(user)))


class TrackingShareOut(Schema):
    grade: str | None
    area: str
    reported: int
    executed_share: float | None = Field(description="实际查验比例")
    prescribed_share: float | None = Field(description="规定抽批比例（平均）")


class TrackingItemCountsOut(Schema):
    open: int
    overdue: int
    closed: int


class TrackingFiguresOut(Schema):
    org: str
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")
    decisions: int
    reported: int
    reported_on_time: int
    deviations: dict[str, int] = Field(description="按偏差类型")
    items: TrackingItemCountsOut
    inspection_share: list[TrackingShareOut] = Field(description="按等级与领域：实际查验比例与规定比例")


def figures_for(user: User, org_code: str, date_from: dt.date | None, date_to: dt.date | None) -> dict[str, Any]:
    require_tracking_reader(user)
    org = organization_get_for_user(user, org_code or user.organization.code)
    today = clock.today()
    date_to = date_to or today
    date_from = date_from or date_to.replace(day=1)
    return tracking_figures(org=org, date_from=date_from, date_to=date_to)


class TrackingFiguresFilter(Schema):
    org: str = Field("", description="机构代码（含下级），默认本机构")
    date_from: dt.date | None = Field(None, alias="from", description="业务日期起，默认当月1日")
    date_to: dt.date | None = Field(None, alias="to", description="业务日期止，默认当天")


@router.get("/tracking/figures", response={200: TrackingFiguresOut, **_ERRORS}, summary="跟踪落实统计")
def figures_get(request: HttpRequest, filters: Query[TrackingFiguresFilter]):
    return figures_for(caller(request), filters.org, filters.date_from, filters.date_to)
