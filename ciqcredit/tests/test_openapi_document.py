"""The OpenAPI document integrators generate clients from: ASCII tags and operation ids (module and method
names), Chinese in summaries and tag descriptions, and every error an operation can answer declared."""

import json

from ciqcredit.api import api
from ciqcredit.api_contract import COMMON_ERRORS


def _operations():
    schema = api.get_openapi_schema()
    return schema, [op for ops in schema["paths"].values() for op in ops.values()]


def test_tags_and_operation_ids_are_ascii_and_unique_with_chinese_descriptions():
    schema, operations = _operations()
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids)) and all(i.isascii() and i.isidentifier() for i in ids)
    assert all(tag.isascii() for op in operations for tag in op["tags"])
    described = {t["name"]: t["description"] for t in schema["tags"]}
    assert {tag for op in operations for tag in op["tags"]} == set(described)
    assert all(not d.isascii() for d in described.values())


def test_every_operation_declares_the_common_errors_in_the_one_format():
    _, operations = _operations()
    for op in operations:
        for status in COMMON_ERRORS:
            content = op["responses"][status]["content"]["application/json"]["schema"]
            assert content == {"$ref": "#/components/schemas/ErrorOut"}, (op["operationId"], status)


def test_the_served_document_has_no_duplicate_keys(client, db):
    """Swagger UI reads the document as YAML and refuses a key given twice (as 404 and "404" once were)."""

    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
        return dict(pairs)

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    json.loads(response.content, object_pairs_hook=no_duplicates)
