"""JSON endpoints of dynamic management: cases, the notice PDF, recording a notice's delivery, the decisions on
a downgrade proposal and the answer to a defence. Each calls the service the case page calls (the same checks,
errors and audit rows); a case outside the caller's organization answers 404."""

import datetime as dt

from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from ciqcredit.actors import Actor
from ciqcredit.api_common import ErrorOut, IsoDate, ListOut, RowId, caller
from ciqcredit.dynamic.models import CaseKind, CaseStatus, DeliveryMethod, DynamicCase
from ciqcredit.dynamic.pdf import notice_pdf_response
from ciqcredit.dynamic.selectors import case_get_for_user, case_list, case_steps, notice_get_for_user
from ciqcredit.dynamic.services import case_adjust, case_answer_defence, case_confirm, notice_deliver
from ciqcredit.organizations.access import require_staff

router = Router(tags=["动态管理 dynamic"])


class StepOut(Schema):
    step: str
    label: str
    start: IsoDate
    due_on: IsoDate
    provisional: bool
    closed_on: IsoDate | None
    earliest: bool
    overdue: bool
    late: bool


class NoticeOut(Schema):
    id: int
    number: str
    drafted_at: dt.datetime
    delivered: bool
    delivery_method: str
    delivered_on: IsoDate | None
    recipient: str
    pdf_url: str


class CaseOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    credit_code: str
    enterprise_name: str
    organization_code: str
    rule: str
    detail: str
    points: int
    serious_points: int
    threshold: int
    ruleset_version: int
    from_grade: str
    to_grade: str
    controlled: bool
    period_start: IsoDate
    period_end: IsoDate
    opened_at: dt.datetime
    carried_out_on: IsoDate | None
    published_at: dt.datetime | None
    confirm_until: IsoDate | None
    adjust_until: IsoDate | None
    unconfirmed: bool
    defence_received_on: IsoDate | None
    answered_on: IsoDate | None
    answer: str
    notice: NoticeOut | None
    steps: list[StepOut]


class CaseDetailOut(CaseOut):
    records: list[dict]
    transitions: list[dict]
    cancel_reason: str


def _notice_out(case: DynamicCase) -> dict | None:
    notice = getattr(case, "notice", None)
    if notice is None:
        return None
    return {
        "id": notice.pk,
        "number": notice.number,
        "drafted_at": notice.drafted_at,
        "delivered": notice.delivered,
        "delivery_method": notice.delivery_method,
        "delivered_on": notice.delivered_on,
        "recipient": notice.recipient,
        "pdf_url": f"/api/v1/notices/{notice.pk}.pdf",
    }


def case_out(case: DynamicCase) -> dict:
    return {
        "id": case.pk,
        "kind": case.kind,
        "kind_label": case.get_kind_display(),
        "status": case.status,
        "status_label": case.get_status_display(),
        "credit_code": case.enterprise.credit_code,
        "enterprise_name": case.enterprise.name,
        "organization_code": case.organization.code,
        "rule": case.rule,
        "detail": case.detail,
        "points": case.points,
        "serious_points": case.serious_points,
        "threshold": case.threshold,
        "ruleset_version": case.ruleset_version,
        "from_grade": case.from_grade,
        "to_grade": case.to_grade,
        "controlled": case.controlled,
        "period_start": case.period_start,
        "period_end": case.period_end,
        "opened_at": case.opened_at,
        "carried_out_on": case.carried_out_on,
        "published_at": case.published_at,
        "confirm_until": case.confirm_until,
        "adjust_until": case.adjust_until,
        "unconfirmed": case.unconfirmed,
        "defence_received_on": case.defence_received_on,
        "answered_on": case.answered_on,
        "answer": case.answer_text,
        "notice": _notice_out(case),
        "steps": [vars(step) for step in case_steps(case)],
    }


@router.get(
    "/dynamic/cases",
    response={200: ListOut[CaseOut], 403: ErrorOut},
    summary="动态管理案件列表（辖区内）",
    description="可按 status、kind 筛选；open=true 只列未结案件。每个案件附各步骤期限及是否逾期。",
)
def list_cases(request, status: CaseStatus | None = None, kind: CaseKind | None = None, open: bool = False):
    user = caller(request)
    require_staff(user)
    cases = list(case_list(user, status=status or "", kind=kind or "", open_only=open)[:500])
    return {"count": len(cases), "items": [case_out(c) for c in cases]}


@router.get("/dynamic/cases/{case_id}", response={200: CaseDetailOut, 404: ErrorOut}, summary="动态管理案件详情")
def get_case(request, case_id: RowId):
    case = case_get_for_user(caller(request), case_id)
    links = case.case_records.select_related("record").order_by("record__occurred_on", "record_id")
    return {
        **case_out(case),
        "records": [
            {
                "id": link.record_id,
                "item_code": link.record.item_code,
                "occurred_on": link.record.occurred_on.isoformat(),
                "association_no": link.record.association_no,
                "points": link.points,
                "status": link.record.status,
            }
            for link in links
        ],
        "transitions": [
            {"from": t.from_status, "to": t.to_status, "reason": t.reason, "actor": t.actor_label, "at": t.at}
            for t in case.transitions.all()
        ],
        "cancel_reason": case.cancel_reason,
    }


@router.get(
    "/notices/{notice_id}.pdf",
    response={200: None, 404: ErrorOut, 503: ErrorOut},
    summary="书面告知书 PDF（嵌入中文字体）",
)
def notice_pdf(request, notice_id: RowId):
    notice = notice_get_for_user(caller(request), notice_id)
    return notice_pdf_response(notice)


class DeliveryIn(Schema):
    method: DeliveryMethod
    delivered_on: IsoDate
    recipient: str


@router.post(
    "/notices/{notice_id}/delivery",
    response={200: NoticeOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="登记告知书送达（multipart，附送达回证）",
    description=(
        "字段：method（direct 直接送达 / post 邮寄 / electronic 电子送达 / announcement 公告送达）、"
        "delivered_on（YYYY-MM-DD）、recipient、proof_file（文件）。降级案件送达后即实施降级；"
        "严重失信案件送达后进入陈述申辩期。"
    ),
)
def deliver(request, notice_id: RowId, data: Form[DeliveryIn], proof_file: File[UploadedFile]):
    user = caller(request)
    notice = notice_get_for_user(user, notice_id)
    notice_deliver(
        notice=notice,
        method=data.method,
        delivered_on=data.delivered_on,
        recipient=data.recipient,
        proof_file=proof_file,
        actor=Actor.of(user),
    )
    notice.refresh_from_db()
    return _notice_out(notice.case)


_DECIDE = {200: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post(
    "/dynamic/cases/{case_id}/confirm",
    response=_DECIDE,
    summary="确认即时降级的初评结果（拟制告知书）",
    description="确认期限内由责任机构或其上级机构的信用管理人员确认；确认后拟制书面告知书。",
)
def confirm_case(request, case_id: RowId):
    user = caller(request)
    case = case_confirm(case=case_get_for_user(user, case_id), actor=Actor.of(user))
    return case_out(case_get_for_user(user, case.pk))


class AdjustIn(Schema):
    grade: str
    reason: str


@router.post(
    "/dynamic/cases/{case_id}/adjust",
    response=_DECIDE,
    summary="调整即时降级的初评结果（按评定规则的调整规则，不能调整为D级或AA级）",
)
def adjust_case(request, case_id: RowId, payload: AdjustIn):
    user = caller(request)
    case = case_adjust(
        case=case_get_for_user(user, case_id), grade=payload.grade, reason=payload.reason, actor=Actor.of(user)
    )
    return case_out(case_get_for_user(user, case.pk))


class AnswerIn(Schema):
    answered_on: IsoDate = Field(description="答复日期（YYYY-MM-DD，不早于申辩受理日期，不晚于今天）")
    answer: str = Field("", max_length=10_000, description="答复意见")
    upheld: bool = Field(False, description="申辩理由成立（撤销本案）")


@router.post(
    "/dynamic/cases/{case_id}/answer",
    response=_DECIDE,
    summary="答复企业的陈述申辩（严重失信案件）",
    description=(
        "由责任机构或其上级机构的信用管理人员在申辩受理后答复，与案件页面的“登记答复”相同；"
        "upheld=true（申辩理由成立）即撤销本案。"
    ),
)
def answer_defence(request, case_id: RowId, payload: AnswerIn):
    user = caller(request)
    case = case_answer_defence(
        case=case_get_for_user(user, case_id),
        answered_on=payload.answered_on,
        answer=payload.answer,
        upheld=payload.upheld,
        actor=Actor.of(user),
    )
    return case_out(case_get_for_user(user, case.pk))
