"""The public site's rate limit: a token bucket per client address (organizations.ratelimit's), in process memory.

The address is REMOTE_ADDR, or, behind a reverse proxy, the header the proxy sets and a client cannot
(`PUBLIC_CLIENT_ADDRESS_HEADER`, e.g. `X-Real-IP`; never a header the client controls end to end).
With N worker processes a client can reach N × the rate at most (docs/production.md).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ciqcredit.errors import RateLimited
from ciqcredit.organizations.ratelimit import TokenBucket

PUBLIC_PREFIXES = ("/public/", "/api/public/")

_limiters: dict[tuple[float, float], TokenBucket] = {}


def _limiter() -> TokenBucket | None:
    rate = settings.PUBLIC_RATE_LIMIT
    if rate <= 0:
        return None
    key = (rate, float(settings.PUBLIC_RATE_BURST))
    limiter = _limiters.get(key)
    if limiter is None:
        limiter = _limiters.setdefault(key, TokenBucket(*key))
    return limiter


def limiter_reset() -> None:
    """Forget every bucket (tests; a configuration reload)."""
    _limiters.clear()


def client_address(request: HttpRequest) -> str:
    header = settings.PUBLIC_CLIENT_ADDRESS_HEADER
    if header:
        value = request.headers.get(header, "").split(",")[0].strip()
        if value:
            return value
    return request.META.get("REMOTE_ADDR", "")


def wait_seconds(request: HttpRequest) -> float:
    limiter = _limiter()
    return limiter.take(client_address(request)) if limiter is not None else 0.0


class PublicRateLimitMiddleware:
    """Answers 429 with Retry-After to a client address over its budget on the public pages and the public API,
    before any view (and any cache) is reached; other paths pass untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(PUBLIC_PREFIXES):
            wait = wait_seconds(request)
            if wait:
                return too_many(request, RateLimited(wait))
        return self.get_response(request)


def too_many(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(exc.as_dict(), status=429, json_dumps_params={"ensure_ascii": False})
    else:
        response = render(request, "public/429.html", {"retry_after": exc.retry_after}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    response["Cache-Control"] = "no-store"
    return response
