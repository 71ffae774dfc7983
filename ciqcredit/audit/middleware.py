import logging
import re
import time

from ciqcredit.audit.context import request_context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_log = logging.getLogger("ciqcredit.request")


def _who(request) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return f"client:{user.username}" if user.is_system else user.username


class RequestIdMiddleware:
    """Takes X-Request-ID from a caller that sends a sane one, else makes one; echoes it back; logs one line
    per request (method, path, status, duration, who) under that id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")  # not request.headers: it would parse them all
        with request_context(incoming if _SAFE_ID.match(incoming) else None) as request_id:
            request.request_id = request_id
            started = time.perf_counter()
            response = self.get_response(request)
            if request_log.isEnabledFor(logging.INFO):
                request_log.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "request_id": request_id,
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user": _who(request),
                    },
                )
        response["X-Request-ID"] = request_id
        return response
