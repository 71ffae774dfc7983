import re

from ciqcredit.audit.context import request_context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Takes X-Request-ID from a caller that sends a sane one, else makes one; echoes it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        with request_context(incoming if _SAFE_ID.match(incoming) else None) as request_id:
            request.request_id = request_id
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
