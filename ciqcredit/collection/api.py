"""JSON API of collection (issue 4 contract): intake from e-CIQ and other regulators, and records.

Register with `api.add_router("/", router)` (variable `router`).
A record as returned everywhere: `{"id", "credit_code", "item_code", "points", "status", "association_no",
"act_ref", "route", "deadline", "late", "late_days", "superseded_by"}`.
"""

import json
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from ciqcredit.actors import Actor
from ciqcredit.api_common import MAX_ID, ErrorOut, IsoDate, ListOut, Offset, RowId, caller
from ciqcredit.collection.intake import (
    MAX_BATCH,
    EciqEntry,
    ExternalEntry,
    eciq_intake,
    external_intake,
)
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.selectors import record_get_for_user, record_search
from ciqcredit.collection.services import (
    CORRECTABLE,
    record_confirm,
    record_correct,
    record_create,
    record_discard,
    record_link_act,
    record_return,
    record_revoke,
    record_submit,
    record_update,
)
from ciqcredit.errors import DomainError
from ciqcredit.organizations.auth import ScopedBearer
from ciqcredit.organizations.roles import Scope

router = Router(tags=["信用信息采集 collection"])

RouteSlug = Literal["eciq", "penalty", "supervision", "external", "manual"]
StatusSlug = Literal["draft", "awaiting_confirmation", "effective", "superseded", "corrected", "revoked", "discarded"]
_ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
}
LIST_LIMIT = 500
COUNT_CAP = 10_000


class RecordOut(Schema):
    id: int
    credit_code: str = Field(description="责任企业的统一社会信用代码（记录只对责任企业计分）")
    item_code: str = Field(description="信用信息采集条目编号")
    points: int = Field(description="失信计分（取自条目版本）")
    status: StatusSlug = Field(
        description="draft 草稿、awaiting_confirmation 待审核确认、effective 已生效、"
        "superseded 已被替代、corrected 已更正、revoked 已撤销"
    )
    association_no: str = Field(description="业务关联号（报检号/证书号、处罚文书号，或平台生成的 J/W 编号）")
    act_ref: str = Field(description="失信行为标识：同一企业同一行为只计最高分条目")
    route: RouteSlug
    deadline: IsoDate | None = Field(description="采集期限（查实后 N 个工作日）")
    late: bool = Field(description="是否逾期录入")
    late_days: int = Field(description="逾期工作日数")
    superseded_by: int | None = Field(description="替代本条的有效信息 id（一次采集原则）")


def record_out(record: CreditRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "credit_code": record.enterprise.credit_code,
        "item_code": record.item_code,
        "points": record.points,
        "status": record.status,
        "association_no": record.association_no,
        "act_ref": record.act_ref,
        "route": record.route,
        "deadline": record.entry_due_on,
        "late": record.late_days > 0,
        "late_days": record.late_days,
        "superseded_by": record.superseded_by_id,
    }


class RecordIn(Schema):
    credit_code: str = Field(description="被采集企业（收发货人，或唯一涉及的企业）的统一社会信用代码")
    item_code: str
    route: RouteSlug = Field(description="采集途径；eciq 只能经 /intake/eciq 由系统导入")
    act_ref: str = Field("", max_length=60, description="失信行为标识；省略时取业务关联号")
    association_no: str = Field("", max_length=40, description="业务关联号；J/W 类省略，保存时自动编号")
    declarant_no: str = Field("", max_length=30, description="报检员备案号（涉及报检员责任时必填）")
    occurred_on: IsoDate
    discovered_on: IsoDate
    verified_on: IsoDate
    description: str = Field("", max_length=4000)
    agent_credit_code: str = Field("", description="同时涉及的代理报检企业")
    responsible_credit_code: str = Field("", description="检验检疫机构认定的责任企业（涉及代理时必填）")
    submit: bool = Field(True, description="true：直接提交审核（须完整）；false：保存为草稿")


class ReasonIn(Schema):
    reason: str = Field(description="理由（必填）")


class CorrectIn(ReasonIn):
    item_code: str | None = None
    association_no: str | None = None
    declarant_no: str | None = None
    description: str | None = None
    occurred_on: IsoDate | None = None
    discovered_on: IsoDate | None = None
    verified_on: IsoDate | None = None


class IntakeRecordOut(Schema):
    eciq_id: str | None = None
    external_ref: str | None = None
    id: int
    status: StatusSlug
    association_no: str | None = None
    duplicate: bool = False


class RejectedOut(Schema):
    index: int = Field(description="批内序号（从0开始）")
    code: str
    message: str
    field: str = ""


class IntakeOut(Schema):
    created: int
    duplicates: int = Field(description="此前已导入的同一 e-CIQ 记录号（或外部来源编号）条数，不重复生成")
    rejected: list[RejectedOut]
    records: list[IntakeRecordOut]


def _batch_body(request: HttpRequest) -> list[Any]:
    """The body parsed by hand, so one malformed entry is rejected alone instead of failing the batch."""
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise DomainError("invalid_json", "请求体不是有效的 JSON（或嵌套过深）", status=400) from exc
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list):
        raise DomainError(
            "invalid_batch",
            '请求体应为 {"records": [...]}',
            {"field": "records"},
            status=422,
        )
    return records


def _batch_doc(entry: type[Schema] | Any) -> dict:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["records"],
                        "properties": {
                            "records": {
                                "type": "array",
                                "maxItems": MAX_BATCH,
                                "items": entry.model_json_schema(),
                            }
                        },
                    }
                }
            },
        }
    }


@router.post(
    "/intake/eciq",
    auth=ScopedBearer(Scope.ECIQ_INTAKE),
    response={200: IntakeOut, **_ERRORS},
    summary="e-CIQ 不合格信息批量导入",
    description="接口账号须有 eciq_intake 权限范围。同一 eciq_id 重复提交不会重复生成记录（计入 duplicates）。"
    "无需人工判定的条目到达即生效；需人工判定的按环节进入检务部门（报检环节）或施检部门（施检环节）的确认队列。"
    "单条错误只拒绝该条（rejected 中给出序号、代码和中文说明），其余照常导入。",
    openapi_extra=_batch_doc(EciqEntry),
)
def intake_eciq(request: HttpRequest):
    return Status(200, eciq_intake(entries=_batch_body(request), actor=Actor.of(caller(request))).as_dict())


@router.post(
    "/intake/external",
    auth=ScopedBearer(Scope.EXTERNAL_INTAKE),
    response={200: IntakeOut, **_ERRORS},
    summary="外部门及社会评价信息批量导入",
    description="接口账号须有 external_intake 权限范围。记录落在第一接收机构/部门（org_code、department），"
    "未给出时落在企业备案地机构；平台生成 W 编号，待该机构审核人员确认。同一 external_ref 不重复生成。",
    openapi_extra=_batch_doc(ExternalEntry),
)
def intake_external(request: HttpRequest):
    return Status(
        200,
        external_intake(entries=_batch_body(request), actor=Actor.of(caller(request))).as_dict(),
    )


@router.post("/records", response={201: RecordOut, **_ERRORS}, summary="采集一条信用信息")
def create_record(request: HttpRequest, payload: RecordIn):
    data = payload.model_dump()
    submit = data.pop("submit")
    record = record_create(actor=Actor.of(caller(request)), submit=submit, **data)
    return Status(201, record_out(record))


class RecordFilters(Schema):
    credit_code: str = ""
    item_code: str = ""
    status: StatusSlug | Literal[""] = ""
    route: RouteSlug | Literal[""] = ""
    org_code: str = Field("", description="采集机构（含下级）")
    act_ref: str = ""
    late: bool | None = None
    occurred_from: IsoDate | None = None
    occurred_to: IsoDate | None = None
    limit: int = Field(100, ge=1, le=LIST_LIMIT)
    offset: Offset = 0


@router.get(
    "/records",
    response={200: ListOut[RecordOut], **_ERRORS},
    summary="查询管辖范围内的信用信息",
)
def list_records(request: HttpRequest, filters: Query[RecordFilters]):
    data = filters.model_dump()
    limit, offset = data.pop("limit"), data.pop("offset")
    qs = record_search(caller(request), **data)
    count = min(qs[: COUNT_CAP + 1].count(), COUNT_CAP)
    return Status(
        200,
        {"count": count, "items": [record_out(r) for r in qs[offset : offset + limit]]},
    )


@router.get("/records/{record_id}", response={200: RecordOut, **_ERRORS}, summary="一条信用信息")
def get_record(request: HttpRequest, record_id: RowId):
    return Status(200, record_out(record_get_for_user(caller(request), record_id)))


def _act(request: HttpRequest, record_id: RowId, service, **kwargs) -> Status:
    user = caller(request)
    record = record_get_for_user(user, record_id)
    result = service(record=record, actor=Actor.of(user), **kwargs)
    return Status(200, record_out(record_get_for_user(user, result.pk)))


@router.post(
    "/records/{record_id}/submit",
    response={200: RecordOut, **_ERRORS},
    summary="提交审核",
)
def submit_record(request: HttpRequest, record_id: RowId):
    return _act(request, record_id, record_submit)


@router.post(
    "/records/{record_id}/confirm",
    response={200: RecordOut, **_ERRORS},
    summary="审核确认（生效）",
)
def confirm_record(request: HttpRequest, record_id: RowId):
    return _act(request, record_id, record_confirm)


@router.post(
    "/records/{record_id}/return",
    response={200: RecordOut, **_ERRORS},
    summary="退回采集人员",
)
def return_record(request: HttpRequest, record_id: RowId, payload: ReasonIn):
    return _act(request, record_id, record_return, reason=payload.reason)


@router.post("/records/{record_id}/revoke", response={200: RecordOut, **_ERRORS}, summary="撤销")
def revoke_record(request: HttpRequest, record_id: RowId, payload: ReasonIn):
    return _act(request, record_id, record_revoke, reason=payload.reason)


@router.post(
    "/records/{record_id}/correct",
    response={200: RecordOut, **_ERRORS},
    summary="更正（原信息标记为已更正，返回新的有效信息）",
)
def correct_record(request: HttpRequest, record_id: RowId, payload: CorrectIn):
    data = payload.model_dump(exclude_none=True)
    reason = data.pop("reason")
    changes = {k: v for k, v in data.items() if k in CORRECTABLE}
    return _act(request, record_id, record_correct, changes=changes, reason=reason)


class LinkIn(Schema):
    act_of: int = Field(
        ge=1, le=MAX_ID, description="同一企业另一条信用信息的 id：本条与其为同一失信行为，只计分值最高的条目"
    )


@router.post(
    "/records/{record_id}/link",
    response={200: RecordOut, **_ERRORS},
    summary="与同一企业的另一条信息合并为同一失信行为（一次采集原则）",
)
def link_record(request: HttpRequest, record_id: RowId, payload: LinkIn):
    other = record_get_for_user(caller(request), payload.act_of)
    return _act(request, record_id, record_link_act, act_of=other)


class UpdateIn(Schema):
    """A draft's (or returned record's) fields to change; omitted fields stay."""

    item_code: str | None = None
    act_ref: str | None = Field(None, max_length=60, description="同一企业另一条信息的业务关联号或失信行为标识")
    association_no: str | None = Field(None, max_length=40)
    declarant_no: str | None = Field(None, max_length=30)
    declarant_responsible: bool | None = None
    occurred_on: IsoDate | None = None
    discovered_on: IsoDate | None = None
    verified_on: IsoDate | None = None
    description: str | None = Field(None, max_length=4000)


@router.patch(
    "/records/{record_id}",
    response={200: RecordOut, **_ERRORS},
    summary="修改草稿或被退回的信息（仅采集人员）",
)
def update_record(request: HttpRequest, record_id: RowId, payload: UpdateIn):
    return _act(request, record_id, record_update, changes=payload.model_dump(exclude_none=True))


@router.post(
    "/records/{record_id}/discard",
    response={200: RecordOut, **_ERRORS},
    summary="删除草稿（仅采集人员；信息标记为已删除，历史保留）",
)
def discard_record(request: HttpRequest, record_id: RowId, payload: ReasonIn):
    return _act(request, record_id, record_discard, reason=payload.reason)
