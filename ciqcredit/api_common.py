"""Pieces shared by every app's API module (kernel: the user is referenced for type checking only)."""

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Generic, TypeVar

from django.http import HttpRequest
from ninja import Schema
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

if TYPE_CHECKING:
    from ciqcredit.organizations.models import User

T = TypeVar("T")


class ListOut(Schema, Generic[T]):
    count: int
    items: list[T]


class ErrorOut(Schema):
    code: str
    message: str
    details: dict


def caller(request: HttpRequest) -> "User":
    """The authenticated user (person or system) behind an API request."""
    return request.auth  # type: ignore[attr-defined]  # set by django-ninja's authentication


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
