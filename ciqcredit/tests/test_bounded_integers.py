"""Every integer a caller can send is bounded in the OpenAPI document and enforced, so none reaches the
database out of its column's range (an offset above 2^63 was a 500, `bigint out of range`, on PostgreSQL)."""

import pytest

from ciqcredit.api import api


def _unbounded_integers() -> list[str]:
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    found: list[str] = []

    def walk(node, where: str, seen: frozenset = frozenset()) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref and ref not in seen:
                walk(components[ref.rsplit("/", 1)[-1]], f"{where}->{ref.rsplit('/', 1)[-1]}", seen | {ref})
            if node.get("type") == "integer" and "maximum" not in node:
                found.append(where)
            for key, value in node.items():
                if key != "$ref":
                    walk(value, f"{where}.{key}", seen)
        elif isinstance(node, list):
            for value in node:
                walk(value, where, seen)

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                walk(parameter["schema"], f"{method.upper()} {path} {parameter['name']}")
            walk(operation.get("requestBody", {}), f"{method.upper()} {path} body")
    return found


def test_every_integer_parameter_and_body_field_has_a_maximum():
    assert _unbounded_integers() == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/records?offset=18446744073709551616",
        "/api/v1/enterprises?offset=9223372036854775808",
        "/api/v1/records/9223372036854775808",
        "/api/v1/dynamic/cases/99999999999999999999",
        "/api/v1/evaluations/9223372036854775808/results?offset=1",
    ],
)
def test_out_of_range_integers_are_422(cast, url):
    response = cast.api(cast.staff_token_a).get(url)
    assert response.status_code == 422, response.content[:300]
    assert response.json()["code"] == "validation_error"


def test_the_largest_id_is_simply_not_found(cast):
    response = cast.api(cast.staff_token_a).get("/api/v1/records/9223372036854775807")
    assert response.status_code == 404
