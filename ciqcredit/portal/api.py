"""The enterprise's own API (`/api/v1/me...`): for an enterprise user's token or browser session only.

Other modules add their `me` endpoints to `router` (import it and decorate); every endpoint starts with
`access.me(request)`, which gives the user and their enterprise, so nothing of another enterprise is reachable
(another enterprise's record, notice or case answers 404). The pages render the same selectors.
"""

import datetime as dt

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from ciqcredit.actors import Actor
from ciqcredit.api_common import ErrorOut, RowId
from ciqcredit.collection.objections import objection_file
from ciqcredit.dynamic.defence import case_defence_submit
from ciqcredit.dynamic.electronic import notice_open
from ciqcredit.dynamic.selectors import enterprise_case_get, enterprise_notice_get
from ciqcredit.portal import selectors
from ciqcredit.portal.access import ENTERPRISE_AUTH, me

router = Router(tags=["企业端 me"], auth=ENTERPRISE_AUTH)
ME_ERRORS = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
CHANGE_ERRORS = {**ME_ERRORS, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
# Optional multipart files (`File[...] | None` would make django-ninja read them from the query string).
EVIDENCE_FILES = File(None, description="证据文件（可多个）")


class MeGradeOut(Schema):
    grade: str | None
    effective_from: dt.date | None
    cause_label: str
    ruleset_version: int | None


class MeOut(Schema):
    name: str
    credit_code: str
    ciq_registration_no: str
    address: str
    type_labels: list[str]
    registering_organization: str
    status_label: str
    grade: MeGradeOut


@router.get("/me", response={200: MeOut, **ME_ERRORS}, summary="本企业及其现行信用等级")
def me_get(request: HttpRequest):
    _, enterprise = me(request)
    return selectors.enterprise_summary(enterprise)


class MeRecordOut(Schema):
    id: int
    item_code: str
    item_name: str
    points: int
    occurred_on: dt.date
    association_no: str
    organization: str
    description: str
    status: str
    status_label: str
    objection_until: dt.date | None
    may_object: bool
    objection_pending: bool


class MeRecordsOut(Schema):
    count: int
    items: list[MeRecordOut]


@router.get("/me/records", response={200: MeRecordsOut, **ME_ERRORS}, summary="本企业的信用信息及其状态")
def me_records(request: HttpRequest):
    _, enterprise = me(request)
    items = selectors.my_records(enterprise)
    return {"count": len(items), "items": items}


class MeNoticeOut(Schema):
    number: str
    title: str
    kind_label: str
    issuer: str
    drafted_on: str | None
    intended_action: str
    sent_to_account_at: dt.datetime | None
    electronic_due_on: dt.date | None
    opened: bool
    delivered: bool
    delivered_on: dt.date | None
    delivery_method_label: str
    voided: bool
    replaced_by: str
    case_id: int


class MeNoticesOut(Schema):
    count: int
    items: list[MeNoticeOut]


class MeNoticeDetailOut(MeNoticeOut):
    enterprise: dict
    period: dict
    records: list[dict]
    total_points: int | None
    rule_text: str
    threshold: int | None
    ruleset_version: int | None
    defence: dict | None


@router.get("/me/notices", response={200: MeNoticesOut, **ME_ERRORS}, summary="本企业的书面告知书（不计为查阅）")
def me_notices(request: HttpRequest):
    _, enterprise = me(request)
    items = selectors.my_notices(enterprise)
    return {"count": len(items), "items": items}


@router.get(
    "/me/notices/{number}",
    response={200: MeNoticeDetailOut, 404: ErrorOut, **ME_ERRORS},
    summary="查阅书面告知书（首次查阅即视为电子送达）",
)
def me_notice_open(request: HttpRequest, number: str):
    user, enterprise = me(request)
    found = enterprise_notice_get(enterprise.pk, number[:40])
    shown = notice_open(notice=found, actor=Actor.of(user))
    return selectors.notice_view(shown)


class MeObjectionOut(Schema):
    id: int
    record_association_no: str
    record_item_name: str
    reasons: str
    filed_on: dt.date
    due_on: dt.date
    status: str
    status_label: str
    outcome_label: str
    answer: str
    decided_on: dt.date | None
    files: list[str]


@router.post(
    "/me/objections",
    response={201: MeObjectionOut, **CHANGE_ERRORS},
    summary="对本企业的生效信用信息提出异议（multipart：record、reasons、files）",
)
def me_objection_file(
    request: HttpRequest,
    record: Form[RowId],
    reasons: Form[str],
    files: list[UploadedFile] = EVIDENCE_FILES,
):
    user, enterprise = me(request)
    found = selectors.my_record_get(enterprise, record)
    objection = objection_file(record=found, reasons=reasons, files=files or [], actor=Actor.of(user))
    return Status(201, selectors.objection_row(objection))


class MeCaseOut(Schema):
    id: int
    kind_label: str
    status: str
    status_label: str
    detail: str
    points: int
    ruleset_version: int
    opened_on: dt.date
    notice_number: str
    defence_right: bool
    defence_due_on: dt.date | None
    may_defend: bool
    defence_late: bool
    defence: dict | None
    deadlines: list[dict]
    cancel_reason: str


@router.post(
    "/me/cases/{case_id}/defence",
    response={201: MeCaseOut, **CHANGE_ERRORS},
    summary="在陈述申辩期内提交陈述申辩（multipart：statement、files）",
)
def me_case_defence(
    request: HttpRequest,
    case_id: RowId,
    statement: Form[str],
    files: list[UploadedFile] = EVIDENCE_FILES,
):
    user, enterprise = me(request)
    case = enterprise_case_get(enterprise.pk, case_id)
    case_defence_submit(case=case, statement=statement, files=files or [], actor=Actor.of(user))
    return Status(201, selectors.case_row(enterprise_case_get(enterprise.pk, case_id)))
