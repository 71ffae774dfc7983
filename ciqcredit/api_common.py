"""Pieces shared by every app's API module."""

import datetime as dt
import re
from typing import Annotated, Generic, TypeVar

from django.http import HttpRequest
from ninja import Schema
from ninja.security import HttpBearer
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from ciqcredit.errors import RateLimited
from ciqcredit.organizations.access import require_scope
from ciqcredit.organizations.models import User
from ciqcredit.organizations.services import token_authenticate
from ciqcredit.ratelimit import wait_seconds

T = TypeVar("T")


class ListOut(Schema, Generic[T]):
    count: int
    items: list[T]


class ErrorOut(Schema):
    code: str
    message: str
    details: dict


def caller(request: HttpRequest) -> User:
    """The authenticated user (person or system) behind an API request."""
    return request.auth


def _iso_date(value: object) -> object:
    """Dates only as YYYY-MM-DD: pydantic would read `0` or `"0"` as 1970-01-01 (a Unix time)."""
    if isinstance(value, int | float) or (isinstance(value, str) and not _ISO_DATE.match(value)):
        raise PydanticCustomError("date_parsing", "日期格式应为 YYYY-MM-DD")
    return value


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

# Every integer a caller sends is bounded, so none reaches the database out of its column's range.
MAX_ID = 2**63 - 1  # bigint primary keys
MAX_OFFSET = 1_000_000_000
RowId = Annotated[int, Field(ge=1, le=MAX_ID, description="编号")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="跳过条数")]
VersionNumber = Annotated[int, Field(ge=1, le=1_000_000, description="版本号")]
Year = Annotated[int, Field(ge=1900, le=2999, description="年份")]


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` for systems and staff scripts, within the client's rate limit."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is None:
            return None
        self.admit(user)
        request.user = user
        return user

    def admit(self, user: User) -> None:
        wait = wait_seconds(user)
        if wait:
            raise RateLimited(wait)


class ScopedBearer(BearerToken):
    """A system's token that must carry `scope`, checked at authentication: a client without the scope gets
    403 before its body is read, however large or deeply nested it is."""

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> User | None:
        person = getattr(request, "user", None)
        if "Authorization" not in request.headers and person is not None and person.is_authenticated:
            require_scope(person, self.scope)  # a logged-in person is known, and refused (403, not 401)
        return super().__call__(request)

    def admit(self, user: User) -> None:
        require_scope(user, self.scope)
        super().admit(user)
