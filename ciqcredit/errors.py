"""Domain errors: one exception type with a stable machine code and a Chinese message.

Services raise these; the API maps them to `{"code", "message", "details"}` with the HTTP status in one
place (ciqcredit.api), and pages show the message.
"""

import math
from typing import Any


class DomainError(Exception):
    status = 400

    def __init__(self, code: str, message: str, details: Any = None, *, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details if details is not None else {}
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.details)


class NotFound(DomainError):
    """Absent, or outside the caller's organization: the two are indistinguishable on purpose."""

    status = 404

    def __init__(self, what: str = "对象", details: Any = None):
        super().__init__("not_found", f"{what}不存在或不在您的管辖范围内", details)


class Forbidden(DomainError):
    status = 403

    def __init__(self, message: str = "您没有执行此操作的权限", details: Any = None, code: str = "forbidden"):
        super().__init__(code, message, details)


class Conflict(DomainError):
    status = 409


class RateLimited(DomainError):
    """Too many requests from one client: 429 with Retry-After (whole seconds, at least 1)."""

    status = 429

    def __init__(self, retry_after: float):
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(
            "rate_limited", f"请求过于频繁，请 {self.retry_after} 秒后重试", {"retry_after": self.retry_after}
        )


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The one error format of the API, also used where Django answers before or instead of the API."""
    return {"code": code, "message": message, "details": details if details is not None else {}}
