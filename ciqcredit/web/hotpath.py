"""The hot path: the three API calls e-CIQ makes for every declaration, answered without the page machinery.

A release decision (`POST /api/v1/decisions`), a batch of them (`POST /api/v1/decisions/batch`) and a grade
lookup (`GET /api/v1/enterprises/{credit_code}/grade`) sent with a bearer token skip what they do not use:
sessions, CSRF, the login middleware, messages, login throttling, URL resolution and django-ninja's parameter
and response models. This middleware sits after the ones they do use — security headers, the content security
policy, the request id with its JSON log line, and the input checks (control characters, body size, media
type) — and answers from the same functions the documented endpoints call, in the same JSON.

It answers only what it can answer exactly as the endpoint would: a valid token (`organizations.auth.bearer_user`)
with the endpoint's scope, within the client's rate limit (else the API's 429), and a body that validates. A
domain error (403, 404, 409, …) is rendered by the API's own exception handlers, so the one error format holds.
Anything else — no token or another scheme, a staff session, an unknown or revoked token, a missing scope, a body
that does not validate, a query the fast handler does not read — goes on down the full stack unchanged and gets
the endpoint's own answer. `tests` compare the two paths answer by answer.
"""

import datetime as dt
import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja.responses import NinjaJSONEncoder
from pydantic import ValidationError

from ciqcredit.api import api
from ciqcredit.application.api import hot_decision_batch, hot_decision_create
from ciqcredit.errors import DomainError
from ciqcredit.organizations.auth import RATE_TAKEN, bearer_user, rate_admit
from ciqcredit.organizations.roles import Scope
from ciqcredit.rating.api import hot_enterprise_grade

Handler = Callable[..., dict[str, Any] | None]

# (method, path pattern, scope the token must carry or None, handler(request, user, **path values) → the body)
ROUTES: list[tuple[str, re.Pattern[str], str | None, Handler]] = [
    ("POST", re.compile(r"^/api/v1/decisions$"), Scope.ECIQ_DECISION, hot_decision_create),
    ("POST", re.compile(r"^/api/v1/decisions/batch$"), Scope.ECIQ_DECISION, hot_decision_batch),
    ("GET", re.compile(r"^/api/v1/enterprises/(?P<credit_code>[^/]+)/grade$"), None, hot_enterprise_grade),
]
_PREFIX = "/api/v1/"


class _NotHere(Exception):
    """The request is left to the full stack."""


class HotPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith(_PREFIX):
            return self.get_response(request)
        try:
            response = self._answer(request, path)
        except _NotHere:
            return self.get_response(request)
        response["X-Frame-Options"] = settings.X_FRAME_OPTIONS  # XFrameOptionsMiddleware's, which is skipped
        return response

    def _answer(self, request: HttpRequest, path: str) -> HttpResponse:
        route = next(((r, m) for r in ROUTES if r[0] == request.method and (m := r[1].match(path))), None)
        if route is None:
            raise _NotHere
        (_, _, scope, handler), found = route
        scheme, _, secret = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer" or not secret:
            raise _NotHere
        user = bearer_user(secret)
        if user is None or (scope is not None and not (user.is_system and user.has_scope(scope))):
            raise _NotHere
        request.user = user  # the request log line names the client
        request.auth = user  # type: ignore[attr-defined]  # as django-ninja sets it
        try:
            rate_admit(user)
            setattr(request, RATE_TAKEN, user.pk)  # a fall-through to the full stack takes no second token
            body = handler(request, user, **found.groupdict())
        except DomainError as exc:
            return api.on_exception(request, exc)
        except ValidationError:
            raise _NotHere from None  # the endpoint words the errors (and tells unparsable JSON apart)
        if body is None:
            raise _NotHere
        return _json(body)


def _json(body: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(body, default=_plain), content_type="application/json; charset=utf-8")


_NINJA = NinjaJSONEncoder()


def _plain(value: Any) -> Any:
    """What django-ninja's encoder writes for the values these answers hold, without its chain of checks."""
    kind = type(value)
    if kind is Decimal:
        return str(value)
    if kind is dt.date:
        return value.isoformat()
    return _NINJA.default(value)
