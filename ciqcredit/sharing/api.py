"""Sharing endpoints (/api/v1/sharing/): outbound lists for partners under their agreement (and as files),
inbound partner lists, and the feedback on what those lists did in release decisions."""

import datetime as dt
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.api_common import MAX_ID, ErrorOut, IsoDate, caller
from ciqcredit.errors import DomainError, Forbidden
from ciqcredit.organizations.auth import ScopedBearer
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Role, Scope
from ciqcredit.partners.models import PartnerList
from ciqcredit.partners.selectors import partner_list_get, partner_of
from ciqcredit.partners.services import partner_list_entries_apply, partner_list_snapshot
from ciqcredit.rating.feed import MAX_LIMIT
from ciqcredit.replica import from_replica
from ciqcredit.sharing.access import access_log, shared_read
from ciqcredit.sharing.exports import FORMATS
from ciqcredit.sharing.feedback import feedback, feedback_file
from ciqcredit.sharing.models import SharedField
from ciqcredit.sharing.outbound import list_file, list_page

router = Router(tags=["信用信息共享 sharing"])

ListSlug = Literal["serious", "aa", "grades"]
FormatSlug = Literal["xlsx", "csv", "jsonl"]
_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _fields(raw: str) -> list[str] | None:
    names = [n.strip() for n in raw.split(",") if n.strip()]
    unknown = [n for n in names if n not in SharedField.values]
    if unknown:
        allowed = "、".join(f"{v}（{label}）" for v, label in SharedField.choices)
        raise DomainError("unknown_field", f"未知的字段“{'、'.join(unknown)}”，应为：{allowed}", {"field": "fields"})
    return names or None


FIELDS_DOC = "只要部分字段，逗号分隔：name、grade、previous_grade、controlled、cause、records；默认协议准予的全部字段"


class SharedEntryOut(Schema):
    cursor: int = Field(description="游标：下次以 after=此值 继续")
    kind: str = Field(description="变更类别（同变更流）：列入、移出、等级变更、布控等")
    kind_label: str
    credit_code: str
    effective_from: dt.date
    recorded_at: dt.datetime
    name: str | None = Field(None, description="企业名称（协议准予 name 时）")
    grade: str | None = Field(None, description="信用等级（协议准予 grade 时）")
    previous_grade: str | None = Field(None, description="原等级（协议准予 previous_grade 时）")
    controlled: bool | None = Field(None, description="布控（协议准予 controlled 时）")
    cause: str | None = Field(None, description="变更原因（协议准予 cause 时）")
    records: int | None = Field(None, description="近一年有效信用信息条数（协议准予 records 时）")
    points: int | None = Field(None, description="近一年失信计分（协议准予 records 时）")
    serious_records: int | None = Field(None, description="近一年严重违法信息条数（协议准予 records 时）")


class SharedListOut(Schema):
    list_code: ListSlug
    fields: list[str] = Field(description="本次返回的字段（协议准予的范围内）")
    items: list[SharedEntryOut]
    next_cursor: int


@router.get(
    "/sharing/lists/{list_code}",
    auth=ScopedBearer(Scope.SHARING_READ),
    response={200: SharedListOut, **_ERRORS},
    exclude_unset=True,
    summary="共享名单：列入与移出，按提交顺序（合作部门，按共享协议）",
)
@from_replica
def shared_list(
    request: HttpRequest,
    list_code: ListSlug,
    after: int = Query(0, ge=0, le=MAX_ID),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    fields: str = Query("", description=FIELDS_DOC),
):
    user = caller(request)
    params: dict[str, Any] = {"after": after, "limit": limit, **({"fields": fields} if fields else {})}
    grant = shared_read(user, list_code=list_code, fields=_fields(fields), endpoint=request.path, params=params)
    items = list_page(list_code, after=after, limit=limit, fields=grant.fields)
    access_log(
        partner=grant.partner,
        client=user,
        agreement=grant.agreement,
        endpoint=request.path,
        list_code=list_code,
        params=params,
        rows=len(items),
    )
    return {
        "list_code": list_code,
        "fields": list(grant.fields),
        "items": items,
        "next_cursor": items[-1]["cursor"] if items else after,
    }


_FILE_DOC = {
    "responses": {
        200: {
            "description": "文件；响应头 X-Content-SHA256 为文件的 SHA-256，X-Snapshot-At 为快照时间，"
            "X-Next-Cursor 为下次继续的游标",
            "content": {
                content_type: {"schema": {"type": "string", "format": "binary"}} for content_type, _ in FORMATS.values()
            },
        }
    }
}


@router.get(
    "/sharing/lists/{list_code}/export",
    auth=ScopedBearer(Scope.SHARING_READ),
    response={**_ERRORS},
    summary="共享名单导出为文件（XLSX、CSV、JSON Lines），附 SHA-256 与快照时间",
    openapi_extra=_FILE_DOC,
)
def shared_list_export(
    request: HttpRequest,
    list_code: ListSlug,
    format: FormatSlug = "jsonl",
    after: int = Query(0, ge=0, le=MAX_ID),
    fields: str = Query("", description=FIELDS_DOC),
):
    user = caller(request)
    params: dict[str, Any] = {"after": after, "format": format, **({"fields": fields} if fields else {})}
    grant = shared_read(user, list_code=list_code, fields=_fields(fields), endpoint=request.path, params=params)
    exported, next_cursor = list_file(list_code, after=after, fields=grant.fields, fmt=format)
    access_log(
        partner=grant.partner,
        client=user,
        agreement=grant.agreement,
        endpoint=request.path,
        list_code=list_code,
        params={**params, "sha256": exported.sha256},
        rows=exported.rows,
    )
    return exported.response({"X-Next-Cursor": str(next_cursor)})


# ---- inbound partner lists ----


class PartnerEntryIn(BaseModel):
    credit_code: str = Field(max_length=40, description="统一社会信用代码（18位）")
    name: str = Field("", max_length=200, description="名称（可选）")
    reference: str = Field("", max_length=100, description="文书号或列入依据（可选）")


class SnapshotIn(BaseModel):
    entries: list[PartnerEntryIn] = Field(max_length=100_000, description="名单的全部条目")


class EntriesIn(BaseModel):
    add: list[PartnerEntryIn] = Field([], max_length=100_000, description="新列入的条目")
    remove: list[str] = Field([], max_length=100_000, description="移出的统一社会信用代码")


class EntryErrorOut(Schema):
    index: int = Field(description="条目序号（从0起；移出条目排在新列入条目之后）")
    credit_code: str
    code: str
    message: str


class ReceivedOut(Schema):
    list_code: str
    version: int = Field(description="名单当前版本号；未变化时为原版本")
    changed: bool = Field(description="是否产生了新版本")
    size: int = Field(description="名单当前条目数")
    entered: list[str] = Field(description="本次新列入的代码")
    left: list[str] = Field(description="本次移出的代码")
    details_changed: list[str] = Field(description="本次名称或依据有变更的代码（仅全量名单）")
    errors: list[EntryErrorOut] = Field(description="被拒绝的条目及原因")


def _received(result) -> dict[str, Any]:
    return {
        "list_code": result.partner_list.code,
        "version": result.version,
        "changed": result.changed,
        "size": result.size,
        "entered": result.entered,
        "left": result.left,
        "details_changed": result.details_changed,
        "errors": [e.as_dict() for e in result.errors],
    }


def _owned_list(user: User, list_code: str) -> PartnerList:
    found = partner_list_get(list_code)
    if found.partner.organization_id != user.organization_id:
        raise DomainError(
            "unknown_list", f"名单代码“{list_code}”不是本部门的名单", {"list_code": list_code}, status=404
        )
    return found


# The fixed path /sharing/partner-lists/entries comes before /sharing/partner-lists/{list_code}.
class ListEntryIn(PartnerEntryIn):
    list_code: str = Field(max_length=40, description="名单代码")


class ListEntryRef(BaseModel):
    list_code: str = Field(max_length=40, description="名单代码")
    credit_code: str = Field(max_length=40)


class ManyListsIn(BaseModel):
    add: list[ListEntryIn] = Field([], max_length=100_000, description="新列入的条目（各注明名单代码）")
    remove: list[ListEntryRef] = Field([], max_length=100_000, description="移出的条目（各注明名单代码）")


class ManyListsOut(Schema):
    lists: list[ReceivedOut] = Field(description="涉及的各名单的处理结果")
    errors: list[EntryErrorOut] = Field(description="被拒绝的条目及原因（序号：新列入在前，移出在后）")


@router.post(
    "/sharing/partner-lists/entries",
    auth=ScopedBearer(Scope.EXTERNAL_INTAKE),
    response={200: ManyListsOut, **_ERRORS},
    summary="报送多份名单的增减（合作部门）：每条注明名单代码，未知名单或有误的条目逐条拒绝",
)
def partner_lists_entries(request: HttpRequest, payload: ManyListsIn):
    user = caller(request)
    owned = {pl.code: pl for pl in PartnerList.objects.filter(partner__organization_id=user.organization_id)}
    errors: list[dict[str, Any]] = []
    groups: dict[str, tuple[list[tuple[int, dict]], list[tuple[int, str]]]] = {}
    for index, entry in enumerate(payload.add):
        if entry.list_code in owned:
            groups.setdefault(entry.list_code, ([], []))[0].append((index, entry.model_dump(exclude={"list_code"})))
        else:
            errors.append(_unknown_list(index, entry.credit_code, entry.list_code))
    for index, ref in enumerate(payload.remove, start=len(payload.add)):
        if ref.list_code in owned:
            groups.setdefault(ref.list_code, ([], []))[1].append((index, ref.credit_code))
        else:
            errors.append(_unknown_list(index, ref.credit_code, ref.list_code))
    results = []
    with transaction.atomic():
        for code, (adds, removes) in sorted(groups.items()):
            result = partner_list_entries_apply(
                partner_list=owned[code],
                additions=[a for _, a in adds],
                removals=[r for _, r in removes],
                actor=Actor.of(user),
            )
            positions = [i for i, _ in adds] + [i for i, _ in removes]  # the service numbers adds, then removals
            for e in result.errors:
                errors.append({**e.as_dict(), "index": positions[e.index]})
            result.errors = []
            results.append(_received(result))
    return {"lists": results, "errors": sorted(errors, key=lambda e: e["index"])}


def _unknown_list(index: int, credit_code: str, list_code: str) -> dict[str, Any]:
    return {
        "index": index,
        "credit_code": credit_code,
        "code": "unknown_list",
        "message": f"名单代码“{list_code}”未登记或不是本部门的名单",
    }


@router.put(
    "/sharing/partner-lists/{list_code}",
    auth=ScopedBearer(Scope.EXTERNAL_INTAKE),
    response={200: ReceivedOut, **_ERRORS},
    summary="报送名单全量（合作部门）：同一名单重复报送不产生新版本，否则记录新列入、移出与信息变更",
)
def partner_list_put(request: HttpRequest, list_code: str, payload: SnapshotIn):
    user = caller(request)
    found = _owned_list(user, list_code)
    result = partner_list_snapshot(
        partner_list=found, entries=[e.model_dump() for e in payload.entries], actor=Actor.of(user)
    )
    return _received(result)


@router.post(
    "/sharing/partner-lists/{list_code}/entries",
    auth=ScopedBearer(Scope.EXTERNAL_INTAKE),
    response={200: ReceivedOut, **_ERRORS},
    summary="报送名单增减（合作部门）：逐条处理，有误的条目单独拒绝并说明原因",
)
def partner_list_entries(request: HttpRequest, list_code: str, payload: EntriesIn):
    user = caller(request)
    found = _owned_list(user, list_code)
    result = partner_list_entries_apply(
        partner_list=found,
        additions=[e.model_dump() for e in payload.add],
        removals=payload.remove,
        actor=Actor.of(user),
    )
    return _received(result)


# ---- feedback ----


class FeedbackByOut(Schema):
    area: str
    outcome: Literal["inspect", "release"] = Field(description="inspect 查验 / release 放行")
    decisions: int
    first_on: dt.date
    last_on: dt.date


class FeedbackEntryOut(Schema):
    credit_code: str
    decisions: int = Field(description="适用了该名单联合奖惩措施的放行决定数")
    first_on: dt.date
    last_on: dt.date
    by: list[FeedbackByOut] = Field(description="按领域和结果")


class FeedbackOut(Schema):
    list_code: str
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")
    decisions: int
    entries: list[FeedbackEntryOut]


def feedback_list(user: User, list_code: str) -> PartnerList:
    """The list the caller may see feedback on: its own partner's (clients), any (HQ staff)."""
    if not user.is_system:
        if not (user.is_hq and user.has_role(Role.HQ_ADMIN, Role.SUPERVISOR)):
            raise Forbidden("合作部门反馈仅限总局管理员和督查人员查看", {"roles": [Role.HQ_ADMIN, Role.SUPERVISOR]})
        return partner_list_get(list_code)
    partner = partner_of(user)
    if partner is None or not (user.has_scope(Scope.SHARING_READ) or user.has_scope(Scope.EXTERNAL_INTAKE)):
        raise Forbidden(
            "反馈仅供名单所属合作部门的接口账号读取", {"scope": [Scope.SHARING_READ, Scope.EXTERNAL_INTAKE]}
        )
    found = _owned_list(user, list_code)
    return found


class FeedbackFilter(Schema):
    list: str = Field(max_length=40, description="名单代码")
    date_from: IsoDate = Field(alias="from")
    date_to: IsoDate = Field(alias="to")


@router.get(
    "/sharing/feedback",
    response={200: FeedbackOut, **_ERRORS},
    by_alias=True,
    summary="联合奖惩反馈：名单中每个企业适用联合奖惩措施的放行决定（按领域和结果）",
)
@from_replica
def sharing_feedback(request: HttpRequest, filters: Query[FeedbackFilter]):
    list, date_from, date_to = filters.list, filters.date_from, filters.date_to
    user = caller(request)
    params = {"list": list, "from": date_from.isoformat(), "to": date_to.isoformat()}
    found = feedback_list(user, list)
    entries = feedback(found, date_from, date_to)
    if user.is_system:
        access_log(
            partner=found.partner, client=user, endpoint=request.path, list_code=list, params=params, rows=len(entries)
        )
    return {
        "list_code": found.code,
        "from": date_from,
        "to": date_to,
        "decisions": sum(e.decisions for e in entries),
        "entries": [e.__dict__ for e in entries],
    }


@router.get(
    "/sharing/feedback/file",
    response={**_ERRORS},
    summary="联合奖惩反馈月度文件（XLSX、CSV、JSON Lines），附 SHA-256",
    openapi_extra=_FILE_DOC,
)
def sharing_feedback_file(
    request: HttpRequest,
    list: str = Query(..., max_length=40, description="名单代码"),
    month: str = Query(..., pattern=r"^\d{4}-\d{2}$", description="月份 YYYY-MM"),
    format: FormatSlug = "csv",
):
    user = caller(request)
    params = {"list": list, "month": month, "format": format}
    found = feedback_list(user, list)
    exported = feedback_file(found, month, format, clock.now())
    if user.is_system:
        access_log(
            partner=found.partner,
            client=user,
            endpoint=request.path,
            list_code=list,
            params={**params, "sha256": exported.sha256},
            rows=exported.rows,
        )
    return exported.response()
