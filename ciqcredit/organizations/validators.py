import re

from django.core.exceptions import ValidationError

ORG_CODE_RE = re.compile(r"^\d{6}$")


def is_valid_org_code(code: str) -> bool:
    return bool(ORG_CODE_RE.match(code or ""))


def validate_org_code(code: str) -> None:
    if not is_valid_org_code(code):
        raise ValidationError("机构代码须为6位数字", code="bad_org_code")
