"""What Django answers when no view does (unknown URL, uncaught exception, refused request).

People get the Chinese pages; anything under /api/ gets the API's one JSON error format, never HTML.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from ciqcredit.errors import error_body

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(status: int, code: str, message: str, details=None) -> JsonResponse:
    return JsonResponse(error_body(code, message, details), status=status, json_dumps_params={"ensure_ascii": False})


def refuse(request: HttpRequest, status: int, code: str, message: str, details=None) -> HttpResponse:
    """A request refused before any view: the JSON error format for the API, the Chinese 400 page for people."""
    if is_api(request):
        return json_error(status, code, message, details)
    response = defaults.bad_request(request, Exception(message))
    response.status_code = status
    return response


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return json_error(400, "bad_request", "请求无法处理（格式或请求头不正确）")
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return json_error(403, "forbidden", "您没有执行此操作的权限")
    return defaults.permission_denied(request, exception)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return json_error(404, "not_found", "请求的接口或对象不存在")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return json_error(500, "server_error", "服务器内部错误，已记录；请稍后重试")
    return defaults.server_error(request)
