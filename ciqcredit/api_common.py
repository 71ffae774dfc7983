"""Pieces shared by every app's API module."""

from typing import Annotated, Generic, TypeVar

from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from ciqcredit.organizations.models import User

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


# Every integer a caller sends is bounded, so none reaches the database out of its column's range.
MAX_ID = 2**63 - 1  # bigint primary keys
MAX_OFFSET = 1_000_000_000
RowId = Annotated[int, Field(ge=1, le=MAX_ID, description="编号")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="跳过条数")]
VersionNumber = Annotated[int, Field(ge=1, le=1_000_000, description="版本号")]
Year = Annotated[int, Field(ge=1900, le=2999, description="年份")]
