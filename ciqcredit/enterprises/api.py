"""The enterprise registry over JSON: sync from the enterprise management system, file import, and reads."""

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from ciqcredit.actors import Actor
from ciqcredit.api_common import ErrorOut, IsoDate, ListOut, Offset, caller
from ciqcredit.enterprises.importing import ImportFileError, ImportResult, guess_format, read_rows
from ciqcredit.enterprises.models import Enterprise, EnterpriseStatus
from ciqcredit.enterprises.selectors import enterprise_get_for_user, enterprise_search
from ciqcredit.enterprises.services import enterprise_contract, enterprise_upsert, enterprises_import
from ciqcredit.enterprises.types import EnterpriseType
from ciqcredit.errors import DomainError, Forbidden
from ciqcredit.organizations.access import refuse_partner_client, require_scope, require_staff
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Role, Scope

router = Router(tags=["企业 enterprises"])

_TYPES_HELP = "企业类型代码列表（也接受以“;”分隔的字符串）：" + "、".join(
    f"{t.value}（{t.label}）" for t in EnterpriseType
)


class EnterpriseIn(Schema):
    """企业管理系统推送的企业基本信息（字段名即接口契约）。"""

    credit_code: str | None = Field(None, description="统一社会信用代码（18位）；已在路径中给出，可省略，给出则须一致")
    name: str = Field("", description="企业名称（必填）")
    org_code: str = Field("", description="组织机构代码（9位，可含连字符），可为空")
    ciq_registration_no: str = Field("", description="检验检疫备案号")
    legal_representative: str = Field("", description="法定代表人")
    address: str = Field("", description="地址")
    main_business: str = Field("", description="主营业务")
    types: list[str] | str = Field(default_factory=list, description=_TYPES_HELP)
    registering_org: str = Field("", description="备案地机构代码（6位，须为已有机构，且在调用者管辖范围内）")
    registered_on: str | None = Field(None, description="备案日期，格式 YYYY-MM-DD")
    status: str = Field("active", description="状态：active（正常）或 cancelled（注销）；省略为 active")


class EnterpriseOut(Schema):
    id: int = Field(description="平台内部编号")
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="企业名称")
    org_code: str = Field(description="组织机构代码")
    ciq_registration_no: str = Field(description="检验检疫备案号")
    legal_representative: str = Field(description="法定代表人")
    address: str = Field(description="地址")
    main_business: str = Field(description="主营业务")
    types: list[str] = Field(description="企业类型代码列表")
    registering_org: str = Field(description="备案地机构代码")
    registered_on: IsoDate | None = Field(description="备案日期")
    status: str = Field(description="状态：active（正常）或 cancelled（注销）")


class UpsertOut(Schema):
    result: str = Field(description="created（新增）、updated（已更新）或 unchanged（未变）")
    enterprise: EnterpriseOut


class RejectedRowOut(Schema):
    line: int = Field(description="文件中的行号（表头为第1行；0 表示整个文件）")
    field: str = Field(description="出错的字段（列名）")
    code: str = Field(description="稳定的错误代码，如 bad_check_character、unknown_org_code、duplicate_in_file")
    message: str = Field(description="中文说明")


class ImportOut(Schema):
    created: int = Field(description="新增企业数")
    updated: int = Field(description="更新企业数")
    unchanged: int = Field(description="未变企业数")
    rejected: list[RejectedRowOut] = Field(description="被拒绝的行及原因（每个错误字段一条）")


def _out(enterprise: Enterprise) -> dict:
    return {"id": enterprise.id, **enterprise_contract(enterprise)}


def _rejected(result: ImportResult) -> DomainError:
    return DomainError(
        "import_rejected",
        f"导入被拒绝：{len(result.rejected)}处错误，未写入任何数据",
        result.as_dict(),
        status=422,
    )


def _require_sync(user: User) -> None:
    """The enterprise management system's client, or an HQ administrator."""
    if not user.is_system and user.has_role(Role.HQ_ADMIN):
        return
    require_scope(user, Scope.ENTERPRISE_SYNC)


def _require_reader(user: User) -> None:
    if user.is_system:
        refuse_partner_client(user)
        if not (user.has_scope(Scope.SHARING_READ) or user.has_scope(Scope.ENTERPRISE_SYNC)):
            raise Forbidden(
                "接口令牌缺少权限范围“sharing_read”或“enterprise_sync”",
                {"scope": [Scope.SHARING_READ, Scope.ENTERPRISE_SYNC]},
                code="missing_scope",
            )
    elif not user.is_enterprise_user:
        require_staff(user)


# The fixed path /enterprises/import comes before /enterprises/{credit_code}, which would otherwise take it.
@router.post(
    "/enterprises/import",
    response={200: ImportOut, 403: ErrorOut, 422: ErrorOut},
    summary="批量导入企业名录文件（CSV、XLSX 或 JSON Lines）",
    description=(
        "上传字段 `file`。格式由 `format`（csv、xlsx、jsonl）指定，或由文件扩展名判断；CSV 可为 UTF-8（可带 BOM）"
        "或 GB18030。默认全部成功才写入：任一行有误则不写入任何数据，返回 422 `import_rejected`，"
        "`details` 为导入结果（含每个错误行）。`partial=true` 时写入有效行并返回 200 及被拒绝的行。"
    ),
)
def import_enterprises(
    request: HttpRequest,
    file: File[UploadedFile],
    format: str | None = Form(None, description="csv、xlsx 或 jsonl；省略时按扩展名判断"),  # noqa: A002
    partial: bool = Form(False, description="为 true 时写入有效行，报告错误行"),
    format_q: str | None = Query(None, alias="format", include_in_schema=False),
    partial_q: bool = Query(False, alias="partial", include_in_schema=False),
):
    user = caller(request)
    _require_sync(user)
    partial = partial or partial_q
    try:
        fmt = format or format_q or guess_format(file.name or "")
        assert file.file is not None  # an upload always has its file
        rows = read_rows(file.file, fmt)
    except ImportFileError as exc:
        raise _rejected(ImportResult(rejected=exc.errors)) from None
    result = enterprises_import(rows=rows, actor=Actor.of(user), partial=partial, source=file.name or "")
    if result.rejected and not partial:
        raise _rejected(result)
    return result.as_dict()


@router.put(
    "/enterprises/{credit_code}",
    response={200: UpsertOut, 201: UpsertOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="新增或更新一个企业（企业管理系统同步）",
    description=(
        "按统一社会信用代码新增或更新企业。新增返回 201，更新或未变返回 200。需要 `enterprise_sync` 权限范围的"
        "接口令牌，或总局管理员。数据有误返回 422，`details.errors` 列出每个字段的错误；备案地机构不在管辖范围内"
        "返回 403 `out_of_scope`；已存在的企业不在管辖范围内返回 404。"
    ),
)
def put_enterprise(request: HttpRequest, credit_code: str, payload: EnterpriseIn):
    user = caller(request)
    _require_sync(user)
    data = payload.dict()
    if data["credit_code"] not in (None, credit_code):
        raise DomainError(
            "validation_error",
            "请求体中的统一社会信用代码与路径不一致",
            {"errors": [{"field": "credit_code", "code": "credit_code_mismatch", "message": "与路径中的代码不一致"}]},
            status=422,
        )
    data["credit_code"] = credit_code
    enterprise, outcome = enterprise_upsert(data=data, actor=Actor.of(user))
    return Status(201 if outcome == "created" else 200, {"result": outcome, "enterprise": _out(enterprise)})


@router.get(
    "/enterprises",
    response={200: ListOut[EnterpriseOut], 403: ErrorOut, 422: ErrorOut},
    summary="企业列表（调用者管辖范围内）",
    description=(
        "按名称或代码搜索（q），按备案地机构（org，含下级）、类型（type）、状态（status）筛选；分页 limit/offset。"
    ),
)
def list_enterprises(
    request: HttpRequest,
    q: str = Query("", description="名称包含，或统一社会信用代码、组织机构代码、备案号前缀"),
    org: str = Query("", description="备案地机构代码（含其下级机构）"),
    type: str = Query("", description="企业类型代码"),  # noqa: A002
    status: str = Query("", description="active 或 cancelled"),
    limit: int = Query(50, ge=1, le=500, description="每页条数（最多500）"),
    offset: Offset = 0,
):
    user = caller(request)
    _require_reader(user)
    if type and type not in EnterpriseType.values:
        raise DomainError("unknown_type", f"未知的企业类型：{type}", {"field": "type"}, status=422)
    if status and status not in EnterpriseStatus.values:
        message = f"状态“{status}”无效，应为 active 或 cancelled"
        raise DomainError("bad_status", message, {"field": "status"}, status=422)
    qs = enterprise_search(user, text=q, org_code=org, type_slug=type, status=status)
    return {"count": qs.count(), "items": [_out(e) for e in qs[offset : offset + limit]]}


@router.get(
    "/enterprises/{credit_code}",
    response={200: EnterpriseOut, 403: ErrorOut, 404: ErrorOut},
    summary="企业详情",
    description="管辖范围外的企业与不存在的企业一样返回 404。企业用户只能查看本企业。",
)
def get_enterprise(request: HttpRequest, credit_code: str):
    user = caller(request)
    _require_reader(user)
    return _out(enterprise_get_for_user(user, credit_code))
