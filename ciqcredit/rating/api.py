"""Rating endpoints: activity feed, periodic evaluation, confirmation and adjustment, grades, explanation, what-if."""

import datetime as dt
import re
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.api_common import IsoDate, Offset, RowId, VersionNumber, caller
from ciqcredit.enterprises.selectors import enterprise_get_for_user
from ciqcredit.errors import DomainError
from ciqcredit.organizations.access import organization_get_for_user, require_role, require_staff
from ciqcredit.organizations.auth import ScopedBearer
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Role, Scope
from ciqcredit.rating.explain import grade_explanation
from ciqcredit.rating.models import EvaluationRun
from ciqcredit.rating.rulesets import ruleset_by_number
from ciqcredit.rating.selectors import grade_lookup, require_grade_reader, results_search, run_get, run_summary_for
from ciqcredit.rating.services.activity import activity_receive
from ciqcredit.rating.services.confirmation import result_adjust, results_confirm
from ciqcredit.rating.services.evaluation import evaluation_run, run_summary
from ciqcredit.rating.whatif import whatif_cell, whatif_matrix
from ciqcredit.replica import from_replica

router = Router(tags=["信用评定 rating"])


class ActivityItem(Schema):
    credit_code: Any = Field(None, description="统一社会信用代码")
    month: Any = Field(None, description="月份 YYYY-MM")
    declarations: Any = Field(None, description="本月报检批次")
    declaration_errors: Any = Field(None, description="本月报检差错批次")


class ActivityIn(Schema):
    items: list[Any] = Field(..., description="逐企业逐月的业务量；同一企业同一月份重复报送时以新数据替换")


class Rejected(Schema):
    index: int | None
    field: str
    code: str
    message: str


class ActivityOut(Schema):
    created: int
    updated: int
    unchanged: int
    rejected: list[Rejected]


@router.post(
    "/intake/activity",
    auth=ScopedBearer(Scope.ECIQ_INTAKE),
    response=ActivityOut,
    summary="e-CIQ 月度业务量导入（报检批次与差错）",
)
def intake_activity(request: HttpRequest, payload: ActivityIn):
    user = caller(request)
    return activity_receive(items=payload.items, actor=Actor.of(user)).as_dict()


class EvaluationIn(Schema):
    period_end: IsoDate = Field(..., description="评定周期截止日，如 2017-09-30")


class EvaluationOut(Schema):
    run_id: int
    period_start: IsoDate
    period_end: IsoDate
    ruleset_version: int
    enterprises: int
    by_grade: dict[str, int]
    confirm_until: IsoDate
    adjust_until: IsoDate
    seconds: float


@router.post("/evaluations", response={201: EvaluationOut}, summary="启动周期评定（总局管理员）")
def evaluation_start(request: HttpRequest, payload: EvaluationIn):
    user = caller(request)
    require_staff(user)
    require_role(user, Role.HQ_ADMIN)
    run = evaluation_run(period_end=payload.period_end, actor=Actor.of(user))
    return Status(201, run_summary(run))


@router.get("/evaluations", response=list[EvaluationOut], summary="周期评定列表")
@from_replica
def evaluation_list(request: HttpRequest):
    user = caller(request)
    require_staff(user)
    return [run_summary_for(user, run) for run in EvaluationRun.objects.order_by("-period_end")[:100]]


@router.get("/evaluations/{run_id}", response=EvaluationOut, summary="一次周期评定的概况")
@from_replica
def evaluation_detail(request: HttpRequest, run_id: RowId):
    require_staff(caller(request))
    return run_summary_for(caller(request), run_get(run_id))


class ResultOut(Schema):
    credit_code: str
    initial_grade: str
    points: int
    rule: str
    status: str = Field(..., description="pending 待确认 / confirmed 已确认 / adjusted 已调整 / closed 逾期按初评生效")


class ResultFilter(Schema):
    credit_code: str = ""
    status: str = ""
    org: str = Field("", description="责任机构代码（含下级）")
    initial_grade: str = ""
    limit: int = Field(100, ge=1, le=1000)
    offset: Offset = 0


@router.get("/evaluations/{run_id}/results", response=list[ResultOut], summary="初评结果（本机构及下级）")
@from_replica
def evaluation_results(request: HttpRequest, run_id: RowId, filters: Query[ResultFilter]):
    user = caller(request)
    require_grade_reader(user)
    if user.is_enterprise_user:
        require_staff(user)
    run = run_get(run_id)
    qs = results_search(
        user,
        run,
        credit_code=filters.credit_code,
        status=filters.status,
        org_code=filters.org,
        initial_grade=filters.initial_grade,
    )
    rows = qs[filters.offset : filters.offset + filters.limit]
    return [
        {
            "credit_code": r.enterprise.credit_code,
            "initial_grade": r.initial_grade,
            "points": r.points,
            "rule": r.rule,
            "status": r.status,
        }
        for r in rows
    ]


class ConfirmIn(Schema):
    credit_codes: list[str] | None = Field(
        None, description="要确认的企业；不填时按 org/initial_grade 条件确认全部待确认结果"
    )
    org: str = Field("", description="按条件确认：责任机构代码（含下级），默认本机构")
    initial_grade: str = Field("", description="按条件确认：只确认此初评等级")
    all: bool = Field(False, description="不列企业而按条件全部确认时须为 true")


class ConfirmOut(Schema):
    confirmed: int


@router.post("/evaluations/{run_id}/confirm", response=ConfirmOut, summary="确认初评结果（信用管理人员）")
def evaluation_confirm(request: HttpRequest, run_id: RowId, payload: ConfirmIn):
    user = caller(request)
    require_staff(user)
    run = run_get(run_id)
    if payload.credit_codes is None and not payload.all:
        raise DomainError(
            "no_credit_codes", "请列出要确认的企业，或以 all=true 按条件全部确认", {"field": "credit_codes"}
        )
    org = organization_get_for_user(user, payload.org) if payload.org else None
    count = results_confirm(
        run=run,
        actor=Actor.of(user),
        credit_codes=payload.credit_codes,
        organization=org,
        initial_grade=payload.initial_grade,
    )
    return {"confirmed": count}


class AdjustIn(Schema):
    credit_code: str
    grade: str = Field(..., description="调整后的等级 A/B/C/D")
    reason: str = Field(..., description="书面理由（必填）")


@router.post("/evaluations/{run_id}/adjust", response=ResultOut, summary="调整评定结果（信用管理人员，须书面理由）")
def evaluation_adjust(request: HttpRequest, run_id: RowId, payload: AdjustIn):
    user = caller(request)
    require_staff(user)
    run = run_get(run_id)
    result = result_adjust(
        run=run, credit_code=payload.credit_code, grade=payload.grade, reason=payload.reason, actor=Actor.of(user)
    )
    return {
        "credit_code": payload.credit_code.strip().upper(),
        "initial_grade": result.initial_grade,
        "points": result.points,
        "rule": result.rule,
        "status": result.status,
    }


class GradeOut(Schema):
    credit_code: str
    grade: str | None = Field(..., description="AA/A/B/C/D；尚无等级时为 null")
    effective_from: IsoDate | None
    cause: str | None = Field(
        ..., description="periodic/adjustment/dynamic_downgrade/listing/removal/aa_batch/aa_lost/initial"
    )
    ruleset_version: int | None
    controlled: bool = Field(..., description="是否布控")


@router.get("/enterprises/{credit_code}/grade", response=GradeOut, summary="企业在某日的信用等级")
@from_replica
def enterprise_grade(request: HttpRequest, credit_code: str, on: IsoDate | None = None):
    return grade_lookup(caller(request), credit_code.strip().upper(), on or clock.today())


@from_replica
def hot_enterprise_grade(request: HttpRequest, user: User, credit_code: str) -> dict[str, Any] | None:
    """`enterprise_grade` on the hot path (`ciqcredit.web.hotpath`); None leaves a query other than a plain
    `on=YYYY-MM-DD` to the endpoint."""
    on = clock.today()
    if request.META.get("QUERY_STRING"):
        query = request.GET
        if list(query) != ["on"] or not _ISO_DAY.match(query["on"]):
            return None
        try:
            on = dt.date.fromisoformat(query["on"])
        except ValueError:
            return None
    return grade_lookup(user, credit_code.strip().upper(), on)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@router.get("/enterprises/{credit_code}/grade/explain", summary="信用等级的依据：计分记录、规则版本、阈值和调整理由")
@from_replica
def enterprise_grade_explain(request: HttpRequest, credit_code: str, on: IsoDate | None = None) -> dict[str, Any]:
    user = caller(request)
    require_grade_reader(user)
    enterprise = enterprise_get_for_user(user, credit_code.strip().upper())
    return grade_explanation(enterprise, on)


@router.get("/rulesets/{number}/whatif", summary="规则试算：按该版本规则全部企业将得到的等级及与现等级的迁移矩阵")
@from_replica
def ruleset_whatif(request: HttpRequest, number: VersionNumber, period_end: IsoDate | None = None) -> dict[str, Any]:
    user = caller(request)
    return whatif_matrix(ruleset=ruleset_by_number(number), user=user, period_end=period_end).as_dict()


@router.get("/rulesets/{number}/whatif/cell", summary="规则试算：迁移矩阵某一格的企业")
@from_replica
def ruleset_whatif_cell(
    request: HttpRequest,
    number: VersionNumber,
    to: str,
    current: str = Query("", alias="from"),
    period_end: IsoDate | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    user = caller(request)
    return whatif_cell(
        ruleset=ruleset_by_number(number),
        user=user,
        current=current,
        new=to,
        period_end=period_end,
        limit=min(max(limit, 1), 1000),
        offset=max(offset, 0),
    )
