"""Response headers every page and API answer carries."""

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http.multipartparser import MultiPartParserError

from ciqcredit.text import CONTROL_MESSAGE, has_control_characters
from ciqcredit.web.errors import is_api, refuse


class ContentSecurityPolicyMiddleware:
    """Sends settings.CONTENT_SECURITY_POLICY (empty or `off`: none) unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        policy = settings.CONTENT_SECURITY_POLICY.strip()
        self.policy = "" if policy.lower() in ("", "off") else policy

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


# A JSON body carrying a C0 control character other than tab, LF and CR: raw, or as a \u00XX escape that is
# not itself escaped (`\\u0001` is a backslash followed by text). One pass of a compiled pattern, no parsing.
_JSON_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|(?<!\\)(?:\\\\)*\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F])")
_BODY_TYPES = {"application/json", "multipart/form-data", "application/x-www-form-urlencoded"}


class InputCheckMiddleware:
    """Refuses, before any view or parser runs, what no field may hold and no endpoint reads.

    Control characters (NUL included: PostgreSQL refuses it in text, XLSX cannot hold them) anywhere in the
    path, the query string, a JSON body or form fields answer 422; a body over the size limit 413; a broken
    multipart body 400; an API body that is neither JSON nor a form 415. API callers get the JSON error format.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            field = self._control_character_field(request)
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
            return refuse(request, 413, "request_too_large", f"请求体过大（上限 {limit} MiB）")
        except MultiPartParserError:
            return refuse(request, 400, "bad_multipart", "上传请求格式不正确（multipart 缺少或错误的 boundary）")
        except UnsupportedMediaType:
            return refuse(
                request, 415, "unsupported_media_type", "请求体应为 JSON（Content-Type: application/json）或表单"
            )
        if field is not None:
            return refuse(request, 422, "control_character", f"“{field}”{CONTROL_MESSAGE}", {"field": field})
        return self.get_response(request)

    @staticmethod
    def _control_character_field(request) -> str | None:
        if has_control_characters(request.path):
            return "path"
        for key, values in request.GET.lists():
            if has_control_characters(key) or any(has_control_characters(v) for v in values):
                return key
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        content_type = request.content_type
        if (
            is_api(request)
            and content_type not in _BODY_TYPES
            and request.META.get("CONTENT_LENGTH")
            not in (
                None,
                "",
                "0",
            )
        ):
            raise UnsupportedMediaType
        if content_type == "application/json":
            return "body" if _JSON_CONTROL.search(request.body) else None
        if content_type in _BODY_TYPES:
            for key, values in request.POST.lists():
                if has_control_characters(key) or any(has_control_characters(v) for v in values):
                    return key
        return None


class UnsupportedMediaType(Exception):
    pass
