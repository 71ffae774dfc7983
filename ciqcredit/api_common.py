"""Pieces shared by every app's API module (kernel: the user is referenced for type checking only)."""

from typing import TYPE_CHECKING, Generic, TypeVar

from django.http import HttpRequest
from ninja import Schema

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
