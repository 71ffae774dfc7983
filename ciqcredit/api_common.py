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
# Chinese for the pydantic error types callers meet; the original text is kept for anything else.
VALIDATION_MESSAGES = {
    "missing": "必填字段缺失",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为布尔值（true/false）",
    "bool_parsing": "应为布尔值（true/false）",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "decimal_parsing": "应为数字",
    "string_too_long": "超过允许的长度",
    "string_too_short": "长度不足",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "extra_forbidden": "不允许的字段",
}


def validation_messages(errors) -> list[dict[str, str]]:
    """pydantic errors → [{"field", "message" (Chinese), "type"}]: the one wording, also for batch items."""
    fields = []
    for err in errors:
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        kind = err.get("type", "")
        message = VALIDATION_MESSAGES.get(kind, err.get("msg", ""))
        fields.append({"field": ".".join(loc), "message": message, "type": kind})
    return fields
