"""The JSON API at /api/v1/: authentication, the one error format, and the routers of each app."""

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.security import SessionAuth

from ciqcredit.api_common import validation_messages
from ciqcredit.api_contract import complete_schema
from ciqcredit.errors import DomainError, RateLimited, error_body
from ciqcredit.organizations.auth import BearerToken
from ciqcredit.organizations.models import User


class StaffSession(SessionAuth):
    """The browser session of a logged-in person (CSRF-checked on unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        return user if user.is_authenticated and user.is_active else None


class PlatformSwagger(Swagger):
    """Interactive docs from the platform's own copy of Swagger UI (no CDN), with no call to an outside validator."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs), "validatorUrl": None}
        context = {"swagger_settings": json.dumps(settings), "api": api, "add_csrf": True}
        return render(request, "api/docs.html", context)


class PlatformAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, **kwargs):
        return complete_schema(super().get_openapi_schema(**kwargs))


api = PlatformAPI(
    title="ciqcredit 出入境检验检疫企业信用管理平台 API",
    version="1",
    description=(
        "系统接入使用 `Authorization: Bearer <token>`；工作人员可使用浏览器会话。"
        '所有错误均以 `{"code", "message", "details"}` 返回，`code` 为稳定的机器可读代码，`message` 为中文说明。'
    ),
    auth=[BearerToken(), StaffSession()],
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=PlatformSwagger(),
)


def _error(request: HttpRequest, status: int, code: str, message: str, details=None):
    return api.create_response(request, error_body(code, message, details), status=status)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    response = _error(request, exc.status, exc.code, exc.message, exc.details)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    return _error(request, 422, "validation_error", "请求数据格式不正确", {"errors": validation_messages(exc.errors)})


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return _error(request, 401, "unauthenticated", "未登录或接口令牌无效")


@api.exception_handler(AuthorizationError)
def _authz_error(request, exc):
    return _error(request, 403, "forbidden", "您没有执行此操作的权限")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", "请求的对象不存在或不在您的管辖范围内")


# django-ninja's own refusals (a body it cannot parse, nested too deep for the parser) in the one format.
_HTTP_ERRORS = {
    400: ("bad_request", "请求体无法解析：应为有效的 JSON（嵌套不超过解析器的限度）"),
    405: ("method_not_allowed", "该接口不支持此请求方法"),
}


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    code, message = _HTTP_ERRORS.get(exc.status_code, ("http_error", "请求无法处理"))
    return _error(request, exc.status_code, code, message)


def _register_routers() -> None:
    from ciqcredit.application.api import router as application_router
    from ciqcredit.catalogue.api import router as catalogue_router
    from ciqcredit.collection.api import router as collection_router
    from ciqcredit.dynamic.api import router as dynamic_router
    from ciqcredit.enterprises.api import router as enterprises_router
    from ciqcredit.organizations.api import router as organizations_router
    from ciqcredit.oversight.api import router as oversight_router
    from ciqcredit.rating.api import router as rating_router
    from ciqcredit.sharing.api import router as sharing_router
    from ciqcredit.tracking.api import router as tracking_router
    from ciqcredit.workdays.api import router as workdays_router

    api.add_router("/", organizations_router)
    api.add_router("/", enterprises_router)
    api.add_router("/", workdays_router)
    api.add_router("/", catalogue_router)
    api.add_router("/", collection_router)
    api.add_router("/", dynamic_router)
    api.add_router("/", rating_router)
    api.add_router("/", oversight_router)
    api.add_router("/", application_router)
    api.add_router("/", tracking_router)
    api.add_router("/", sharing_router)


_register_routers()
