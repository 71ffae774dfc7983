"""The public JSON API at /api/public/v1/: no authentication, rate-limited per client address like the pages
(ciqcredit.public.ratelimit), the same answers as the public site, and the platform's one error format."""

from django.http import HttpRequest
from ninja import NinjaAPI, Schema, Status
from ninja.errors import HttpError, ValidationError

from ciqcredit.api_common import ErrorOut, validation_messages
from ciqcredit.errors import error_body
from ciqcredit.public import disclosure

public_api = NinjaAPI(
    title="ciqcredit 公开信息 API",
    version="1",
    description=(
        "严重失信企业名单、信用等级公开查询与信用等级证明核验；无需登录，"
        "按客户端地址限制请求频率（429 时见 Retry-After）。"
    ),
    urls_namespace="public_api",
    openapi_url="/openapi.json",
    docs_url=None,
)


class SeriousListEntry(Schema):
    name: str
    credit_code: str
    reason: str
    listed_on: str
    decision_number: str


class SeriousListOut(Schema):
    count: int
    items: list[SeriousListEntry]


class GradeOut(Schema):
    credit_code: str
    name: str
    serious_list: SeriousListEntry | None
    grade: str | None
    grade_from: str | None
    aa_batch: str


class CertificateOut(Schema):
    code: str
    name: str
    credit_code: str
    grade: str
    grade_from: str
    issued_on: str
    issuer: str
    valid: bool
    reason: str


def _error(request, status: int, code: str, message: str):
    return public_api.create_response(request, error_body(code, message), status=status)


@public_api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    body = error_body("validation_error", "请求数据格式不正确", {"errors": validation_messages(exc.errors)})
    return public_api.create_response(request, body, status=422)


@public_api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "http_error", "请求无法处理")


@public_api.get("/serious-list", response=SeriousListOut, summary="严重失信企业名单", tags=["公开信息"])
def public_serious_list(request: HttpRequest):
    rows = disclosure.serious_list()
    return {"count": len(rows), "items": rows}


@public_api.get(
    "/grade", response={200: GradeOut, 404: ErrorOut, 422: ErrorOut}, summary="信用等级公开查询", tags=["公开信息"]
)
def public_grade(request: HttpRequest, credit_code: str):
    answer = disclosure.grade_query(credit_code[:40])
    if "error" in answer:
        return Status(422, error_body("bad_credit_code", answer["error"]))
    if not answer["found"]:
        return Status(404, error_body("not_found", "未查询到该统一社会信用代码对应的企业"))
    return Status(200, answer)


@public_api.get(
    "/certificates/{code}",
    response={200: CertificateOut, 404: ErrorOut, 422: ErrorOut},
    summary="信用等级证明核验",
    tags=["公开信息"],
)
def public_certificate(request: HttpRequest, code: str):
    answer = disclosure.certificate_check(code[:40])
    if "error" in answer:
        return Status(422, error_body("bad_code", answer["error"]))
    if not answer["found"]:
        return Status(404, error_body("not_found", "未查询到该验证码对应的信用等级证明"))
    return Status(200, answer)
