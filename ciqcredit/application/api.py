"""Result application endpoints: measures in force, release decisions for e-CIQ, decisions, the change feed."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.api_common import MAX_ID, ErrorOut, IsoDate, Offset, RowId, caller, validation_messages
from ciqcredit.application.measures import decision_parties, enterprise_measures
from ciqcredit.application.models import Decision
from ciqcredit.application.selectors import (
    DECISION_READ_ROLES,
    decision_get_for_user,
    decision_search,
)
from ciqcredit.application.services import (
    DecisionRequest,
    decision_answer,
    decision_make,
    decisions_make,
    offices_for,
    require_decision_client,
)
from ciqcredit.enterprises.codes import credit_code_error
from ciqcredit.enterprises.selectors import enterprise_get_for_user
from ciqcredit.errors import DomainError, Forbidden
from ciqcredit.organizations.access import refuse_partner_client, require_role
from ciqcredit.organizations.auth import ScopedBearer
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Scope
from ciqcredit.rating.feed import FEED_LISTS, MAX_LIMIT, feed_after
from ciqcredit.rating.selectors import require_grade_reader
from ciqcredit.replica import from_replica

router = Router(tags=["结果应用 application"])

AreaSlug = Literal["approval", "declaration_release", "inspection", "daily_supervision"]
RoleSlug = Literal["consignee", "consignor", "agent", "producer", "applicant"]
_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
BATCH_LIMIT = 1000


# ---- measures in force ----


class MeasureOut(Schema):
    code: str
    title: str
    description: str
    applies_to: str = Field(description="适用对象：等级 AA–D、controlled（布控）、unregistered（无等级企业）")


class AreaMeasuresOut(Schema):
    area: AreaSlug
    label: str
    measures: list[MeasureOut]
    sampling_rate: Decimal | None = Field(description="抽批比例（0–1）；null 为本领域不设定")
    document_review: str | None = Field(description="审单方式：waived/simplified/standard/full")
    priority: bool
    green_channel: bool
    paperless: bool
    onsite_checks_per_year: int | None = Field(description="年度现场监督检查次数（日常监管领域）")


class EnterpriseMeasuresOut(Schema):
    credit_code: str
    on: dt.date
    grade: str | None = Field(description="当日有效的信用等级；尚无等级为 null")
    controlled: bool = Field(description="是否布控")
    serious_listed: bool = Field(description="是否在严重失信企业名单中（按 D 级适用措施）")
    measure_list_version: int
    ruleset_version: int | None = Field(description="该等级所依据的评定规则版本")
    areas: list[AreaMeasuresOut]


@router.get(
    "/enterprises/{credit_code}/measures",
    response={200: EnterpriseMeasuresOut, **_ERRORS},
    summary="企业在某日适用的差异化措施（按领域）",
)
@from_replica
def enterprise_measures_get(
    request: HttpRequest, credit_code: str, on: IsoDate | None = None, area: AreaSlug | None = None
):
    user = caller(request)
    require_grade_reader(user)  # the measures follow from the grade: whoever may read it may read them
    enterprise = enterprise_get_for_user(user, credit_code.strip().upper())
    return enterprise_measures(enterprise, on or clock.today(), area=area or "").as_dict()


# ---- release decisions ----


class PartyIn(BaseModel):
    credit_code: str = Field(description="统一社会信用代码（18位）")
    role: RoleSlug = Field(description="收货人、发货人、代理报检企业、生产企业、申请人")

    @field_validator("credit_code")
    @classmethod
    def _valid_code(cls, value: str) -> str:
        code = value.strip().upper()
        error = credit_code_error(code)
        if error:
            raise PydanticCustomError("credit_code", error[1])
        return code


class DecisionIn(BaseModel):
    declaration_no: str = Field(min_length=1, max_length=40, description="报检号")
    area: AreaSlug = Field("declaration_release", description="措施领域，默认申报放行")
    parties: list[PartyIn] = Field(min_length=1, max_length=20, description="涉及的企业及其角色")
    on: IsoDate | None = Field(None, description="业务日期，默认当天")
    org_code: str = Field("", max_length=6, description="受理机构代码（本机构或下级），默认接口令牌所属机构")

    def to_request(self) -> DecisionRequest:
        return DecisionRequest(
            declaration_no=self.declaration_no.strip(),
            area=self.area,
            parties=tuple((p.credit_code, p.role) for p in self.parties),
            on=self.on or clock.today(),
            org_code=self.org_code.strip(),
        )


class PartyOut(BaseModel):
    credit_code: str
    role: str
    registered: bool = Field(description="登记系统中是否有此企业")
    grade: str | None = Field(description="当日等级（严重失信企业按 D）；无等级为 null")
    controlled: bool
    serious_listed: bool
    partner_lists: list[str] = Field([], description="当日所在的合作部门名单（名单代码）")


class AppliedMeasure(BaseModel):
    code: str
    title: str


class AppliedJointMeasure(BaseModel):
    code: str
    title: str
    list_code: str = Field(description="合作部门名单代码")
    credit_code: str = Field(description="在该名单中的企业")
    reason: str = Field(description="适用理由")


class DecisionOut(BaseModel):
    decision_id: int = Field(description="决定编号：跟踪落实与审计引用")
    declaration_no: str
    area: str
    on: dt.date
    governing_grade: str | None = Field(description="决定性等级：各方中最低的等级；无等级企业不计")
    controlled: bool = Field(description="是否有一方被布控（叠加布控措施）")
    sampling_rate: Decimal | None = Field(description="抽批比例（0–1）")
    inspect: bool = Field(description="确定性抽签结果：true 查验，false 放行")
    document_review: str | None
    priority: bool
    green_channel: bool
    paperless: bool
    measures: list[AppliedMeasure]
    joint_measures: list[AppliedJointMeasure] = Field([], description="适用的联合奖惩措施及理由")
    parties: list[PartyOut]
    measure_list_version: int
    ruleset_version: int | None = Field(description="决定性等级所依据的评定规则版本")


@router.post(
    "/decisions",
    auth=ScopedBearer(Scope.ECIQ_DECISION),
    response={200: DecisionOut, **_ERRORS},
    summary="放行决定（e-CIQ 逐票请求）",
)
def decision_create(request: HttpRequest, payload: DecisionIn):
    user = caller(request)
    require_decision_client(user)
    made = decision_make(request=payload.to_request(), actor=Actor.of(user))
    return decision_answer(made.decision, made.parties)


class BatchIn(BaseModel):
    items: list[dict[str, Any]] = Field(max_length=BATCH_LIMIT, description="至多1000票，每项与逐票请求相同")


class ItemError(BaseModel):
    field: str
    message: str
    type: str


class BatchItemOut(BaseModel):
    index: int
    ok: bool
    decision: DecisionOut | None = None
    code: str | None = None
    message: str | None = None
    errors: list[ItemError] = []


class BatchOut(BaseModel):
    decided: int
    rejected: int
    items: list[BatchItemOut]


def _item_errors(exc: ValidationError) -> list[dict[str, str]]:
    return validation_messages(exc.errors())


@router.post(
    "/decisions/batch",
    auth=ScopedBearer(Scope.ECIQ_DECISION),
    response={200: BatchOut, **_ERRORS},
    summary="放行决定（批量，至多1000票）",
)
def decision_batch(request: HttpRequest, payload: BatchIn):
    user = caller(request)
    require_decision_client(user)
    out: list[dict[str, Any]] = [{"index": i, "ok": False} for i in range(len(payload.items))]
    valid: list[tuple[int, DecisionRequest]] = []
    for i, raw in enumerate(payload.items):
        try:
            valid.append((i, DecisionIn.model_validate(raw).to_request()))
        except ValidationError as exc:
            out[i] |= {"code": "validation_error", "message": "请求数据格式不正确", "errors": _item_errors(exc)}
    # An item naming an office outside the client's scope is refused alone; the rest are decided together.
    offices = offices_for(user, {item.org_code for _, item in valid})
    decidable: list[tuple[int, DecisionRequest]] = []
    for i, item in valid:
        if item.org_code in offices:
            decidable.append((i, item))
        else:
            out[i] |= {"code": "not_found", "message": "机构不存在或不在您的管辖范围内"}
    made = decisions_make(requests=[item for _, item in decidable], actor=Actor.of(user)) if decidable else []
    for (i, _), result in zip(decidable, made, strict=True):
        out[i] |= {"ok": True, "decision": decision_answer(result.decision, result.parties)}
    decided = len(made)
    return {"decided": decided, "rejected": len(out) - decided, "items": out}


class DecisionFilter(Schema):
    declaration_no: str = ""
    credit_code: str = ""
    org: str = Field("", description="受理机构代码（含下级）")
    date_from: IsoDate | None = Field(None, alias="from")
    date_to: IsoDate | None = Field(None, alias="to")
    limit: int = Field(100, ge=1, le=1000)
    offset: Offset = 0


class DecisionRecordOut(DecisionOut):
    decided_at: dt.datetime
    org_code: str
    draw: float = Field(description="抽签值（0–1），小于抽批比例即查验")
    request: dict[str, Any] = Field(description="请求原文")


def require_decision_reader(user: User) -> None:
    if user.is_system:
        require_decision_client(user)
        return
    if user.is_enterprise_user:
        raise Forbidden("此功能仅限检验检疫机构工作人员使用")
    require_role(user, *DECISION_READ_ROLES)


def decision_record(decision: Decision) -> dict[str, Any]:
    return {
        **decision_answer(decision, decision_parties(decision)),
        "decided_at": decision.decided_at,
        "org_code": decision.organization.code,
        "draw": decision.draw,
        "request": decision.request,
    }


@router.get("/decisions", response={200: list[DecisionRecordOut], **_ERRORS}, summary="检索放行决定（本机构及下级）")
@from_replica
def decision_list(request: HttpRequest, filters: Query[DecisionFilter]):
    user = caller(request)
    require_decision_reader(user)
    qs = decision_search(
        user,
        declaration_no=filters.declaration_no,
        credit_code=filters.credit_code,
        org_code=filters.org,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return [decision_record(d) for d in qs[filters.offset : filters.offset + filters.limit]]


@router.get("/decisions/{decision_id}", response={200: DecisionRecordOut, **_ERRORS}, summary="一项放行决定")
@from_replica
def decision_detail(request: HttpRequest, decision_id: RowId):
    user = caller(request)
    require_decision_reader(user)
    return decision_record(decision_get_for_user(user, decision_id))


# ---- the change feed ----


class ChangeOut(Schema):
    cursor: int = Field(description="游标：下次以 after=此值 继续")
    kind: str = Field(
        description="grade_changed 等级变更 / control_set 实施布控 / control_cleared 解除布控 / serious_listed "
        "列入严重失信名单 / serious_removed 移出名单 / aa_granted 获得AA级 / aa_lost 丧失AA级"
    )
    credit_code: str
    grade: str
    previous_grade: str | None
    controlled: bool
    cause: str = Field(description="变更原因（同等级接口的 cause）")
    effective_from: dt.date
    change_id: int = Field(description="等级变更编号：同一变更的多条事件共用")
    recorded_at: dt.datetime


class ChangesOut(Schema):
    items: list[ChangeOut]
    next_cursor: int = Field(description="本页最后一条的游标；无新变更时等于请求的 after")


CHANGE_FEED_SCOPES = (Scope.ECIQ_DECISION, Scope.SHARING_READ)


def require_feed_reader(user: User) -> None:
    refuse_partner_client(user)  # partners follow the feed through /sharing/lists, within their agreement
    if not (user.is_system and any(user.has_scope(s) for s in CHANGE_FEED_SCOPES)):
        raise Forbidden(
            "变更流仅供持有权限范围“eciq_decision”或“sharing_read”的接口令牌调用",
            {"scopes": list(CHANGE_FEED_SCOPES)},
            code="missing_scope",
        )


@router.get(
    "/changes",
    response={200: ChangesOut, **_ERRORS},
    summary="变更流：等级、布控、严重失信名单、AA级的变更，按提交顺序",
)
@from_replica
def changes(
    request: HttpRequest,
    after: int = Query(0, ge=0, le=MAX_ID),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    lists: str = Query("", description="只看某些名单的变更，逗号分隔：grades（等级与布控）、serious、aa；默认全部"),
):
    user = caller(request)
    require_feed_reader(user)
    names = [n.strip() for n in lists.split(",") if n.strip()]
    unknown = [n for n in names if n not in FEED_LISTS]
    if unknown:
        raise DomainError(
            "unknown_list", f"未知的名单“{'、'.join(unknown)}”，应为 grades、serious、aa", {"field": "lists"}
        )
    kinds = [kind for n in names for kind in FEED_LISTS[n]] if names else None
    rows = feed_after(after=after, limit=limit, kinds=kinds)
    return {
        "items": [
            {
                "cursor": r.pk,
                "kind": r.kind,
                "credit_code": r.credit_code,
                "grade": r.grade,
                "previous_grade": r.previous_grade or None,
                "controlled": r.controlled,
                "cause": r.cause,
                "effective_from": r.effective_from,
                "change_id": r.change_id,
                "recorded_at": r.recorded_at,
            }
            for r in rows
        ],
        "next_cursor": rows[-1].pk if rows else after,
    }
