"""What the OpenAPI document promises integrators beyond what django-ninja derives from the endpoints.

- Operation ids are the endpoint functions' names: ASCII, stable when modules move, unique (checked).
- Tags are ASCII slugs (client generators name modules after them); each router's Chinese name becomes the
  tag's description. A router tag reads "<中文> <slug>", e.g. "企业 enterprises".
- Every operation declares the errors any operation can answer in the one error format: malformed or
  oversize bodies, missing credentials, refusals, absent or out-of-scope objects, validation, and 500.
"""

from typing import Any

COMMON_ERRORS = {
    "400": "请求无法解析（如 JSON 无效、嵌套过深、multipart 格式错误）",
    "401": "未登录或接口令牌无效",
    "403": "无权执行此操作（角色或接口权限范围不足）",
    "404": "对象不存在或不在调用者的管辖范围内",
    "413": "请求体超过大小上限",
    "415": "请求体类型不支持（应为 JSON 或表单）",
    "422": "请求数据不符合约定（字段错误逐项列出；含控制字符）",
    "429": "请求过于频繁，请按 Retry-After 头所示秒数后重试",
    "500": "服务器内部错误（已记录）",
}
ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorOut"}


def split_tag(tag: str) -> tuple[str, str]:
    """("企业 enterprises") -> ("enterprises", "企业"); an ASCII-only tag is its own slug."""
    head, _, slug = tag.rpartition(" ")
    if slug.isascii() and slug:
        return slug, head.strip()
    return tag, ""


def complete_schema(schema: dict[str, Any]) -> dict[str, Any]:
    described: dict[str, str] = {}
    for operations in schema["paths"].values():
        for operation in operations.values():
            tags = []
            for tag in operation.get("tags", []):
                slug, chinese = split_tag(tag)
                tags.append(slug)
                if chinese:
                    described[slug] = chinese
            operation["tags"] = tags
            # django-ninja keys responses by int; JSON keys are strings, so one key per status, as a string.
            responses = {str(status): response for status, response in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for status, description in COMMON_ERRORS.items():
                responses.setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
                )
    schema["tags"] = [{"name": slug, "description": chinese} for slug, chinese in sorted(described.items())]
    schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
        "ErrorOut",
        {
            "type": "object",
            "title": "ErrorOut",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "title": "Code"},
                "message": {"type": "string", "title": "Message"},
                "details": {"type": "object", "title": "Details"},
            },
        },
    )
    return schema
